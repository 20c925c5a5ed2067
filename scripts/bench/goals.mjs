// The cost goals (issue 17), checked against one run on the runtime alone: workerd CPU per
// request and rows read per request (the load's mean). A cold thread view is held to a multiple of the floor
// Worker (floor-worker.ts), measured in the same run, so the ratio does not depend on the machine.
import { SIZES } from "./seed.mjs";

/** A cold view may cost this many times the floor's CPU: the floor is D1's reads and nothing else. */
const COLD_OVER_FLOOR = 1.3;

/**
 * @typedef {object} Goal
 * @property {string} name what is measured
 * @property {string} target the goal, as words
 * @property {string} measured the value, as printed
 * @property {string} floor the floor beside it, or "–"
 * @property {boolean} met
 */

/**
 * @param {import("./scenarios.mjs").Results} runtime
 * @param {import("./scenarios.mjs").Results} floor
 * @returns {Goal[]}
 */
export function goals(runtime, floor) {
  /** @param {string} key */
  const cpu = (key) => {
    const r = runtime[key] ?? floor[key];
    return r && "cpuMsPerRequest" in r ? (r.cpuMsPerRequest.runtime ?? NaN) : NaN;
  };
  /**
   * Rows read per request over the load, to two decimals: a version row kept for a moment
   * (src/services/recent-reads.ts) is read once per isolate per interval, not per request.
   * @param {string} key
   */
  const rows = (key) => {
    const r = runtime[key];
    const mean = r && "rowsRead" in r && typeof r.rowsRead === "object" ? r.rowsRead.mean : null;
    return mean === null || mean === undefined ? NaN : Math.round(mean * 100) / 100;
  };
  /**
   * A count a probe recorded, or NaN.
   * @param {import("./scenarios.mjs").Results} results
   * @param {string} key
   * @param {string} field
   */
  const probed = (results, key, field) => {
    const value = /** @type {Record<string, unknown> | undefined} */ (results[key])?.[field];
    return typeof value === "number" ? value : NaN;
  };
  /**
   * A floor stands under the product only if it reads what the product shows.
   * @param {string} what
   * @param {number} floorHas
   * @param {number} productHas
   */
  const sameAnswer = (what, floorHas, productHas) => {
    if (floorHas !== productHas)
      throw new Error(
        `floor ${what}: ${floorHas} in the floor's answer, ${productHas} in the product's`,
      );
  };
  /** A floor as printed: bare, and with the Cache API's lookup and write. */
  const bareAndCached = (/** @type {string} */ bare, /** @type {string} */ cached) =>
    `${cpu(bare)} ms (with the Cache API: ${cpu(cached)} ms)`;
  /** @type {Goal[]} */
  const found = [];
  /**
   * @param {string} name
   * @param {string} key
   * @param {number} ms
   * @param {number} [maxRows]
   * @param {string} [floor] what stands under it, as printed
   */
  const atMost = (name, key, ms, maxRows, floor = "–") => {
    const measured = cpu(key);
    const read = rows(key);
    const rowsMet = maxRows === undefined || read <= maxRows;
    found.push({
      name,
      target: `≤ ${ms} ms${maxRows === undefined ? "" : `, ≤ ${maxRows} row${maxRows === 1 ? "" : "s"}`}`,
      measured: `${measured} ms${maxRows === undefined ? "" : `, ${read.toFixed(2)} rows`}`,
      floor,
      met: measured <= ms && rowsMet,
    });
  };
  for (const size of SIZES) {
    // The floor must read what the view reads: as many rows as the view shows comments.
    sameAnswer(
      `${size}, rows against comments`,
      probed(floor, `probe.floor.${size}`, "rowsReturned"),
      probed(runtime, `probe.thread.${size}.cold`, "comments"),
    );
    for (const format of ["thread", "thread.html"]) {
      atMost(`${format} ${size.toLocaleString("en")}, cached`, `${format}.${size}.warm`, 1.2, 1);
      const measured = cpu(`${format}.${size}.cold`);
      const under = cpu(`floor.${size}`);
      found.push({
        name: `${format} ${size.toLocaleString("en")}, built from D1`,
        target: `≤ ${COLD_OVER_FLOOR}× floor`,
        measured: `${measured} ms (${(measured / under).toFixed(2)}×)`,
        floor: bareAndCached(`floor.${size}`, `floor.cached.${size}`),
        met: measured <= COLD_OVER_FLOOR * under,
      });
    }
  }
  atMost("counts for 20 pages, cached", "counts.20.warm", 1.0, 0);
  sameAnswer(
    "counts, pages counted",
    probed(floor, "probe.floor.counts", "rowsReturned"),
    probed(runtime, "probe.counts.cold", "pagesCounted"),
  );
  atMost(
    "counts for 20 pages, from D1",
    "counts.20.cold",
    2.0,
    undefined,
    bareAndCached("floor.counts", "floor.cached.counts"),
  );
  atMost(
    "post a comment",
    "post",
    4.0,
    undefined,
    `${cpu("floor.post")} ms (its D1 batches, bare)`,
  );
  for (const [key, name] of [
    ["feed.page", "a page's feed"],
    ["feed.site", "the site's feed"],
    ["recent", "recent comments"],
  ]) {
    atMost(`${name}, cached`, `${key}.warm`, 1.2, 1);
  }
  return found;
}

/** @param {Goal[]} rows */
export function goalsTable(rows) {
  const met = rows.filter((g) => g.met).length;
  return [
    `**Cost goals (issue 17): ${met} of ${rows.length} met** (workerd CPU per request on the runtime alone; rows read per request, the load's mean)`,
    "",
    "| goal | target | measured | floor | |",
    "| --- | --- | ---: | ---: | --- |",
    ...rows.map(
      (g) => `| ${g.name} | ${g.target} | ${g.measured} | ${g.floor} | ${g.met ? "✓" : "✗"} |`,
    ),
  ].join("\n");
}
