import { req } from "./api";
import { ctx, type Item } from "./ctx";
import { h } from "./dom";
import { t } from "./i18n";
import { closeReply } from "./post";
import { fill, heading, redraw } from "./render";
import { key, save, votes } from "./store";
import { showPage, threadPath } from "./thread";
import { announce, focusItem } from "./ui-kit";

/** Sorting, paging, votes and links (widget-ui.js). */

export async function resort(b: HTMLElement) {
  const sort = b.dataset.s as string;
  const j = await req(threadPath(null, sort));
  ctx.sort = sort;
  for (const s of ctx.root.querySelectorAll("[data-s]"))
    s.setAttribute("aria-pressed", `${s === b}`);
  closeReply();
  ctx.els.clear();
  ctx.list.replaceChildren();
  ctx.count = j.thread.count;
  heading();
  showPage(j);
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
    `/comments/${li.c.id}/replies?${new URLSearchParams({ cursor: `${li.c.moreReplies}` })}`,
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
  save(key("votes"), votes);
  c.score = j.score;
  redraw(li, `[data-a=${b.dataset.a}]`);
}

/** The link still navigates (the hash changes and the comment is highlighted); copying is extra. */
export function copyLink(li: Item) {
  navigator.clipboard?.writeText(`${location.href.split("#")[0]}#comment-${li.c.id}`).then(
    () => announce(t[L.copied]),
    () => {},
  );
}

/**
 * Scrolls to and highlights the comment in `#comment-<id>`. On the first call, one that is not
 * on this page of the thread is fetched with its ancestors and shown above the list.
 */
export async function showLinked(first?: boolean) {
  const id = /^#comment-([\w-]+)$/.exec(location.hash)?.[1];
  const find = () => ctx.root.getElementById(`comment-${id}`);
  if (!id) return;
  if (!find() && first) {
    const j = await req(`/comments/${id}`);
    const ol = h("ol");
    // Its own map: the chain must not stand in for the same comments in the list below.
    fill(j.comments, ol, new Map());
    ctx.list.before(
      h(
        "div",
        { class: "ln", role: "region", "aria-labelledby": "lh" },
        h("h3", { id: "lh" }, t[L.linked]),
        ol,
      ),
    );
  }
  for (const e of ctx.root.querySelectorAll(".highlight")) e.classList.remove("highlight");
  find()?.classList.add("highlight");
  find()?.scrollIntoView();
}
