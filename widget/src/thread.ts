import { ctx } from "./ctx";
import { fill } from "./render";
import { session } from "./store";

/** Paging through the thread. */

export const threadPath = (cursor?: string | null, sort = ctx.sort) =>
  `/thread?${new URLSearchParams({
    page: ctx.page,
    sort,
    ...(cursor && { cursor }),
    ...(session.bookmark && { bookmark: session.bookmark }),
  })}`;

/** Adds a page of the thread below what is shown. */
export function showPage(j: { comments: never[]; nextCursor: string | null }): void {
  fill(j.comments, ctx.list);
  ctx.next = j.nextCursor;
  ctx.more.hidden = !ctx.next;
}
