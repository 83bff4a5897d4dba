/**
 * One page of a private list (/promises, /history) in one message, with "Newer" / "Older" buttons
 * to the pages beside it. Each list owns its button (and so its custom id) and its pages; this only
 * lays a page out, so the two lists page the same way.
 */
import { buttonRows } from './components.js';
import { type MessagePayload, notePayload } from './note.js';

export interface PagedList {
  title: string;
  /** What the list says when there is nothing in it yet. */
  empty: string;
  /** The pages, each within one message's limits; none for an empty list. */
  pages: readonly string[];
  /** The page asked for (past the end: the last one). */
  page: number;
  /** The custom id of the button that shows `page`. */
  pageId: (page: number) => string;
}

/** The custom-id arguments of a list's page buttons: whose list (the partner named) and which page. */
export const pageArgs = {
  encode: ({ partner, page }: { partner: string; page: number }): string[] => [partner, String(page)],
  parse: ([partner, page]: readonly string[]): { partner: string; page: number } | undefined => {
    const n = Number(page);
    return partner && Number.isInteger(n) && n >= 0 ? { partner, page: n } : undefined;
  },
} as const;

export function pagedReply({ title, empty, pages, page, pageId }: PagedList): MessagePayload {
  if (pages.length === 0) return { ...notePayload(empty, title), components: [] };
  const at = Math.min(Math.max(0, page), pages.length - 1);
  const payload = notePayload(pages[at] ?? '', pages.length > 1 ? `${title} · ${at + 1} of ${pages.length}` : title);
  const buttons = [
    ...(at > 0 ? [{ customId: pageId(at - 1), label: 'Newer' }] : []),
    ...(at < pages.length - 1 ? [{ customId: pageId(at + 1), label: 'Older' }] : []),
  ];
  return { ...payload, components: buttons.length > 0 ? buttonRows(...buttons) : [] };
}
