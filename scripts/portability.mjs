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
// (log in with `npx wrangler login` or set CLOUDFLARE_API_TOKEN). The TypeScript side
// (src/cli/portability.ts) is bundled with esbuild on each run, so it is always the source's.
import { createReadStream } from "node:fs";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { Readable } from "node:stream";
import { parseArgs } from "node:util";
import { build } from "esbuild";
import { getPlatformProxy, unstable_readConfig } from "wrangler";
import { runWrangler } from "./wrangler.mjs";

const root = path.join(import.meta.dirname, "..");
const FORMATS = ["disqus", "wxr", "parley"];
const USAGE = `usage:
  npm run import -- --site <id> --format disqus|wxr|parley [--dry-run] [--remote] <file>
  npm run export -- --site <id> [--remote] > site.json`;

function fail(message) {
  console.error(`parley: ${message}`);
  process.exit(2);
}

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
  if (!["import", "export"].includes(command) || !values.site) fail(USAGE);
  if (command === "import" && (!FORMATS.includes(values.format) || positionals.length !== 1)) {
    fail(USAGE);
  }
  return { command, ...values, dryRun: values["dry-run"], file: positionals[0] };
}

/** src/cli/portability.ts as one ES module for Node.js, in a temporary folder. */
async function loadCli(folder) {
  const outfile = path.join(folder, "portability.mjs");
  await build({
    entryPoints: [path.join(root, "src/cli/portability.ts")],
    bundle: true,
    platform: "node",
    format: "esm",
    target: "node20",
    outfile,
    logLevel: "error",
  });
  return import(outfile);
}

/** A wrangler config naming only the D1 binding, marked remote, for --remote. */
async function remoteConfig(folder) {
  const config = unstable_readConfig({ config: path.join(root, "wrangler.toml") });
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

async function openDatabase({ remote }, folder) {
  if (remote) {
    const proxy = await getPlatformProxy({
      configPath: await remoteConfig(folder),
      remoteBindings: true,
    });
    return proxy;
  }
  const persistDir = process.env.PERSIST_DIR ?? ".wrangler/state";
  await runWrangler(["d1", "migrations", "apply", "DB", "--local", "--persist-to", persistDir], {
    env: { CI: "true" },
    stdio: ["ignore", "ignore", "inherit"],
  });
  return getPlatformProxy({
    configPath: path.join(root, "wrangler.toml"),
    persist: { path: path.join(persistDir, "v3") },
    remoteBindings: false,
  });
}

// Wrangler's notes (Node.js version, the Worker's secrets) are about serving, not this; and
// stdout carries the export.
process.env.WRANGLER_LOG ??= "error";
const args = options();
const folder = await mkdtemp(path.join(tmpdir(), "parley-cli-"));
let proxy;
try {
  const cli = await loadCli(folder);
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
  console.error(`parley: ${error?.message ?? error}`);
} finally {
  await proxy?.dispose();
  await rm(folder, { recursive: true, force: true });
}
