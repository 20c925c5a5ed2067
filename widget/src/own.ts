import { LIMITS } from "../../src/shared/limits";
import { request } from "./api";
import { ctx, type Item } from "./ctx";
import { h } from "./dom";
import { t } from "./i18n";
import { heading, place, redraw } from "./render";
import { keep, mine, own } from "./store";
import { announce, inlineForm } from "./ui-kit";

/**
 * The reader's own comments: editing and deleting them with the edit token, and showing the
 * ones still awaiting moderation, which only their author sees.
 */

/** Swaps the body for a textarea holding the text as typed (kept beside the edit token). */
export function openEdit(item: Item, from: HTMLElement): void {
  const textarea = h("textarea", {
    name: "body",
    "aria-label": t.comment,
    required: "",
    maxlength: LIMITS.body,
    rows: 5,
  });
  const body = item.querySelector("header+div") as HTMLElement;
  // biome-ignore lint/performance/useDomNodeTextContent: the rendered text keeps paragraph breaks
  textarea.value = mine(item._comment.id)?.text || body.innerText;
  body.replaceWith(inlineForm(from, "save", t.save, textarea));
  textarea.focus();
}

export async function saveEdit(item: Item, form: HTMLElement): Promise<void> {
  const entry = mine(item._comment.id);
  const text = (form as HTMLFormElement & { body: HTMLTextAreaElement }).body.value;
  const result = await request(
    `/comments/${item._comment.id}`,
    { body: text },
    "PATCH",
    entry?.token,
  );
  item._comment = result.comment;
  if (entry) {
    entry.text = text;
    entry.c = item._comment;
  }
  keep();
  redraw(item);
}

/** Delete asks twice on the same button instead of a blocking window.confirm(). */
export async function remove(item: Item, button: HTMLElement): Promise<void> {
  const comment = item._comment;
  if (!("confirm" in button.dataset)) {
    button.dataset.confirm = "";
    button.textContent = t.confirmDelete;
    return;
  }
  await request(`/comments/${comment.id}`, null, "DELETE", mine(comment.id)?.token);
  delete own[comment.id];
  keep();
  ctx._count -= +(comment.status === "published");
  heading();
  announce(t.deleted);
  // A placeholder keeps the replies below it in place (a reload shows one only if it has any).
  item._comment = { ...comment, status: "deleted" };
  redraw(item);
  ctx._heading.focus();
}

/**
 * After first paint: the reader's comments held for moderation, which the thread does not hold,
 * are put back from what was stored when they were posted (a reply only when its parent is
 * shown). Once published, the thread has the server's copy and the stored one is not used.
 */
export function showPending(): void {
  for (const id in own) {
    const comment = own[id]?.c;
    if (
      comment?.status === "pending" &&
      !ctx._items.has(id) &&
      (!comment.parentId || ctx._items.has(comment.parentId))
    )
      place(comment, ctx._list, ctx._sort === "newest");
  }
}
