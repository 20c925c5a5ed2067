// The built Worker on workerd through Miniflare, with no wrangler dev in between: what `npm run
// bench` measures as "the runtime alone" and what the browser tests (test/e2e/server.ts) drive.
// It runs the bundle `npm run build` makes (what `npm run deploy` uploads) with the bindings of
// wrangler.toml as wrangler itself reads them, and, when asked, the static assets of public/ with
// their _headers. Requests go straight to workerd: wrangler dev's proxy, which drops a request
// and exits when the Worker is starved of CPU for a few seconds (README "Development"), is not
// in the path, so a busy machine only makes answers slower.
//
// Why package.json pins `miniflare` to an exact alpha (5.20260815.0-alpha): it is the version
// wrangler 4.124 itself depends on, exactly (and @cloudflare/vitest-pool-workers 0.23 too), and
// startRuntime() needs that one. It hands Miniflare the options wrangler makes
// (unstable_getMiniflareWorkerOptions), which are in the shape of wrangler's own miniflare and go
// through miniflare 5's convertV4MiniflareOptions (npm's "latest" miniflare is still 4.x); and
// this runtime must be the same workerd as `npm start` and `npm test`. Any other version, or a
// range npm resolves elsewhere, installs a second miniflare and workerd beside wrangler's. So it
// moves with wrangler: bump both, and the check below says when they part.
import { spawn } from "node:child_process";
import { createWriteStream } from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";
import { convertV4MiniflareOptions, Miniflare } from "miniflare";
import { unstable_getMiniflareWorkerOptions } from "wrangler";
import { freePort, waitForHealth } from "./local-http.mjs";
import { applyLocalMigrations, runWrangler } from "./wrangler.mjs";

const root = path.join(import.meta.dirname, "..");

const require = createRequire(import.meta.url);
const miniflare = /** @type {{ version: string }} */ (require("miniflare/package.json")).version;
const wranglers = /** @type {{ dependencies: Record<string, string> }} */ (
  require("wrangler/package.json")
).dependencies.miniflare;
if (miniflare !== wranglers) {
  throw new Error(
    `miniflare ${miniflare} is not the one wrangler uses (${wranglers}): set package.json's "miniflare" to "${wranglers}"`,
  );
}

/** `npm run build:widget`: the widget into public/. @returns {Promise<void>} */
export const buildWidget = () =>
  new Promise((resolve, reject) => {
    spawn(process.execPath, [path.join(root, "scripts", "build-widget.mjs")], {
      stdio: ["ignore", "ignore", "inherit"],
    }).on("exit", (code) => (code === 0 ? resolve() : reject(new Error("build:widget failed"))));
  });

/** `npm run build`'s bundle (wrangler deploy --dry-run), written to `outdir` as index.js. */
export const buildWorker = (/** @type {string} */ outdir) =>
  runWrangler(["deploy", "--dry-run", "--outdir", outdir], {
    stdio: ["ignore", "ignore", "inherit"],
  });

/** The migrations, applied to a local D1 under `persistDir` as `npm start` applies them. */
export const applyMigrations = (/** @type {string} */ persistDir) =>
  applyLocalMigrations(persistDir, ["ignore", "ignore", "inherit"]);

/**
 * The bindings of wrangler.toml (D1, the rate limiter, the static assets) as wrangler itself
 * passes them to Miniflare. It reads required secrets from the environment and says so; both are
 * set only for the call, so that neither the message nor the token reaches child processes.
 *
 * Wrangler types them as Omit<miniflare's V4WorkerOptions, ...>, and an Omit of a type with an
 * index signature keeps only the signature, so every field would read as unknown: here they are
 * typed as miniflare itself (the one wrangler depends on, package.json) types them.
 * @typedef {Pick<import("miniflare").V4WorkerOptionsShape,
 *   "compatibilityDate" | "compatibilityFlags" | "d1Databases" | "ratelimits" | "bindings"
 *   | "assets">
 * } WranglerBindings
 * @param {string} adminToken
 * @returns {WranglerBindings}
 */
function wranglerBindings(adminToken) {
  const saved = { ADMIN_TOKEN: process.env.ADMIN_TOKEN, WRANGLER_LOG: process.env.WRANGLER_LOG };
  Object.assign(process.env, { ADMIN_TOKEN: adminToken, WRANGLER_LOG: "error" });
  try {
    return /** @type {WranglerBindings} */ (
      unstable_getMiniflareWorkerOptions(path.join(root, "wrangler.toml")).workerOptions
    );
  } finally {
    for (const [name, value] of Object.entries(saved)) {
      if (value === undefined) delete process.env[name];
      else process.env[name] = value;
    }
  }
}

/**
 * @typedef {object} RuntimeOptions
 * @property {string} scriptPath the bundle buildWorker() wrote
 * @property {string} persistDir the local D1 state (applyMigrations()'s)
 * @property {string} adminToken
 * @property {boolean} [assets] serve public/ as `npm start` and a deployment do
 * @property {Record<string, string>} [vars] more variables, e.g. PARLEY_DEMO
 * @property {number} [port] where it listens (a free one unless given)
 * @property {string} [logFile] where workerd's log goes (its stderr otherwise); the browser tests
 *   keep it out of the test report, beside the state it belongs to
 */

/**
 * Starts the built Worker on 127.0.0.1 and waits until it answers. `db` gives its D1 binding,
 * `scheduled` runs its Cron Trigger.
 * @param {RuntimeOptions} options
 */
export async function startRuntime({
  scriptPath,
  persistDir,
  adminToken,
  assets,
  vars,
  logFile,
  port,
}) {
  const config = wranglerBindings(adminToken);
  const log = logFile ? createWriteStream(logFile, { flags: "a" }) : undefined;
  const mf = new Miniflare(
    convertV4MiniflareOptions({
      compatibilityDate: config.compatibilityDate,
      compatibilityFlags: config.compatibilityFlags,
      d1Databases: config.d1Databases,
      ratelimits: config.ratelimits,
      bindings: { ...config.bindings, ...vars, ADMIN_TOKEN: adminToken },
      ...(assets ? { assets: config.assets } : {}),
      // The bundle is one ES module; modulesRoot keeps its path inside the root workerd allows.
      modules: true,
      modulesRoot: path.dirname(scriptPath),
      scriptPath,
      resourcePersistencePath: path.join(persistDir, "v3"),
      host: "127.0.0.1",
      port: port ?? (await freePort()),
      ...(log && {
        handleStructuredLogs: (/** @type {{ level: string, message: string }} */ entry) =>
          log.write(`${entry.level}: ${entry.message}\n`),
      }),
    }),
  );
  const base = (await mf.ready).origin;
  try {
    await waitForHealth(base);
  } catch (error) {
    await mf.dispose();
    log?.end();
    throw error;
  }
  return {
    base,
    db: () => mf.getD1Database("DB"),
    /** The Cron Trigger's event, as Cloudflare sends it every minute; settles once it is done. */
    scheduled: async () => (await mf.getWorker()).scheduled({ cron: "* * * * *" }),
    stop: async () => {
      await mf.dispose();
      log?.end();
    },
  };
}
