import { req } from "./api";
import { type Comment, ctx, type Item } from "./ctx";
import { showPending } from "./own";
import { closeReply } from "./post";
import { fill, heading, redraw } from "./render";
import { keep, votes } from "./store";
import { showPage, threadPath } from "./thread";
import { focusItem } from "./ui-kit";

/** Sorting, paging, votes and permalinks. */

export async function resort(_: Item, b: HTMLElement) {
  const sort = b.dataset.s as string;
  const j = await req(threadPath(null, sort));
  ctx.sort = sort;
  for (const s of (b.parentNode as Element).children) s.setAttribute("aria-pressed", `${s === b}`);
  closeReply();
  ctx.els.clear();
  ctx.list.replaceChildren();
  ctx.count = j.thread.count;
  heading();
  showPage(j);
  showPending();
}

/** "Load more responses": focus goes to the first new comment, where reading continues. */
export async function more() {
  const j = await req(threadPath(ctx.next));
  showPage(j);
  focusItem(j.comments[0]?.id);
}

/** "Show more replies": continues a subtree the thread response cut short. */
export async function replies(li: Item, b: HTMLElement) {
  const j = await req(
    `/comments/${li.c.id}/replies?cursor=${encodeURIComponent(li.c.moreReplies as string)}`,
  );
  fill(j.comments, ctx.list);
  li.c.moreReplies = j.nextCursor;
  if (!j.nextCursor) b.remove();
  focusItem(j.comments[0]?.id);
}

/** Pressing the pressed arrow again withdraws the vote (value 0). */
export async function vote(li: Item, b: HTMLElement) {
  const c = li.c;
  const dir = b.dataset.a === "up" ? 1 : -1;
  const j = await req(`/comments/${c.id}/vote`, { value: votes[c.id] === dir ? 0 : dir });
  votes[c.id] = j.value;
  keep();
  c.score = j.score;
  redraw(li, `[data-a=${b.dataset.a}]`);
}

/**
 * Highlights the comment in `#comment-<id>` and moves focus (and so the view) to it. On the first
 * call, one that is not shown is fetched with its ancestors, and those not shown either are drawn:
 * under the ancestor that is, or at the end of the list, where later pages would bring them
 * (and when one does, place() moves it into its page).
 */
export async function showLinked(first?: boolean) {
  const id = /^#comment-([\w-]+)$/.exec(location.hash)?.[1] as string;
  if (!id) return;
  if (!ctx.els.has(id) && first)
    fill(
      (await req(`/comments/${id}`)).comments.filter((c: Comment) => !ctx.els.has(c.id)),
      ctx.list,
    );
  for (const [k, li] of ctx.els) li.classList.toggle("highlight", k === id);
  focusItem(id);
}
