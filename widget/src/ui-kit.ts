import type { Failure } from "./api";
import { type Action, ctx } from "./ctx";
import { button, type Child, h } from "./dom";
import { type Strings, t } from "./i18n";

/** Pieces the interaction modules share. */

/** The sentence for each failure status; anything else is "error". */
const PROBLEMS: Record<number, keyof Strings> = {
  0: "offline",
  // One sentence for "no longer possible": an edit or delete after its window closed
  // (401/403), and any action on a comment removed meanwhile (404).
  401: "noLongerPossible",
  403: "noLongerPossible",
  404: "noLongerPossible",
  423: "closed",
  429: "tooFast",
};

/** The one polite live region: every outcome a reader should hear goes through it. */
export const announce = (text: string) => {
  ctx._status.textContent = text;
};

export const focusItem = (id?: string) =>
  (ctx._items.get(id as string)?.firstChild as HTMLElement)?.focus();

/** A reader-facing sentence for anything a handler threw (a Failure, or a bug: "error"). */
export const problem = (error: unknown) =>
  t[PROBLEMS[(error as Failure)?._status] ?? "error"] as string;

/** The button that opened the open inline form, to give focus back on cancel. */
export let opener: HTMLElement | undefined;

/** The small forms that open inside a comment, edit and report, end in the same two buttons. */
export function inlineForm(
  from: HTMLElement,
  action: Action,
  submit: string,
  ...children: Child[]
) {
  opener = from;
  return h(
    "form",
    { "data-action": action },
    ...children,
    " ",
    h("button", { type: "submit" }, submit),
    " ",
    button("cancel", t.cancel),
  );
}
