import type { PublicComment } from "../../src/shared/vocabulary";
import { avatar } from "./avatar";
import { ctx, type Item } from "./ctx";
import { button, h } from "./dom";
import { lang, plural, t } from "./i18n";
import { mine, votes } from "./store";

/** Links written by readers: no ranking credit, no window.opener (as WordPress does). */
const REL = "nofollow ugc noopener";

/**
 * A node of the structured body (src/shared/body.ts), loosely typed: it comes off the network,
 * and a node this version does not know must still show its text.
 */
type BodyNode = {
  type: string;
  value?: string;
  url?: string;
  ordered?: boolean;
  start?: number;
  children?: BodyNode[];
};

const TAGS: Record<string, keyof HTMLElementTagNameMap> = {
  paragraph: "p",
  emphasis: "em",
  strong: "strong",
  blockquote: "blockquote",
  listItem: "li",
  break: "br",
  inlineCode: "code",
  code: "pre",
};

/** One body node as DOM. A disallowed link or an unknown node keeps only its text. */
function bodyNode(node: BodyNode): Node {
  const type = node.type;
  const tag = type === "list" ? (node.ordered ? "ol" : "ul") : TAGS[type];
  const element =
    // The server allows only these schemes already; checking the prefix here is the stricter
    // test (no parsing that could read a scheme differently), and costs no URL parser.
    type === "link" && /^(https?|mailto):/i.test(node.url as string)
      ? h("a", { href: node.url, rel: REL, target: "_blank" })
      : tag
        ? h(tag, { start: node.start })
        : new DocumentFragment();
  if (node.value != null) element.append(type === "code" ? h("code", {}, node.value) : node.value);
  if (node.children) element.append(...node.children.map(bodyNode));
  return element;
}

/** Seconds per unit, largest first: the first one that fits names the time. */
const UNITS = {
  year: 31536e3,
  month: 2592e3,
  day: 86400,
  hour: 3600,
  minute: 60,
  second: 1,
};

/** "3 hours ago", with the exact date and time in the title (focusable, so keyboards reach it). */
function time(iso: string): HTMLTimeElement {
  const date = new Date(iso);
  // A clock slightly ahead of the server's must not say "in 2 seconds".
  const seconds = Math.max((Date.now() - +date) / 1e3, 0);
  let unit: keyof typeof UNITS = "second";
  for (unit in UNITS) if (seconds >= UNITS[unit]) break;
  return h(
    "time",
    { datetime: iso, title: date.toLocaleString(lang), tabindex: 0 },
    ctx._relativeTime.format(-Math.round(seconds / UNITS[unit]), unit),
  );
}

/** The visible part of one comment: avatar, meta line, body and actions. */
function card(comment: PublicComment): HTMLElement {
  const author = comment.author;
  if (!author || comment.status === "deleted") return h("article", { class: "deleted" }, t.deleted);
  const vote = votes[comment.id];
  const live = comment.status === "published";
  const ours = mine(comment.id);
  // The contract allows a plain-text body too (shown as typed).
  const body = comment.body as BodyNode[] | string | null;
  return h(
    "article",
    { tabindex: -1 },
    avatar(`${author.avatar}`, author.name),
    h(
      "div",
      {},
      h(
        "header",
        {},
        h(
          "b",
          {},
          /^https?:\/\//i.test(author.website as string)
            ? h("a", { href: author.website, rel: REL }, author.name)
            : author.name,
        ),
        // Set only by a moderator's reply or pin: a reader's name cannot make either.
        comment.staff && h("span", { class: "badge" }, t.staff),
        comment.pinned && h("span", { class: "badge" }, t.pinned),
        time(comment.createdAt),
        comment.editedAt && h("span", {}, t.edited),
        !live && h("span", {}, t.pending),
      ),
      // dir=auto: a reader's words keep their own direction whatever the page's language.
      typeof body === "string"
        ? h("div", { class: "raw", dir: "auto" }, body)
        : h("div", { dir: "auto" }, ...(body || []).map(bodyNode)),
      h(
        "div",
        { class: "actions" },
        live && button("vote-up", "▲", { "aria-label": t.voteUp, "aria-pressed": vote === 1 }),
        live && h("span", {}, comment.score),
        live && button("vote-down", "▼", { "aria-label": t.voteDown, "aria-pressed": vote === -1 }),
        live && !ctx._locked && button("reply", t.reply),
        live && button("report", t.report),
        // A plain link: following it highlights the comment, and it copies like any link.
        h("a", { href: `#comment-${comment.id}` }, t.link),
        ours && button("edit", t.edit),
        ours && button("delete", t.delete),
      ),
    ),
  );
}

/**
 * Draws a comment under its parent when the parent is shown, else into `top` (at its start, below
 * a pinned comment, for a new top-level comment in newest-first order). A comment already shown is moved there with its
 * replies and redrawn from the new data: a page, a subtree or a permalink may bring again one
 * the reader posted or followed, and ids must stay unique. A subtree the API cut short gets a
 * button.
 */
export function place(comment: PublicComment, top: ParentNode & Node, first?: boolean): Item {
  let item = ctx._items.get(comment.id);
  if (item) item.firstChild?.replaceWith(card(comment));
  else {
    item = h(
      "li",
      { id: `comment-${comment.id}` },
      card(comment),
      comment.moreReplies && button("more-replies", t.moreReplies),
    ) as Item;
    ctx._items.set(comment.id, item);
  }
  const parent = ctx._items.get(comment.parentId as string);
  item._comment = comment;
  if (parent) {
    parent._replies ??= parent.insertBefore(
      h("ol"),
      parent.querySelector(":scope>[data-action=more-replies]"),
    );
    parent._replies.append(item);
  } else if (first) {
    // First, but below a pinned comment, which stays on top.
    const lead = top.firstChild as Item | null;
    top.insertBefore(item, lead?._comment?.pinned && lead !== item ? lead.nextSibling : lead);
  } else top.append(item);
  return item;
}

/** Draws comments (display order) with one insertion into the live document. */
export function fill(comments: PublicComment[], top: ParentNode): void {
  const fragment = new DocumentFragment();
  for (const comment of comments) place(comment, fragment);
  top.append(fragment);
}

/** Draws a comment afresh from its data, keeping focus where the reader was. */
export function redraw(item: Item, focus = "article"): void {
  item.firstChild?.replaceWith(card(item._comment));
  item.querySelector<HTMLElement>(focus)?.focus();
}

export const heading = () => {
  ctx._heading.textContent = plural(t.responses, ctx._count, { title: ctx._title });
};
