// What is measured on each server: the thread's first page on a cold and on a warm edge cache
// for each seeded size, as JSON and as HTML (thread.html), counts for 20 pages (an index page's
// worth), the feeds and recent comments, and posting. Each load is preceded by one plain request
// (the probe) that records what a single response of that kind is: status, rows read, cache hit
// or miss, comments returned, size. floorLoads() loads the floor Worker (floor-worker.ts) with the
// product's cold requests, each right after the product's.
import { api, serverTiming } from "./http.mjs";
import { measure } from "./load.mjs";
import { BENCH_SITE, countPages, pageUrl, SITE, SIZES, threadPage } from "./seed.mjs";

/*
 * The edge cache keys a view on the thread's version and on (sort, limit, cursor). A cold view
 * is one whose key nobody stored: every cold request gets a (sort, limit) pair of its own, limits
 * 26–75 around the default 50 for each of the three sorts, so no write disturbs the run and the
 * pages stay near the default size. The default view (oldest, 50) is left to the probes: the cold
 * probe stores it, the warm probe and the warm load then hit it.
 *
 * thread.html keeps its own entries but draws a missed one from the JSON view's entry when that
 * holds the same key (services/comments/reading.ts), so a JSON load would warm the HTML's cold
 * keys. The pairs are therefore shared out: the JSON's cold load asks every other one, the
 * HTML's the rest, both near the default size. The HTML's default view is a sort the JSON's
 * probes never ask (newest, 50).
 */
const SORTS = ["oldest", "newest", "top"];
const COLD_LIMITS = Array.from({ length: 50 }, (_, i) => 26 + i);
/** Limits no load asks for, for the warm-up's views built from D1. */
const WARM_UP_LIMITS = Array.from({ length: 14 }, (_, i) => 76 + i);
const COUNTS_PAGES = 20;
/** Rounds of each thread view's cold load (see runScenarios). */
const COLD_ROUNDS = 3;

const threadPath = (/** @type {number} */ size, query = "", format = "thread") =>
  `/api/v1/sites/${SITE}/${format}?page=${encodeURIComponent(threadPage(size))}${query}`;
const COLD_PAIRS = SORTS.flatMap((sort) =>
  COLD_LIMITS.map((limit) => `&sort=${sort}&limit=${limit}`),
);
const FORMATS = /** @type {const} */ ([
  { name: "thread", default: "&sort=oldest&limit=50", share: 0 },
  { name: "thread.html", default: "&sort=newest&limit=50", share: 1 },
]);
/** Views the warm-ups ask for and no load does: the default sort at limits 90, 95 and 100. */
const WARM_PATHS = SIZES.flatMap((s) => [90, 95, 100].map((l) => threadPath(s, `&limit=${l}`)));

/**
 * The cold requests of the thread's first page in `format` for one size: each a (sort, limit)
 * pair nobody stored, shared out between the formats (see above).
 * @param {number} size
 * @param {(typeof FORMATS)[number]} format
 */
const coldThreadPaths = (size, format) =>
  COLD_PAIRS.filter((_, i) => i % 2 === format.share)
    .filter((q) => !FORMATS.some((f) => f.default === q))
    .map((q) => threadPath(size, q, format.name));

/*
 * Counts are edge-cached per set of pages. The warm load repeats the default set; every cold
 * request swaps its last page for a never-seen one (`variant`), so each is a set of its own.
 */
const countsPath = (/** @type {string | undefined} */ variant = undefined) => {
  // Pages with threads, and two new ones (an index page lists new articles too).
  const pages = [...countPages().slice(0, COUNTS_PAGES - 2), ...countPages().slice(-2)];
  if (variant !== undefined) pages[COUNTS_PAGES - 1] = pageUrl(`unseen-${variant}`);
  return `/api/v1/sites/${SITE}/counts?${pages.map((p) => `page=${encodeURIComponent(p)}`).join("&")}`;
};

/** The cold counts load: each request a set of pages of its own. */
const coldCountsPaths = (/** @type {string} */ tag, /** @type {number} */ scale) =>
  Array.from({ length: Math.round(4000 * scale) }, (_, i) => countsPath(`${tag}-${i}`));

/** How many pages of a counts answer have comments: the product's and the floor's must agree. */
const pagesCounted = (/** @type {unknown} */ body) =>
  Object.values(/** @type {{ counts?: Record<string, number> }} */ (body)?.counts ?? {}).filter(
    (n) => n > 0,
  ).length;

/**
 * What the probes read of an answer: a thread's comments and cursor (counts and posts have none).
 * @typedef {{ comments?: { id: string, depth: number, moreReplies?: unknown }[], nextCursor?: string | null }} Answer
 */

/**
 * One request, described.
 * @param {string} base
 * @param {string} path
 * @param {RequestInit} [init]
 */
async function probe(base, path, init) {
  const res = await fetch(`${base}${path}`, init);
  const text = await res.text();
  // thread.html carries its JSON view in its data block, `<` escaped as JSON allows.
  const html = /<script type="application\/json" data-parley-data>(.*?)<\/script>/s.exec(text);
  const json = res.headers.get("content-type")?.startsWith("application/json");
  /** @type {Answer | null} */
  const body = html ? JSON.parse(html[1] ?? "null") : json && text ? JSON.parse(text) : null;
  const timing = serverTiming(res.headers.get("server-timing"));
  return {
    status: res.status,
    rowsRead: timing.rows,
    rowsWritten: timing.written,
    d1Calls: timing.calls,
    d1WritingCalls: timing.writeCalls,
    cache: timing.cache,
    bytes: Buffer.byteLength(text),
    comments: body?.comments?.length,
    cutSubtrees: body?.comments?.filter((c) => c.moreReplies).length,
    nextCursor: body ? Boolean(body.nextCursor) : undefined,
    body,
  };
}
/**
 * A probe without its body, checked against its budget (issue 5): the limit, and what was
 * measured against it (rows read, or write batches).
 * @param {Awaited<ReturnType<typeof probe>>} probed
 * @param {[limit: number, measured: number | undefined]} budget
 */
function described({ body: _body, ...rest }, [limit, measured]) {
  return { ...rest, budget: limit, withinBudget: measured !== undefined && measured <= limit };
}

/**
 * Paths handed out one per request, so concurrent connections never repeat one.
 * @param {string[]} paths
 * @returns {import("autocannon").Request}
 */
function eachOnce(paths) {
  let next = 0;
  return {
    path: paths[0],
    setupRequest: (req) => ({ ...req, path: paths[next++ % paths.length] }),
  };
}

/**
 * Posting bodies differ per request (the same body twice on a site is held as a duplicate).
 * @param {string} page
 * @param {string[]} rootIds
 * @param {string} tag
 */
function postings(page, rootIds, tag) {
  let n = 0;
  return {
    method: /** @type {const} */ ("POST"),
    path: `/api/v1/sites/${SITE}/comments`,
    headers: { "content-type": "application/json" },
    /** @type {(req: import("autocannon").Request) => import("autocannon").Request} */
    setupRequest: (req) => {
      n += 1;
      return {
        ...req,
        body: JSON.stringify({
          page,
          parentId: n % 2 ? rootIds[n % rootIds.length] : undefined,
          author: { name: `Poster ${n % 40}`, email: `poster${n % 40}@example.com` },
          body: `Benchmark comment ${tag}-${n}: the *figures* on page 4 do not add up, see https://example.org/${n}.`,
        }),
      };
    },
  };
}

/**
 * What a run records, by name: each load ("thread.100.cold", "post", ...) and the probe that
 * describes one response of it ("probe.thread.100.cold", "probe.post", ...).
 * The floor's probes ("probe.floor.100", ...) record only how many rows one answer returned.
 * @typedef {Record<string, import("./load.mjs").Measured | (ReturnType<typeof described> & { pagesCounted?: number }) | { rowsReturned: number }>} Results
 */

/**
 * Measures a load on one server, logged and recorded in `results` under its name.
 * @param {{ base: string, processes: import("./servers.mjs").Processes, log: (line: string) => void }} server
 * @param {Results} results
 */
const recorder =
  ({ base, processes, log }, results) =>
  /**
   * @param {string} name
   * @param {Omit<import("./load.mjs").Load, "base" | "processes">} options
   */
  async (name, options) => {
    log(`  ${name}`);
    results[name] = await measure({ base, processes, ...options });
    return results[name];
  };

/**
 * Runs every scenario against one server. `floor`, when given, runs its loads beside the product's
 * (floorLoads). `quick` shrinks the loads (a smoke run); `log` reports progress. Returns the
 * results keyed by scenario.
 * @param {{
 *   base: string,
 *   processes: import("./servers.mjs").Processes,
 *   tag: string,
 *   adminToken: string,
 *   floor?: ReturnType<typeof floorLoads>,
 *   quick?: boolean,
 *   log?: (line: string) => void,
 * }} server
 */
export async function runScenarios({
  base,
  processes,
  tag,
  adminToken,
  floor,
  quick = false,
  log = () => {},
}) {
  const touchSite = async () => {
    await api(base, "PATCH", `/sites/${SITE}`, { name: BENCH_SITE.name }, adminToken);
  };
  const scale = quick ? 0.1 : 1;
  const seconds = quick ? 1.5 : 6;
  /** @type {Results} */
  const results = {};
  const run = recorder({ base, processes, log }, results);

  // Warms the isolate (JIT, the site memo, SQLite's page cache) on keys the scenarios never use:
  // views built from D1 in both formats, each key once (otherwise the first cold load measured
  // would pay for compiling the code that builds a view), then repeats that come from the cache.
  const building = SIZES.flatMap((size) =>
    FORMATS.flatMap((f) =>
      SORTS.flatMap((sort) =>
        WARM_UP_LIMITS.map((l) => threadPath(size, `&sort=${sort}&limit=${l}`, f.name)),
      ),
    ),
  );
  await measure({
    base,
    processes,
    request: eachOnce(building),
    amount: quick ? 30 : building.length,
    maxSeconds: 60,
    connections: 4,
  });
  await measure({
    base,
    processes,
    request: eachOnce([...WARM_PATHS, countsPath("warm-up"), "/api/v1/health"]),
    amount: Math.round(300 * scale) + WARM_PATHS.length,
    maxSeconds: 20,
    connections: 4,
  });
  await floor?.warm();

  // A route that reads nothing: the floor that everything else stands on.
  await run("health", {
    request: { path: "/api/v1/health" },
    amount: Math.round(20000 * scale),
    maxSeconds: seconds,
  });

  for (const size of SIZES) {
    for (const format of FORMATS) {
      const key = format.name === "thread" ? `thread.${size}` : `thread.html.${size}`;
      const coldPaths = coldThreadPaths(size, format);
      const defaultPath = threadPath(size, format.default, format.name);
      // Each cold path once per round; between rounds the site's settings are saved unchanged,
      // which moves its `updatedAt` and so makes every cached view cold again (three rounds:
      // more requests, a steadier figure).
      await run(`${key}.cold`, {
        request: eachOnce(coldPaths),
        amount: quick ? 30 : coldPaths.length,
        maxSeconds: 30,
        connections: 4,
        rounds: quick ? 1 : COLD_ROUNDS,
        between: touchSite,
      });
      if (format.name === "thread") await floor?.thread(size);
      const coldProbe = await probe(base, defaultPath);
      const cold = described(coldProbe, [(coldProbe.comments ?? 0) + 2, coldProbe.rowsRead]);
      const warmProbe = await probe(base, defaultPath);
      const warm = described(warmProbe, [1, warmProbe.rowsRead]);
      if (cold.cache !== "miss" || warm.cache !== "hit")
        throw new Error(`${key}: expected a miss then a hit, got ${cold.cache}, ${warm.cache}`);
      results[`probe.${key}.cold`] = cold;
      results[`probe.${key}.warm`] = warm;
      await run(`${key}.warm`, {
        request: { path: defaultPath },
        amount: Math.round(20000 * scale),
        maxSeconds: seconds,
      });
    }
  }

  const countsCold = await probe(base, countsPath());
  const countsWarm = await probe(base, countsPath());
  if (countsCold.cache !== "miss" || countsWarm.cache !== "hit")
    throw new Error(
      `counts: expected a miss then a hit, got ${countsCold.cache}, ${countsWarm.cache}`,
    );
  results["probe.counts.cold"] = {
    ...described(countsCold, [COUNTS_PAGES, countsCold.rowsRead]),
    pagesCounted: pagesCounted(countsCold.body),
  };
  // A hit reads the site's counts version, the one row that proves the entry is still right.
  results["probe.counts.warm"] = described(countsWarm, [1, countsWarm.rowsRead]);
  const coldCounts = coldCountsPaths(tag, scale);
  await run("counts.20.cold", {
    request: eachOnce(coldCounts),
    amount: coldCounts.length,
    maxSeconds: seconds,
  });
  await floor?.counts();
  await run("counts.20.warm", {
    request: { path: countsPath() },
    amount: Math.round(20000 * scale),
    maxSeconds: seconds,
  });

  // Feeds and recent comments: warm on one entry each, cold on entries nobody stored (each
  // page's feed once; recent comments at every limit).
  const feedPath = (/** @type {string} */ page) =>
    `/api/v1/sites/${SITE}/feed.atom?page=${encodeURIComponent(page)}`;
  const recentPath = (/** @type {number} */ limit) => `/api/v1/sites/${SITE}/recent?limit=${limit}`;
  const FEEDS = [
    { key: "feed.page", warm: feedPath(threadPage(1000)), cold: countPages().map(feedPath) },
    { key: "feed.site", warm: `/api/v1/sites/${SITE}/feed.atom` },
    {
      key: "recent",
      warm: recentPath(20),
      cold: Array.from({ length: 50 }, (_, i) => recentPath(i + 1)).filter((_, i) => i !== 19),
    },
  ];
  for (const feed of FEEDS) {
    const first = await probe(base, feed.warm);
    const again = await probe(base, feed.warm);
    results[`probe.${feed.key}.warm`] = described(again, [1, again.rowsRead]);
    if (first.cache !== "miss" || again.cache !== "hit")
      throw new Error(
        `${feed.key}: expected a miss then a hit, got ${first.cache}, ${again.cache}`,
      );
    if (feed.cold) {
      await run(`${feed.key}.cold`, {
        request: eachOnce(feed.cold.filter((p) => p !== feed.warm)),
        amount: quick ? 10 : feed.cold.length - 1,
        maxSeconds: 30,
        connections: 4,
      });
    }
    await run(`${feed.key}.warm`, {
      request: { path: feed.warm },
      amount: Math.round(20000 * scale),
      maxSeconds: seconds,
    });
  }

  // Posting on the 1,000-comment thread: half new top-level comments, half replies.
  const page = threadPage(1000);
  const first = await probe(base, threadPath(1000));
  const rootIds = (first.body?.comments ?? []).filter((c) => c.depth === 0).map((c) => c.id);
  const once = postings(page, rootIds, `${tag}-probe`);
  const posted = await probe(base, once.path, {
    method: "POST",
    headers: once.headers,
    body: once.setupRequest({}).body,
  });
  // Posting's budget is in D1 round trips that write: one batch.
  results["probe.post"] = described(posted, [1, posted.d1WritingCalls]);
  await run("post", {
    request: postings(page, rootIds, tag),
    amount: Math.round(2000 * scale),
    maxSeconds: seconds,
    connections: 4,
    expectStatus: 201,
  });
  await floor?.post(rootIds);
  return results;
}

/**
 * The floor Worker (floor-worker.ts) beside the product: its loads, each run by runScenarios
 * right after the product's load it stands under, so that both meet the machine in the same
 * state (a figure measured minutes apart moved by a third on this machine). `results` collects
 * what they measured.
 * @param {{ base: string, processes: import("./servers.mjs").Processes, quick?: boolean, log?: (line: string) => void }} server
 */
export function floorLoads({ base, processes, quick = false, log = () => {} }) {
  /** @type {Results} */
  const results = {};
  const json = FORMATS[0];
  const run = recorder({ base, processes, log }, results);
  return {
    results,
    /** The same warm-up of paths no load asks for. */
    warm: () =>
      measure({
        base,
        processes,
        request: eachOnce(WARM_PATHS),
        amount: Math.round(300 * (quick ? 0.1 : 1)) + WARM_PATHS.length,
        maxSeconds: 20,
        connections: 4,
      }),
    /** A thread's cold reads, bare and with the Cache API: the JSON view's cold requests. */
    async thread(/** @type {number} */ size) {
      // What one answer holds, for goals.mjs to check against the view's: the same rows.
      const answer = /** @type {{ roots: { id: string }[], replies: unknown[][] }} */ (
        await (await fetch(`${base}${threadPath(size, json.default)}`)).json()
      );
      results[`probe.floor.${size}`] = {
        rowsReturned: answer.roots.length + answer.replies.flat().length,
      };
      const coldPaths = coldThreadPaths(size, json);
      // The floor keeps nothing, so it can take each request three times, as the product's three
      // rounds do (CPU time is counted in 10 ms ticks: more requests, a steadier figure).
      await run(`floor.${size}`, {
        request: eachOnce(coldPaths),
        amount: quick ? 30 : 3 * coldPaths.length,
        maxSeconds: 30,
        connections: 4,
      });
      // The same once more with the Cache API's lookup and write of each answer, as a cold view
      // does them: three rounds again, each under keys of its own (a repeat would be a hit).
      const cachedPaths = [1, 2, 3].flatMap((r) => coldPaths.map((p) => `${p}&floorcache=${r}`));
      await run(`floor.cached.${size}`, {
        request: eachOnce(cachedPaths),
        amount: quick ? 30 : cachedPaths.length,
        maxSeconds: 30,
        connections: 4,
      });
    },
    /** The counts' cold load as the product's, bare and with the Cache API. */
    async counts() {
      const counted = await (await fetch(`${base}${countsPath()}`)).json();
      results["probe.floor.counts"] = { rowsReturned: pagesCounted(counted) };
      const coldCounts = coldCountsPaths("floor", quick ? 0.1 : 1);
      await run("floor.counts", {
        request: eachOnce(coldCounts),
        amount: coldCounts.length,
        maxSeconds: quick ? 1.5 : 6,
      });
      await run("floor.cached.counts", {
        request: eachOnce(coldCounts.map((p) => `${p}&floorcache=1`)),
        amount: coldCounts.length,
        maxSeconds: quick ? 1.5 : 6,
      });
    },
    /** A post's two D1 batches, bare, under the product's posting load. */
    post: (/** @type {string[]} */ rootIds) =>
      run("floor.post", {
        request: postings(threadPage(1000), rootIds, "floor"),
        amount: quick ? 200 : 2000,
        maxSeconds: quick ? 1.5 : 6,
        connections: 4,
        expectStatus: 201,
      }),
  };
}
