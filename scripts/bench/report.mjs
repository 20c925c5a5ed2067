// What the benchmark prints and records besides the loads: the machine, the widget's size, and
// the results as a Markdown table.
import { execFileSync } from "node:child_process";
import { readdirSync, readFileSync } from "node:fs";
import { createRequire } from "node:module";
import os from "node:os";
import path from "node:path";
import { gzipSync } from "node:zlib";

const require = createRequire(import.meta.url);
const root = path.join(import.meta.dirname, "..", "..");
const version = (/** @type {string} */ pkg) =>
  /** @type {{ version: string }} */ (require(`${pkg}/package.json`)).version;

export function machine() {
  const cpuinfo = readFileSync("/proc/cpuinfo", "utf8");
  const workerd = path.join(
    path.dirname(require.resolve("workerd/package.json")),
    "bin",
    "workerd",
  );
  let workerdBuild = null;
  try {
    workerdBuild = execFileSync(workerd, ["--version"], { encoding: "utf8" }).trim();
  } catch {
    // the version of the npm package is reported anyway
  }
  return {
    nproc: os.availableParallelism(),
    cpu: cpuinfo.match(/^model name\s*:\s*(.+)$/m)?.[1] ?? os.cpus()[0]?.model,
    memoryGiB: Math.round((os.totalmem() / 2 ** 30) * 10) / 10,
    os: `${os.type()} ${os.release()}`,
    node: process.version,
    workerd: `${version("workerd")}${workerdBuild ? ` (${workerdBuild})` : ""}`,
    wrangler: version("wrangler"),
    miniflare: version("miniflare"),
    autocannon: version("autocannon"),
  };
}

/**
 * Gzip sizes (level 9, as scripts/check-size.mjs measures) of what a reader downloads: every
 * script in public/ but count.js and recent.js (the widget, however many files it is split into),
 * and count.js.
 */
export function widgetSizes() {
  const dir = path.join(root, "public");
  const gz = (/** @type {string} */ file) =>
    gzipSync(readFileSync(path.join(dir, file)), { level: 9 }).length;
  const scripts = readdirSync(dir).filter((f) => f.endsWith(".js"));
  // recent.js is a page's "Recent comments" list, not the comments section: no more the widget's
  // than count.js is.
  const widget = scripts.filter((f) => f !== "count.js" && f !== "recent.js");
  return {
    widgetFiles: widget,
    widgetGzipBytes: widget.reduce((n, f) => n + gz(f), 0),
    countGzipBytes: scripts.includes("count.js") ? gz("count.js") : null,
  };
}

/** @type {Record<string, string>} */
const LABELS = {
  health: "health (reads nothing)",
  "thread.100.cold": "thread 100, first page, cold",
  "thread.100.warm": "thread 100, first page, warm",
  "thread.1000.cold": "thread 1,000, first page, cold",
  "thread.1000.warm": "thread 1,000, first page, warm",
  "thread.10000.cold": "thread 10,000, first page, cold",
  "thread.10000.warm": "thread 10,000, first page, warm",
  "thread.html.100.cold": "thread.html 100, first page, cold",
  "thread.html.100.warm": "thread.html 100, first page, warm",
  "thread.html.1000.cold": "thread.html 1,000, first page, cold",
  "thread.html.1000.warm": "thread.html 1,000, first page, warm",
  "thread.html.10000.cold": "thread.html 10,000, first page, cold",
  "thread.html.10000.warm": "thread.html 10,000, first page, warm",
  "floor.100": "floor Worker: thread 100's cold reads",
  "floor.1000": "floor Worker: thread 1,000's cold reads",
  "floor.10000": "floor Worker: thread 10,000's cold reads",
  "floor.cached.100": "floor Worker: thread 100's cold reads, with the Cache API",
  "floor.cached.1000": "floor Worker: thread 1,000's cold reads, with the Cache API",
  "floor.cached.10000": "floor Worker: thread 10,000's cold reads, with the Cache API",
  "floor.counts": "floor Worker: counts for 20 pages, one batch",
  "floor.cached.counts": "floor Worker: counts for 20 pages, with the Cache API",
  "floor.post": "floor Worker: a post's two D1 batches",
  "counts.20.cold": "counts, 20 pages, cold",
  "counts.20.warm": "counts, 20 pages, warm",
  "feed.page.cold": "a page's feed, cold",
  "feed.page.warm": "a page's feed, warm",
  "feed.site.warm": "the site's feed, warm",
  "recent.cold": "recent comments, cold",
  "recent.warm": "recent comments, warm",
  post: "post a comment",
};
/**
 * The probe that describes a single response of each load.
 * @type {Record<string, string>}
 */
const PROBES = {
  ...Object.fromEntries(
    [100, 1000, 10000].flatMap((size) =>
      ["cold", "warm"].map((t) => [`thread.html.${size}.${t}`, `probe.thread.html.${size}.${t}`]),
    ),
  ),
  "thread.100.cold": "probe.thread.100.cold",
  "thread.100.warm": "probe.thread.100.warm",
  "thread.1000.cold": "probe.thread.1000.cold",
  "thread.1000.warm": "probe.thread.1000.warm",
  "thread.10000.cold": "probe.thread.10000.cold",
  "thread.10000.warm": "probe.thread.10000.warm",
  "counts.20.cold": "probe.counts.cold",
  "counts.20.warm": "probe.counts.warm",
  "feed.page.warm": "probe.feed.page.warm",
  "feed.site.warm": "probe.feed.site.warm",
  "recent.warm": "probe.recent.warm",
  post: "probe.post",
};

const cell = (/** @type {unknown} */ x) => (x === null || x === undefined ? "–" : String(x));
/**
 * The probe's rows, and the range over the load when that differs (cold pages vary in size).
 * @param {{ rowsRead?: number }} probe
 * @param {{ min: number | null, max: number | null }} range
 */
function rowsCell(probe, { min, max }) {
  const range = min === max ? cell(min) : `${cell(min)}–${cell(max)}`;
  if (probe.rowsRead === undefined) return range;
  return range === String(probe.rowsRead) ? range : `${probe.rowsRead} (${range})`;
}
/**
 * @param {string} key
 * @param {{ budget?: number, withinBudget?: boolean }} probe
 */
function budgetCell(key, probe) {
  if (probe.budget === undefined) return "–";
  const limit = key === "post" ? `${probe.budget} write batch` : `≤ ${probe.budget}`;
  return `${limit} ${probe.withinBudget ? "✓" : "✗"}`;
}

/**
 * One Markdown table per server; the floor Worker's loads, when given, among its rows.
 * @param {string} name
 * @param {import("./scenarios.mjs").Results} server
 * @param {import("./scenarios.mjs").Results} [floor]
 */
export function markdownTable(name, server, floor = {}) {
  const results = { ...server, ...floor };
  const dev = Object.values(results).some(
    (r) => "cpuMsPerRequest" in r && r.cpuMsPerRequest.devProxy !== undefined,
  );
  const head = [
    "request",
    "req/s",
    "p50 ms",
    "p99 ms",
    "rows read",
    "budget",
    "comments",
    "bytes",
    "workerd CPU ms/req",
    ...(dev ? ["dev proxy + wrangler CPU ms/req"] : []),
    "n",
  ];
  const lines = [
    `**${name}**`,
    "",
    `| ${head.join(" | ")} |`,
    `|${head.map((_, i) => (i ? " ---: " : " --- ")).join("|")}|`,
  ];
  for (const [key, label] of Object.entries(LABELS)) {
    const r = results[key];
    if (!r || !("cpuMsPerRequest" in r)) continue;
    const probed = results[PROBES[key] ?? ""];
    const p = probed && "status" in probed ? probed : undefined;
    const proxy = (r.cpuMsPerRequest.devProxy ?? 0) + (r.cpuMsPerRequest.wrangler ?? 0);
    lines.push(
      `| ${[
        label,
        r.reqPerSec,
        r.latencyMs.p50,
        r.latencyMs.p99,
        rowsCell(p ?? {}, r.rowsRead),
        budgetCell(key, p ?? {}),
        cell(p?.comments),
        cell(p?.bytes),
        cell(r.cpuMsPerRequest.runtime),
        ...(dev ? [Math.round(proxy * 1000) / 1000] : []),
        `${r.requests}${r.unexpected ? ` (${r.unexpected} unexpected)` : ""}`,
      ].join(" | ")} |`,
    );
  }
  return lines.join("\n");
}
