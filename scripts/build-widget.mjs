#!/usr/bin/env node
// Builds the embeddable widget into public/, which wrangler serves as static assets:
//   public/widget.js       the Responses section (JS + CSS + English strings)
//   public/count.js        count mode for index pages
//   public/i18n/<lang>.json  one file per other locale, fetched only when that locale is used
import { mkdir, readdir, readFile, rm, writeFile } from "node:fs/promises";
import path from "node:path";
import { build, transform } from "esbuild";

const root = path.join(import.meta.dirname, "..");
const src = path.join(root, "widget/src");
const out = path.join(root, "public");

await rm(out, { recursive: true, force: true });
await mkdir(path.join(out, "i18n"), { recursive: true });

const css = await transform(await readFile(path.join(src, "styles.css"), "utf8"), {
  loader: "css",
  minify: true,
});

const common = {
  bundle: true,
  minify: true,
  format: "iife",
  target: "es2020",
  legalComments: "none",
  logLevel: "warning",
};
await build({
  ...common,
  entryPoints: [path.join(src, "index.ts")],
  outfile: path.join(out, "widget.js"),
  define: { __PARLEY_CSS__: JSON.stringify(css.code.trim()) },
});
await build({ ...common, entryPoints: [path.join(src, "count.ts")], outfile: path.join(out, "count.js") });

for (const file of await readdir(path.join(src, "i18n"))) {
  if (!file.endsWith(".json")) continue;
  const strings = JSON.parse(await readFile(path.join(src, "i18n", file), "utf8"));
  await writeFile(path.join(out, "i18n", file), JSON.stringify(strings));
}
console.log("widget built into public/");
