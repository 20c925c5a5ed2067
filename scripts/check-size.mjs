#!/usr/bin/env node
// The widget's size budget, checked in CI after `npm run build:widget` (gzip level 9, roughly
// what a CDN serves):
//   the whole widget: every script a reader may download for an article page (every .js in
//   public/ but count.js; its stylesheet is inside widget.js) + the largest locale file ≤ 6 KB
//   count.js (index pages) ≤ 1 KB
// Any new script in public/ counts against the widget's budget unless it is count.js, so a
// chunk split off for later loading cannot leave the budget unnoticed.
// Subfolders but i18n/ are not read: public/docs/ holds the API reference page, not the widget.
import { readdir, readFile } from "node:fs/promises";
import path from "node:path";
import { gzipSync } from "node:zlib";

const out = path.join(import.meta.dirname, "..", "public");
const WIDGET_BUDGET = 6144;
const COUNT_BUDGET = 1024;

/** A file's size, raw and gzipped. */
const gz = async (/** @type {string} */ file) => {
  const raw = await readFile(path.join(out, file));
  return { file, raw: raw.length, gzip: gzipSync(raw, { level: 9 }).length };
};
/** The sizes of the files in `dir` of public/ whose names end in `ext`. */
const sizes = async (/** @type {string} */ dir, /** @type {string} */ ext) =>
  Promise.all(
    (await readdir(path.join(out, dir)))
      .filter((f) => f.endsWith(ext))
      .map((f) => gz(path.join(dir, f))),
  );

const scripts = await sizes(".", ".js");
const locales = await sizes("i18n", ".txt");
const count = scripts.find((s) => s.file === "count.js");
const widget = scripts.filter((s) => s !== count);
if (!count || !widget.some((s) => s.file === "widget.js") || !locales.length) {
  console.error("public/ lacks widget.js, count.js or i18n/*.txt: run npm run build:widget");
  process.exit(1);
}
const largest = locales.reduce((a, b) => (b.gzip > a.gzip ? b : a));

console.table(
  Object.fromEntries([...scripts, ...locales].map(({ file, raw, gzip }) => [file, { raw, gzip }])),
);
/** @type {[what: string, size: number, budget: number][]} */
const rows = [
  [
    [...widget.map((s) => s.file), largest.file].join(" + "),
    [...widget, largest].reduce((n, s) => n + s.gzip, 0),
    WIDGET_BUDGET,
  ],
  ["count.js", count.gzip, COUNT_BUDGET],
];
let failed = false;
for (const [what, size, budget] of rows) {
  const ok = size <= budget;
  failed ||= !ok;
  console.log(`${ok ? "ok  " : "OVER"} ${what}: ${size} / ${budget} bytes gzip`);
}
process.exit(failed ? 1 : 0);
