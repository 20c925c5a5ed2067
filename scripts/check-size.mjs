#!/usr/bin/env node
// The widget's size budgets, checked in CI after `npm run build:widget` (gzip level 9, roughly
// what a CDN serves):
//   first paint   every script at the top of public/ but count.js and recent.js (today
//                 widget.js, its stylesheet inside) + the largest locale file, i18n/<lang>.txt:
//                 what every reader of an article downloads before the section is drawn ≤ 7.5 KB
//   on demand     each script in public/modules/, fetched on a reader's first intent (a click
//                 or focus on what needs it), never at first paint ≤ 2 KB each
//   count.js      index pages, without its locale file ≤ 1 KB
//   recent.js     "Recent comments" lists, its strings inside ≤ 1.5 KB
//   admin/console.js  the moderators' console's script, its words in the pages ≤ 2 KB (not
//                 the widget's, but kept as small: the console's pages load it every time)
// Every script under public/ falls under one of these: a new script at the top counts against
// first paint, and one anywhere else fails the check, so no script leaves the budgets unnoticed.
// public/docs/ is not read: it holds the API reference page (Swagger UI), not the widget.
import { readdir, readFile } from "node:fs/promises";
import path from "node:path";
import { gzipSync } from "node:zlib";

const out = path.join(import.meta.dirname, "..", "public");
// 7 KB until the takeover of a server-rendered section (issue 16) added 274 B to widget.js with
// 8 B left: on a page that carries thread.html it saves first paint the thread request, a round
// trip whose answer is up to about 90 KB of JSON (a first page of 100 comments).
const FIRST_PAINT_BUDGET = 7680;
const ON_DEMAND_BUDGET = 2048;
const COUNT_BUDGET = 1024;
const RECENT_BUDGET = 1536;
const CONSOLE_BUDGET = 2048;
const ON_DEMAND_DIR = "modules";

/** Every file under public/, as paths relative to it with "/" separators, and their sizes. */
const files = await Promise.all(
  (await readdir(out, { recursive: true, withFileTypes: true }))
    .filter((entry) => entry.isFile())
    .map((entry) => path.relative(out, path.join(entry.parentPath, entry.name)).split(path.sep))
    .filter((file) => file[0] !== "docs")
    .map(async (file) => {
      const raw = await readFile(path.join(out, ...file));
      return { file: file.join("/"), raw: raw.length, gzip: gzipSync(raw, { level: 9 }).length };
    }),
);
const scripts = files.filter((f) => f.file.endsWith(".js"));
const locales = files.filter((f) => /^i18n\/[^/]+\.txt$/.test(f.file));
const count = scripts.find((s) => s.file === "count.js");
const recent = scripts.find((s) => s.file === "recent.js");
const consoleJs = scripts.find((s) => s.file === "admin/console.js");
const firstPaint = scripts.filter((s) => s !== count && s !== recent && !s.file.includes("/"));
const onDemand = scripts.filter((s) => s.file.startsWith(`${ON_DEMAND_DIR}/`));
const unbudgeted = scripts.filter(
  (s) =>
    s !== count &&
    s !== recent &&
    s !== consoleJs &&
    !firstPaint.includes(s) &&
    !onDemand.includes(s),
);
if (
  !count ||
  !recent ||
  !consoleJs ||
  !firstPaint.some((s) => s.file === "widget.js") ||
  !locales.length
) {
  console.error(
    "public/ lacks widget.js, count.js, recent.js, admin/console.js or i18n/*.txt: run npm run build:widget",
  );
  process.exit(1);
}
const largest = locales.reduce((a, b) => (b.gzip > a.gzip ? b : a));

console.table(
  Object.fromEntries([...scripts, ...locales].map(({ file, raw, gzip }) => [file, { raw, gzip }])),
);
/** @type {[what: string, size: number, budget: number][]} */
const rows = [
  [
    `first paint: ${[...firstPaint.map((s) => s.file), largest.file].join(" + ")}`,
    [...firstPaint, largest].reduce((n, s) => n + s.gzip, 0),
    FIRST_PAINT_BUDGET,
  ],
  ...onDemand.map(
    (s) =>
      /** @type {[string, number, number]} */ ([`on demand: ${s.file}`, s.gzip, ON_DEMAND_BUDGET]),
  ),
  ["count.js", count.gzip, COUNT_BUDGET],
  ["recent.js", recent.gzip, RECENT_BUDGET],
  ["admin/console.js", consoleJs.gzip, CONSOLE_BUDGET],
];
let failed = false;
for (const [what, size, budget] of rows) {
  const ok = size <= budget;
  failed ||= !ok;
  console.log(`${ok ? "ok  " : "OVER"} ${what}: ${size} / ${budget} bytes gzip`);
}
for (const s of unbudgeted) {
  failed = true;
  console.log(
    `NO BUDGET ${s.file}: a script belongs at the top of public/ (first paint) or in public/${ON_DEMAND_DIR}/ (on demand)`,
  );
}
process.exit(failed ? 1 : 0);
