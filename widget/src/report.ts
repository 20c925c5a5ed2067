import { FLAG_REASONS } from "../../src/shared/vocabulary";
import { request } from "./api";
import type { Item } from "./ctx";
import { h } from "./dom";
import { t } from "./i18n";
import { redraw } from "./render";
import { announce, inlineForm, opener } from "./ui-kit";

/** Reporting a comment to the moderators. */

export function openReport(item: Item, from: HTMLElement): void {
  if (item.querySelector("[data-action=flag]")) return;
  const select = h(
    "select",
    { name: "reason" },
    ...FLAG_REASONS.map((reason) => h("option", { value: reason }, t.reasons[reason])),
  );
  item.firstChild?.after(
    inlineForm(from, "flag", t.sendReport, h("label", {}, t.reason, " ", select)),
  );
  select.focus();
}

export async function report(item: Item, form: HTMLElement): Promise<void> {
  const reason = (form as HTMLFormElement & { reason: HTMLSelectElement }).reason.value;
  // A reader's second flag of a comment is answered 202 like the first (and counted once).
  await request(`/comments/${item._comment.id}/flag`, { reason });
  closeInline(item, form);
  announce(t.reportThanks);
}

/**
 * Cancel on an inline form (`element` is the form or a button in it): back to the comment as it
 * was, focus back on the opener.
 */
export function closeInline(item: Item, element: HTMLElement): void {
  const form = element.closest("form") as HTMLFormElement;
  if (form.dataset.action === "save") redraw(item, "[data-action=edit]");
  else {
    form.remove();
    opener?.focus();
  }
}
