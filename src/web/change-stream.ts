/**
 * One page's event stream (Server-Sent Events): a `change` event each time its conversation
 * changes, and a comment now and then so proxies keep an idle stream open. The event carries
 * nothing but the time: the page fetches its own view, which decides what it may read.
 */
import type { Context } from 'hono';
import { streamSSE } from 'hono/streaming';
import type { LiveUpdates } from './live.js';

const KEEP_OPEN_MS = 20_000;

export interface OpenStreams {
  /** Ends a stream (when the server closes). */
  add(end: () => void): void;
  delete(end: () => void): void;
}

export function changeStream(
  c: Context,
  live: LiveUpdates,
  channelId: string,
  open: OpenStreams,
  now: () => number,
): Response {
  c.header('Cache-Control', 'no-store');
  return streamSSE(c, async (stream) => {
    let wake: (() => void) | undefined;
    let changed = false;
    const stop = live.watch(channelId, () => {
      changed = true;
      wake?.();
    });
    const end = () => {
      stream.abort();
      wake?.();
    };
    open.add(end);
    stream.onAbort(() => {
      stop();
      open.delete(end);
      wake?.();
    });
    while (!stream.aborted) {
      if (changed) {
        changed = false;
        await stream.writeSSE({ event: 'change', data: String(now()) });
        continue;
      }
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, KEEP_OPEN_MS);
        wake = () => {
          clearTimeout(timer);
          resolve();
        };
      });
      wake = undefined;
      if (!changed && !stream.aborted) await stream.write(': still here\n\n');
    }
  });
}
