/**
 * What the local Discord is busy with right now: the REST requests it has received and not yet answered, and a
 * counter that moves whenever one starts or ends, so `settled()` can tell a quiet moment from one where a
 * request came and went between two looks.
 */
export class Activity {
  private readonly open = new Map<number, string>();
  private nextId = 0;
  private changes = 0;
  /** What `settled()` saw the last time it settled (requests and interactions so far), to skip a second wait. */
  settledAt: string | null = null;

  /** A request arrived; call the returned function once it has been answered (calling it twice is harmless). */
  begin(what: string): () => void {
    const id = ++this.nextId;
    this.open.set(id, what);
    this.changes += 1;
    return () => {
      if (this.open.delete(id)) this.changes += 1;
    };
  }

  /** Goes up whenever a request starts or ends. */
  get generation(): number {
    return this.changes;
  }

  /** The requests not answered yet, as `METHOD /path`. */
  inFlight(): string[] {
    return [...this.open.values()];
  }
}
