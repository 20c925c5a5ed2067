import { req } from "./api";
import { ctx, type Item } from "./ctx";
import { h } from "./dom";
import { t } from "./i18n";
import { heading, redraw } from "./render";
import { keepOwn, mine, own } from "./store";
import { announce, inline } from "./ui-kit";

/** Editing and deleting the reader's own comments with the edit token (widget-ui.js). */

/** Swaps the body for a textarea holding the text as typed (kept beside the edit token). */
export function openEdit(li: Item, from: HTMLElement): void {
  const ta = h("textarea", {
    name: "body",
    "aria-label": t[L.body],
    required: true,
    maxlength: 5000,
    rows: 5,
  });
  const body = li.querySelector("header+div") as HTMLElement;
  // biome-ignore lint/performance/useDomNodeTextContent: the rendered text keeps paragraph breaks
  ta.value = mine(li.c.id)?.text || body.innerText;
  body.replaceWith(inline(from, "edit", L.save, ta));
  ta.focus();
}

export async function saveEdit(f: HTMLFormElement, li: Item): Promise<void> {
  const o = mine(li.c.id);
  const text = (f.elements as HTMLFormControlsCollection & { body: HTMLTextAreaElement }).body
    .value;
  li.c = (await req(`/comments/${li.c.id}`, { body: text }, "PATCH", o?.token)).comment;
  if (o) o.text = text;
  keepOwn();
  redraw(li);
}

/** Delete asks twice on the same button instead of a blocking window.confirm(). */
export async function remove(li: Item, b: HTMLElement): Promise<void> {
  const c = li.c;
  if (!b.dataset.c) {
    b.dataset.c = "1";
    b.textContent = `${t[L.confirm]}`;
    return;
  }
  await req(`/comments/${c.id}`, null, "DELETE", mine(c.id)?.token);
  delete own[c.id];
  keepOwn();
  ctx.count -= +(c.status === "published");
  heading();
  announce(t[L.deleted]);
  // With replies below it, it stays as a placeholder so the conversation still reads.
  if (li.o?.children.length) {
    li.c = { ...c, status: "deleted" };
    redraw(li);
  } else {
    ctx.els.delete(c.id);
    li.remove();
    ctx.h2.focus();
  }
}

/** "Confirm delete" stands only while the button keeps focus. */
export function unconfirm(e: Event): void {
  const b = e.target as HTMLElement;
  if (b.dataset.c) {
    delete b.dataset.c;
    b.textContent = `${t[L.delete]}`;
  }
}
