/*
 * Parley's edge Worker. Routed in front of a publisher's site, it passes every request to the
 * origin and, on the way back, puts the page's thread (Parley's `thread.html` fragment, asked
 * over a Service Binding) into the article's comments element, so that readers and crawlers get
 * the comments in the HTML itself and the widget takes them over in place.
 *
 * The article streams through HTMLRewriter and is never held whole: the bytes before the comments
 * element go out as they arrive, and only that element waits for the fragment, at most
 * PARLEY_TIMEOUT_MS. Whatever goes wrong on Parley's side, the reader gets the article as the
 * origin sent it (edge/README.md).
 */

export interface Env {
  /** Parley's Worker. */
  PARLEY: Fetcher;
  /** The site id in Parley. */
  PARLEY_SITE: string;
  /** A selector HTMLRewriter understands; default `#comments`, the widget's own default. */
  PARLEY_TARGET?: string;
  /** How long the article may wait at the target for the fragment; default 300. */
  PARLEY_TIMEOUT_MS?: string | number;
}

const DEFAULT_TARGET = "#comments";
const DEFAULT_TIMEOUT_MS = 300;
/** The Service Binding answers any host; this one only names Parley in logs and traces. */
const PARLEY_ORIGIN = "https://parley.internal";

export default {
  // A plain Request, not the IncomingRequest ExportedHandler names: the Worker reads nothing of
  // `cf`, and its tests send requests without it.
  async fetch(request: Request, env: Env): Promise<Response> {
    if (request.method !== "GET") return fetch(request);
    const page = pageOf(request);
    const replyTo = replyToOf(request);
    // A navigation (browsers and the crawlers of search engines accept text/html) starts asking
    // Parley beside the origin, so the thread is usually in before the article reaches its
    // comments. Anything else (images, scripts, API calls) asks only once the origin says HTML.
    let thread = accepts(request, "text/html") ? askParley(env, page, replyTo) : undefined;
    const article = await fetch(request);
    if (article.status !== 200 || !isHtml(article)) return article;
    thread ??= askParley(env, page, replyTo);
    // A thread asked for and then not used (an answer that is not HTML, a page without the
    // target, a timeout) is simply dropped: the runtime cancels it when the response is done.
    return withThread(article, thread, env);
  },
} satisfies ExportedHandler<Env>;

/**
 * The page Parley knows the thread by: the article's URL without query and fragment, as the
 * widget takes it when the page names no canonical URL. Parley normalises it further.
 */
function pageOf(request: Request): string {
  const url = new URL(request.url);
  url.search = "";
  url.hash = "";
  return url.href;
}

/**
 * The comment a reader without JavaScript chose to answer: each comment's Reply link in the
 * fragment is `?replyto=<id>#parley-form` on the article, and Parley fills the form's parentId
 * from it. Passed on only when it is a comment id, since Parley refuses any other (422), which
 * would cost the page its comments.
 */
function replyToOf(request: Request): string | undefined {
  const replyTo = new URL(request.url).searchParams.get("replyto");
  return replyTo && /^c_[0-9a-z]{26}$/.test(replyTo) ? replyTo : undefined;
}

function accepts(request: Request, type: string): boolean {
  return request.headers.get("accept")?.includes(type) ?? false;
}

function isHtml(response: Response): boolean {
  const type = response.headers.get("content-type")?.split(";")[0]?.trim().toLowerCase();
  return type === "text/html";
}

/** The fragment of the page's thread, or undefined when Parley cannot give it. Never rejects. */
async function askParley(env: Env, page: string, replyTo?: string): Promise<string | undefined> {
  const url = new URL(
    `/api/v1/sites/${encodeURIComponent(env.PARLEY_SITE)}/thread.html`,
    PARLEY_ORIGIN,
  );
  url.searchParams.set("page", page);
  if (replyTo) url.searchParams.set("replyto", replyTo);
  try {
    const answer = await env.PARLEY.fetch(new Request(url));
    if (answer.status === 200 && isHtml(answer)) return await answer.text();
    await answer.body?.cancel();
    console.warn(`parley-edge: no thread for ${page}: Parley answered ${answer.status}`);
  } catch (error) {
    console.warn(`parley-edge: no thread for ${page}: ${error}`);
  }
  return undefined;
}

/** The article with the thread as the content of its first target element, streamed. */
function withThread(article: Response, thread: Promise<string | undefined>, env: Env): Response {
  const budget = timeBudget(env);
  let claimed = false;
  let rewriter: HTMLRewriter;
  try {
    rewriter = new HTMLRewriter().on(env.PARLEY_TARGET || DEFAULT_TARGET, {
      // The output stops at this element while the handler waits: what came before it has gone
      // out, all but the rest of the chunk it arrived in (edge/README.md, "the time budget").
      async element(target) {
        if (claimed) return;
        claimed = true;
        const fragment = await within(budget, thread);
        if (fragment !== undefined) target.setInnerContent(fragment, { html: true });
      },
    });
  } catch (error) {
    // A selector HTMLRewriter cannot parse: a mistake in the configuration must not take the
    // site down with it.
    console.error(`parley-edge: PARLEY_TARGET is not a selector HTMLRewriter knows: ${error}`);
    return article;
  }
  const rewritten = rewriter.transform(article);
  const response = new Response(rewritten.body, rewritten);
  currentAsOfNow(response.headers);
  return response;
}

function timeBudget(env: Env): number {
  const ms = Number(env.PARLEY_TIMEOUT_MS ?? DEFAULT_TIMEOUT_MS);
  return Number.isFinite(ms) && ms >= 0 ? ms : DEFAULT_TIMEOUT_MS;
}

const LATE = Symbol("late");

/** What `promise` gives within `ms`, else undefined. */
async function within<T>(ms: number, promise: Promise<T | undefined>): Promise<T | undefined> {
  const late = Promise.withResolvers<typeof LATE>();
  const timer = setTimeout(late.resolve, ms, LATE);
  try {
    const value = await Promise.race([promise, late.promise]);
    if (value !== LATE) return value;
    console.warn(`parley-edge: no thread within ${ms} ms`);
    return undefined;
  } finally {
    clearTimeout(timer);
  }
}

/*
 * The headers of a page the thread may be in. The thread is current as of this request (Parley's
 * JSON thread is `no-store`), and the widget takes over what the page holds without asking again,
 * so the page must not come back from a cache with old comments:
 * - the origin's validators (ETag, Last-Modified) describe the article without the thread: a 304
 *   against them would bring back a stored copy, old thread and all. They go;
 * - the page may be stored only by the reader's browser, which must ask again before reusing it
 *   (`private, no-cache`); an origin's `no-store` stays as it is.
 * The rest is the origin's, Vary included: what the Worker adds depends on the URL alone. The
 * zone's cache, which the Worker's `fetch` goes through, only ever holds the origin's article.
 * The headers go out before the rewriter reaches the target, so a page without one gets them too.
 */
function currentAsOfNow(headers: Headers): void {
  headers.delete("etag");
  headers.delete("last-modified");
  headers.delete("content-length");
  if (!/\bno-store\b/i.test(headers.get("cache-control") ?? "")) {
    headers.set("cache-control", "private, no-cache");
  }
}
