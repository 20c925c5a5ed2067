import { root } from "./api";
import { copyLink, more, replies, resort, showLinked, vote } from "./browse";
import { ctx, type Item } from "./ctx";
import { fillCounts } from "./fill-counts";
import { complete, t } from "./i18n";
import { openEdit, remove, saveEdit, unconfirm } from "./own";
import { closeReply, openReply, post } from "./post";
import { closeInline, openReport, report } from "./report";
import { announce, problem } from "./ui-kit";

/*
 * widget-ui.js: everything the section does when a reader acts, loaded by widget.js on the first
 * interaction (or a focus or press that announces one), so that reading an article costs only
 * the drawing code. It also scrolls to permalinks and fills count links on the article page. It uses widget.js's modules through window.parley (scripts/build-widget.mjs
 * maps its imports of them there) and hands back one entry point.
 */

// The strings only this file uses: English built in, the active locale's from its loaded file.
complete(__PARLEY_EN__, t);

/** What each button does, by its data-a. */
const ACTIONS: Record<string, (li: Item, b: HTMLElement) => unknown> = {
  sort: (_, b) => resort(b),
  more,
  cr: () => closeReply(true),
  x: (_, b) => closeInline(b.closest("form") as HTMLFormElement),
  link: copyLink,
  reply: openReply,
  report: openReport,
  edit: openEdit,
  del: remove,
  mr: replies,
  up: vote,
  down: vote,
};

function on([type, el]: [string, Element]) {
  const target = el as HTMLFormElement;
  const li = target.closest("li") as Item;
  if (type === "submit") {
    const f = target.dataset.f;
    return f === "post" ? post() : f === "edit" ? saveEdit(target, li) : report(target, li);
  }
  const b = target.closest<HTMLElement>("[data-a]");
  if (b) return ACTIONS[b.dataset.a as string]?.(b.closest("li") as Item, b);
}

/** Whatever a handler throws or rejects becomes a sentence in the live region, never the page's. */
const safe =
  <T>(fn: (x: T) => unknown) =>
  (x: T) => {
    (async () => fn(x))().catch((err) => announce(problem(err)));
  };

ctx.root.addEventListener("focusout", safe(unconfirm));
const run = safe(on);
(window.parley as Parley).ui = {
  on: (type, target) => run([type, target]),
  linked: safe(showLinked),
  // Count links on the article page: its own count is known, other pages cost one request.
  counts: () => fillCounts(root, { [ctx.page]: ctx.count }),
};
