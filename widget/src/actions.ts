import { more, replies, resort, vote } from "./browse";
import type { Item } from "./ctx";
import { openEdit, remove, saveEdit } from "./own";
import { closeReply, openReply, post } from "./post";
import { closeInline, openReport, report } from "./report";
import { announce, problem } from "./ui-kit";

/**
 * What the section does when a reader acts: one listener per event type on the shadow root, and
 * one table from an element's data-a (a button or link clicked, a form submitted) to its action.
 */

const ACTIONS: Record<string, (li: Item, el: HTMLElement) => unknown> = {
  sort: resort,
  more,
  cr: () => closeReply(true),
  x: closeInline,
  reply: openReply,
  report: openReport,
  edit: openEdit,
  del: remove,
  mr: replies,
  up: vote,
  down: vote,
  post,
  save: saveEdit,
  flag: report,
};

/** Whatever an action throws or rejects becomes a sentence in the live region, never the page's. */
function run(el: HTMLElement | null) {
  const act = ACTIONS[el?.dataset.a as string];
  if (act && el)
    (async () => act(el.closest("li") as Item, el))().catch((err) => announce(problem(err)));
}

export function listen(root: ShadowRoot): void {
  root.addEventListener("click", (e) =>
    run((e.target as Element).closest<HTMLElement>("button[data-a]")),
  );
  root.addEventListener("submit", (e) => {
    e.preventDefault();
    run(e.target as HTMLFormElement);
  });
}
