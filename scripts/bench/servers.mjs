// The two ways the benchmark runs Parley, and the processes whose CPU time it reads.
//  - devServer: `npm start`'s own script (scripts/start.mjs: wrangler dev, its proxy, and the
//    Worker built from src/ by wrangler), on a port of our choosing.
//  - runtime: the Worker as `npm run build` bundles it, loaded by Miniflare straight into workerd
//    with the D1 binding and the other bindings of wrangler.toml (no static assets, no proxy).
//
// Why package.json pins `miniflare` to an exact alpha (5.20260815.0-alpha): it is the version
// wrangler 4.124 itself depends on, exactly (and @cloudflare/vitest-pool-workers 0.23 too), and
// runtime() needs that one. It hands Miniflare the options wrangler makes
// (unstable_getMiniflareWorkerOptions), which are in the shape of wrangler's own miniflare and go
// through miniflare 5's convertV4MiniflareOptions (npm's "latest" miniflare is still 4.x); and
// "runtime alone" must run the same workerd as `npm start` and `npm test`. Any other version, or
// a range npm resolves elsewhere, installs a second miniflare and workerd beside wrangler's. So
// it moves with wrangler: bump both, and the check below says when they part.
import { spawn } from "node:child_process";
import { readdirSync, readFileSync } from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";
import { convertV4MiniflareOptions, Miniflare } from "miniflare";
import { unstable_getMiniflareWorkerOptions } from "wrangler";
import { runWrangler } from "../wrangler.mjs";
import { freePort, waitForHealth } from "./http.mjs";

const root = path.join(import.meta.dirname, "..", "..");

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

/**
 * The processes whose CPU time a load is charged with, by role: the workerd running the Worker,
 * and behind `npm start` also wrangler dev's proxy and wrangler itself.
 * @typedef {{ runtime: number[], devProxy?: number[], wrangler?: number[] }} Processes
 */

/**
 * A running Parley: its origin, its processes, and how to stop it.
 * @typedef {{ base: string, processes: Processes, stop: () => Promise<void> }} Server
 */
const CLOCK_TICKS_PER_SECOND = 100; // USER_HZ, 100 on every Linux build Node supports

/** @returns {Promise<void>} */
export const buildWidget = () =>
  new Promise((resolve, reject) => {
    spawn(process.execPath, [path.join(root, "scripts", "build-widget.mjs")], {
      stdio: ["ignore", "ignore", "inherit"],
    }).on("exit", (code) => (code === 0 ? resolve() : reject(new Error("build:widget failed"))));
  });

/** `npm run build`'s bundle (wrangler deploy --dry-run), written to `outdir`. */
export const buildWorker = (/** @type {string} */ outdir) =>
  runWrangler(["deploy", "--dry-run", "--outdir", outdir], {
    stdio: ["ignore", "ignore", "inherit"],
  });

export const applyMigrations = (/** @type {string} */ persistDir) =>
  runWrangler(["d1", "migrations", "apply", "DB", "--local", "--persist-to", persistDir], {
    env: { CI: "true" },
    stdio: ["ignore", "ignore", "inherit"],
  });

/**
 * utime + stime of a process, in milliseconds; 0 once it is gone.
 * @param {number} pid
 */
export function cpuMs(pid) {
  try {
    // Fields after the parenthesised command name: state is 3rd, utime 14th, stime 15th.
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    return ((Number(fields[11]) + Number(fields[12])) * 1000) / CLOCK_TICKS_PER_SECOND;
  } catch {
    return 0;
  }
}

/** @param {number | string} pid */
function commandOf(pid) {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, "utf8").split("\0").join(" ");
  } catch {
    return undefined;
  }
}

/**
 * Every process below `pid`, with its command line.
 * @param {number} pid
 */
export function descendants(pid) {
  const parents = new Map();
  for (const entry of readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, "utf8");
      const ppid = Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[1]);
      parents.set(Number(entry), { ppid, cmd: commandOf(entry) ?? "" });
    } catch {
      // exited meanwhile
    }
  }
  /** @type {{ pid: number, cmd: string }[]} */
  const found = [];
  const walk = (/** @type {number} */ p) => {
    for (const [child, info] of parents)
      if (info.ppid === p) {
        found.push({ pid: child, cmd: info.cmd });
        walk(child);
      }
  };
  walk(pid);
  return found;
}

const isWorkerd = (/** @type {{ cmd: string }} */ p) => /\/workerd\s+serve\b/.test(p.cmd);

/**
 * `npm start` (scripts/start.mjs) on `persistDir`. Its wrangler dev runs two workerd processes:
 * the dev proxy, which owns the public port, and the one running the Worker.
 * @param {{ persistDir: string, adminToken: string }} options
 * @returns {Promise<Server>}
 */
export async function devServer({ persistDir, adminToken }) {
  const port = await freePort();
  const child = spawn(process.execPath, [path.join(root, "scripts", "start.mjs")], {
    stdio: ["ignore", "pipe", "pipe"],
    env: { ...process.env, PORT: String(port), PERSIST_DIR: persistDir, ADMIN_TOKEN: adminToken },
  });
  /** @type {string[]} */
  const log = [];
  const keep = (/** @type {Buffer} */ chunk) => log.push(...String(chunk).split("\n").slice(-20));
  child.stdout.on("data", keep);
  child.stderr.on("data", keep);
  const base = `http://127.0.0.1:${port}`;
  try {
    await waitForHealth(base, { ms: 120_000, alive: () => child.exitCode === null });
  } catch (error) {
    child.kill("SIGTERM");
    throw new Error(
      `${error instanceof Error ? error.message : error}\n${log.slice(-20).join("\n")}`,
    );
  }
  // It answered, so it was started and has a pid.
  const tree = descendants(/** @type {number} */ (child.pid));
  const workerds = tree.filter(isWorkerd);
  const proxy = workerds.find((p) => p.cmd.includes(`entry=localhost:${port}`));
  return {
    base,
    processes: {
      runtime: workerds.filter((p) => p !== proxy).map((p) => p.pid),
      devProxy: proxy ? [proxy.pid] : [],
      wrangler: tree.filter((p) => p.cmd.includes("wrangler-dist/cli.js")).map((p) => p.pid),
    },
    stop: async () => {
      if (child.exitCode === null) {
        const exited = new Promise((resolve) => child.on("exit", resolve));
        child.kill("SIGTERM"); // start.mjs passes it on to wrangler dev
        const late = setTimeout(() => child.kill("SIGKILL"), 15_000);
        await exited;
        clearTimeout(late);
      }
      // Whatever of the tree this run started and that outlived it (same pid and command line).
      for (const p of tree) {
        try {
          if (commandOf(p.pid) === p.cmd) process.kill(p.pid, "SIGKILL");
        } catch {
          // gone between the look and the kill
        }
      }
    },
  };
}

/**
 * The bindings of wrangler.toml (D1, the rate limiter) as wrangler itself passes them to
 * Miniflare. It reads required secrets from the environment and says so; both are set only for
 * the call, so that neither the message nor the token reaches child processes.
 *
 * Wrangler types them as Omit<miniflare's V4WorkerOptions, ...>, and an Omit of a type with an
 * index signature keeps only the signature, so every field would read as unknown: here they are
 * typed as miniflare itself (the one wrangler depends on, package.json) types them.
 * @typedef {Pick<import("miniflare").V4WorkerOptionsShape,
 *   "compatibilityDate" | "compatibilityFlags" | "d1Databases" | "ratelimits" | "bindings">
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
 * The built Worker in workerd through Miniflare, on the D1 state under `persistDir`; `db` gives
 * its D1 binding.
 * @param {{ scriptPath: string, persistDir: string, adminToken: string }} options
 */
export async function runtime({ scriptPath, persistDir, adminToken }) {
  const config = wranglerBindings(adminToken);
  const before = new Set(descendants(process.pid).map((p) => p.pid));
  const mf = new Miniflare(
    convertV4MiniflareOptions({
      compatibilityDate: config.compatibilityDate,
      compatibilityFlags: config.compatibilityFlags,
      d1Databases: config.d1Databases,
      ratelimits: config.ratelimits,
      bindings: { ...config.bindings, ADMIN_TOKEN: adminToken },
      // The bundle is one ES module; modulesRoot keeps its path inside the root workerd allows.
      modules: true,
      modulesRoot: path.dirname(scriptPath),
      scriptPath,
      resourcePersistencePath: path.join(persistDir, "v3"),
      host: "127.0.0.1",
      port: await freePort(),
    }),
  );
  const url = await mf.ready;
  const base = url.origin;
  await waitForHealth(base);
  return {
    base,
    db: () => mf.getD1Database("DB"),
    processes: {
      runtime: descendants(process.pid)
        .filter((p) => isWorkerd(p) && !before.has(p.pid))
        .map((p) => p.pid),
    },
    stop: () => mf.dispose(),
  };
}
