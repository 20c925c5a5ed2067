// Small HTTP helpers for the benchmark: the API client for set-up and the Server-Timing reader.
import { createServer } from "node:net";

/**
 * Calls the API at `base` (an http://127.0.0.1:port origin); throws on anything but 2xx. The
 * answer's JSON is the caller's to describe.
 * @param {string} base
 * @param {string} method
 * @param {string} path
 * @param {unknown} [body]
 * @param {string} [token]
 * @returns {Promise<unknown>}
 */
export async function api(base, method, path, body, token) {
  /** @type {Record<string, string>} */
  const headers = { "content-type": "application/json" };
  if (token) headers.authorization = `Bearer ${token}`;
  const res = await fetch(`${base}/api/v1${path}`, {
    method,
    headers,
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  if (!res.ok) throw new Error(`${method} ${path}: ${res.status} ${await res.text()}`);
  return res.status === 204 ? null : res.json();
}

/**
 * What a response's Server-Timing says (src/middleware/database.ts): rows read and written, D1
 * round trips (all, and those that wrote), the thread cache's hit or miss. Missing ones are
 * undefined.
 * @param {string | string[] | null | undefined} header
 */
export function serverTiming(header) {
  const text = Array.isArray(header) ? header.join(", ") : (header ?? "");
  const desc = (/** @type {string} */ name) =>
    text.match(new RegExp(`(?:^|[,\\s])${name};desc="?([^",]*)"?`))?.[1];
  const number = (/** @type {string} */ name) => {
    const value = desc(name);
    return value === undefined ? undefined : Number(value);
  };
  return {
    rows: number("rows"),
    written: number("written"),
    calls: number("calls"),
    writeCalls: number("writecalls"),
    cache: desc("cache"),
    dbMs: Number(text.match(/(?:^|[,\s])db;dur=([\d.]+)/)?.[1] ?? Number.NaN),
  };
}

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
