#!/usr/bin/env node
// Builds the embeddable widget into public/, which wrangler serves as static assets:
//   public/widget.js         the whole Responses section, its stylesheet inlined
//   public/count.js          count mode for index pages
//   public/recent.js         "Recent comments" lists on any page
//   public/i18n/<lang>.txt   one file per locale (English too), fetched only when that locale is used
//   public/admin/console.js  the moderators' console's script (widget/console/), not the widget's
//   public/_headers          the assets' headers: CORS (pages on other origins fetch the locale
//                            files; never the console's) and nosniff
//
// Strings. Locales are written as keyed JSON in widget/src/i18n/ (en.json is the reference), and
// the code names them by key (`t.sort.oldest`, typed from en.json). They are served as plain
// text, one string a line, without their keys: the keys were a third of each file's gzip size,
// and the quotes and commas of a JSON array another 2–6%. Each script gets the key paths of its
// file's lines instead (__PARLEY_STRING_KEYS__, in en.json's order; widget/src/i18n.ts puts the
// keys back), once, where gzip finds them again at every use. A string a locale lacks is filled
// in from English here, so the scripts carry no strings and download exactly one file of them.
// A plural form a locale lacks is an empty line and falls back to its own "other" form, never to
// English.
import { mkdir, readdir, readFile, rename, rm, writeFile } from "node:fs/promises";
import path from "node:path";
import { build, transform } from "esbuild";
import { minify } from "terser";

const root = path.join(import.meta.dirname, "..");
const src = path.join(root, "widget/src");
const consoleSrc = path.join(root, "widget/console");
const out = path.join(root, "public");

// Files are replaced, not the directories: `wrangler dev` watches public/ and serves errors
// for good if the directory it watches disappears under it. Each file is written whole under a
// temporary name and then renamed over the old one, and only what this build did not write is
// removed at the end: two builds at once (the browser tests start `npm start`, which builds, beside
// a build of their own) then never see, serve or delete a half-written or missing file.
const DIRS = [
  out,
  path.join(out, "i18n"),
  path.join(out, "i18n", "count"),
  path.join(out, "admin"),
];
const TEMPORARY = ".building";
for (const dir of DIRS) await mkdir(dir, { recursive: true });
/** Every file this build wrote. */
const written = new Set();
/** Writes `text` to public/`file` in one step. */
async function emit(/** @type {string} */ file, /** @type {string} */ text) {
  const target = path.join(out, file);
  const temporary = `${target}.${process.pid}${TEMPORARY}`;
  await writeFile(temporary, text);
  await rename(temporary, target);
  written.add(target);
}

const { code: css } = await transform(await readFile(path.join(src, "styles.css"), "utf8"), {
  loader: "css",
  minify: true,
});
// esbuild keeps custom property values as written ("--accent: var(--x, #fff)"); the stylesheet has
// no strings, so the spaces after colons and commas can all go.
const minCss = css.trim().replace(/([:,]) /g, "$1");

/** A locale of widget/src/i18n/: strings, and groups of strings (sort names, plural forms). */
/** @typedef {Record<string, string | Record<string, string>>} Locale */
/** @type {(file: string) => Promise<Locale>} */
const readJson = async (file) => JSON.parse(await readFile(path.join(src, "i18n", file), "utf8"));
const en = await readJson("en.json");
const CATEGORIES = ["zero", "one", "two", "few", "many", "other"];
/** The counted phrases, keyed by CLDR plural category: widget.js's heading, count.js's counts. */
const PLURALS = ["responses", "count"];
/** The key paths of a locale's strings: "leaveReply", "sort.oldest". */
const keyPaths = (/** @type {Locale} */ strings) =>
  Object.entries(strings).flatMap(([key, value]) =>
    typeof value === "object" ? Object.keys(value).map((name) => `${key}.${name}`) : [key],
  );
/** en.json's key paths, in its order, with all six forms of each counted phrase. */
const paths = [
  ...new Set(
    keyPaths(en).flatMap((keyPath) => {
      const [key = ""] = keyPath.split(".");
      return PLURALS.includes(key) ? CATEGORIES.map((form) => `${key}.${form}`) : [keyPath];
    }),
  ),
];
// count.js's file holds the counts; recent.js carries its one string itself (below); widget.js's
// file everything else.
const RECENT_KEY = "recentComment";
const countPaths = paths.filter((p) => p.startsWith("count."));
const widgetPaths = paths.filter((p) => !countPaths.includes(p) && p !== RECENT_KEY);
const keysOf = (/** @type {string[]} */ list) => JSON.stringify(list.join(" "));

/** @type {import("esbuild").BuildOptions} */
const common = {
  bundle: true,
  minify: true,
  format: "iife",
  // Every browser with constructable stylesheets (the widget's floor) runs ES2022.
  target: "es2022",
  legalComments: "none",
  // The bundles are IIFEs whose code is strict-mode clean; the "use strict" prologue that
  // tsconfig's `strict` would add is bytes for nothing.
  tsconfigRaw: { compilerOptions: { alwaysStrict: false } },
  logLevel: "warning",
};
/**
 * esbuild bundles `entry` (a file of widget/src/, or a path of its own); terser then compresses the bundle further (its passes find about 2% that
 * esbuild's single pass leaves, and every byte counts against the size budget). `unsafe` turns
 * `${x}` into "" + x: the two differ only for symbols and objects with their own valueOf, which
 * the widget never puts in a template. Function declarations hoisted to the top of the bundle
 * (hoist_funs) and statements not joined into comma sequences gave the smallest gzip of the
 * options measured: 28 B less for widget.js (24 and 4).
 * @param {string} entry
 * @param {string} outfile
 * @param {import("esbuild").BuildOptions} [extra]
 */
async function bundle(entry, outfile, extra = {}) {
  const result = await build({
    ...common,
    ...extra,
    entryPoints: [path.resolve(src, entry)],
    write: false,
  });
  const [bundled] = result.outputFiles ?? [];
  if (!bundled) throw new Error(`esbuild wrote nothing for ${entry}`);
  const { code } = await minify(bundled.text, {
    ecma: 2022,
    compress: {
      passes: 3,
      pure_getters: true,
      unsafe: true,
      unsafe_arrows: true,
      hoist_funs: true,
      sequences: false,
    },
    format: { comments: false },
    // The widget's own fields are named "_…" (widget/src/ctx.ts); no API field, stored key, DOM
    // property or global is, so terser may shorten them everywhere. Every other property keeps
    // its name. Its short names avoid the DOM's (they land on elements too: Item._comment).
    mangle: { properties: { regex: /^_/ } },
  });
  if (code === undefined) throw new Error(`terser returned no code for ${entry}`);
  await emit(outfile, code);
}
await bundle("index.ts", "widget.js", {
  define: {
    __PARLEY_CSS__: JSON.stringify(minCss),
    __PARLEY_STRING_KEYS__: keysOf(widgetPaths),
  },
});
// count.js also carries its English strings (the text of i18n/count/en.txt): counts must appear
// even when the locale file cannot be loaded.
await bundle("count.ts", "count.js", {
  define: {
    __PARLEY_STRING_KEYS__: keysOf(countPaths),
    __PARLEY_COUNT_EN__: JSON.stringify(lines(en, countPaths)),
  },
});
// recent.js carries its one string in every locale, by language (about 300 bytes gzip): less
// than a second request, for a locale file, would cost the page. A string a locale lacks is
// English.
const locales = (await readdir(path.join(src, "i18n"))).filter((file) => file.endsWith(".json"));
const recentStrings = Object.fromEntries(
  await Promise.all(
    locales.map(async (file) => [
      file.replace(/\.json$/, ""),
      at(await readJson(file), RECENT_KEY) ?? at(en, RECENT_KEY),
    ]),
  ),
);
await bundle("recent.ts", "recent.js", {
  define: { __PARLEY_RECENT__: JSON.stringify(recentStrings) },
});
// The console's script: no strings of its own (its pages carry them), so nothing to define.
await bundle(path.join(consoleSrc, "console.ts"), path.join("admin", "console.js"));

/**
 * The string at a key path ("sort.oldest"), if `strings` has one.
 * @param {Locale} strings
 * @param {string} keyPath
 * @returns {string | undefined}
 */
function at(strings, keyPath) {
  const [key = "", name] = keyPath.split(".");
  const value = strings[key];
  if (name === undefined) return typeof value === "string" ? value : undefined;
  return typeof value === "object" ? value[name] : undefined;
}

/**
 * A locale file: its strings in the order of `order`, one a line, filled in from English.
 * @param {Locale} strings
 * @param {string[]} order
 */
function lines(strings, order) {
  const list = order.map((keyPath) => {
    const [key = "", form] = keyPath.split(".");
    const other = at(strings, `${key}.other`);
    if (!PLURALS.includes(key)) return at(strings, keyPath) ?? at(en, keyPath);
    if (form === "other") return other ?? at(en, keyPath);
    // A form the locale lacks falls back to its own "other" form; one that reads the same (ru
    // "few" often does) is left to fall back too.
    const text = at(strings, keyPath);
    return text === other ? "" : (text ?? "");
  });
  if (list.some((text) => typeof text !== "string" || text.includes("\n")))
    throw new Error("a string is missing, or holds a line break");
  return list.join("\n");
}

for (const file of await readdir(path.join(src, "i18n"))) {
  if (!file.endsWith(".json")) continue;
  const strings = await readJson(file);
  const unknown = keyPaths(strings).filter((keyPath) => !paths.includes(keyPath));
  if (unknown.length) throw new Error(`i18n/${file}: keys not in en.json: ${unknown.join(", ")}`);
  const txt = file.replace(/json$/, "txt");
  // Two files, so that neither script downloads the other's strings.
  await emit(path.join("i18n", txt), lines(strings, widgetPaths));
  await emit(path.join("i18n", "count", txt), lines(strings, countPaths));
}
// Static assets get no CORS headers by default, but pages on every origin fetch the locale
// files. Every rule whose path matches applies, a splat matches across slashes, and a header set
// by two matching rules is sent with both values ("Access-Control-Allow-Origin: *, *", which
// browsers refuse): so one rule covers every file, and each header is written once. The scripts
// get CORS too: a page may then load them with `crossorigin` (for subresource integrity, or to
// see their errors), and they are as public as the strings.
// The console never answers CORS (README "The console"): its script is for its own pages, so the
// rule for /admin/* takes the first rule's header off again (wrangler's "! Header"), and keeps
// its nosniff.
await emit(
  "_headers",
  "/*\n  Access-Control-Allow-Origin: *\n  X-Content-Type-Options: nosniff\n/admin/*\n  ! Access-Control-Allow-Origin\n",
);
// What an earlier build wrote and this one did not (a locale since removed, say) goes; another
// build's files in the making are left to it.
for (const dir of DIRS)
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    const file = path.join(dir, entry.name);
    if (entry.isFile() && !written.has(file) && !entry.name.endsWith(TEMPORARY))
      await rm(file, { force: true });
  }
console.log("widget built into public/");
// The API reference page's renderer is served from public/ too (public/docs/).
await import("./build-docs.mjs");
