/**
 * Live updates: whoever watches a conversation (each partner's open page, over Server-Sent Events)
 * hears that it changed, and fetches its own view again. Nothing about the change travels in the
 * event itself, so what a page can read is always decided by the same view code.
 */
export class LiveUpdates {
  private readonly watchers = new Map<string, Set<() => void>>();

  /** Calls `onChange` after every change to the conversation; returns how to stop. */
  watch(channelId: string, onChange: () => void): () => void {
    let set = this.watchers.get(channelId);
    if (!set) {
      set = new Set();
      this.watchers.set(channelId, set);
    }
    set.add(onChange);
    return () => {
      set.delete(onChange);
      if (set.size === 0) this.watchers.delete(channelId);
    };
  }

  changed(channelId: string): void {
    for (const onChange of this.watchers.get(channelId) ?? []) onChange();
  }
}
