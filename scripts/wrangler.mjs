#!/usr/bin/env node
// Runs the project's wrangler with the current Node.js. Wrangler's launcher refuses Node 20,
// which our machines and CI run, although the CLI itself works there for everything we use
// (dev, d1 migrations, d1 execute, types, deploy); `npm test`'s pool pins this same wrangler.
// Offline-friendly defaults: no telemetry, no fetch of the Request.cf placeholder.
import { spawn } from "node:child_process";
import { createRequire } from "node:module";
import path from "node:path";

const require = createRequire(import.meta.url);
const cli = path.join(
  path.dirname(require.resolve("wrangler/package.json")),
  "wrangler-dist/cli.js",
);

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

/** Runs wrangler to completion; rejects when it fails. */
export function runWrangler(args, options) {
  return new Promise((resolve, reject) => {
    wrangler(args, options).on("exit", (code) =>
      code === 0 ? resolve() : reject(new Error(`wrangler ${args[0]} exited with ${code}`)),
    );
  });
}

if (import.meta.url === `file://${process.argv[1]}`) {
  wrangler(process.argv.slice(2)).on("exit", (code) => process.exit(code ?? 1));
}
