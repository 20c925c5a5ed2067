import type { NotifyChoice } from "../../src/shared/vocabulary";
import { type Failure, request } from "./api";
import { challengeToken, resetChallenge } from "./challenge";
import { ctx, type Item } from "./ctx";
import { format, t } from "./i18n";
import { heading, place } from "./render";
import { AUTHOR, keep, own, save, session } from "./store";
import { announce, focusItem, problem } from "./ui-kit";

/** Posting and replying: the form itself is drawn by form.ts. */

/** The post form's controls by name (the textarea too: it has every property read here). */
type Name = "name" | "email" | "website" | "body" | "hp" | Notify;
type Fields = HTMLFormControlsCollection & Record<Name, HTMLInputElement>;

/**
 * The API's `notify` values, each the name of its checkbox in form.ts. "thread" (every new
 * comment on the page) includes "replies", so it comes first and wins when both are ticked.
 */
const NOTIFY = ["thread", "replies"] as const satisfies readonly NotifyChoice[];
type Notify = (typeof NOTIFY)[number];

/** The Reply button that opened the form, to give focus back on cancel. */
let replyFrom: HTMLElement | undefined;

const $ = (selector: string) => ctx._form.querySelector(selector) as HTMLElement;

/** Puts the form under a comment (Reply) or back home, titled accordingly. */
function move(to: Item | null, title: string): void {
  $("h3").textContent = title;
  $("[data-action=cancel-reply]").hidden = !to;
  to ? to.firstChild?.after(ctx._form) : ctx._home.append(ctx._form);
  resetChallenge();
}

export function openReply(item: Item, from: HTMLElement): void {
  replyFrom = from;
  move(item, format(t.replyTo, { name: item._comment.author?.name }));
  (ctx._form.elements as Fields).body.focus();
}

export function closeReply(refocus?: boolean): void {
  move(null, t.leaveReply);
  if (refocus) replyFrom?.focus();
}

/** "Please check: Name: …" for a 422, naming fields by their labels; else the general sentence. */
function explain(error: unknown): string {
  const fields = ctx._form.elements as HTMLFormControlsCollection &
    Partial<Record<string, HTMLInputElement>>;
  const details = (error as Failure)?._body?.error?.details;
  return (error as Failure)?._status === 422 && Array.isArray(details)
    ? format(t.pleaseCheck, {
        // The API names fields by path ("author.name"); a label's first child is its text.
        list: details
          .map(
            (detail) =>
              `${fields[`${detail.path}`.split(".").pop() as string]?.labels?.[0]?.firstChild?.textContent ?? detail.path}: ${detail.message}`,
          )
          .join("; "),
      })
    : problem(error);
}

export async function post(): Promise<void> {
  const fields = ctx._form.elements as Fields;
  const value = (name: Name) => fields[name].value.trim();
  const author = { name: value("name"), email: value("email"), website: value("website") };
  const text = fields.body.value;
  const errorLine = $(".error");
  // Disabled before anything else: a second click while this post is on its way does nothing.
  const send = $("[type=submit]") as HTMLButtonElement;
  send.disabled = true;
  save(AUTHOR, author);
  errorLine.textContent = "";
  try {
    const result = await request("/comments", {
      page: ctx._page,
      title: ctx._title,
      // The comment the form is under (replying), else none: read from where the form is, so
      // no state outlives an unmount.
      parentId: (ctx._form.parentNode as Item)._comment?.id,
      author,
      body: text,
      // None ticked sends nothing (the API's default, "none"); without an address, nothing either.
      notify: author.email ? NOTIFY.find((choice) => fields[choice].checked) : undefined,
      hp: fields.hp.value,
      issuedAt: ctx._issuedAt,
      turnstileToken: challengeToken(),
      authorToken: session.authorToken,
    });
    const comment = result.comment;
    const published = comment.status === "published";
    own[comment.id] = { token: result.editToken, until: result.editableUntil, text, c: comment };
    ({ bookmark: session.bookmark, authorToken: session.authorToken } = result);
    keep();
    fields.body.value = "";
    // Consent is given with each comment, so the next one starts unticked.
    for (const choice of NOTIFY) fields[choice].checked = false;
    closeReply();
    // A reply joins its parent; a top-level comment goes where the current sort puts it.
    place(comment, ctx._list, ctx._sort === "newest");
    ctx._count += +published;
    heading();
    announce(published ? t.published : t.held);
    focusItem(comment.id);
  } catch (error) {
    errorLine.textContent = explain(error);
    errorLine.focus();
    resetChallenge();
  }
  send.disabled = false;
}
