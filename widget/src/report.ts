import { req } from "./api";
import type { Item } from "./ctx";
import { h } from "./dom";
import { t } from "./i18n";
import { redraw } from "./render";
import { announce, inline, opener } from "./ui-kit";

/** Reporting a comment to the moderators. */

const REASONS = ["spam", "abuse", "off-topic", "other"];

export function openReport(li: Item, from: HTMLElement): void {
  if (li.querySelector("[data-a=flag]")) return;
  const select = h(
    "select",
    { name: "reason" },
    // The reasons' strings follow each other in the locale, as REASONS does.
    ...REASONS.map((r, i) => h("option", { value: r }, t[L.spam + i])),
  );
  li.firstChild?.after(inline(from, "flag", L.send, h("label", {}, t[L.reason], " ", select)));
  select.focus();
}

export async function report(li: Item, f: HTMLElement): Promise<void> {
  const reason = (f as HTMLFormElement & { reason: HTMLSelectElement }).reason.value;
  // A reader's second flag of a comment is answered 202 like the first (and counted once).
  await req(`/comments/${li.c.id}/flag`, { reason });
  closeInline(li, f);
  announce(t[L.thanks]);
}

/**
 * Cancel on an inline form (`el` is the form or a button in it): back to the comment as it was,
 * focus back on the opener.
 */
export function closeInline(li: Item, el: HTMLElement): void {
  const f = el.closest("form") as HTMLFormElement;
  if (f.dataset.a === "save") redraw(li, "[data-a=edit]");
  else {
    f.remove();
    opener?.focus();
  }
}
