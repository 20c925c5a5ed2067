import { type Context, Hono } from "hono";
import { createMiddleware } from "hono/factory";
import { html, raw } from "hono/html";
import type { AppEnv } from "../env";
import { ApiError } from "../errors";
import { sha256Base64 } from "../platform/crypto";

/*
 * The local demo: an article page styled like a typical WordPress theme with the widget at its
 * end, and an index page with comment counts. Static text only (`html` escapes anything
 * interpolated); the discussion itself is seeded through the public API by `npm start`. The
 * pages run under a strict Content-Security-Policy, as a careful site's would.
 */

export const DEMO_SITE_ID = "demo";

export const DEMO_ARTICLES = [
  {
    slug: "river-bends",
    title: "Where the River Bends: A Town Rebuilds After the Flood",
    date: "November 21, 2026",
    author: "Marta Quiroga",
    paragraphs: [
      "When the water finally drew back from Millbrook in early October, it left a line of silt at the height of a kitchen counter on every house along Ferry Street. Six weeks later, that line is still there on most of them, a brown reminder painted by the river itself.",
      "The town council met on Tuesday in the gymnasium of the primary school, the only public building that stayed dry. Nearly four hundred residents came, more than for any meeting in living memory, to hear how the reconstruction fund will be shared out.",
      "“We are not going to rebuild the same town in the same place and wait for the next flood,” said the mayor, to applause from some and folded arms from others. The plan moves the lowest twenty homes onto land donated by the old paper mill, and turns Ferry Street's riverbank into a park that is allowed to flood.",
      "Not everyone is convinced. Families who have lived on Ferry Street for three generations say the new plots are too far from the school and the shops, and that a park is a poor exchange for a home. The council has promised a second consultation before any house is demolished.",
      "Meanwhile, volunteers continue to clear basements every weekend. The bakery reopened on Monday with a hand-painted sign in the window: “Still here.”",
    ],
  },
  {
    slug: "night-trains",
    title: "The Quiet Return of the Night Train",
    date: "November 14, 2026",
    author: "Jonas Weller",
    paragraphs: [
      "Ten years ago the last sleeper service out of the capital was cancelled for lack of passengers. This winter, three new routes open, and the first month is already sold out.",
    ],
  },
  {
    slug: "library-hours",
    title: "Library Extends Evening Hours for Exam Season",
    date: "November 2, 2026",
    author: "Priya Natarajan",
    paragraphs: [
      "The central library will stay open until midnight on weekdays from next Monday until the end of January, after a petition by students gathered more than two thousand signatures.",
    ],
  },
] as const;

export const demoPageId = (slug: string) => `demo/${slug}`;

/**
 * The pages' one stylesheet, inlined as written (`raw`): the policy's hash is of these bytes, and
 * `html` would turn its quotes into &quot;, which CSS inside <style> does not decode.
 */
const THEME = `
  body { margin: 0; background: #f1f1f1; color: #333; font: 17px/1.7 Georgia, "Times New Roman", serif; }
  header.site { background: #222; color: #fff; padding: 1.2rem 0; }
  header.site a { color: #fff; text-decoration: none; font: 700 1.6rem/1 "Helvetica Neue", Arial, sans-serif; }
  header.site p { margin: .3rem 0 0; color: #bbb; font: .9rem "Helvetica Neue", Arial, sans-serif; }
  .wrap { max-width: 44rem; margin: 0 auto; padding: 0 1.25rem; }
  main { background: #fff; margin: 2rem auto; padding: 2rem 2.5rem; max-width: 44rem; box-shadow: 0 1px 3px rgba(0,0,0,.1); }
  h1 { font: 700 2.1rem/1.2 "Helvetica Neue", Arial, sans-serif; margin: 0 0 .5rem; color: #111; }
  .meta { color: #595959; font: .85rem "Helvetica Neue", Arial, sans-serif; margin-bottom: 1.5rem; }
  a { color: #0f5e9c; }
  ul.posts { list-style: none; padding: 0; }
  ul.posts li { border-bottom: 1px solid #e5e5e5; padding: 1rem 0; }
  ul.posts h2 { margin: 0; font: 700 1.3rem/1.3 "Helvetica Neue", Arial, sans-serif; }
  footer { text-align: center; color: #595959; font: .8rem "Helvetica Neue", Arial, sans-serif; padding: 2rem 0; }
`;

/**
 * The demo pages' Content-Security-Policy. Their scripts (widget.js, count.js) and what those
 * fetch (the API, the locale files) are on this origin; the one inline stylesheet is allowed by
 * its hash; the favicon is a data: URL; nothing else loads, and no page may frame them. Made on
 * first use: the hash is computed with WebCrypto, which is asynchronous.
 */
let policy: Promise<string> | undefined;
const demoPolicy = () =>
  (policy ??= sha256Base64(THEME).then((hash) =>
    [
      "default-src 'none'",
      "script-src 'self'",
      "connect-src 'self'",
      `style-src 'sha256-${hash}'`,
      "img-src data:",
      "base-uri 'none'",
      "form-action 'none'",
      "frame-ancestors 'none'",
    ].join("; "),
  ));

function layout(title: string, body: ReturnType<typeof html>) {
  return html`<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${title} – The Millbrook Courier</title>
<meta property="og:title" content="${title}">
<link rel="icon" href="data:,">
<style>${raw(THEME)}</style>
</head>
<body>
<header class="site"><div class="wrap"><a href="/demo/index">The Millbrook Courier</a><p>News from the valley since 1894 · a Parley demo</p></div></header>
${body}
<footer>Placeholder articles written for the Parley demo.</footer>
</body>
</html>`;
}

function articlePage(article: (typeof DEMO_ARTICLES)[number]) {
  return layout(
    article.title,
    html`<main>
<article>
<h1>${article.title}</h1>
<p class="meta">By ${article.author} · ${article.date}</p>
${article.paragraphs.map((p) => html`<p>${p}</p>`)}
</article>
<div id="comments"></div>
<script src="/widget.js" data-site="${DEMO_SITE_ID}" data-page="${demoPageId(article.slug)}" async></script>
</main>`,
  );
}

function indexPage() {
  return layout(
    "Latest news",
    html`<main>
<h1>Latest news</h1>
<ul class="posts">
${DEMO_ARTICLES.map(
  (a) => html`<li><h2><a href="/demo/${a.slug}">${a.title}</a></h2>
<p class="meta">${a.date} · <a href="/demo/${a.slug}#comments" data-comments-count data-page="${demoPageId(a.slug)}">Comments</a></p></li>`,
)}
</ul>
<script src="/count.js" data-site="${DEMO_SITE_ID}" async></script>
</main>`,
  );
}

/** A demo page under the demo's policy. */
const page = async (c: Context<AppEnv>, body: ReturnType<typeof html>) =>
  c.html(body, 200, { "Content-Security-Policy": await demoPolicy() });

/**
 * The demo is served only where it is asked for: `npm start` sets PARLEY_DEMO=on; a deployment
 * does not, and answers 404 there as for any unknown path.
 */
const demoOnly = createMiddleware<AppEnv>(async (c, next) => {
  if (c.env.PARLEY_DEMO !== "on") throw new ApiError(404, "not_found", "No such endpoint.");
  await next();
});

/** Mounted at /demo. */
export const demoRoutes = new Hono<AppEnv>()
  .use("*", demoOnly)
  .get("/", (c) => page(c, articlePage(DEMO_ARTICLES[0])))
  .get("/index", (c) => page(c, indexPage()))
  .get("/:slug", (c) => {
    const article = DEMO_ARTICLES.find((a) => a.slug === c.req.param("slug"));
    return article ? page(c, articlePage(article)) : c.notFound();
  });
