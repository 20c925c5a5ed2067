import type { Fail } from "./api";
import { ctx } from "./ctx";
import { button, h, type Kid } from "./dom";
import { t } from "./i18n";

/** Pieces the interaction modules share. */

/** The sentence for each failure status; anything else is L.error. */
const PROBLEMS: Record<number, number> = {
  0: L.offline,
  // One sentence for "no longer possible": an edit or delete after its window closed
  // (401/403), and any action on a comment removed meanwhile (404).
  401: L.gone,
  403: L.gone,
  404: L.gone,
  423: L.closed,
  429: L.tooFast,
};

/** The one polite live region: every outcome a reader should hear goes through it. */
export const announce = (text?: string) => {
  ctx.status.textContent = text as string;
};

export const focusItem = (id?: string) =>
  (ctx.els.get(id as string)?.firstChild as HTMLElement)?.focus();

/** A reader-facing sentence for anything a handler threw (a Fail, or a bug: "error"). */
export const problem = (e: unknown) => t[PROBLEMS[(e as Fail)?.s] ?? L.error] as string;

/** The button that opened the open inline form, to give focus back on cancel. */
export let opener: HTMLElement | undefined;

/** The small forms that open inside a comment, edit and report, end in the same two buttons. */
export function inline(from: HTMLElement, f: string, label: number, ...kids: Kid[]) {
  opener = from;
  return h(
    "form",
    { "data-a": f },
    ...kids,
    " ",
    h("button", { type: "submit" }, t[label]),
    " ",
    button("x", t[L.cancel]),
  );
}
