// The product's TypeScript, for a script run by Node.js: bundled by esbuild on each run, then
// imported, so the script always runs the source as it is (npm run import/export, npm run bench).
import path from "node:path";
import { build } from "esbuild";

const root = path.join(import.meta.dirname, "..");

/**
 * Bundles `entry` (a path from the repository's root) into one ES module in `folder`, which the
 * caller removes, and imports it. The exports are whatever the entry exports: the caller names
 * their type (a bundle's types are checked where its source is, not here).
 * @param {string} entry
 * @param {string} folder
 * @returns {Promise<unknown>}
 */
export async function importTypeScript(entry, folder) {
  const outfile = path.join(folder, `${path.basename(entry, ".ts")}.mjs`);
  await build({
    entryPoints: [path.join(root, entry)],
    bundle: true,
    platform: "node",
    format: "esm",
    target: "node20",
    outfile,
    logLevel: "error",
  });
  return import(outfile);
}

/**
 * Bundles `entry` (a Worker's module, from the repository's root) for workerd, as wrangler would,
 * into `outfile`: the benchmark's floor Worker (scripts/bench/floor-worker.ts).
 * @param {string} entry
 * @param {string} outfile
 */
export async function bundleWorker(entry, outfile) {
  await build({
    entryPoints: [path.join(root, entry)],
    bundle: true,
    platform: "neutral",
    conditions: ["workerd", "worker", "browser"],
    mainFields: ["module", "main"],
    format: "esm",
    target: "es2022",
    outfile,
    logLevel: "error",
  });
}
