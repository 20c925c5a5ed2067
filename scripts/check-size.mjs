#!/usr/bin/env node
// The widget's size budget, checked in CI after `npm run build:widget`. Readers download
// widget.js on every article and count.js on every index page, so both stay small:
//   widget.js (its CSS and English strings are inside) + the largest locale JSON ≤ 6 KB gzip
//   count.js ≤ 1 KB gzip
//   widget-ui.js (loaded on a reader's first interaction only) ≤ 4 KB gzip, so it cannot grow
//   unnoticed either
// Sizes are gzip level 9, roughly what a CDN serves.
import { readdir, readFile } from "node:fs/promises";
import path from "node:path";
import { gzipSync } from "node:zlib";

const out = path.join(import.meta.dirname, "..", "public");
const WIDGET_BUDGET = 6144;
const COUNT_BUDGET = 1024;
const UI_BUDGET = 4096;

const gz = async (file) => {
  const raw = await readFile(path.join(out, file));
  return { file, raw: raw.length, gzip: gzipSync(raw, { level: 9 }).length };
};

const widget = await gz("widget.js");
const count = await gz("count.js");
const ui = await gz("widget-ui.js");
const locales = await Promise.all(
  (await readdir(path.join(out, "i18n")))
    .filter((f) => f.endsWith(".json"))
    .map((f) => gz(`i18n/${f}`)),
);
const largest = locales.reduce((a, b) => (b.gzip > a.gzip ? b : a), { file: "(none)", gzip: 0 });

console.table(
  Object.fromEntries(
    [widget, ui, count, ...locales].map(({ file, raw, gzip }) => [file, { raw, gzip }]),
  ),
);
const total = widget.gzip + largest.gzip;
const rows = [
  [`widget.js + ${largest.file}`, total, WIDGET_BUDGET],
  ["count.js", count.gzip, COUNT_BUDGET],
  ["widget-ui.js", ui.gzip, UI_BUDGET],
];
let failed = false;
for (const [what, size, budget] of rows) {
  const ok = size <= budget;
  failed ||= !ok;
  console.log(`${ok ? "ok  " : "OVER"} ${what}: ${size} / ${budget} bytes gzip`);
}
process.exit(failed ? 1 : 0);
