import { req } from "./api";
import { ctx, type Item } from "./ctx";
import { h } from "./dom";
import { t } from "./i18n";
import { heading, place, redraw } from "./render";
import { keep, mine, own } from "./store";
import { announce, inline } from "./ui-kit";

/**
 * The reader's own comments: editing and deleting them with the edit token, and showing the
 * ones still awaiting moderation, which only their author sees.
 */

/** Swaps the body for a textarea holding the text as typed (kept beside the edit token). */
export function openEdit(li: Item, from: HTMLElement): void {
  const ta = h("textarea", {
    name: "body",
    "aria-label": t[L.body],
    required: "",
    maxlength: 5000,
    rows: 5,
  });
  const body = li.querySelector("header+div") as HTMLElement;
  // biome-ignore lint/performance/useDomNodeTextContent: the rendered text keeps paragraph breaks
  ta.value = mine(li.c.id)?.text || body.innerText;
  body.replaceWith(inline(from, "save", L.save, ta));
  ta.focus();
}

export async function saveEdit(li: Item, f: HTMLElement): Promise<void> {
  const o = mine(li.c.id);
  const text = (f as HTMLFormElement & { body: HTMLTextAreaElement }).body.value;
  li.c = (await req(`/comments/${li.c.id}`, { body: text }, "PATCH", o?.token)).comment;
  if (o) {
    o.text = text;
    o.c = li.c;
  }
  keep();
  redraw(li);
}

/** Delete asks twice on the same button instead of a blocking window.confirm(). */
export async function remove(li: Item, b: HTMLElement): Promise<void> {
  const c = li.c;
  if (!b.dataset.c) {
    b.dataset.c = "1";
    b.textContent = t[L.confirm] as string;
    return;
  }
  await req(`/comments/${c.id}`, null, "DELETE", mine(c.id)?.token);
  delete own[c.id];
  keep();
  ctx.count -= +(c.status === "published");
  heading();
  announce(t[L.deleted]);
  // A placeholder keeps the replies below it in place (a reload shows one only if it has any).
  li.c = { ...c, status: "deleted" };
  redraw(li);
  ctx.h2.focus();
}

/**
 * After first paint: the reader's comments held for moderation, which the thread does not hold,
 * are put back from what was stored when they were posted (a reply only when its parent is
 * shown). Once published, the thread has the server's copy and the stored one is not used.
 */
export function showPending(): void {
  for (const id in own) {
    const c = own[id]?.c;
    if (c?.status === "pending" && !ctx.els.has(id) && (!c.parentId || ctx.els.has(c.parentId)))
      place(c, ctx.list, ctx.sort === "newest");
  }
}
