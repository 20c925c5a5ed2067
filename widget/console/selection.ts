// The queue's bulk form: "select all on this page", and how many are selected, beside its buttons.

export function bulkSelection(): void {
  const all = document.querySelector<HTMLInputElement>("input[data-select-all]");
  const count = document.querySelector<HTMLElement>("[data-count-text]");
  const form = all?.form;
  if (!all || !count || !form) return;
  const boxes = [...form.querySelectorAll<HTMLInputElement>('input[type="checkbox"][name="ids"]')];
  const template = count.dataset.countText ?? "";

  const show = () => {
    const n = boxes.filter((box) => box.checked).length;
    count.textContent = template.replace("{n}", String(n));
    all.checked = n === boxes.length;
    all.indeterminate = n > 0 && n < boxes.length;
  };
  all.addEventListener("change", () => {
    for (const box of boxes) box.checked = all.checked;
    show();
  });
  form.addEventListener("change", (event) => {
    if (event.target !== all) show();
  });
  // A page the browser brings back (history) may keep boxes ticked.
  show();
}
