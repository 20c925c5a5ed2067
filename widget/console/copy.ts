// Copy buttons: a `<button type="button" data-copy="ID" hidden>` is shown, and copies the value
// (or the text) of element #ID; the page's live region then says so, in the page's words.

/** The text a copy button copies: a field's value, or an element's text. */
const textOf = (source: HTMLElement) =>
  source instanceof HTMLInputElement || source instanceof HTMLTextAreaElement
    ? source.value
    : (source.textContent ?? "");

/** Selects the text, for the reader to copy by hand when the clipboard is refused. */
function select(source: HTMLElement): void {
  if (source instanceof HTMLInputElement || source instanceof HTMLTextAreaElement) {
    source.focus();
    source.select();
  } else {
    getSelection()?.selectAllChildren(source);
  }
}

export function copyButtons(): void {
  for (const button of document.querySelectorAll<HTMLButtonElement>("button[data-copy]")) {
    button.hidden = false;
  }
  const live = document.getElementById("console-live");
  document.addEventListener("click", async (event) => {
    const button =
      event.target instanceof Element ? event.target.closest("button[data-copy]") : null;
    if (!(button instanceof HTMLButtonElement)) return;
    const source = document.getElementById(button.dataset.copy ?? "");
    if (!source) return;
    try {
      // Absent outside a secure context: the TypeError lands below too.
      await navigator.clipboard.writeText(textOf(source));
    } catch {
      select(source);
      return;
    }
    if (live) live.textContent = live.dataset.copied ?? "";
  });
}
