import { loadMore, moreReplies, resort, vote } from "./browse";
import type { Action, Item } from "./ctx";
import { openEdit, remove, saveEdit } from "./own";
import { closeReply, openReply, post } from "./post";
import { closeInline, openReport, report } from "./report";
import { announce, problem } from "./ui-kit";

/**
 * What the section does when a reader acts: one listener per event type on the shadow root, and
 * one table from an element's data-action (a button clicked, a form submitted) to its handler.
 * Every handler takes the comment's item (null outside a comment) and the element.
 */

const ACTIONS: Record<Action, (item: Item, element: HTMLElement) => unknown> = {
  sort: resort,
  "load-more": loadMore,
  "more-replies": moreReplies,
  "vote-up": vote,
  "vote-down": vote,
  reply: openReply,
  "cancel-reply": () => closeReply(true),
  post,
  edit: openEdit,
  save: saveEdit,
  delete: remove,
  report: openReport,
  flag: report,
  cancel: closeInline,
};

/** Whatever an action throws or rejects becomes a sentence in the live region, never the page's. */
function run(element: HTMLElement | null) {
  const action = ACTIONS[element?.dataset.action as Action];
  if (action && element)
    (async () => action(element.closest("li") as Item, element))().catch((error) =>
      announce(problem(error)),
    );
}

/** Until `signal` aborts (an unmount): the shadow root outlives its mount, and is reused. */
export function listen(root: ShadowRoot, signal: AbortSignal): void {
  root.addEventListener(
    "click",
    (event) => run((event.target as Element).closest<HTMLElement>("button[data-action]")),
    { signal },
  );
  root.addEventListener(
    "submit",
    (event) => {
      event.preventDefault();
      run(event.target as HTMLFormElement);
    },
    { signal },
  );
}
