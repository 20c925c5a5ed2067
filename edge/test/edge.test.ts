import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import type { Env } from "../src/index";
import { type Answer, edge, fakeParley, streamedBody, stubOrigin, textReader } from "./fakes";

const PAGE = "https://news.example/2026/12/article";
const HEAD = `<!doctype html><html lang="en"><head><title>Article</title></head><body><article><h1>Article</h1><p>First half.</p>`;
const TAIL = `<p>Second half.</p></article><div id="comments"><p>Loading comments</p></div><footer>Footer</footer></body></html>`;
const ARTICLE = HEAD + TAIL;
const FRAGMENT = `<section class="parley-thread" data-parley-thread data-site="news" data-page="${PAGE}"><h2 id="parley-heading">1 Response to “Article”</h2><ol class="parley-comments"><li id="comment-c1"><article><header><b>Ada</b></header><div dir="auto">First!</div></article></li></ol></section>`;
/** The article as the Worker should serve it: the thread in place of the placeholder. */
const WITH_THREAD = ARTICLE.replace("<p>Loading comments</p>", FRAGMENT);

const HTML = { "content-type": "text/html; charset=utf-8" };
/** What a browser sends for a navigation. */
const NAVIGATION = { accept: "text/html,application/xhtml+xml,*/*;q=0.8" };

const html = (body: BodyInit | null, init: ResponseInit = {}) =>
  new Response(body, { ...init, headers: { ...HTML, ...init.headers } });
const answersWith = (body: string) => () => html(body);
const navigation = (url = PAGE) => new Request(url, { headers: NAVIGATION });
const envWith = (parley: Fetcher, vars: Partial<Env> = {}): Env => ({
  PARLEY: parley,
  PARLEY_SITE: "news",
  ...vars,
});

/** A promise and its resolver: how a fake waits for what the test has seen. */
const signal = () => Promise.withResolvers<void>();
const occurrences = (text: string, part: string) => text.split(part).length - 1;

beforeEach(() => {
  // The Worker says why it served an article without its thread; the tests make it say so.
  vi.spyOn(console, "warn").mockImplementation(() => {});
  vi.spyOn(console, "error").mockImplementation(() => {});
});
afterEach(() => {
  vi.restoreAllMocks();
});

describe("inserting the thread", () => {
  it("puts the thread into the comments element of an article the origin streams in chunks", async () => {
    // Cut inside the target's start tag and inside the placeholder, as a network may cut it.
    const cuts = [ARTICLE.indexOf('id="comm') + 5, ARTICLE.indexOf("Loading") + 3];
    const chunks = [
      ARTICLE.slice(0, cuts[0]),
      ARTICLE.slice(cuts[0], cuts[1]),
      ARTICLE.slice(cuts[1]),
    ];
    const origin = stubOrigin(() => {
      const { body, send, end } = streamedBody();
      for (const chunk of chunks) send(chunk);
      end();
      return html(body);
    });
    const parley = fakeParley(answersWith(FRAGMENT));

    // No PARLEY_TARGET nor PARLEY_TIMEOUT_MS: the defaults.
    const response = await edge(navigation(`${PAGE}?utm_source=feed`), envWith(parley.binding));

    expect(response.status).toBe(200);
    const text = await response.text();
    expect(text).toBe(WITH_THREAD);
    expect(occurrences(text, "data-parley-thread")).toBe(1);
    expect(origin.map((r) => r.url)).toEqual([`${PAGE}?utm_source=feed`]);
    // The page is the article's URL without its query.
    expect(parley.asked.map((url) => [url.pathname, url.searchParams.get("page")])).toEqual([
      ["/api/v1/sites/news/thread.html", PAGE],
    ]);
  });

  it("passes a reader's Reply choice (?replyto=) on to Parley only when it is a comment id", async () => {
    const id = "c_0123456789abcdefghijklmnop";
    const asked = async (query: string) => {
      stubOrigin(answersWith(ARTICLE));
      const parley = fakeParley(answersWith(FRAGMENT));
      const text = await (
        await edge(navigation(`${PAGE}${query}`), envWith(parley.binding))
      ).text();
      expect(text).toBe(WITH_THREAD);
      return parley.asked.map((url) => Object.fromEntries(url.searchParams));
    };
    expect(await asked(`?replyto=${id}`)).toEqual([{ page: PAGE, replyto: id }]);
    // Anything else would be refused by Parley, leaving the article without its comments.
    expect(await asked(`?replyto=${id}%22%3E`)).toEqual([{ page: PAGE }]);
    expect(await asked("?replyto=")).toEqual([{ page: PAGE }]);
  });

  it("asks Parley while the origin is still answering", async () => {
    const parleyAsked = signal();
    // The origin answers only once Parley has been asked: a Worker that asked one after the
    // other would wait here for ever.
    stubOrigin(async () => {
      await parleyAsked.promise;
      return html(ARTICLE);
    });
    const parley = fakeParley(() => {
      parleyAsked.resolve();
      return html(FRAGMENT);
    });

    const response = await edge(navigation(), envWith(parley.binding));

    expect(await response.text()).toBe(WITH_THREAD);
  });

  it("asks Parley once the origin says HTML when the request did not ask for HTML", async () => {
    stubOrigin(() => html(ARTICLE));
    const parley = fakeParley(answersWith(FRAGMENT));

    const response = await edge(
      new Request(PAGE, { headers: { accept: "*/*" } }),
      envWith(parley.binding),
    );

    expect(await response.text()).toBe(WITH_THREAD);
    expect(parley.asked).toHaveLength(1);
  });

  it("puts the thread into the first element the target matches, and only there", async () => {
    const twice = `<body><div class="comments"></div><p>Between</p><div class="comments"></div></body>`;
    stubOrigin(() => html(twice));
    const parley = fakeParley(answersWith(FRAGMENT));

    const response = await edge(
      navigation(),
      envWith(parley.binding, { PARLEY_TARGET: ".comments" }),
    );

    expect(await response.text()).toBe(
      `<body><div class="comments">${FRAGMENT}</div><p>Between</p><div class="comments"></div></body>`,
    );
    expect(parley.asked).toHaveLength(1);
  });

  it.for([
    ["public, max-age=600", "private, no-cache"],
    ["none", "private, no-cache"],
    ["private, no-store", "private, no-store"],
  ])(
    "sends a page with Cache-Control %s as %s, without the origin's validators",
    async ([origin, expected]) => {
      const headers: Record<string, string> = {
        etag: '"v1"',
        "last-modified": "Sun, 06 Dec 2026 10:00:00 GMT",
        vary: "Accept-Encoding",
        "content-security-policy": "script-src 'self' https://comments.example",
        ...(origin !== "none" && { "cache-control": origin }),
      };
      stubOrigin(() => html(ARTICLE, { headers }));
      const parley = fakeParley(answersWith(FRAGMENT));

      const response = await edge(navigation(), envWith(parley.binding));

      expect(await response.text()).toBe(WITH_THREAD);
      expect(response.headers.get("cache-control")).toBe(expected);
      expect(response.headers.has("etag")).toBe(false);
      expect(response.headers.has("last-modified")).toBe(false);
      expect(response.headers.get("vary")).toBe("Accept-Encoding");
      expect(response.headers.get("content-security-policy")).toBe(
        headers["content-security-policy"],
      );
    },
  );
});

describe("streaming: the article is never held whole", () => {
  it("sends the article's first half before the origin has sent its second", async () => {
    const firstHalfRead = signal();
    // The origin holds its second half back until the test has read the first from the Worker:
    // a Worker that buffered the article would wait for ever.
    stubOrigin(() => {
      const { body, send, end } = streamedBody();
      send(HEAD);
      firstHalfRead.promise.then(() => {
        send(TAIL);
        end();
      });
      return html(body);
    });
    const parley = fakeParley(answersWith(FRAGMENT));

    const reader = textReader(await edge(navigation(), envWith(parley.binding)));

    expect(await reader.until("First half.")).not.toContain("Second half.");
    firstHalfRead.resolve();
    expect(await reader.rest()).toBe(WITH_THREAD);
  });

  it("sends the article up to the comments element before Parley answers", async () => {
    const articleRead = signal();
    // The origin sends the article up to the comments element, and the rest once the test has
    // read that much from the Worker; Parley answers only then too. A Worker that waited for
    // Parley before sending the article would wait for ever.
    const [before, after] = [
      ARTICLE.slice(0, ARTICLE.indexOf("<div")),
      ARTICLE.slice(ARTICLE.indexOf("<div")),
    ];
    stubOrigin(() => {
      const { body, send, end } = streamedBody();
      send(before);
      articleRead.promise.then(() => {
        send(after);
        end();
      });
      return html(body);
    });
    const parley = fakeParley(async () => {
      await articleRead.promise;
      return html(FRAGMENT);
    });
    // Far longer than the test may take: here the Worker must wait for Parley, not give up.
    const env = envWith(parley.binding, { PARLEY_TIMEOUT_MS: "60000" });

    const reader = textReader(await edge(navigation(), env));

    expect(await reader.until("</article>")).toBe(before);
    articleRead.resolve();
    expect(await reader.rest()).toBe(WITH_THREAD);
  });
});

describe("the article as the origin sent it, when Parley cannot help", () => {
  it("serves the article unchanged when Parley is slower than the time budget", async () => {
    stubOrigin(() => html(ARTICLE));
    const never = signal();
    const parley = fakeParley(async () => {
      await never.promise;
      return html(FRAGMENT);
    });

    const response = await edge(navigation(), envWith(parley.binding, { PARLEY_TIMEOUT_MS: "20" }));

    expect(await response.text()).toBe(ARTICLE);
    expect(parley.asked).toHaveLength(1);
    never.resolve();
  });

  const failures: [string, Answer][] = [
    ["404", () => html("<p>Not found</p>", { status: 404 })],
    ["500", () => html("<p>Oops</p>", { status: 500 })],
    ["200 with JSON", () => Response.json({ thread: {} })],
    [
      "200 with plain text",
      () => new Response(FRAGMENT, { headers: { "content-type": "text/plain" } }),
    ],
    [
      "with a network error",
      () => {
        throw new TypeError("Network connection lost.");
      },
    ],
  ];
  it.for(failures)("serves the article unchanged when Parley answers %s", async ([, answer]) => {
    stubOrigin(() => html(ARTICLE));
    const parley = fakeParley(answer);

    const response = await edge(navigation(), envWith(parley.binding));

    expect(response.status).toBe(200);
    expect(await response.text()).toBe(ARTICLE);
    expect(parley.asked).toHaveLength(1);
  });

  it("serves the article unchanged when PARLEY_TARGET is not a selector HTMLRewriter knows", async () => {
    stubOrigin(() => html(ARTICLE));
    const parley = fakeParley(answersWith(FRAGMENT));

    const response = await edge(
      navigation(),
      envWith(parley.binding, { PARLEY_TARGET: "#comments[" }),
    );

    expect(await response.text()).toBe(ARTICLE);
  });

  it("leaves a page without the comments element as the origin sent it", async () => {
    const page = ARTICLE.replace('id="comments"', 'id="related"');
    stubOrigin(() => html(page));
    const parley = fakeParley(answersWith(FRAGMENT));

    const response = await edge(navigation(), envWith(parley.binding));

    expect(await response.text()).toBe(page);
  });
});

describe("what the Worker never touches", () => {
  // Bytes no text decoder would give back as they were, and the target's markup among them.
  const binary = new Uint8Array([
    0x89,
    0x50,
    0x4e,
    0x47,
    0x00,
    0xff,
    0xfe,
    0xc3,
    0x28,
    ...new TextEncoder().encode('<div id="comments"></div>'),
  ]);
  const answers: [string, () => Response][] = [
    [
      "an image",
      () => new Response(binary, { headers: { "content-type": "image/png", etag: '"i"' } }),
    ],
    ["JSON", () => Response.json({ html: ARTICLE }, { headers: { etag: '"j"' } })],
    ["an HTML 404", () => html(ARTICLE, { status: 404, headers: { etag: '"n"' } })],
    ["a 304", () => new Response(null, { status: 304, headers: { etag: '"v1"' } })],
  ];
  it.for(answers)("passes %s through byte for byte, headers and all", async ([, answer]) => {
    stubOrigin(answer);
    const parley = fakeParley(answersWith(FRAGMENT));
    const expected = answer();

    // Not a navigation: Parley is asked only for a 200 HTML answer.
    const response = await edge(
      new Request(PAGE, { headers: { accept: "*/*" } }),
      envWith(parley.binding),
    );

    expect(response.status).toBe(expected.status);
    expect([...response.headers]).toEqual([...expected.headers]);
    expect(new Uint8Array(await response.arrayBuffer())).toEqual(
      new Uint8Array(await expected.arrayBuffer()),
    );
    expect(parley.asked).toEqual([]);
  });

  it.for(["POST", "HEAD"])(
    "passes a %s through to the origin and back untouched",
    async (method) => {
      const origin = stubOrigin(() =>
        html(method === "HEAD" ? null : ARTICLE, { headers: { etag: '"v1"' } }),
      );
      const parley = fakeParley(answersWith(FRAGMENT));
      const request = new Request(PAGE, {
        method,
        headers: NAVIGATION,
        ...(method === "POST" && { body: "name=Ada" }),
      });

      const response = await edge(request, envWith(parley.binding));

      expect(await response.text()).toBe(method === "HEAD" ? "" : ARTICLE);
      expect(response.headers.get("etag")).toBe('"v1"');
      expect(origin.map((r) => r.method)).toEqual([method]);
      expect(parley.asked).toEqual([]);
    },
  );
});
