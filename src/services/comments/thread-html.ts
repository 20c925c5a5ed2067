import { escapeUTF8 } from "entities";
import type { EntryCodec } from "../../platform/edge-cache";
import { plainText } from "../../shared/body";
import { LIMITS } from "../../shared/limits";
import type { PublicComment, Sort, ThreadView } from "../../shared/vocabulary";
import { bodyToHtml } from "../text/body-html";
import { responsesHeading, type ThreadStrings, threadStrings } from "./thread-strings";

/*
 * The thread's first page as an HTML fragment (GET …/thread.html): for crawlers and link
 * previews, for readers without JavaScript, and for the widget to take over in place. The
 * contract is API.md "Feeds and HTML": one <section data-parley-thread>, comments as nested
 * lists, the plain post form, schema.org JSON-LD, and the JSON thread view itself in a
 * <script type="application/json" data-parley-data>.
 *
 * Written out as a template, as platform/atom.ts is: what varies is only ever text, escaped
 * here (entities' escapeUTF8: & < > " ') or built from the body tree by bodyToHtml, which does
 * the same. No inline style, no event handler, no script but the two data blocks, whose JSON has
 * every `<` written `\u003c`, so nothing in it can close the element or open a comment.
 */

/** What the comments' own links need. */
export interface LinkContext {
  /** The API's address for the site (`<origin>/api/v1/sites/<site>`): the form and links go there. */
  api: string;
  /** The page as a link, when it is a web address on one of the site's origins (pageLink). */
  pageUrl: string | null;
  /**
   * Whether the fragment stands on a page of its own (replies.html), so that Reply links must
   * name the article, rather than being put into the article (thread.html).
   */
  standalone?: boolean;
}

export interface FragmentContext extends LinkContext {
  sort: Sort;
  limit: number;
  /** The form's `parentId`, as written into the page (the caller escapes it). */
  parentId: string;
}

const text = (value: string) => escapeUTF8(value.toWellFormed());

/** JSON inside a <script> element: `<` escaped, so no `</script>` or `<!--` can appear. */
export const scriptJson = (value: unknown) => JSON.stringify(value).replaceAll("<", "\\u003c");

/** A reader's website as a link: http(s) only (no mailto for a name), as the widget links it. */
const webLink = (url: string | null) => {
  if (!url) return null;
  try {
    return ["http:", "https:"].includes(new URL(url).protocol) ? url : null;
  } catch {
    return null;
  }
};

function author(c: PublicComment): string {
  const name = text(c.author?.name ?? "");
  const site = webLink(c.author?.website ?? null);
  return site ? `<a href="${text(site)}" rel="nofollow ugc">${name}</a>` : name;
}

/** One date format per locale for the isolate's life: making one costs more than using it. */
const dateFormats = new Map<string, Intl.DateTimeFormat>();
function dateFormat(lang: string): Intl.DateTimeFormat {
  let format = dateFormats.get(lang);
  if (!format) {
    format = new Intl.DateTimeFormat(lang, { dateStyle: "medium", timeZone: "UTC" });
    dateFormats.set(lang, format);
  }
  return format;
}

/**
 * Shown dates by locale and UTC day, escaped. Formatting a date costs about 4 µs in workerd, 0.4 ms
 * for a page of 100 comments, which share a few days; a timestamp in UTC (`…Z`, as stored) shows
 * its day, and anything else is formatted as it is. Cleared when full: a day is one entry.
 */
const shownDays = new Map<string, string>();
const SHOWN_DAYS_MAX = 4096;
const UTC_TIMESTAMP = /^\d{4}-\d{2}-\d{2}T[\d:.]+Z$/;

function shownDate(iso: string, lang: string): string {
  const key = UTC_TIMESTAMP.test(iso) ? `${lang} ${iso.slice(0, 10)}` : undefined;
  let shown = key && shownDays.get(key);
  if (shown === undefined) {
    shown = text(dateFormat(lang).format(new Date(iso)));
    if (key) {
      if (shownDays.size >= SHOWN_DAYS_MAX) shownDays.clear();
      shownDays.set(key, shown);
    }
  }
  return shown;
}

const time = (iso: string, s: ThreadStrings) =>
  `<time datetime="${text(iso)}">${shownDate(iso, s.lang)}</time>`;

/**
 * The last page's Reply link cut where the id goes. Building each link through URL costs a page
 * of 100 comments 0.4 ms in workerd, and the links differ only in their ids. Ids as Parley makes
 * them (letters, digits, `_`, `-`) are written into a query as they are; any other id (an
 * imported one) has its link built in full.
 */
let replyLinks: { page: string; around: string[] } | undefined;
const PLAIN_ID = /^[\w-]+$/;

/**
 * A comment's Reply link: `?replyto=<id>#parley-form`, which the article's server (or the edge
 * Worker) passes on to thread.html, so the plain form answers that comment. Inside the article
 * it is relative, keeping the path the reader is on, with the page's own query in front (an
 * article found by its query, WordPress's `?p=123`, stays that article); from a page of its
 * own, it names the article.
 */
function replyLink(id: string, cx: LinkContext): string {
  if (!cx.pageUrl) return `?replyto=${id}#parley-form`;
  if (!PLAIN_ID.test(id)) return builtReplyLink(id, cx.pageUrl, cx.standalone);
  const page = `${cx.standalone ? "standalone" : "inside"} ${cx.pageUrl}`;
  if (replyLinks?.page !== page) {
    const standIn = `parley${crypto.randomUUID().replaceAll("-", "")}`;
    const around = builtReplyLink(standIn, cx.pageUrl, cx.standalone).split(standIn);
    replyLinks = { page, around };
  }
  return replyLinks.around.join(id);
}

function builtReplyLink(id: string, pageUrl: string, standalone = false): string {
  const url = new URL(pageUrl);
  url.searchParams.set("replyto", id);
  url.hash = "parley-form";
  return standalone ? url.href : `${url.search}${url.hash}`;
}

/** "Show more replies": the next replies below `id`, as a page of their own (replies.html). */
const moreReplies = (id: string, cursor: string, s: ThreadStrings, cx: LinkContext) =>
  `<p><a class="parley-more-replies" href="${text(
    `${cx.api}/comments/${id}/replies.html?cursor=${encodeURIComponent(cursor)}`,
  )}" rel="nofollow">${text(s.t.moreReplies)}</a></p>`;

function article(c: PublicComment, s: ThreadStrings, cx: LinkContext): string {
  if (c.status === "deleted" || !c.body) {
    return `<article class="parley-deleted"><p>${text(s.t.deleted)}</p></article>`;
  }
  const marks = [
    c.staff ? ` <span class="parley-staff">${text(s.t.staff)}</span>` : "",
    c.pinned ? ` <span class="parley-pinned">${text(s.t.pinned)}</span>` : "",
    c.editedAt ? ` <span class="parley-edited">${text(s.t.edited)}</span>` : "",
  ].join("");
  return [
    "<article>",
    `<header><b>${author(c)}</b> ${time(c.createdAt, s)}${marks}</header>`,
    `<div dir="auto">${bodyToHtml(c.body)}</div>`,
    `<footer><a href="${text(replyLink(c.id, cx))}" rel="nofollow">${text(s.t.reply)}</a></footer>`,
    "</article>",
  ].join("");
}

/** The view's comments (display order: each one followed by its replies) as a tree. */
function children(comments: PublicComment[]): Map<string | null, PublicComment[]> {
  const shown = new Set(comments.map((c) => c.id));
  const below = new Map<string | null, PublicComment[]>();
  for (const c of comments) {
    // The pinned comment is top-level, and a reply whose parent the view does not hold starts
    // its own branch rather than vanishing.
    const parent = c.parentId !== null && shown.has(c.parentId) ? c.parentId : null;
    below.set(parent, [...(below.get(parent) ?? []), c]);
  }
  return below;
}

function list(
  parent: string | null,
  tree: Map<string | null, PublicComment[]>,
  s: ThreadStrings,
  cx: LinkContext,
): string {
  const items = (tree.get(parent) ?? []).map((c) => {
    const replies = tree.has(c.id) ? `<ol>${list(c.id, tree, s, cx)}</ol>` : "";
    const more = c.moreReplies ? moreReplies(c.id, c.moreReplies, s, cx) : "";
    return `<li id="comment-${text(c.id)}">${article(c, s, cx)}${replies}${more}</li>`;
  });
  return items.join("");
}

function nextPage(view: ThreadView, s: ThreadStrings, cx: FragmentContext): string {
  if (!view.nextCursor) return "";
  const query = new URLSearchParams({
    page: view.thread.page,
    sort: cx.sort,
    limit: String(cx.limit),
    cursor: view.nextCursor,
  });
  const href = `${cx.api}/thread.html?${query}`;
  return `<p><a class="parley-next" href="${text(href)}" rel="nofollow">${text(s.t.loadMore)}</a></p>`;
}

const field = (label: string, input: string) => `<p><label>${text(label)} ${input}</label></p>`;

/** The plain post form: what the widget's form sends, as fields a browser posts by itself. */
function form(view: ThreadView, s: ThreadStrings, cx: FragmentContext): string {
  if (view.thread.locked) return `<p class="parley-closed">${text(s.t.closed)}</p>`;
  const hidden = (name: string, value: string) =>
    `<input type="hidden" name="${name}" value="${value}">`;
  return [
    `<form method="post" action="${text(cx.api)}/comments/form" class="parley-form" id="parley-form">`,
    `<h3>${text(s.t.leaveReply)}</h3>`,
    hidden("page", text(view.thread.page)),
    hidden("title", text(view.thread.title)),
    hidden("parentId", cx.parentId),
    hidden("issuedAt", text(view.issuedAt)),
    field(
      s.t.name,
      `<input name="name" required maxlength="${LIMITS.authorName}" autocomplete="name">`,
    ),
    field(
      s.t.email,
      `<input type="email" name="email" maxlength="${LIMITS.email}" autocomplete="email">`,
    ),
    field(
      s.t.website,
      `<input type="url" name="website" maxlength="${LIMITS.url}" autocomplete="url">`,
    ),
    field(s.t.comment, `<textarea name="body" required maxlength="${LIMITS.body}"></textarea>`),
    // The honeypot: hidden from people (and from screen readers), filled by bots.
    '<p hidden aria-hidden="true"><label>Leave empty <input name="hp" tabindex="-1" autocomplete="off"></label></p>',
    `<p><button type="submit">${text(s.t.postComment)}</button></p>`,
    "</form>",
  ].join("");
}

/** schema.org's reading of the page: the discussion and each comment a reader can see. */
function jsonLd(view: ThreadView, cx: FragmentContext) {
  const published = view.comments.filter((c) => c.status === "published" && c.author && c.body);
  return {
    "@context": "https://schema.org",
    "@type": "DiscussionForumPosting",
    headline: view.thread.title,
    ...(cx.pageUrl ? { url: cx.pageUrl } : {}),
    commentCount: view.thread.count,
    comment: published.map((c) => {
      const website = webLink(c.author?.website ?? null);
      return {
        "@type": "Comment",
        ...(cx.pageUrl ? { url: `${cx.pageUrl}#comment-${c.id}` } : {}),
        author: {
          "@type": "Person",
          name: c.author?.name ?? "",
          ...(website ? { url: website } : {}),
        },
        dateCreated: c.createdAt,
        ...(c.editedAt ? { dateModified: c.editedAt } : {}),
        text: plainText(c.body ?? []),
      };
    }),
  };
}

/** The fragment for a thread view. */
export function threadFragment(view: ThreadView, cx: FragmentContext): string {
  const s = threadStrings(view.site.locale);
  const heading = responsesHeading(s, view.thread.count, view.thread.title);
  return [
    `<section class="parley-thread" data-parley-thread data-site="${text(view.site.id)}"`,
    ` data-page="${text(view.thread.page)}" data-sort="${cx.sort}" lang="${text(s.lang)}"`,
    ` dir="${s.dir}"`,
    ' aria-labelledby="parley-heading">',
    `<h2 id="parley-heading">${text(heading)}</h2>`,
    `<ol class="parley-comments">${list(null, children(view.comments), s, cx)}</ol>`,
    nextPage(view, s, cx),
    form(view, s, cx),
    `<script type="application/ld+json">${scriptJson(jsonLd(view, cx))}</script>`,
    `<script type="application/json" data-parley-data>${scriptJson(view)}</script>`,
    "</section>",
  ].join("");
}

/**
 * The replies below a comment that thread.html's "Show more replies" leads to (GET
 * …/comments/{id}/replies.html), for readers without JavaScript: a section of its own, the
 * replies as nested lists drawn as in thread.html, and a link to the next ones.
 */
export function repliesFragment(
  replies: { comments: PublicComment[]; nextCursor: string | null },
  of: string,
  locale: string,
  cx: LinkContext,
): string {
  const s = threadStrings(locale);
  return [
    `<section class="parley-replies" data-parley-replies lang="${text(s.lang)}" dir="${s.dir}">`,
    `<ol class="parley-comments">${list(null, children(replies.comments), s, cx)}</ol>`,
    replies.nextCursor ? moreReplies(of, replies.nextCursor, s, cx) : "",
    "</section>",
  ].join("");
}

/**
 * A fragment as the edge cache keeps it: drawn once per version, with stand-ins for what each
 * request makes its own, the form token (a cached view must carry a fresh one, as the JSON
 * thread's does) and the comment the reader chose to reply to (`?replyto=`). A stand-in is a
 * random name made for this drawing, so no stored text can hold it, and no escaping (of an
 * attribute or of JSON) changes it.
 */
export interface CachedFragment {
  /**
   * The fragment's text cut at the stand-ins: text at even indexes, and at each odd one the
   * stand-in that was there, as "token" or "parent". A request joins it with its own values, one
   * pass over 190 KB instead of two `replaceAll`s.
   */
  parts: string[];
}

const SLOTS = { token: "token", parent: "parent" } as const;

/**
 * A fragment as its edge cache entry holds it: its text with each slot written `<parley:token>`
 * or `<parley:parent>`, which no drawn text can hold (every `<` in it but those of its own tags
 * is escaped, in the data blocks' JSON too). Cheaper both ways than the JSON of its parts, which
 * escapes every quote of 190 KB of HTML.
 */
export const FRAGMENT_TEXT: EntryCodec<CachedFragment> = {
  encode: ({ parts }) => parts.map((part, i) => (i % 2 === 0 ? part : `<parley:${part}>`)).join(""),
  decode: (text) => ({ parts: text.split(/<parley:(token|parent)>/) }),
};

export function drawFragment(
  view: Omit<ThreadView, "issuedAt">,
  cx: Omit<FragmentContext, "parentId">,
): CachedFragment {
  const token = `parley-${crypto.randomUUID()}`;
  const parent = `parley-${crypto.randomUUID()}`;
  const html = threadFragment({ ...view, issuedAt: token }, { ...cx, parentId: parent });
  // The stand-ins are a UUID's hex and dashes: nothing in them a RegExp would read as syntax.
  const parts = html
    .split(new RegExp(`(${token}|${parent})`))
    .map((part, i) => (i % 2 === 0 ? part : part === token ? SLOTS.token : SLOTS.parent));
  return { parts };
}

/** A form token is digits, a dot and hex (form-token.ts): the same text in an attribute and in JSON. */
const TOKEN = /^[0-9]+\.[0-9a-f]+$/;

/** The cached fragment for one request: its form token and the comment it replies to. */
export function fragmentFor(cached: CachedFragment, issuedAt: string, replyTo = ""): string {
  if (!TOKEN.test(issuedAt)) throw new Error("Parley: a form token must be digits.hex");
  const parent = text(replyTo);
  return cached.parts
    .map((part, i) => (i % 2 === 0 ? part : part === SLOTS.token ? issuedAt : parent))
    .join("");
}
