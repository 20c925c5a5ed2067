#!/usr/bin/env node
// How long widget.js takes to draw a thread, in a real Chromium.
//
//   npm start                                   # in another terminal: the server to measure
//   node scripts/bench-widget.mjs               # BASE=http://localhost:8787 by default
//   BASE=http://localhost:9000 CHROMIUM=/path/to/chrome RUNS=11 node scripts/bench-widget.mjs
//
// It starts nothing itself. Through the operator API (ADMIN_TOKEN, default the local one) it
// creates a fresh site and, for each size, one page with that many comments: 50 top-level
// comments and the rest as replies spread over them, so that the whole thread is the first page
// the widget draws. Each run opens a new browser context on `${BASE}/bench.html` (served by
// page.route on the API's own origin, so CORS and caching behave as on a real article), and
// measures from the end of the widget.js download (its Resource Timing entry, responseEnd) to
// the moment the host gets data-parley-state="ready" (a MutationObserver added with an init
// script: no inline script on the page). That covers the thread request, parsing and
// rendering; medianRenderMs is the part after the thread response arrived (parsing and drawing
// alone). Then the same page with the thread's `thread.html` section already in `#comments`, as
// a site's server or the edge Worker puts it there, which the widget takes over without the
// thread request (the section is taller than the window, so it swaps at once): its time to
// ready, the API requests it made (none expected), and when the comments are first on screen,
// from the navigation's start, beside the same without the section. It prints the median of RUNS runs per size as JSON.
import { chromium } from "playwright-core";

const BASE = process.env.BASE ?? "http://localhost:8787";
const ADMIN_TOKEN = process.env.ADMIN_TOKEN ?? "parley-local-admin";
const CHROMIUM = process.env.CHROMIUM ?? "/usr/bin/chromium";
// Eleven: on a 2-core machine single runs swing by 2x; the median of eleven holds still.
const RUNS = Number(process.env.RUNS ?? 11);
const SIZES = [100, 1000];
const TOP_LEVEL = 50;

/**
 * POSTs `body` to the API; the answer's JSON is the caller's to describe.
 * @param {string} path
 * @param {unknown} body
 * @returns {Promise<unknown>}
 */
const api = async (path, body, token = ADMIN_TOKEN) => {
  const r = await fetch(`${BASE}/api/v1${path}`, {
    method: "POST",
    headers: { authorization: `Bearer ${token}`, "content-type": "application/json" },
    body: JSON.stringify(body),
  });
  if (!r.ok) throw new Error(`POST ${path}: ${r.status} ${await r.text()}`);
  return r.json();
};

const site = `bench-${Date.now().toString(36)}`;
await api("/sites", {
  id: site,
  name: "Widget benchmark",
  origins: [new URL(BASE).origin],
  // Posting hundreds of comments from one address is the point here.
  limits: { postsPerMinute: 0, postsPerDay: 0 },
});

/**
 * Posts `n` comments on a page of their own; returns the page URL.
 * @param {number} n
 */
async function seed(n) {
  const page = `${BASE}/bench/${n}`;
  /** @type {(i: number, parentId?: string) => Promise<{ comment: { id: string } }>} */
  const post = async (i, parentId) =>
    /** @type {{ comment: { id: string } }} */ (
      await api(`/sites/${site}/comments`, {
        page,
        title: `Benchmark, ${n} comments`,
        parentId,
        author: { name: `Reader ${i}`, website: i % 3 ? null : "https://reader.example" },
        // The page size in the text: the server holds a body repeated on the site as a duplicate.
        body: `Comment ${i} of ${n} with *emphasis*, **strong** words, \`code\` and a link: https://example.com/${i}\n\n> a quote\n\n- a list item`,
      })
    );
  /** @type {string[]} */
  const roots = [];
  for (let i = 0; i < Math.min(n, TOP_LEVEL); i++) roots.push((await post(i)).comment.id);
  const replies = Array.from({ length: Math.max(0, n - TOP_LEVEL) }, (_, i) => i);
  // A few at a time: the local server is one process.
  for (let i = 0; i < replies.length; i += 8)
    await Promise.all(
      replies.slice(i, i + 8).map((r) => post(TOP_LEVEL + r, roots[r % roots.length])),
    );
  return page;
}

const html = (/** @type {string} */ page, section = "") => `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Benchmark</title></head>
<body><main><h1>Benchmark</h1><div id="comments">${section}</div>
<script src="${BASE}/widget.js" data-site="${site}" data-page="${page}" async></script>
</main></body></html>`;

const browser = await chromium.launch({
  executablePath: CHROMIUM,
  args: [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    "--disable-sync",
  ],
});

/**
 * The page's window, where the init script leaves the moment the widget was ready.
 * @typedef {Window & { __parleyReady?: number }} BenchWindow
 */

/**
 * One measured load of the widget on a page of `page`'s comments, the server's `section` in its
 * target when given.
 * @param {string} page
 * @param {string} [section]
 */
async function run(page, section) {
  const context = await browser.newContext();
  const tab = await context.newPage();
  await tab.addInitScript(() => {
    new MutationObserver((_, observer) => {
      if (document.querySelector("[data-parley-state=ready],[data-parley-state=error]")) {
        /** @type {BenchWindow} */ (window).__parleyReady = performance.now();
        observer.disconnect();
      }
    }).observe(document, {
      subtree: true,
      attributes: true,
      attributeFilter: ["data-parley-state"],
    });
  });
  await tab.route(`${BASE}/bench.html`, (r) =>
    r.fulfill({ contentType: "text/html", body: html(page, section) }),
  );
  let apiRequests = 0;
  tab.on("request", (request) => {
    if (new URL(request.url()).pathname.startsWith("/api/")) apiRequests++;
  });
  await tab.goto(`${BASE}/bench.html`);
  await tab.waitForSelector("[data-parley-state=ready],[data-parley-state=error]", {
    state: "attached",
  });
  const result = await tab.evaluate((url) => {
    const host = document.querySelector("[data-parley]");
    const ready = /** @type {BenchWindow} */ (window).__parleyReady ?? Number.NaN;
    // Resource entries, so resource timings.
    const timings = (/** @type {string} */ type) =>
      /** @type {PerformanceResourceTiming[]} */ (performance.getEntriesByType(type));
    // The last response first paint waited for: the thread (and a locale file, if any).
    const fetched = timings("resource")
      .filter((e) => /\/thread\?|\/i18n\//.test(e.name))
      .reduce((end, e) => Math.max(end, e.responseEnd), 0);
    const script = timings("resource").find((e) => e.name === url);
    return {
      state: host?.getAttribute("data-parley-state"),
      ms: ready - (script?.responseEnd ?? Number.NaN),
      renderMs: ready - fetched,
      // From the navigation's start: when the widget was ready, and the page's first paint
      // (with a server's section, the comments are on screen from then on).
      readyMs: ready,
      firstPaintMs:
        performance.getEntriesByName("first-contentful-paint")[0]?.startTime ?? Number.NaN,
      comments: host?.shadowRoot?.querySelectorAll("li[id^=comment-]").length,
    };
  }, `${BASE}/widget.js`);
  await context.close();
  if (result.state !== "ready") throw new Error(`the widget did not get ready: ${result.state}`);
  return { ...result, apiRequests };
}

const median = (/** @type {number[]} */ xs) =>
  [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? Number.NaN;
/** @type {Record<string, unknown>} */
const out = { base: BASE, site, runs: RUNS };
try {
  for (const n of SIZES) {
    const page = await seed(n);
    await run(page); // warm-up: the first request of a page also creates caches server-side
    /** @type {Awaited<ReturnType<typeof run>>[]} */
    const runs = [];
    for (let i = 0; i < RUNS; i++) runs.push(await run(page));
    const round = (/** @type {number} */ x) => Math.round(x * 10) / 10;
    out[`comments${n}`] = {
      drawn: runs[0]?.comments,
      medianMs: round(median(runs.map((r) => r.ms))),
      runsMs: runs.map((r) => round(r.ms)),
      // From the thread response's end to ready: JSON parsing and drawing only.
      medianRenderMs: round(median(runs.map((r) => r.renderMs))),
    };
    const section = await (
      await fetch(`${BASE}/api/v1/sites/${site}/thread.html?page=${encodeURIComponent(page)}`)
    ).text();
    /** @type {Awaited<ReturnType<typeof run>>[]} */
    const takeovers = [];
    for (let i = 0; i < RUNS; i++) takeovers.push(await run(page, section));
    out[`takeover${n}`] = {
      drawn: takeovers[0]?.comments,
      medianMs: round(median(takeovers.map((r) => r.ms))),
      apiRequests: Math.max(...takeovers.map((r) => r.apiRequests)),
      // When the reader first sees the comments, from the navigation's start: the widget's
      // ready without a server's section, the first paint with one.
      medianCommentsShownMs: round(median(takeovers.map((r) => r.firstPaintMs))),
      withoutSectionMedianCommentsShownMs: round(median(runs.map((r) => r.readyMs))),
    };
  }
} finally {
  await browser.close();
}
console.log(JSON.stringify(out, null, 2));
