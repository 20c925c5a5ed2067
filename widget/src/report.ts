import { type Fail, req } from "./api";
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
    ...[L.spam, L.abuse, L.offTopic, L.other].map((k, i) =>
      h("option", { value: REASONS[i] }, t[k]),
    ),
  );
  li.firstChild?.after(inline(from, "flag", L.send, h("label", {}, t[L.reason], " ", select)));
  select.focus();
}

export async function report(f: HTMLFormElement, li: Item): Promise<void> {
  const reason = (f.elements as HTMLFormControlsCollection & { reason: HTMLSelectElement }).reason
    .value;
  await req(`/comments/${li.c.id}/flag`, { reason }).catch((e: Fail) => {
    // 409: this reader flagged it before, so the moderators know already.
    if (e?.s !== 409) throw e;
  });
  closeInline(f);
  announce(t[L.thanks]);
}

/** Cancel on an inline form: back to the comment as it was, focus back on the opener. */
export function closeInline(f: HTMLFormElement): void {
  if (f.dataset.a === "save") redraw(f.closest("li") as Item, "[data-a=edit]");
  else {
    f.remove();
    opener?.focus();
  }
}
