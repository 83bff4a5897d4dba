/** Something the bot did that Discord would reject, ignore or punish. Tests expect `violations()` to be `[]`. */
export interface Violation {
  /** `METHOD /route/:template`, `GATEWAY` or `INTERACTION <id>`. */
  route: string;
  reason: string;
  /** The start of the offending body, to find it without dumping whole payloads. */
  excerpt: string;
  at: string;
}

export interface RecordedRequest {
  method: string;
  path: string;
  /** The matched route template, or null for a route the emulator does not know. */
  route: string | null;
  status: number;
  body: unknown;
  /** Why the emulator refused the request, when Discord's answer alone would not say (e.g. which permission). */
  note: string | null;
  at: string;
}

const EXCERPT_LENGTH = 300;

/** Keeps what tests assert on afterwards: every violation and every REST request with its outcome. */
export class Recorder {
  private readonly violationList: Violation[] = [];
  private readonly requestList: RecordedRequest[] = [];

  violation(route: string, reason: string, body?: unknown): Violation {
    const violation = { route, reason, excerpt: excerpt(body), at: new Date().toISOString() };
    this.violationList.push(violation);
    return violation;
  }

  request(entry: Omit<RecordedRequest, 'at'>) {
    this.requestList.push({ ...entry, at: new Date().toISOString() });
  }

  violations(): Violation[] {
    return [...this.violationList];
  }

  requests(): RecordedRequest[] {
    return [...this.requestList];
  }

  clear() {
    this.violationList.length = 0;
    this.requestList.length = 0;
  }
}

function excerpt(body: unknown): string {
  if (body === undefined) return '';
  const json = typeof body === 'string' ? body : JSON.stringify(body);
  return json.length > EXCERPT_LENGTH ? `${json.slice(0, EXCERPT_LENGTH)}…` : json;
}
