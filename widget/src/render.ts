import { avatar } from "./avatar";
import { type Comment, ctx, type Item } from "./ctx";
import { button, h } from "./dom";
import { lang, plural, t } from "./i18n";
import { mine, votes } from "./store";

/** Links written by readers: no ranking credit, no window.opener (as WordPress does). */
const REL = "nofollow ugc noopener";

/** A node of the structured body (src/shared/body.ts), loosely typed: it comes off the network. */
type Md = {
  type: string;
  value?: string;
  url?: string;
  ordered?: boolean;
  start?: number;
  children?: Md[];
};

const TAG: Record<string, keyof HTMLElementTagNameMap> = {
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
function md(n: Md): Node {
  const type = n.type;
  const tag = type === "list" ? (n.ordered ? "ol" : "ul") : TAG[type];
  const e =
    // The server allows only these schemes already; checking the prefix here is the stricter
    // test (no parsing that could read a scheme differently), and costs no URL parser.
    type === "link" && /^(https?|mailto):/i.test(n.url as string)
      ? h("a", { href: n.url, rel: REL, target: "_blank" })
      : tag
        ? h(tag, { start: n.start })
        : new DocumentFragment();
  if (n.value != null) e.append(type === "code" ? h("code", {}, n.value) : n.value);
  if (n.children) e.append(...n.children.map(md));
  return e;
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
  const d = new Date(iso);
  // A clock slightly ahead of the server's must not say "in 2 seconds".
  const s = Math.max((Date.now() - +d) / 1e3, 0);
  let unit: keyof typeof UNITS = "second";
  for (unit in UNITS) if (s >= UNITS[unit]) break;
  return h(
    "time",
    { datetime: iso, title: d.toLocaleString(lang), tabindex: 0 },
    ctx.rtf.format(-Math.round(s / UNITS[unit]), unit),
  );
}

/** The visible part of one comment: avatar, meta line, body and actions. */
function card(c: Comment): HTMLElement {
  const a = c.author;
  if (!a || c.status === "deleted") return h("article", { class: "del" }, t[L.deleted]);
  const v = votes[c.id];
  const live = c.status === "published";
  const own = mine(c.id);
  const b = c.body;
  return h(
    "article",
    { tabindex: -1 },
    avatar(`${a.avatar}`, a.name),
    h(
      "div",
      {},
      h(
        "header",
        {},
        h(
          "b",
          {},
          /^https?:\/\//i.test(a.website as string)
            ? h("a", { href: a.website, rel: REL }, a.name)
            : a.name,
        ),
        time(c.createdAt),
        c.editedAt && h("span", {}, t[L.edited]),
        !live && h("span", {}, t[L.pending]),
      ),
      // dir=auto: a reader's words keep their own direction whatever the page's language.
      typeof b === "string"
        ? h("div", { class: "raw", dir: "auto" }, b)
        : h("div", { dir: "auto" }, ...((b || []) as Md[]).map(md)),
      h(
        "div",
        { class: "act" },
        live && button("up", "▲", { "aria-label": t[L.up], "aria-pressed": v === 1 }),
        live && h("span", {}, c.score),
        live && button("down", "▼", { "aria-label": t[L.down], "aria-pressed": v === -1 }),
        live && !ctx.locked && button("reply", t[L.reply]),
        live && button("report", t[L.report]),
        // A plain link: following it highlights the comment, and it copies like any link.
        h("a", { href: `#comment-${c.id}` }, t[L.link]),
        own && button("edit", t[L.edit]),
        own && button("del", t[L.delete]),
      ),
    ),
  );
}

/**
 * Draws a comment under its parent when the parent is shown, else into `top` (at its start for a
 * new top-level comment in newest-first order). A comment already shown is moved there with its
 * replies and redrawn from the new data: a page, a subtree or a permalink may bring again one
 * the reader posted or followed, and ids must stay unique. A subtree the API cut short gets a
 * button.
 */
export function place(c: Comment, top: ParentNode, first?: boolean): Item {
  let li = ctx.els.get(c.id);
  if (li) li.firstChild?.replaceWith(card(c));
  else {
    li = h(
      "li",
      { id: `comment-${c.id}` },
      card(c),
      c.moreReplies && button("mr", t[L.replies]),
    ) as Item;
    ctx.els.set(c.id, li);
  }
  const p = ctx.els.get(c.parentId as string);
  li.c = c;
  if (p) {
    p.o ??= p.insertBefore(h("ol"), p.querySelector(":scope>[data-a=mr]"));
    p.o.append(li);
  } else first ? top.prepend(li) : top.append(li);
  return li;
}

/** Draws comments (display order) with one insertion into the live document. */
export function fill(list: Comment[], top: ParentNode): void {
  const f = new DocumentFragment();
  for (const c of list) place(c, f);
  top.append(f);
}

/** Draws a comment afresh from its data, keeping focus where the reader was. */
export function redraw(li: Item, focus = "article"): void {
  li.firstChild?.replaceWith(card(li.c));
  li.querySelector<HTMLElement>(focus)?.focus();
}

export const heading = () => {
  ctx.h2.textContent = plural(ctx.count, { title: ctx.title });
};
