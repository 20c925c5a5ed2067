// Issue 12's budget: no 5,000-character body may cost the Worker 50 ms of CPU. Each body of
// test/fixtures/hostile-bodies.mjs (the shapes that cost the markdown parser the most, refused
// or parsed) is posted as a comment, one request at a time, and the CPU time of the workerd
// process running the Worker is read around the requests, as for every other load here.
import { HOSTILE_BODIES } from "../../test/fixtures/hostile-bodies.mjs";
import { pageUrl, SITE } from "./seed.mjs";
import { cpuMs } from "./servers.mjs";

export const HOSTILE_BUDGET_MS = 50;

const round = (/** @type {number} */ x) => Math.round(x * 100) / 100;
const median = (/** @type {number[]} */ xs) =>
  [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? Number.NaN;

/**
 * @param {string} base
 * @param {string} body
 * @param {number} n
 */
function post(base, body, n) {
  return fetch(`${base}/api/v1/sites/${SITE}/comments`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({
      page: pageUrl("hostile-bodies"),
      author: { name: `Hostile ${n % 40}` },
      body,
    }),
  });
}

/**
 * Posts each body `repeat` times after one warm-up post. Per body: the answer, workerd's CPU
 * milliseconds per request (CPU is read in 10 ms ticks, so over all the requests together) and
 * the median time to answer. A refused body must be answered 422, a parsed one 201 or 202 (the
 * same body again is held as a duplicate); anything else fails the body as an over-budget one.
 * @param {{
 *   base: string,
 *   processes: import("./servers.mjs").Processes,
 *   repeat?: number,
 *   log?: (line: string) => void,
 * }} options
 */
export async function measureHostileBodies({ base, processes, repeat = 10, log = () => {} }) {
  const cpu = () => processes.runtime.reduce((ms, pid) => ms + cpuMs(pid), 0);
  const results = [];
  let n = 0;
  for (const { name, body, refused } of HOSTILE_BODIES) {
    log(`  hostile body: ${name}`);
    await (await post(base, body, n++)).arrayBuffer();
    /** @type {Set<number>} */
    const statuses = new Set();
    /** @type {number[]} */
    const latencies = [];
    const before = cpu();
    for (let i = 0; i < repeat; i++) {
      const started = performance.now();
      const res = await post(base, body, n++);
      await res.arrayBuffer();
      latencies.push(performance.now() - started);
      statuses.add(res.status);
    }
    const cpuMsPerRequest = round((cpu() - before) / repeat);
    const expected = refused ? [422] : [201, 202];
    const answered = [...statuses].every((s) => expected.includes(s));
    results.push({
      name,
      chars: body.length,
      refused,
      statuses: [...statuses],
      cpuMsPerRequest,
      p50Ms: round(median(latencies)),
      requests: repeat,
      withinBudget: answered && cpuMsPerRequest < HOSTILE_BUDGET_MS,
    });
  }
  return results;
}

/**
 * The results as a Markdown table.
 * @param {Awaited<ReturnType<typeof measureHostileBodies>>} results
 */
export function hostileTable(results) {
  const lines = [
    `**Hostile bodies: 5,000 characters each, POST …/comments, runtime alone (budget < ${HOSTILE_BUDGET_MS} ms of workerd CPU a request)**`,
    "",
    "| body | answer | workerd CPU ms/req | p50 ms | budget | n |",
    "| --- | --- | ---: | ---: | ---: | ---: |",
  ];
  for (const r of results) {
    lines.push(
      `| ${r.name} | ${r.statuses.join(", ")} | ${r.cpuMsPerRequest} | ${r.p50Ms} | ${r.withinBudget ? "✓" : "✗"} | ${r.requests} |`,
    );
  }
  return lines.join("\n");
}
