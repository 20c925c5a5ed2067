// One measured load: autocannon against 127.0.0.1, bounded in requests and in time, with the
// server's CPU time over the same run and what Server-Timing said about each response.
import autocannon from "autocannon";
import { serverTiming } from "./http.mjs";
import { cpuMs } from "./servers.mjs";

/** The p-th percentile of ascending `sorted`; 0 for none. */
const percentile = (/** @type {number[]} */ sorted, /** @type {number} */ p) =>
  sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? 0;
const round = (/** @type {number} */ x, digits = 2) => Math.round(x * 10 ** digits) / 10 ** digits;
const mean = (/** @type {number[]} */ xs) =>
  xs.length ? xs.reduce((a, b) => a + b, 0) / xs.length : 0;

/**
 * Sums CPU milliseconds over each named group of processes.
 * @param {import("./servers.mjs").Processes} processes
 * @returns {Record<string, number>}
 */
const cpuOf = (processes) =>
  Object.fromEntries(
    Object.entries(processes).map(([group, pids]) => [
      group,
      (pids ?? []).reduce((ms, pid) => ms + cpuMs(pid), 0),
    ]),
  );

/**
 * What measure() runs: at most `amount` requests and `maxSeconds` against `base`.
 * @typedef {object} Load
 * @property {string} base
 * @property {import("./servers.mjs").Processes} processes
 * @property {import("autocannon").Request} request
 * @property {number} amount
 * @property {number} maxSeconds
 * @property {number} [connections]
 * @property {number} [expectStatus]
 * @property {number} [rounds] runs the load this many times (1 unless given), as one measurement
 * @property {() => Promise<void>} [between] before each round but the first; its time and CPU
 *   are left out (the cold loads make every cached view cold again with it)
 */

/** @typedef {Awaited<ReturnType<typeof measure>>} Measured What measure() found. */

/**
 * Runs one load and summarises it. `request` is autocannon's request object: a `path`, and
 * optionally `method`, `body`, `headers` or `setupRequest` (called per request, so a shared
 * counter there gives every request its own URL or body).
 * @param {Load} load
 */
export async function measure({
  base,
  processes,
  request,
  amount,
  maxSeconds,
  connections = 8,
  expectStatus = 200,
  rounds = 1,
  between = async () => {},
}) {
  /** @type {number[]} */
  const latencies = [];
  /** @type {ReturnType<typeof serverTiming>[]} */
  const timings = [];
  /** @type {Record<number, number>} */
  const statuses = {};
  /** @type {Record<string, number>} */
  const cpuSpent = {};
  let clientMs = 0;
  let seconds = 0;
  let errors = 0;
  for (let round = 0; round < rounds; round++) {
    if (round > 0) await between();
    const before = cpuOf(processes);
    const client = process.cpuUsage();
    const startedAt = performance.now();
    /** @type {(result: import("autocannon").Result) => void} */
    let finished = () => {};
    /** @type {(error: unknown) => void} */
    let failed = () => {};
    /** @type {Promise<import("autocannon").Result>} */
    const completed = new Promise((resolve, reject) => {
      finished = resolve;
      failed = reject;
    });
    // The callback form: its typings give the instance (events, stop()); the promise form's give
    // only the promise.
    const instance = autocannon(
      {
        url: base,
        connections: Math.min(connections, amount),
        amount,
        timeout: 10,
        requests: [
          {
            ...request,
            onResponse: (status, _body, _context, headers) => {
              statuses[status] = (statuses[status] ?? 0) + 1;
              // Raw header names keep the server's case.
              const name = Object.keys(headers ?? {}).find(
                (h) => h.toLowerCase() === "server-timing",
              );
              timings.push(serverTiming(name ? headers?.[name] : undefined));
            },
          },
        ],
      },
      (error, result) => (error ? failed(error) : finished(result)),
    );
    let lastResponseAt = startedAt;
    instance.on("response", (_client, _status, _bytes, ms) => {
      latencies.push(ms);
      lastResponseAt = performance.now();
    });
    // `amount` bounds the count; this bounds the time. autocannon reports what completed.
    const cap = setTimeout(() => instance.stop(), maxSeconds * 1000);
    const result = await completed;
    // autocannon settles on its next one-second tick; the rate is over the responses themselves.
    seconds += (lastResponseAt - startedAt) / 1000;
    clearTimeout(cap);
    const after = cpuOf(processes);
    for (const group of Object.keys(after))
      cpuSpent[group] = (cpuSpent[group] ?? 0) + (after[group] ?? 0) - (before[group] ?? 0);
    const { user, system } = process.cpuUsage(client);
    clientMs += (user + system) / 1000;
    errors += result.errors;
  }

  const done = latencies.length;
  const sorted = latencies.sort((a, b) => a - b);
  const rows = timings.map((t) => t.rows).filter((r) => r !== undefined);
  const cache = timings.reduce(
    (n, t) => {
      if (t.cache) n[t.cache] = (n[t.cache] ?? 0) + 1;
      return n;
    },
    /** @type {Record<string, number>} */ ({}),
  );
  const cpuPerRequest = Object.fromEntries(
    Object.entries(cpuSpent).map(([group, ms]) => [group, done ? round(ms / done, 3) : null]),
  );
  const unexpected = done - (statuses[expectStatus] ?? 0) + errors;
  return {
    requests: done,
    seconds: round(seconds, 2),
    reqPerSec: round(done / seconds, 1),
    latencyMs: {
      p50: round(percentile(sorted, 50)),
      p99: round(percentile(sorted, 99)),
      max: round(sorted.at(-1) ?? 0),
    },
    rowsRead: {
      min: rows.length ? rows.reduce((a, b) => Math.min(a, b)) : null,
      mean: round(mean(rows), 3),
      max: rows.length ? rows.reduce((a, b) => Math.max(a, b)) : null,
    },
    rowsWritten: round(mean(timings.map((t) => t.written ?? 0)), 1),
    d1Calls: round(mean(timings.map((t) => t.calls ?? 0)), 2),
    d1WritingCalls: round(mean(timings.map((t) => t.writeCalls ?? 0)), 2),
    cache,
    statuses,
    errors,
    unexpected,
    cpuMsPerRequest: cpuPerRequest,
    // The load generator shares the machine: what it spent tells whether it was the bottleneck.
    clientCpuMsPerRequest: done ? round(clientMs / done, 3) : null,
  };
}
