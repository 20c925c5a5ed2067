#!/usr/bin/env node
// Builds the embeddable widget into public/, which wrangler serves as static assets:
//   public/widget.js         draws the Responses section (JS + CSS + its English strings)
//   public/widget-ui.js      what the section does when a reader acts; widget.js loads it on
//                            the first interaction, so a reader who only reads never pays for it
//   public/count.js          count mode for index pages
//   public/i18n/<lang>.json  one file per locale, fetched only when that locale is used
//   public/_headers          CORS for the files other origins fetch
//
// Strings. Locales are written as keyed JSON in widget/src/i18n/ (en.json is the reference) and
// served as a plain array in one fixed key order, which takes a third off their gzip size (keys
// are much of the entropy). The order: the plural forms of "responses" (0–5) and "count"
// (6–11), each as zero, one, two, few, many, other (widget/src/i18n.ts relies on this layout);
// then the keys widget.js's own modules use; then those only widget-ui.js uses. A string a
// locale lacks is 0 and stays English. The code names strings as L.<key> (typed from en.json in
// widget/src/globals.d.ts) and the build inlines each index. widget.js carries English up to
// the widget-ui.js part, and widget-ui.js carries the rest.
import { mkdir, readdir, readFile, rm, writeFile } from "node:fs/promises";
import path from "node:path";
import { build, transform } from "esbuild";

const root = path.join(import.meta.dirname, "..");
const src = path.join(root, "widget/src");
const out = path.join(root, "public");

// Files are replaced, not the directories: `wrangler dev` watches public/ and serves errors
// for good if the directory it watches disappears under it.
await mkdir(path.join(out, "i18n"), { recursive: true });
for (const dir of [out, path.join(out, "i18n")])
  for (const entry of await readdir(dir, { withFileTypes: true }))
    if (entry.isFile()) await rm(path.join(dir, entry.name));

const { code: css } = await transform(await readFile(path.join(src, "styles.css"), "utf8"), {
  loader: "css",
  minify: true,
});
// esbuild keeps custom property values as written ("--a: var(--x, #fff)"); the stylesheet has
// no strings, so the spaces after colons and commas can all go.
const minCss = css.trim().replace(/([:,]) /g, "$1");

const common = {
  bundle: true,
  minify: true,
  format: "iife",
  // Every browser with constructable stylesheets (the widget's floor) runs ES2022.
  target: "es2022",
  legalComments: "none",
  logLevel: "warning",
};
// widget-ui.js runs inside the widget.js that loaded it and uses widget.js's modules, so that
// their code and state exist once. Its imports of those modules resolve to window.parley; the
// object widget.js puts there is generated here from exactly those imports (the virtual module
// "parley:shared", which index.ts calls once the section is drawn).
const SHARED = /^\.\/(ctx|api|i18n|dom|render|store|thread|form)$/;
const fromWidget = {
  name: "parley-widget-modules",
  setup(b) {
    b.onResolve({ filter: SHARED }, () => ({ path: "widget.js", namespace: "parley" }));
    b.onLoad({ filter: /.*/, namespace: "parley" }, () => ({
      contents: "module.exports = window.parley",
      loader: "js",
    }));
  },
};
const uiEntry = {
  ...common,
  // Loaded with import(), which (unlike a <script> element) Trusted Types do not block.
  format: "esm",
  entryPoints: [path.join(src, "ui.ts")],
  plugins: [fromWidget],
};
const uiFiles = Object.keys(
  (await build({ ...uiEntry, write: false, metafile: true })).metafile.inputs,
);
const shared = new Map(); // module → names widget-ui.js imports from it
for (const file of uiFiles.filter((f) => f.endsWith(".ts"))) {
  const code = await readFile(path.join(root, file), "utf8");
  for (const [, names, from] of code.matchAll(/import\s*\{([^}]*)\}\s*from\s*"(\.\/\w+)"/g)) {
    if (!SHARED.test(from)) continue;
    for (const name of names.split(",").map((n) => n.trim().split(/\s+as\s+/)[0]))
      if (name && !name.startsWith("type "))
        shared.set(from, new Set([...(shared.get(from) ?? []), name]));
  }
}
const sharedModule = {
  name: "parley-shared",
  setup(b) {
    b.onResolve({ filter: /^parley:shared$/ }, () => ({ path: "shared", namespace: "parley" }));
    b.onLoad({ filter: /.*/, namespace: "parley" }, () => ({
      resolveDir: src,
      loader: "js",
      contents: [
        ...[...shared].map(
          ([from, names]) => `import { ${[...names].join(", ")} } from "${from}";`,
        ),
        // A function: `let` exports (the strings, the stored tokens) are read when it is called.
        `export default () => ({ ${[...shared.values()].flatMap((n) => [...n]).join(", ")} });`,
      ].join("\n"),
    }));
  },
};
const widgetEntry = {
  ...common,
  entryPoints: [path.join(src, "index.ts")],
  plugins: [sharedModule],
};

// Which strings widget.js uses: the L.<key> names in the modules it bundles.
const { metafile } = await build({ ...widgetEntry, write: false, metafile: true });
const used = new Set();
for (const file of Object.keys(metafile.inputs).filter((f) => f.endsWith(".ts")))
  for (const m of (await readFile(path.join(root, file), "utf8")).matchAll(/\bL\.(\w+)/g))
    used.add(m[1]);

const readJson = async (file) => JSON.parse(await readFile(path.join(src, "i18n", file), "utf8"));
const en = await readJson("en.json");
const CATS = ["zero", "one", "two", "few", "many", "other"];
const named = Object.keys(en).filter((k) => !k.includes("."));
const plurals = ["responses", "count"].flatMap((b) => CATS.map((c) => `${b}.${c}`));
const ownKeys = [...plurals, ...named.filter((k) => used.has(k))];
const keys = [...ownKeys, ...named.filter((k) => !used.has(k))];
const english = keys.map((k) => en[k] ?? 0);

const define = Object.fromEntries(
  keys.flatMap((k, i) => (k.includes(".") ? [] : [[`L.${k}`, `${i}`]])),
);
await build({
  ...widgetEntry,
  outfile: path.join(out, "widget.js"),
  define: {
    ...define,
    __PARLEY_CSS__: JSON.stringify(minCss),
    __PARLEY_EN__: JSON.stringify(english.slice(0, ownKeys.length)),
  },
});

await build({
  ...uiEntry,
  outfile: path.join(out, "widget-ui.js"),
  define: {
    ...define,
    __PARLEY_EN__: JSON.stringify(english.map((s, i) => (i < ownKeys.length ? 0 : s))),
  },
});
await build({
  ...common,
  entryPoints: [path.join(src, "count.ts")],
  outfile: path.join(out, "count.js"),
  define,
});

for (const file of await readdir(path.join(src, "i18n"))) {
  if (!file.endsWith(".json")) continue;
  const strings = await readJson(file);
  const unknown = Object.keys(strings).filter((k) => !keys.includes(k));
  if (unknown.length) throw new Error(`i18n/${file}: keys not in en.json: ${unknown.join(", ")}`);
  const list = keys.map((k) => strings[k] ?? 0);
  while (list.at(-1) === 0) list.pop();
  await writeFile(path.join(out, "i18n", file), JSON.stringify(list));
}
// Static assets get no CORS headers by default, but a page on another origin fetches the
// locale files and imports widget-ui.js (module scripts are fetched with CORS).
await writeFile(
  path.join(out, "_headers"),
  "/i18n/*\n  Access-Control-Allow-Origin: *\n/widget-ui.js\n  Access-Control-Allow-Origin: *\n",
);
console.log("widget built into public/");
