#!/usr/bin/env node
// Builds the embeddable widget into public/, which wrangler serves as static assets:
//   public/widget.js         the whole Responses section, its stylesheet inlined
//   public/count.js          count mode for index pages
//   public/i18n/<lang>.txt   one file per locale (English too), fetched only when that locale is used
//   public/_headers          the assets' headers: CORS (pages on other origins fetch the locale
//                            files) and nosniff
//
// Strings. Locales are written as keyed JSON in widget/src/i18n/ (en.json is the reference) and
// served as plain text, one string a line, in one fixed key order: the keys were a third of the
// gzip size, and the quotes and commas of a JSON array another 2–6%. The order: the plural forms
// of the file's counted phrase at lines 0–5, as zero, one, two, few, many, other
// (widget/src/i18n.ts relies on this layout); then, in widget.js's file, the other keys in
// en.json's order. A string a locale lacks is filled in from English here, so the scripts carry
// no strings and download exactly one file of them. A plural form a locale lacks is an empty
// line and falls back to its own "other" form, never to English. The code names strings as
// L.<key> (typed from en.json in widget/src/globals.d.ts) and the build inlines each index.
import { mkdir, readdir, readFile, rm, writeFile } from "node:fs/promises";
import path from "node:path";
import { build, transform } from "esbuild";
import { minify } from "terser";

const root = path.join(import.meta.dirname, "..");
const src = path.join(root, "widget/src");
const out = path.join(root, "public");

// Files are replaced, not the directories: `wrangler dev` watches public/ and serves errors
// for good if the directory it watches disappears under it.
await mkdir(path.join(out, "i18n", "count"), { recursive: true });
for (const dir of [out, path.join(out, "i18n"), path.join(out, "i18n", "count")])
  for (const entry of await readdir(dir, { withFileTypes: true }))
    if (entry.isFile()) await rm(path.join(dir, entry.name));

const { code: css } = await transform(await readFile(path.join(src, "styles.css"), "utf8"), {
  loader: "css",
  minify: true,
});
// esbuild keeps custom property values as written ("--a: var(--x, #fff)"); the stylesheet has
// no strings, so the spaces after colons and commas can all go.
const minCss = css.trim().replace(/([:,]) /g, "$1");

/** @type {(file: string) => Promise<Record<string, string>>} A locale of widget/src/i18n/. */
const readJson = async (file) => JSON.parse(await readFile(path.join(src, "i18n", file), "utf8"));
const en = await readJson("en.json");
const CATS = ["zero", "one", "two", "few", "many", "other"];
const forms = (/** @type {string} */ base) => CATS.map((c) => `${base}.${c}`);
const named = Object.keys(en).filter((k) => !k.includes("."));
// widget.js's file: "responses" forms, then every named string. count.js's: the "count" forms.
const keys = [...forms("responses"), ...named];
const countKeys = forms("count");
const define = Object.fromEntries(named.map((k) => [`L.${k}`, `${keys.indexOf(k)}`]));

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
  define,
};
/**
 * esbuild bundles; terser then compresses the bundle further (its passes find about 2% that
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
    entryPoints: [path.join(src, entry)],
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
    // Fields of widget/src/ctx.ts that no other object the widget touches has (no API field,
    // stored key, DOM property it reads or action name): terser may shorten them everywhere.
    // `builtins`, because "form" and "next" are also DOM names, which terser otherwise keeps.
    mangle: { properties: { regex: /^(els|h2|home|next|form|rtf)$/, builtins: true } },
  });
  if (code === undefined) throw new Error(`terser returned no code for ${entry}`);
  await writeFile(path.join(out, outfile), code);
}
await bundle("index.ts", "widget.js", {
  define: { ...define, __PARLEY_CSS__: JSON.stringify(minCss) },
});
// count.js also carries its English strings (the text of i18n/count/en.txt; 32 B of gzip):
// counts must appear even when the locale file cannot be loaded.
await bundle("count.ts", "count.js", {
  define: { ...define, __PARLEY_COUNT_EN__: JSON.stringify(stringList(en, countKeys)) },
});

/**
 * A locale's strings in the given key order; plural forms first (see widget/src/i18n.ts).
 * @param {Record<string, string>} strings
 * @param {string[]} order
 */
function stringList(strings, order) {
  // Keys without a dot are en.json's own, so English always has them.
  const list = order.map((k) => strings[k] ?? (k.includes(".") ? "" : (en[k] ?? "")));
  // A plural form that reads as the "other" form (ru "few" is often so) is left to fall back.
  for (let i = 0; i < 5; i++) if (list[i] === list[5]) list[i] = "";
  if (list.some((s) => s.includes("\n"))) throw new Error("a string holds a line break");
  return list.join("\n");
}

for (const file of await readdir(path.join(src, "i18n"))) {
  if (!file.endsWith(".json")) continue;
  const strings = await readJson(file);
  const txt = file.replace(/json$/, "txt");
  const unknown = Object.keys(strings).filter((k) => !keys.includes(k) && !countKeys.includes(k));
  if (unknown.length) throw new Error(`i18n/${file}: keys not in en.json: ${unknown.join(", ")}`);
  // Two files, so that neither script downloads the other's strings.
  await writeFile(path.join(out, "i18n", txt), stringList(strings, keys));
  await writeFile(path.join(out, "i18n", "count", txt), stringList(strings, countKeys));
}
// Static assets get no CORS headers by default, but pages on every origin fetch the locale
// files. Every rule whose path matches applies, a splat matches across slashes, and a header set
// by two matching rules is sent with both values ("Access-Control-Allow-Origin: *, *", which
// browsers refuse): so one rule covers every file, and each header is written once. The scripts
// get CORS too: a page may then load them with `crossorigin` (for subresource integrity, or to
// see their errors), and they are as public as the strings.
await writeFile(
  path.join(out, "_headers"),
  "/*\n  Access-Control-Allow-Origin: *\n  X-Content-Type-Options: nosniff\n",
);
console.log("widget built into public/");
// The API reference page's renderer is served from public/ too (public/docs/).
await import("./build-docs.mjs");
