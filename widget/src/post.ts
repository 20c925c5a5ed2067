import { type Fail, req } from "./api";
import { ctx, type Item } from "./ctx";
import { fmt, t } from "./i18n";
import { heading, place } from "./render";
import { AUTHOR, keepOwn, own, save } from "./store";
import { announce, focusItem, problem } from "./ui-kit";

/** Posting and replying (widget-ui.js): the form itself is drawn by form.ts. */

type Fields = HTMLFormControlsCollection & Record<string, HTMLInputElement>;

let parentId: string | null = null;
/** The Reply button that opened the form, to give focus back on cancel. */
let replyFrom: HTMLElement | undefined;

const parts = () => {
  const f = ctx.form;
  return {
    f: f.elements as Fields,
    h3: f.querySelector("h3") as HTMLElement,
    err: f.querySelector(".err") as HTMLElement,
    cancel: f.querySelector("[data-a=cr]") as HTMLElement,
  };
};

export function openReply(li: Item, from: HTMLElement): void {
  const { f, h3, cancel } = parts();
  replyFrom = from;
  parentId = li.c.id;
  h3.textContent = fmt(t[L.replyTo], { name: li.c.author?.name });
  cancel.hidden = false;
  li.firstChild?.after(ctx.form);
  f.body?.focus();
}

export function closeReply(refocus?: boolean): void {
  const { h3, cancel } = parts();
  parentId = null;
  h3.textContent = `${t[L.leave]}`;
  cancel.hidden = true;
  ctx.home.append(ctx.form);
  if (refocus) replyFrom?.focus();
}

export async function post(): Promise<void> {
  const { f, err } = parts();
  const v = (n: string) => f[n]?.value.trim();
  const author = { name: v("name"), email: v("email"), website: v("website") };
  const text = f.body?.value as string;
  const send = ctx.form.querySelector("[type=submit]") as HTMLButtonElement;
  save(AUTHOR, author);
  err.textContent = "";
  send.disabled = true;
  try {
    const j = await req("/comments", {
      page: ctx.page,
      title: ctx.title,
      parentId,
      author,
      body: text,
      hp: f.hp?.value,
      issuedAt: ctx.issuedAt,
    });
    const c = j.comment;
    const published = c.status === "published";
    own[c.id] = { token: j.editToken, until: j.editableUntil, text };
    keepOwn();
    (f.body as HTMLInputElement).value = "";
    closeReply();
    // A reply joins its parent; a top-level comment goes where the current sort puts it.
    place(c, ctx.list, ctx.els, ctx.sort === "newest");
    ctx.count += +published;
    heading();
    announce(t[published ? L.published : L.held]);
    focusItem(c.id);
  } catch (e) {
    // 422 names fields by path ("author.name"); the reader sees their labels.
    const details = (e as Fail)?.j?.error?.details;
    err.textContent =
      (e as Fail)?.s === 422 && Array.isArray(details)
        ? fmt(t[L.check], {
            list: details
              .map((d) => {
                const label = ctx.form.querySelector(`[for=f-${`${d.path}`.split(".").pop()}]`);
                return `${label?.textContent ?? d.path}: ${d.message}`;
              })
              .join("; "),
          })
        : problem(e);
    err.focus();
  }
  send.disabled = false;
}
