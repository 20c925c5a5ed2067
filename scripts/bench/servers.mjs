// The two ways the benchmark runs Parley, and the processes whose CPU time it reads.
//  - devServer: `npm start`'s own script (scripts/start.mjs: wrangler dev, its proxy, and the
//    Worker built from src/ by wrangler), on a port of our choosing.
//  - runtime: the Worker as `npm run build` bundles it, loaded by Miniflare straight into workerd
//    with the D1 binding and the other bindings of wrangler.toml (no static assets, no proxy).
//
// runtime() is scripts/runtime.mjs's startRuntime() with the process ids the benchmark reads.
import { spawn } from "node:child_process";
import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { freePort, waitForHealth } from "../local-http.mjs";
import { startRuntime } from "../runtime.mjs";

const root = path.join(import.meta.dirname, "..", "..");

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
 * The built Worker in workerd through Miniflare (scripts/runtime.mjs), on the D1 state under
 * `persistDir`, without static assets; `db` gives its D1 binding.
 * @param {import("../runtime.mjs").RuntimeOptions} options
 */
export async function runtime(options) {
  const before = new Set(descendants(process.pid).map((p) => p.pid));
  const server = await startRuntime(options);
  return {
    ...server,
    processes: {
      runtime: descendants(process.pid)
        .filter((p) => isWorkerd(p) && !before.has(p.pid))
        .map((p) => p.pid),
    },
  };
}
