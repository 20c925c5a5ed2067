import type { PublicComment } from "../../src/shared/vocabulary";
import { ctx } from "./ctx";
import { fill } from "./render";
import { session } from "./store";

/** Paging through the thread. */

export const threadPath = (cursor?: string | null, sort = ctx._sort) =>
  `/thread?${new URLSearchParams({
    page: ctx._page,
    sort,
    ...(cursor && { cursor }),
    ...(session.bookmark && { bookmark: session.bookmark }),
  })}`;

/** Adds a page of the thread below what is shown. */
export function showPage(thread: { comments: PublicComment[]; nextCursor: string | null }): void {
  fill(thread.comments, ctx._list);
  ctx._nextCursor = thread.nextCursor;
  ctx._loadMore.hidden = !ctx._nextCursor;
}
