// Small HTTP helpers for the benchmark: the API client for set-up and the Server-Timing reader.

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
