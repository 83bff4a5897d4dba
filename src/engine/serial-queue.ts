/**
 * Runs tasks for the same key strictly one after another, and tasks for different keys freely.
 * keyv has no compare-and-set, so two inputs for one session must never interleave their
 * load → apply → save. One process owns a session (a guild lives on one shard), so an
 * in-process queue is enough; several processes would need a real lock.
 */
export class SerialQueue {
  private readonly tails = new Map<string, Promise<unknown>>();

  run<T>(key: string, task: () => Promise<T>): Promise<T> {
    const previous = this.tails.get(key) ?? Promise.resolve();
    const result = previous.then(task, task);
    // The tail never rejects, so one failed task cannot block the ones queued behind it.
    const tail = result.then(
      () => undefined,
      () => undefined,
    );
    this.tails.set(key, tail);
    void tail.then(() => {
      if (this.tails.get(key) === tail) this.tails.delete(key);
    });
    return result;
  }

  /** Resolves when every task queued so far has finished (graceful shutdown). */
  async idle(): Promise<void> {
    while (this.tails.size > 0) await Promise.all([...this.tails.values()]);
  }
}
