// Finding a port and waiting for a local Parley to answer: the benchmark's servers, the browser
// tests' server (test/e2e/server.ts) and scripts/runtime.mjs start theirs with these.
import { createServer } from "node:net";

/**
 * A TCP port nobody listens on right now, on 127.0.0.1.
 * @returns {Promise<number>}
 */
export function freePort() {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.on("error", reject);
    server.listen(0, "127.0.0.1", () => {
      // A TCP server's address: an AddressInfo, never a pipe's name.
      const { port } = /** @type {import("node:net").AddressInfo} */ (server.address());
      server.close(() => resolve(port));
    });
  });
}

/**
 * Polls `${base}/api/v1/health` until it answers, for at most `ms`, or until `alive` says the
 * server stopped.
 * @param {string} base
 * @param {{ ms?: number, alive?: () => boolean }} [options]
 */
export async function waitForHealth(base, { ms = 90_000, alive = () => true } = {}) {
  const until = Date.now() + ms;
  while (Date.now() < until) {
    if (!alive()) throw new Error(`${base}: the server stopped before it was ready`);
    try {
      if ((await fetch(`${base}/api/v1/health`)).ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`${base} did not answer within ${ms / 1000} s`);
}
