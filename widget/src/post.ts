import { type Fail, req } from "./api";
import { resetChallenge, token } from "./challenge";
import { ctx, type Item } from "./ctx";
import { fmt, t } from "./i18n";
import { heading, place } from "./render";
import { AUTHOR, keep, own, save, session } from "./store";
import { announce, focusItem, problem } from "./ui-kit";

/** Posting and replying: the form itself is drawn by form.ts. */

/** The post form's controls by name (the textarea too: it has every property read here). */
type Name = "name" | "email" | "website" | "body" | "hp";
type Fields = HTMLFormControlsCollection & Record<Name, HTMLInputElement>;

let parentId: string | null = null;
/** The Reply button that opened the form, to give focus back on cancel. */
let replyFrom: HTMLElement | undefined;

const $ = (sel: string) => ctx.form.querySelector(sel) as HTMLElement;

/** Puts the form under a comment (Reply) or back home, titled accordingly. */
function move(to: Item | null, title: string): void {
  parentId = to ? to.c.id : null;
  $("h3").textContent = title;
  $("[data-a=cr]").hidden = !to;
  to ? to.firstChild?.after(ctx.form) : ctx.home.append(ctx.form);
  resetChallenge();
}

export function openReply(li: Item, from: HTMLElement): void {
  replyFrom = from;
  move(li, fmt(t[L.replyTo], { name: li.c.author?.name }));
  (ctx.form.elements as Fields).body.focus();
}

export function closeReply(refocus?: boolean): void {
  move(null, t[L.leave] as string);
  if (refocus) replyFrom?.focus();
}

/** "Please check: Name: …" for a 422, naming fields by their labels; else the general sentence. */
function explain(e: unknown): string {
  const f = ctx.form.elements as HTMLFormControlsCollection &
    Partial<Record<string, HTMLInputElement>>;
  const details = (e as Fail)?.j?.error?.details;
  return (e as Fail)?.s === 422 && Array.isArray(details)
    ? fmt(t[L.check], {
        // The API names fields by path ("author.name"); a label's first child is its text.
        list: details
          .map(
            (d) =>
              `${f[`${d.path}`.split(".").pop() as string]?.labels?.[0]?.firstChild?.textContent ?? d.path}: ${d.message}`,
          )
          .join("; "),
      })
    : problem(e);
}

export async function post(): Promise<void> {
  const f = ctx.form.elements as Fields;
  const v = (n: Name) => f[n].value.trim();
  const author = { name: v("name"), email: v("email"), website: v("website") };
  const text = f.body.value;
  const err = $(".err");
  // Disabled before anything else: a second click while this post is on its way does nothing.
  const send = $("[type=submit]") as HTMLButtonElement;
  send.disabled = true;
  save(AUTHOR, author);
  err.textContent = "";
  try {
    const j = await req("/comments", {
      page: ctx.page,
      title: ctx.title,
      parentId,
      author,
      body: text,
      hp: f.hp.value,
      issuedAt: ctx.issuedAt,
      turnstileToken: token(),
      authorToken: session.authorToken,
    });
    const c = j.comment;
    const published = c.status === "published";
    own[c.id] = { token: j.editToken, until: j.editableUntil, text, c };
    ({ bookmark: session.bookmark, authorToken: session.authorToken } = j);
    keep();
    f.body.value = "";
    closeReply();
    // A reply joins its parent; a top-level comment goes where the current sort puts it.
    place(c, ctx.list, ctx.sort === "newest");
    ctx.count += +published;
    heading();
    announce(t[published ? L.published : L.held]);
    focusItem(c.id);
  } catch (e) {
    err.textContent = explain(e);
    err.focus();
    resetChallenge();
  }
  send.disabled = false;
}
