import { COMMENT_ID_PATTERN, type PublicComment, type Sort } from "../../src/shared/vocabulary";
import { request } from "./api";
import { ctx, type Item } from "./ctx";
import { showPending } from "./own";
import { closeReply } from "./post";
import { fill, heading, redraw } from "./render";
import { keep, votes } from "./store";
import { showPage, threadPath } from "./thread";
import { focusItem } from "./ui-kit";

/** Sorting, paging, votes and permalinks. */

export async function resort(_: Item, button: HTMLElement) {
  const sort = button.dataset.sort as Sort;
  const thread = await request(threadPath(null, sort));
  ctx._sort = sort;
  for (const other of (button.parentNode as Element).children)
    other.setAttribute("aria-pressed", `${other === button}`);
  closeReply();
  ctx._items.clear();
  ctx._list.replaceChildren();
  ctx._count = thread.thread.count;
  heading();
  showPage(thread);
  showPending();
}

/** "Load more responses": focus goes to the first new comment, where reading continues. */
export async function loadMore() {
  const thread = await request(threadPath(ctx._nextCursor));
  showPage(thread);
  focusItem(thread.comments[0]?.id);
}

/** "Show more replies": continues a subtree the thread response cut short. */
export async function moreReplies(item: Item, button: HTMLElement) {
  const comment = item._comment;
  const replies = await request(
    `/comments/${comment.id}/replies?cursor=${encodeURIComponent(comment.moreReplies as string)}`,
  );
  fill(replies.comments, ctx._list);
  comment.moreReplies = replies.nextCursor;
  if (!replies.nextCursor) button.remove();
  focusItem(replies.comments[0]?.id);
}

/** Pressing the pressed arrow again withdraws the vote (value 0). */
export async function vote(item: Item, button: HTMLElement) {
  const comment = item._comment;
  const direction = button.dataset.action === "vote-up" ? 1 : -1;
  const result = await request(`/comments/${comment.id}/vote`, {
    value: votes[comment.id] === direction ? 0 : direction,
  });
  votes[comment.id] = result.value;
  keep();
  comment.score = result.score;
  redraw(item, `[data-action=${button.dataset.action}]`);
}

/**
 * Highlights the comment in `#comment-<id>` and moves focus (and so the view) to it. On the first
 * call, one that is not shown is fetched with its ancestors, and those not shown either are drawn:
 * under the ancestor that is, or at the end of the list, where later pages would bring them
 * (and when one does, place() moves it into its page). A fragment that is no comment id is
 * not asked for: the API would refuse it.
 */
export async function showLinked(first?: boolean) {
  const id = /^#comment-([\w-]+)$/.exec(location.hash)?.[1] as string;
  if (!id) return;
  if (!ctx._items.has(id) && first && COMMENT_ID_PATTERN.test(id))
    fill(
      (await request(`/comments/${id}`)).comments.filter(
        (comment: PublicComment) => !ctx._items.has(comment.id),
      ),
      ctx._list,
    );
  for (const [shown, item] of ctx._items) item.classList.toggle("highlight", shown === id);
  focusItem(id);
}
