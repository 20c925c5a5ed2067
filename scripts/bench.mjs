#!/usr/bin/env node
// `npm run bench`: how fast and how cheap Parley is, on this machine, from a fresh database.
//
//   npm run bench                   # everything, about 5 minutes on 2 cores
//   npm run bench -- --quick        # a smoke run: small loads, no browser
//   npm run bench -- --no-browser   # skip scripts/bench-widget.mjs (Chromium)
//   npm run bench -- --runtime-only # only the runtime alone, the floor and the goals (3 minutes)
//
// 1. Builds the widget (public/) and the Worker as `npm run build` does, into a temporary dir.
// 2. Applies the migrations to a fresh local D1 there and seeds it (scripts/bench/seed.mjs, which
//    makes and stores the comments with the product's own code: scripts/bench/rows.ts).
// 3. Measures (scripts/bench/scenarios.mjs) twice, each on its own copy of the seeded database:
//    behind `npm start` (scripts/start.mjs: wrangler dev and its proxy), then on the runtime
//    alone (the built Worker in workerd through Miniflare, no proxy, no static assets). Beside
//    the runtime alone, the floor Worker (scripts/bench/floor-worker.ts: a cold thread view's
//    D1 reads and nothing else, the counts' batch, and a post's two D1 batches) takes the same
//    cold requests and posts, each load right after the product's, on a third copy; the cost
//    goals (scripts/bench/goals.mjs) are checked against the two.
// 4. Runs the browser benchmark (scripts/bench-widget.mjs) against the `npm start` server.
// 5. Posts hostile 5,000-character bodies (scripts/bench/hostile-bodies.mjs) to the runtime
//    alone; exits non-zero when one costs 50 ms of workerd CPU or more, or is answered wrongly.
// 6. Fans one new comment out to a thread's 1,000 subscribers (scripts/bench/fan-out.mjs): rows
//    the post writes, and the time and workerd CPU the Cron Trigger takes to drain the outbox.
// Prints Markdown tables and writes everything to bench/results/latest.json (gitignored: the
// numbers are this machine's; BENCHMARKS.md keeps the reviewed ones). Only 127.0.0.1 is loaded.
import { spawn } from "node:child_process";
import { existsSync } from "node:fs";
import { cp, mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { fanOutTable, measureFanOut } from "./bench/fan-out.mjs";
import { goals, goalsTable } from "./bench/goals.mjs";
import { hostileTable, measureHostileBodies } from "./bench/hostile-bodies.mjs";
import { machine, markdownTable, widgetSizes } from "./bench/report.mjs";
import { floorLoads, runScenarios } from "./bench/scenarios.mjs";
import { seed } from "./bench/seed.mjs";
import { devServer, runtime } from "./bench/servers.mjs";
import { bundleWorker } from "./bundle.mjs";
import { freePort } from "./local-http.mjs";
import { startMailCatcher } from "./mail-catcher.mjs";
import { applyMigrations, buildWidget, buildWorker } from "./runtime.mjs";

const args = new Set(process.argv.slice(2));
const quick = args.has("--quick");
const runtimeOnly = args.has("--runtime-only");
const browser = !quick && !runtimeOnly && !args.has("--no-browser");
const ADMIN_TOKEN = "parley-bench-admin";
const root = path.join(import.meta.dirname, "..");
const started = Date.now();
const log = (/** @type {string} */ line) =>
  console.error(`[bench ${((Date.now() - started) / 1000).toFixed(0)}s] ${line}`);

/**
 * scripts/bench-widget.mjs against `base`, killed after five minutes; its JSON, or why not.
 * @param {string} base
 * @returns {Promise<unknown>}
 */
function browserBench(base) {
  const chromium = process.env.CHROMIUM ?? "/usr/bin/chromium";
  if (!existsSync(chromium)) return Promise.resolve({ skipped: `no Chromium at ${chromium}` });
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [path.join(root, "scripts", "bench-widget.mjs")], {
      env: { ...process.env, BASE: base, ADMIN_TOKEN, CHROMIUM: chromium },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let out = "";
    let err = "";
    child.stdout.on("data", (d) => {
      out += d;
    });
    child.stderr.on("data", (d) => {
      err += d;
    });
    const timer = setTimeout(() => child.kill("SIGTERM"), 300_000);
    child.on("exit", (code, signal) => {
      clearTimeout(timer);
      try {
        resolve(
          code === 0 ? JSON.parse(out) : { failed: signal ?? code, stderr: err.slice(-2000) },
        );
      } catch {
        resolve({ failed: "output was not JSON", stdout: out.slice(-2000) });
      }
    });
  });
}

/**
 * Everything a run found, as bench/results/latest.json keeps it.
 * @typedef {object} Report
 * @property {string} startedAt
 * @property {boolean} quick
 * @property {ReturnType<typeof machine>} machine
 * @property {ReturnType<typeof widgetSizes>} widget
 * @property {Awaited<ReturnType<typeof seed>> & { seconds?: number }} seed
 * @property {import("./bench/scenarios.mjs").Results} [npmStart] unless --runtime-only
 * @property {unknown} [browser] scripts/bench-widget.mjs's JSON, when it ran
 * @property {import("./bench/scenarios.mjs").Results} floor
 * @property {import("./bench/scenarios.mjs").Results} runtime
 * @property {import("./bench/goals.mjs").Goal[]} goals
 * @property {Awaited<ReturnType<typeof measureHostileBodies>>} [hostileBodies] unless --runtime-only
 * @property {Awaited<ReturnType<typeof measureFanOut>>} [fanOut] unless --runtime-only
 * @property {number} seconds
 */

const tmp = await mkdtemp(path.join(os.tmpdir(), "parley-bench-"));
/** @type {Partial<Report>} */
const report = { startedAt: new Date(started).toISOString(), quick, machine: machine() };
/** @type {import("./bench/servers.mjs").Server | undefined} */
let server;
/** The floor Worker's, beside the runtime's. @type {import("./bench/servers.mjs").Server | undefined} */
let floorServer;
/** @type {import("./mail-catcher.mjs").MailCatcher | undefined} */
let catcher;
try {
  log(`working in ${tmp}`);
  await buildWidget();
  report.widget = widgetSizes();
  const dist = path.join(tmp, "dist");
  await buildWorker(dist);
  const floorScript = path.join(tmp, "floor", "index.js");
  await bundleWorker("scripts/bench/floor-worker.ts", floorScript);
  const seeded = path.join(tmp, "seeded");
  await applyMigrations(seeded);

  log("seeding");
  const seedStart = Date.now();
  const seeding = await runtime({
    scriptPath: path.join(dist, "index.js"),
    persistDir: seeded,
    adminToken: ADMIN_TOKEN,
  });
  server = seeding;
  report.seed = {
    ...(await seed({
      base: seeding.base,
      db: await seeding.db(),
      adminToken: ADMIN_TOKEN,
      folder: tmp,
    })),
    seconds: Math.round((Date.now() - seedStart) / 100) / 10,
  };
  await server.stop();
  server = undefined;
  const devState = path.join(tmp, "dev");
  const runtimeState = path.join(tmp, "runtime");
  // The floor posts too: its own copy, so the product's threads stay as seeded.
  const floorState = path.join(tmp, "floor-state");
  for (const state of [devState, runtimeState, floorState])
    await cp(seeded, state, { recursive: true });

  if (!runtimeOnly) {
    log("behind npm start (wrangler dev)");
    server = await devServer({ persistDir: devState, adminToken: ADMIN_TOKEN });
    report.npmStart = await runScenarios({
      ...server,
      tag: "dev",
      adminToken: ADMIN_TOKEN,
      quick,
      log,
    });
    if (browser) {
      log("browser benchmark (scripts/bench-widget.mjs)");
      report.browser = await browserBench(server.base);
    }
    await server.stop();
    server = undefined;
  }

  log("on the runtime alone (Miniflare, built Worker), beside the floor Worker");
  floorServer = await runtime({
    scriptPath: floorScript,
    persistDir: floorState,
    adminToken: ADMIN_TOKEN,
  });
  const floor = floorLoads({ ...floorServer, quick, log });
  // Its mail goes over SMTP to a local catcher, for the fan-out.
  catcher = await startMailCatcher({ dir: path.join(tmp, "mailbox") });
  const port = await freePort();
  const runtimeServer = await runtime({
    scriptPath: path.join(dist, "index.js"),
    persistDir: runtimeState,
    adminToken: ADMIN_TOKEN,
    port,
    vars: { ...catcher.vars, PUBLIC_URL: `http://127.0.0.1:${port}` },
  });
  server = runtimeServer;
  report.runtime = await runScenarios({
    ...server,
    tag: "runtime",
    adminToken: ADMIN_TOKEN,
    floor,
    quick,
    log,
  });
  report.floor = floor.results;
  await floorServer.stop();
  floorServer = undefined;
  if (!runtimeOnly) {
    log("hostile bodies, on the runtime alone");
    report.hostileBodies = await measureHostileBodies({ ...server, repeat: quick ? 5 : 20, log });
    log("fan-out, on the runtime alone");
    report.fanOut = await measureFanOut({
      ...runtimeServer,
      mailboxDir: catcher.dir,
      subscribers: quick ? 100 : 1000,
      log,
    });
  }
  await server.stop();
  server = undefined;
} finally {
  await server?.stop();
  await floorServer?.stop();
  await catcher?.stop();
  await rm(tmp, { recursive: true, force: true });
}

// The try block above filled in every field it was asked to, or threw.
const measured = /** @type {Omit<Report, "goals" | "seconds">} */ (report);
/** @type {Report} */
const done = {
  ...measured,
  goals: goals(measured.runtime, measured.floor),
  seconds: Math.round((Date.now() - started) / 1000),
};
const outDir = path.join(root, "bench", "results");
await mkdir(outDir, { recursive: true });
await writeFile(path.join(outDir, "latest.json"), `${JSON.stringify(done, null, 2)}\n`);

const { widget, seed: s } = done;
console.log(
  [
    goalsTable(done.goals),
    "",
    markdownTable("Runtime alone (Miniflare → workerd, built Worker)", done.runtime, done.floor),
    ...(done.npmStart ? ["", markdownTable("Behind npm start (wrangler dev)", done.npmStart)] : []),
    ...(done.hostileBodies ? ["", hostileTable(done.hostileBodies)] : []),
    ...(done.fanOut ? ["", fanOutTable(done.fanOut)] : []),
    "",
    `Seeded ${s.commentsInserted} comments with the product's code (scripts/bench/rows.ts) in ${s.seconds} s; D1 database ${(s.databaseBytes / 2 ** 20).toFixed(1)} MiB, ${s.bytesPerComment} bytes per comment with its indexes.`,
    `Widget: ${widget.widgetFiles.join(" + ")} = ${widget.widgetGzipBytes} bytes gzip; count.js ${widget.countGzipBytes} bytes gzip.`,
    done.browser ? `Browser: ${JSON.stringify(done.browser)}` : "Browser benchmark: not run.",
    `Whole run: ${done.seconds} s. JSON: bench/results/latest.json`,
  ].join("\n"),
);

const overBudget = (done.hostileBodies ?? []).filter((r) => !r.withinBudget);
if (overBudget.length > 0) {
  console.error(`Over budget or answered wrongly: ${overBudget.map((r) => r.name).join("; ")}`);
  process.exitCode = 1;
}
