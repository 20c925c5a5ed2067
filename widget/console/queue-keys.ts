// The queue's keyboard: j/k move the current row, "?" opens the help, and any other key clicks
// the current row's control marked with it (data-key: a for approve, x for its box, ...), so a
// shortcut does exactly what the mouse does, with the same POST and notice.

/** The row that takes the focus on the page an action reloads (sessionStorage: this tab only). */
const NEXT_ROW = "parley-console-next-row";

/** Keys in a field are words, not shortcuts (a checkbox or a button is not typed in). */
function typing(target: EventTarget | null): boolean {
  if (!(target instanceof HTMLElement)) return false;
  if (target instanceof HTMLInputElement) {
    return !["checkbox", "radio", "button", "submit", "reset"].includes(target.type);
  }
  return (
    target instanceof HTMLTextAreaElement ||
    target instanceof HTMLSelectElement ||
    target.isContentEditable
  );
}

export function queueKeys(): void {
  const help = document.getElementById("keys-help");
  if (!(help instanceof HTMLDialogElement)) return;
  const rows = [...document.querySelectorAll<HTMLElement>(".queue > li")];
  let current: HTMLElement | undefined;

  // The current row is the one the focus is in, however it got there (a key, Tab, a click); it
  // stays current while the focus is elsewhere (the filters, the help).
  document.addEventListener("focusin", (event) => {
    const row = rows.find((r) => event.target instanceof Node && r.contains(event.target));
    if (!row || row === current) return;
    current?.removeAttribute("aria-current");
    current = row;
    row.setAttribute("aria-current", "true");
  });
  /** Focusing the row scrolls it into view and has a screen reader read it. */
  const moveTo = (row: HTMLElement | undefined) => row?.focus();

  const openHelp = () => help.showModal();
  document.querySelector("[data-opens-help]")?.addEventListener("click", openHelp);
  help.querySelector("[data-closes-help]")?.addEventListener("click", () => help.close());

  document.addEventListener("keydown", (event) => {
    if (event.ctrlKey || event.altKey || event.metaKey || event.defaultPrevented) return;
    // Escape closes the open help by itself (a modal <dialog>); no other key acts behind it.
    if (help.open || typing(event.target)) return;
    const at = current ? rows.indexOf(current) : -1;
    if (event.key === "?") openHelp();
    else if (event.key === "j") moveTo(rows[Math.min(at + 1, rows.length - 1)]);
    else if (event.key === "k") moveTo(rows[Math.max(at - 1, 0)]);
    else {
      const control = [...(current?.querySelectorAll<HTMLElement>("[data-key]") ?? [])].find(
        (element) => element.dataset.key === event.key,
      );
      if (!control) return;
      // The action reloads the page without this row (it left the tab): its neighbour takes its
      // place, the next one or, at the end, the one before.
      if (control instanceof HTMLButtonElement && control.type === "submit") {
        const neighbour = rows[at + 1] ?? rows[at - 1];
        if (neighbour) sessionStorage.setItem(NEXT_ROW, neighbour.id);
      }
      control.click();
    }
    event.preventDefault();
  });

  const next = sessionStorage.getItem(NEXT_ROW);
  sessionStorage.removeItem(NEXT_ROW);
  moveTo(rows.find((row) => row.id === next));
}
