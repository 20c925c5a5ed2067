#!/usr/bin/env node
// `npm run import` and `npm run export`: the importer and exporter of the operator API, run
// here on a D1 database, for exports too big for one request.
//
//   npm run import -- --site news --format disqus export.xml.gz [--dry-run] [--remote]
//   npm run export -- --site news [--remote] > site.json
//
// Locally the database is the one `npm start` uses (PERSIST_DIR, default .wrangler/state),
// opened through wrangler's platform proxy (Miniflare's D1, migrations applied first). With
// --remote it is the deployed D1 database of wrangler.toml, through wrangler's remote bindings
// (log in with `npm run wrangler -- login` or set CLOUDFLARE_API_TOKEN). The TypeScript side
// (src/cli/portability.ts) is bundled with esbuild on each run (scripts/bundle.mjs), so it is
// always the source's.
import { createReadStream } from "node:fs";
import { mkdtemp, readdir, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { Readable } from "node:stream";
import { parseArgs } from "node:util";
import { getPlatformProxy, unstable_readConfig } from "wrangler";
import { importTypeScript } from "./bundle.mjs";
import { applyLocalMigrations } from "./wrangler.mjs";

const root = path.join(import.meta.dirname, "..");
const FORMATS = ["disqus", "wxr", "parley"];
const USAGE = `usage:
  npm run import -- --site <id> --format disqus|wxr|parley [--dry-run] [--remote] <file>
  npm run export -- --site <id> [--remote] > site.json`;

/**
 * What this script calls of src/cli/portability.ts, which it bundles on each run. Those
 * functions' own types are checked with the Worker's (tsconfig.json); test/cli/portability.test.ts
 * runs both calls as an operator would.
 * @typedef {import("@cloudflare/workers-types").D1Database} D1
 * @typedef {object} PortabilityCli
 * @property {(d1: D1, options: ImportOptions) => Promise<unknown>} importFile the import's report
 * @property {(d1: D1, siteId: string) => AsyncIterable<string>} exportJson the export, in pieces
 * @typedef {{ site: string, format: string, open: () => ReadableStream<Uint8Array>, dryRun: boolean }} ImportOptions
 */

/**
 * What was asked for on the command line.
 * @typedef {{ command: "export", site: string, remote: boolean }
 *   | { command: "import", site: string, remote: boolean, format: string, dryRun: boolean, file: string }} Args
 */

/**
 * @param {string} message
 * @returns {never}
 */
function fail(message) {
  console.error(`parley: ${message}`);
  process.exit(2);
}

/** @returns {Args} */
function options() {
  const [command, ...rest] = process.argv.slice(2);
  const { values, positionals } = parseArgs({
    args: rest,
    allowPositionals: true,
    options: {
      site: { type: "string" },
      format: { type: "string" },
      "dry-run": { type: "boolean", default: false },
      remote: { type: "boolean", default: false },
    },
  });
  const { site, format, remote } = values;
  if (!site) return fail(USAGE);
  if (command === "export") return { command, site, remote };
  const [file, ...more] = positionals;
  if (command !== "import" || !format || !FORMATS.includes(format) || !file || more.length > 0) {
    return fail(USAGE);
  }
  return { command, site, remote, format, dryRun: values["dry-run"], file };
}

/**
 * A wrangler config naming only the D1 binding, marked remote, for --remote.
 * @param {string} folder
 */
async function remoteConfig(folder) {
  // What is read of it. Wrangler's .d.ts takes its Config type from a package that is bundled
  // into wrangler and not installed (@cloudflare/workers-utils), so it would come as `any`.
  const config =
    /** @type {{ name: string, compatibility_date: string, d1_databases: object[] }} */ (
      unstable_readConfig({ config: path.join(root, "wrangler.toml") })
    );
  const file = path.join(folder, "wrangler.json");
  const databases = config.d1_databases.map((db) => ({ ...db, remote: true }));
  await writeFile(
    file,
    JSON.stringify({
      name: config.name,
      compatibility_date: config.compatibility_date,
      d1_databases: databases,
    }),
  );
  return file;
}

/**
 * The D1 database, local or remote, through wrangler's platform proxy.
 * @param {{ remote: boolean }} args
 * @param {string} folder
 * @returns {Promise<import("wrangler").PlatformProxy<{ DB: D1 }>>}
 */
async function openDatabase({ remote }, folder) {
  if (remote) {
    return getPlatformProxy({
      configPath: await remoteConfig(folder),
      remoteBindings: true,
    });
  }
  const persistDir = process.env.PERSIST_DIR ?? ".wrangler/state";
  /** @type {() => Promise<import("wrangler").PlatformProxy<{ DB: D1 }>>} */
  const open = () =>
    getPlatformProxy({
      configPath: path.join(root, "wrangler.toml"),
      persist: { path: path.join(persistDir, "v3") },
      remoteBindings: false,
    });
  // wrangler's `migrations apply` starts a runtime of its own, seconds of CPU: only when the
  // database lacks a migration.
  const proxy = await open();
  if (await upToDate(proxy.env.DB)) return proxy;
  await proxy.dispose();
  await applyLocalMigrations(persistDir, ["ignore", "ignore", "inherit"]);
  return open();
}

/**
 * Whether the database has every migration of migrations/ applied, by wrangler's own record of
 * them (its d1_migrations table; a new database has none).
 * @param {D1} db
 */
async function upToDate(db) {
  const files = (await readdir(path.join(root, "migrations"))).filter((f) => f.endsWith(".sql"));
  try {
    const { results } = await db.prepare("SELECT name FROM d1_migrations").all();
    const applied = new Set(results.map((row) => row.name));
    return files.every((file) => applied.has(file));
  } catch {
    return false;
  }
}

// Wrangler's notes (Node.js version, the Worker's secrets) are about serving, not this; and
// stdout carries the export.
process.env.WRANGLER_LOG ??= "error";
const args = options();
const folder = await mkdtemp(path.join(tmpdir(), "parley-cli-"));
/** @type {import("wrangler").PlatformProxy<{ DB: D1 }> | undefined} */
let proxy;
try {
  const cli = /** @type {PortabilityCli} */ (
    await importTypeScript("src/cli/portability.ts", folder)
  );
  proxy = await openDatabase(args, folder);
  const db = proxy.env.DB;
  if (args.command === "import") {
    const report = await cli.importFile(db, {
      site: args.site,
      format: args.format,
      open: () => Readable.toWeb(createReadStream(args.file)),
      dryRun: args.dryRun,
    });
    process.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
  } else {
    for await (const piece of cli.exportJson(db, args.site)) {
      if (!process.stdout.write(piece)) await new Promise((r) => process.stdout.once("drain", r));
    }
    process.stdout.write("\n");
  }
} catch (error) {
  process.exitCode = 1;
  console.error(`parley: ${error instanceof Error ? error.message : error}`);
} finally {
  await proxy?.dispose();
  await rm(folder, { recursive: true, force: true });
}
