export interface PlannedFailure {
  /** 500 or 503 (or any 5xx): a server-side failure the bot should survive. */
  status: number;
  remaining: number;
}

/**
 * Failures a test asks for ("the next 2 POSTs to /channels/:channel_id/messages fail with 503"). Note that
 * @discordjs/rest retries 5xx responses itself (3 times by default) before the bot's code sees an error.
 */
export class FaultPlan {
  private readonly planned = new Map<string, PlannedFailure>();

  failNext(routeKey: string, status: number, times: number) {
    if (status < 500 || status > 599) throw new Error(`failNext: ${status} is not a 5xx status`);
    this.planned.set(routeKey, { status, remaining: times });
  }

  /** The status to fail this request with, or null to serve it normally. */
  take(routeKey: string): number | null {
    const plan = this.planned.get(routeKey);
    if (!plan || plan.remaining <= 0) return null;
    plan.remaining -= 1;
    if (plan.remaining === 0) this.planned.delete(routeKey);
    return plan.status;
  }

  clear() {
    this.planned.clear();
  }
}
