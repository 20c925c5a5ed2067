#!/usr/bin/env node
// Runs the project's wrangler with the current Node.js, past wrangler's launcher.
//
// Wrangler 4.124 declares Node.js >= 22. Its launcher (wrangler/bin/wrangler.js, what `npx
// wrangler` starts) refuses anything older and exits; the machines and CI that run Parley have
// Node 20. The CLI behind the launcher (wrangler-dist/cli.js) only warns ("Wrangler requires at
// least Node.js v22.0.0") and carries on, so this script starts the CLI itself, as the launcher
// does (`node --no-warnings cli.js ...`), less the IPC channel the launcher opens to relay the
// CLI's messages to a parent that listens for them (nothing of ours does). The version check is
// all that is skipped. What we use of wrangler runs on Node 20 in every CI run:
//   dev, d1 migrations apply --local   npm start, which test/e2e/local-server.test.ts starts
//   deploy --dry-run, d1 migrations    the browser tests' server (scripts/runtime.mjs)
//   apply --local, the library
//   d1 migrations apply --local        npm run import/export (test/cli/portability.test.ts),
//                                      with getPlatformProxy
//   deploy --dry-run                   npm run build (.ci/run builds)
//   types --check                      npm run typecheck
//   the library                        npm test, through @cloudflare/vitest-pool-workers, which
//                                      pins this same wrangler and miniflare
// Not run here, for want of a Cloudflare account: login, d1 create, d1 migrations apply --remote,
// deploy, secret put, and import/export --remote. They go through the same CLI on the same
// Node.js, but nothing tests them on Node 20. README "Development" says the same; once Node 22
// is what we run, package.json's scripts can call `wrangler` and this file can go.
// Offline-friendly defaults: no telemetry, no fetch of the Request.cf placeholder.
import { spawn } from "node:child_process";
import { createRequire } from "node:module";
import path from "node:path";

const require = createRequire(import.meta.url);
const cli = path.join(
  path.dirname(require.resolve("wrangler/package.json")),
  "wrangler-dist/cli.js",
);

/**
 * @typedef {object} WranglerOptions
 * @property {Record<string, string>} [env] added to this process's environment
 * @property {import("node:child_process").StdioOptions} [stdio]
 */

/**
 * Starts wrangler with `args`.
 * @param {string[]} args
 * @param {WranglerOptions} [options]
 */
export function wrangler(args, { env = {}, stdio = "inherit" } = {}) {
  return spawn(process.execPath, ["--no-warnings", cli, ...args], {
    stdio,
    env: {
      WRANGLER_SEND_METRICS: "false",
      CLOUDFLARE_CF_FETCH_ENABLED: "false",
      ...process.env,
      ...env,
    },
  });
}

/**
 * Runs wrangler to completion; rejects when it fails.
 * @param {string[]} args
 * @param {WranglerOptions} [options]
 * @returns {Promise<void>}
 */
export function runWrangler(args, options) {
  return new Promise((resolve, reject) => {
    wrangler(args, options).on("exit", (code) =>
      code === 0 ? resolve() : reject(new Error(`wrangler ${args[0]} exited with ${code}`)),
    );
  });
}

/**
 * The migrations applied to the local D1 under `persistDir`, without questions (CI=true: wrangler
 * asks before applying otherwise), as `npm start`, the import/export CLI and the test and bench
 * servers apply them.
 * @param {string} persistDir
 * @param {import("node:child_process").StdioOptions} [stdio]
 */
export const applyLocalMigrations = (persistDir, stdio) =>
  runWrangler(["d1", "migrations", "apply", "DB", "--local", "--persist-to", persistDir], {
    env: { CI: "true" },
    stdio,
  });

if (import.meta.url === `file://${process.argv[1]}`) {
  wrangler(process.argv.slice(2)).on("exit", (code) => process.exit(code ?? 1));
}
