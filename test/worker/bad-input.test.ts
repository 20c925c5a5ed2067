import { env } from "cloudflare:workers";
import { beforeAll, describe, expect, it } from "vitest";
import {
  bearer,
  type Case,
  comment,
  commentPath,
  commentsPath,
  countsPath,
  type ErrorJson,
  emailOfLength,
  fx,
  newSite,
  pageQuery,
  postComment,
  postSite,
  refuseEach,
  repliesPath,
  setUpFixture,
  threadPath,
  UNKNOWN_COMMENT,
  UNKNOWN_SITE,
  votePath,
  withAuthor,
} from "./bad-input-fixture";
import {
  ADMIN,
  call,
  createSite,
  expectError,
  fetchWorker,
  json,
  pageUrl,
  thread,
} from "./helpers";

/*
 * Bad requests across the API, one row each: the exact status and stable error `code`, and for
 * 422 the field the `details` name. Every row is refused, so the rows share one fixture; the
 * last tests send them all again and prove the refusals changed nothing.
 */

const BASE = "http://parley.test";
const KB64 = 64 * 1024;
const WRONG_ADMIN = { authorization: "Bearer not-the-admin-token" };

const utf8 = (text: string) => new TextEncoder().encode(text);

/** A request exactly as given: no helper fills in a content type or serialises the body. */
function raw(method: string, path: string, init: RequestInit = {}): Promise<Response> {
  return fetchWorker(new Request(`${BASE}${path}`, { method, ...init }));
}

/** A body sent as a stream, so the request carries no Content-Length. */
function streamOf(text: string): ReadableStream<Uint8Array> {
  const bytes = utf8(text);
  return new ReadableStream({
    start(controller) {
      for (let i = 0; i < bytes.length; i += 16 * 1024) {
        controller.enqueue(bytes.subarray(i, i + 16 * 1024));
      }
      controller.close();
    },
  });
}

const b64 = (value: unknown) => btoa(JSON.stringify(value));

const root = expect.any(String);

const cases: Case[] = [
  // ---- malformed JSON -------------------------------------------------------------------
  ...(
    [
      ["truncated", '{"page": "https://news.example/a", "body": "x"'],
      ["with a trailing comma", '{"page": "https://news.example/a",}'],
      ["in single quotes", "{'page': 'https://news.example/a'}"],
      ["empty", ""],
    ] as const
  ).flatMap(([shape, text]): Case[] => [
    {
      name: `POST comments: ${shape} JSON → 400 invalid_json`,
      send: () => postComment(text),
      status: 400,
      code: "invalid_json",
    },
    {
      name: `vote: ${shape} JSON → 400 invalid_json`,
      send: () => call("POST", votePath(), text),
      status: 400,
      code: "invalid_json",
    },
  ]),
  {
    name: "PATCH comment: truncated JSON → 400 invalid_json",
    send: () => call("PATCH", commentPath(), '{"body": "x"', bearer(fx.comment.editToken)),
    status: 400,
    code: "invalid_json",
  },
  {
    name: "POST sites: truncated JSON → 400 invalid_json",
    send: () => postSite('{"id": "x'),
    status: 400,
    code: "invalid_json",
  },
  {
    name: "PATCH site: JSON with a trailing comma → 400 invalid_json",
    send: () => call("PATCH", `/api/v1/sites/${fx.site}`, '{"name": "x",}', ADMIN),
    status: 400,
    code: "invalid_json",
  },
  {
    name: "POST keys: empty JSON body → 400 invalid_json",
    send: () => call("POST", `/api/v1/sites/${fx.site}/keys`, "", ADMIN),
    status: 400,
    code: "invalid_json",
  },

  // ---- JSON that is not an object -------------------------------------------------------
  ...(
    [
      ["an array", "[]"],
      ["a string", '"hello"'],
      ["a number", "42"],
      ["null", "null"],
    ] as const
  ).map(
    ([shape, text]): Case => ({
      name: `POST comments: JSON ${shape} instead of an object → 422`,
      send: () => postComment(text),
      status: 422,
      code: "validation_failed",
      path: root,
    }),
  ),
  {
    name: "vote: a JSON array instead of an object → 422",
    send: () => call("POST", votePath(), "[1]"),
    status: 422,
    code: "validation_failed",
    path: root,
  },
  {
    name: "POST sites: JSON null instead of an object → 422",
    send: () => postSite("null"),
    status: 422,
    code: "validation_failed",
    path: root,
  },
  {
    name: "POST comments: 30 000 nested arrays → 422, not a stack overflow",
    send: () => postComment(`${"[".repeat(30_000)}${"]".repeat(30_000)}`),
    status: 422,
    code: "validation_failed",
    path: root,
  },

  // ---- wrong content type ---------------------------------------------------------------
  ...(
    [
      ["text/plain", "text/plain"],
      ["form-urlencoded", "application/x-www-form-urlencoded"],
      ["multipart", "multipart/form-data; boundary=x"],
      ["application/jsonp (a prefix of json)", "application/jsonp"],
    ] as const
  ).map(
    ([label, type]): Case => ({
      name: `POST comments: ${label} body → 415`,
      send: () =>
        raw("POST", commentsPath(), {
          body: JSON.stringify(comment()),
          headers: { "content-type": type },
        }),
      status: 415,
      code: "unsupported_media_type",
    }),
  ),
  {
    name: "POST comments: a body with no content type → 415",
    send: () => raw("POST", commentsPath(), { body: utf8(JSON.stringify(comment())) }),
    status: 415,
    code: "unsupported_media_type",
  },
  {
    name: "POST comments: a streamed text/plain body → 415",
    send: () =>
      raw("POST", commentsPath(), {
        body: streamOf(JSON.stringify(comment())),
        headers: { "content-type": "text/plain" },
      }),
    status: 415,
    code: "unsupported_media_type",
  },
  {
    name: "vote: text/plain body → 415",
    send: () =>
      raw("POST", votePath(), { body: '{"value":1}', headers: { "content-type": "text/plain" } }),
    status: 415,
    code: "unsupported_media_type",
  },
  {
    name: "PATCH comment: form-urlencoded body → 415",
    send: () =>
      raw("PATCH", commentPath(), {
        body: "body=edited",
        headers: {
          "content-type": "application/x-www-form-urlencoded",
          ...bearer(fx.comment.editToken),
        },
      }),
    status: 415,
    code: "unsupported_media_type",
  },
  {
    name: "POST sites: multipart body → 415",
    send: () =>
      raw("POST", "/api/v1/sites", {
        body: `--x\r\nContent-Disposition: form-data; name="id"\r\n\r\nabc\r\n--x--\r\n`,
        headers: { "content-type": "multipart/form-data; boundary=x", ...ADMIN },
      }),
    status: 415,
    code: "unsupported_media_type",
  },
  {
    name: "POST keys: a body with no content type → 415",
    send: () =>
      raw("POST", `/api/v1/sites/${fx.site}/keys`, {
        body: utf8('{"label":"x"}'),
        headers: ADMIN,
      }),
    status: 415,
    code: "unsupported_media_type",
  },

  // ---- oversized bodies -----------------------------------------------------------------
  {
    name: "POST comments: a 70 KB body with Content-Length → 413",
    send: () => postComment(comment({ body: "x".repeat(70_000) })),
    status: 413,
    code: "payload_too_large",
  },
  {
    name: "POST comments: a 70 KB streamed body without Content-Length → 413",
    send: () =>
      raw("POST", commentsPath(), {
        body: streamOf(JSON.stringify(comment({ body: "x".repeat(70_000) }))),
        headers: { "content-type": "application/json" },
      }),
    status: 413,
    code: "payload_too_large",
  },
  {
    name: "POST comments: one byte over 64 KB → 413",
    send: () => postComment(`"${"x".repeat(KB64 - 1)}"`),
    status: 413,
    code: "payload_too_large",
  },
  {
    name: "POST comments: exactly 64 KB is read, then refused by validation → 422 body",
    send: () => {
      const text = JSON.stringify(comment({ body: "" }));
      const padded = JSON.stringify(comment({ body: "x".repeat(KB64 - text.length) }));
      return postComment(padded);
    },
    status: 422,
    code: "validation_failed",
    path: "body",
  },
  {
    name: "vote: a 70 KB streamed body → 413",
    send: () =>
      raw("POST", votePath(), {
        body: streamOf(`{"value":1,"pad":"${"x".repeat(70_000)}"}`),
        headers: { "content-type": "application/json" },
      }),
    status: 413,
    code: "payload_too_large",
  },
  {
    name: "PATCH comment: a 70 KB body → 413",
    send: () =>
      call("PATCH", commentPath(), { body: "x".repeat(70_000) }, bearer(fx.comment.editToken)),
    status: 413,
    code: "payload_too_large",
  },
  {
    name: "POST sites: a 70 KB body → 413",
    send: () => postSite(newSite({ name: "x".repeat(70_000) })),
    status: 413,
    code: "payload_too_large",
  },
  {
    name: "POST comments: a 5001-character body → 422 body",
    send: () => postComment(comment({ body: "x".repeat(5001) })),
    status: 422,
    code: "validation_failed",
    path: "body",
  },

  // ---- missing fields, wrong types, empty values ----------------------------------------
  ...(["page", "author", "body"] as const).map(
    (field): Case => ({
      name: `POST comments: no ${field} → 422 ${field}`,
      send: () => {
        const body: Record<string, unknown> = comment();
        delete body[field];
        return postComment(body);
      },
      status: 422,
      code: "validation_failed",
      path: field,
    }),
  ),
  {
    name: "POST comments: author without a name → 422 author.name",
    send: () => postComment(comment({ author: { email: "ana@example.com" } })),
    status: 422,
    code: "validation_failed",
    path: "author.name",
  },
  {
    name: "POST comments: author.name as a number → 422 author.name",
    send: () => postComment(withAuthor({ name: 42 })),
    status: 422,
    code: "validation_failed",
    path: "author.name",
  },
  {
    name: "POST comments: author as a string → 422 author",
    send: () => postComment(comment({ author: "Ana" })),
    status: 422,
    code: "validation_failed",
    path: "author",
  },
  {
    name: "POST comments: body as an array → 422 body",
    send: () => postComment(comment({ body: ["Hello"] })),
    status: 422,
    code: "validation_failed",
    path: "body",
  },
  {
    name: "POST comments: page as a number → 422 page",
    send: () => postComment(comment({ page: 7 })),
    status: 422,
    code: "validation_failed",
    path: "page",
  },
  {
    name: "POST comments: parentId as a number → 422 parentId",
    send: () => postComment(comment({ parentId: 5 })),
    status: 422,
    code: "validation_failed",
    path: "parentId",
  },
  ...(
    [
      ["author.name", "empty", withAuthor.bind(null, { name: "" })],
      ["author.name", "whitespace-only", withAuthor.bind(null, { name: " \t  " })],
      ["body", "empty", () => comment({ body: "" })],
      ["body", "whitespace-only", () => comment({ body: "  \n\n \t" })],
      ["page", "empty", () => comment({ page: "" })],
      ["page", "whitespace-only", () => comment({ page: "   " })],
      ["author.name", "zero-width-only", withAuthor.bind(null, { name: "\u200b" })],
      ["author.name", "direction-marks-only", withAuthor.bind(null, { name: "\u200f\u200e" })],
      ["body", "zero-width-only", () => comment({ body: "\u200b\u200b" })],
    ] as const
  ).map(
    ([path, label, build]): Case => ({
      name: `POST comments: ${label} ${path} → 422 ${path}`,
      send: () => postComment(build()),
      status: 422,
      code: "validation_failed",
      path,
    }),
  ),

  // ---- over-long fields -----------------------------------------------------------------
  {
    name: "POST comments: an 81-character name → 422 author.name",
    send: () => postComment(withAuthor({ name: "n".repeat(81) })),
    status: 422,
    code: "validation_failed",
    path: "author.name",
  },
  {
    name: "POST comments: a 2049-character page → 422 page",
    send: () => postComment(comment({ page: `https://news.example/${"p".repeat(2049 - 21)}` })),
    status: 422,
    code: "validation_failed",
    path: "page",
  },
  {
    name: "POST comments: a 301-character title → 422 title",
    send: () => postComment(comment({ title: "t".repeat(301) })),
    status: 422,
    code: "validation_failed",
    path: "title",
  },
  {
    name: "POST comments: a 255-character email → 422 author.email",
    send: () => postComment(withAuthor({ email: emailOfLength(255) })),
    status: 422,
    code: "validation_failed",
    path: "author.email",
  },
  {
    name: "POST comments: a 2049-character website → 422 author.website",
    send: () =>
      postComment(withAuthor({ website: `https://ana.example/${"w".repeat(2049 - 20)}` })),
    status: 422,
    code: "validation_failed",
    path: "author.website",
  },

  // ---- control, bidi and broken characters ----------------------------------------------
  ...(
    [
      ["NUL", "An\u0000a"],
      ["BEL (\\u0007)", "An\u0007a"],
      ["ESC (\\u001b)", "\u001b[31mAna"],
      ["NEL (\\u0085)", "An\u0085a"],
      ["a newline", "An\na"],
      ["a tab", "An\ta"],
      ["RIGHT-TO-LEFT OVERRIDE (\\u202e)", "Ana\u202etxt.exe"],
      ["LEFT-TO-RIGHT ISOLATE (\\u2066)", "Ana\u2066x"],
      ["an unpaired surrogate (\\ud800)", "Ana\ud800"],
    ] as const
  ).map(
    ([label, name]): Case => ({
      name: `POST comments: ${label} in the name → 422 author.name`,
      send: () => postComment(withAuthor({ name })),
      status: 422,
      code: "validation_failed",
      path: "author.name",
    }),
  ),
  ...(
    [
      ["NUL", "Hello\u0000world"],
      ["ESC (\\u001b)", "Hello \u001b[2J"],
      ["RIGHT-TO-LEFT OVERRIDE (\\u202e)", "Hello \u202eworld"],
      ["an unpaired surrogate (\\udc00)", "Hello \udc00"],
    ] as const
  ).map(
    ([label, body]): Case => ({
      name: `POST comments: ${label} in the body → 422 body`,
      send: () => postComment(comment({ body })),
      status: 422,
      code: "validation_failed",
      path: "body",
    }),
  ),
  {
    name: "POST comments: NUL in the page → 422 page",
    send: () => postComment(comment({ page: `${fx.pageA}\u0000` })),
    status: 422,
    code: "validation_failed",
    path: "page",
  },
  {
    name: "POST comments: an 81-character honeypot → 422 hp",
    send: () => postComment(comment({ hp: "h".repeat(81) })),
    status: 422,
    code: "validation_failed",
    path: "hp",
  },
  {
    name: "POST comments: a 201-character issuedAt → 422 issuedAt",
    send: () => postComment(comment({ issuedAt: "1".repeat(201) })),
    status: 422,
    code: "validation_failed",
    path: "issuedAt",
  },
  {
    name: "POST comments: a newline in the title → 422 title",
    send: () => postComment(comment({ title: "Breaking\nnews" })),
    status: 422,
    code: "validation_failed",
    path: "title",
  },

  // ---- URLs and emails ------------------------------------------------------------------
  ...[
    "javascript:alert(1)",
    "ftp://x",
    "not a url",
    "//example.com",
    "data:text/html,hi",
    "https://",
  ].map(
    (website): Case => ({
      name: `POST comments: website ${JSON.stringify(website)} → 422 author.website`,
      send: () => postComment(withAuthor({ website })),
      status: 422,
      code: "validation_failed",
      path: "author.website",
    }),
  ),
  ...["not-an-email", "ana@", "@example.com", "ana example@example.com"].map(
    (email): Case => ({
      name: `POST comments: email ${JSON.stringify(email)} → 422 author.email`,
      send: () => postComment(withAuthor({ email })),
      status: 422,
      code: "validation_failed",
      path: "author.email",
    }),
  ),

  // ---- unknown and malformed sites ------------------------------------------------------
  ...[UNKNOWN_SITE, "A", "-x", "x", "UPPER"].flatMap((site): Case[] => [
    {
      name: `thread on site ${JSON.stringify(site)} → 404 site_not_found`,
      send: () => call("GET", threadPath(pageQuery(fx.pageA), site)),
      status: 404,
      code: "site_not_found",
    },
    {
      name: `counts on site ${JSON.stringify(site)} → 404 site_not_found`,
      send: () => call("GET", countsPath([fx.pageA], site)),
      status: 404,
      code: "site_not_found",
    },
    {
      name: `POST comments on site ${JSON.stringify(site)} → 404 site_not_found`,
      send: () => call("POST", `/api/v1/sites/${site}/comments`, comment()),
      status: 404,
      code: "site_not_found",
    },
  ]),
  {
    name: "GET comment on an unknown site → 404 site_not_found",
    send: () => call("GET", `/api/v1/sites/${UNKNOWN_SITE}/comments/${fx.comment.comment.id}`),
    status: 404,
    code: "site_not_found",
  },
  {
    name: "vote on an unknown site → 404 site_not_found",
    send: () =>
      call("POST", `/api/v1/sites/${UNKNOWN_SITE}/comments/${fx.comment.comment.id}/vote`, {
        value: 1,
      }),
    status: 404,
    code: "site_not_found",
  },
  {
    name: "DELETE comment on an unknown site → 404 site_not_found",
    send: () =>
      call(
        "DELETE",
        `/api/v1/sites/${UNKNOWN_SITE}/comments/${fx.comment.comment.id}`,
        undefined,
        bearer(fx.comment.editToken),
      ),
    status: 404,
    code: "site_not_found",
  },

  // ---- parents --------------------------------------------------------------------------
  {
    name: "POST comments: an unknown parentId → 404 parent_not_found",
    send: () => postComment(comment({ parentId: UNKNOWN_COMMENT })),
    status: 404,
    code: "parent_not_found",
  },
  {
    name: "POST comments: a parent on another page of the site → 404 parent_not_found",
    send: () => postComment(comment({ page: fx.pageB, parentId: fx.comment.comment.id })),
    status: 404,
    code: "parent_not_found",
  },
  {
    name: "POST comments: a parent on a page with no thread yet → 404 parent_not_found",
    send: () => postComment(comment({ page: fx.pageEmpty, parentId: fx.comment.comment.id })),
    status: 404,
    code: "parent_not_found",
  },
  {
    name: "POST comments: a parent on another site → 404 parent_not_found",
    send: () => postComment(comment({ parentId: fx.foreign.comment.id })),
    status: 404,
    code: "parent_not_found",
  },
  ...["123", "c_SHOUTING0000000000000000000", `c_${"0".repeat(25)}`, `t_${"0".repeat(26)}`].map(
    (parentId): Case => ({
      name: `POST comments: malformed parentId ${JSON.stringify(parentId)} → 422 parentId`,
      send: () => postComment(comment({ parentId })),
      status: 422,
      code: "validation_failed",
      path: "parentId",
    }),
  ),

  // ---- counts ---------------------------------------------------------------------------
  {
    name: "counts: no page → 422 page",
    send: () => call("GET", `/api/v1/sites/${fx.site}/counts`),
    status: 422,
    code: "validation_failed",
    path: "page",
  },
  {
    name: "counts: 101 pages → 422 page",
    send: () =>
      call("GET", countsPath(Array.from({ length: 101 }, (_, i) => `${fx.pageA}?n=${i}`))),
    status: 422,
    code: "validation_failed",
    path: "page",
  },
  {
    name: "counts: an empty page → 422 page",
    send: () => call("GET", `/api/v1/sites/${fx.site}/counts?page=`),
    status: 422,
    code: "validation_failed",
    path: "page",
  },

  // ---- thread query ---------------------------------------------------------------------
  {
    name: "thread: no page → 422 page",
    send: () => call("GET", threadPath("sort=oldest")),
    status: 422,
    code: "validation_failed",
    path: "page",
  },
  {
    name: "thread: two pages → 422 page",
    send: () => call("GET", threadPath(`${pageQuery(fx.pageA)}&${pageQuery(fx.pageB)}`)),
    status: 422,
    code: "validation_failed",
    path: "page",
  },
  {
    name: "thread: a 2049-character page → 422 page",
    send: () => call("GET", threadPath(pageQuery(`https://news.example/${"p".repeat(2028)}`))),
    status: 422,
    code: "validation_failed",
    path: "page",
  },
  ...(
    [
      ["sort=best", "sort"],
      ["sort=oldest&sort=newest", "sort"],
      ["limit=0", "limit"],
      ["limit=101", "limit"],
      ["limit=abc", "limit"],
      ["limit=1.5", "limit"],
      ["limit=-1", "limit"],
      [`cursor=${"a".repeat(4097)}`, "cursor"],
    ] as const
  ).map(
    ([query, path]): Case => ({
      name: `thread: ${query.slice(0, 30)} → 422 ${path}`,
      send: () => call("GET", threadPath(`${pageQuery(fx.pageA)}&${query}`)),
      status: 422,
      code: "validation_failed",
      path,
    }),
  ),
  ...(
    [
      ['"!!!"', () => "!!!"],
      ['"abc"', () => "abc"],
      ['base64 of {"v":1}', () => b64({ v: 1 })],
      ["base64 of a JSON string", () => b64("oldest")],
      [
        "a well-shaped cursor naming an unknown thread",
        () => b64({ v: 1, t: `t_${"0".repeat(26)}`, s: "oldest", id: UNKNOWN_COMMENT }),
      ],
      ["page A's cursor", () => fx.cursorA, () => fx.pageB],
      ["page A's cursor on a page with no thread", () => fx.cursorA, () => fx.pageEmpty],
      ["an oldest cursor", () => fx.cursorA, () => fx.pageA, "&sort=newest"],
    ] as const
  ).map(
    ([label, cursor, page = () => fx.pageA, extra = ""]): Case => ({
      name: `thread: forged cursor (${label}) → 422 cursor`,
      send: () =>
        call(
          "GET",
          threadPath(`${pageQuery(page())}&cursor=${encodeURIComponent(cursor())}${extra}`),
        ),
      status: 422,
      code: "validation_failed",
      path: "cursor",
    }),
  ),

  // ---- comment ids ----------------------------------------------------------------------
  {
    name: "GET comment: unknown id → 404 comment_not_found",
    send: () => call("GET", commentPath(UNKNOWN_COMMENT)),
    status: 404,
    code: "comment_not_found",
  },
  {
    name: "GET comment: another site's comment → 404 comment_not_found",
    send: () => call("GET", commentPath(fx.foreign.comment.id)),
    status: 404,
    code: "comment_not_found",
  },
  {
    name: "GET replies: unknown id → 404 comment_not_found",
    send: () => call("GET", repliesPath(UNKNOWN_COMMENT)),
    status: 404,
    code: "comment_not_found",
  },
  {
    name: "vote: unknown id → 404 comment_not_found",
    send: () => call("POST", votePath(UNKNOWN_COMMENT), { value: 1 }),
    status: 404,
    code: "comment_not_found",
  },
  {
    name: "vote: another site's comment → 404 comment_not_found",
    send: () => call("POST", votePath(fx.foreign.comment.id), { value: 1 }),
    status: 404,
    code: "comment_not_found",
  },
  {
    name: "GET comment: malformed id → 422 id",
    send: () => call("GET", commentPath("123")),
    status: 422,
    code: "validation_failed",
    path: "id",
  },
  {
    name: "GET replies: malformed id → 422 id",
    send: () => call("GET", repliesPath("not-a-comment")),
    status: 422,
    code: "validation_failed",
    path: "id",
  },
  {
    name: "vote: malformed id → 422 id",
    send: () => call("POST", votePath("C_UPPER"), { value: 1 }),
    status: 422,
    code: "validation_failed",
    path: "id",
  },
  ...(
    [
      ["limit=0", "limit"],
      ["limit=101", "limit"],
      ["cursor=!!!", "cursor"],
    ] as const
  ).map(
    ([query, path]): Case => ({
      name: `GET replies: ${query} → 422 ${path}`,
      send: () => call("GET", repliesPath(undefined, `?${query}`)),
      status: 422,
      code: "validation_failed",
      path,
    }),
  ),
  {
    name: "GET replies: one comment's replies cursor used on another → 422 cursor",
    send: () =>
      call(
        "GET",
        repliesPath(fx.second.comment.id, `?cursor=${encodeURIComponent(fx.repliesCursor)}`),
      ),
    status: 422,
    code: "validation_failed",
    path: "cursor",
  },
  {
    name: "thread: a replies cursor used as a thread cursor → 422 cursor",
    send: () =>
      call(
        "GET",
        threadPath(`${pageQuery(fx.pageA)}&cursor=${encodeURIComponent(fx.repliesCursor)}`),
      ),
    status: 422,
    code: "validation_failed",
    path: "cursor",
  },
  {
    name: "GET replies: a thread cursor used as a replies cursor → 422 cursor",
    send: () => call("GET", repliesPath(undefined, `?cursor=${encodeURIComponent(fx.cursorA)}`)),
    status: 422,
    code: "validation_failed",
    path: "cursor",
  },

  // ---- vote values ----------------------------------------------------------------------
  ...(
    [
      ['"1" (a string)', "1"],
      ["2", 2],
      ["-2", -2],
      ["0.5", 0.5],
      ["null", null],
      ["true", true],
    ] as const
  ).map(
    ([label, value]): Case => ({
      name: `vote: value ${label} → 422 value`,
      send: () => call("POST", votePath(), { value }),
      status: 422,
      code: "validation_failed",
      path: "value",
    }),
  ),
  {
    name: "vote: no body at all → 422 value",
    send: () => call("POST", votePath()),
    status: 422,
    code: "validation_failed",
    path: "value",
  },
  {
    name: "vote: no value → 422 value",
    send: () => call("POST", votePath(), {}),
    status: 422,
    code: "validation_failed",
    path: "value",
  },

  // ---- PATCH / DELETE by the author -----------------------------------------------------
  ...(["PATCH", "DELETE"] as const).flatMap((method): Case[] => {
    const body = method === "PATCH" ? { body: "Edited" } : undefined;
    return [
      {
        name: `${method} comment: no Authorization → 401 unauthorized`,
        send: () => call(method, commentPath(), body),
        status: 401,
        code: "unauthorized",
      },
      {
        name: `${method} comment: "Bearer" with no token → 401 unauthorized`,
        send: () => call(method, commentPath(), body, { authorization: "Bearer" }),
        status: 401,
        code: "unauthorized",
      },
      {
        name: `${method} comment: a Basic credential → 401 unauthorized`,
        send: () => call(method, commentPath(), body, { authorization: `Basic ${btoa("a:b")}` }),
        status: 401,
        code: "unauthorized",
      },
      {
        name: `${method} comment: a wrong token → 403 forbidden`,
        send: () => call(method, commentPath(), body, bearer("x".repeat(43))),
        status: 403,
        code: "forbidden",
      },
      {
        name: `${method} comment: another comment's token → 403 forbidden`,
        send: () => call(method, commentPath(), body, bearer(fx.second.editToken)),
        status: 403,
        code: "forbidden",
      },
      {
        name: `${method} comment: the right token on another site's path → 404 comment_not_found`,
        send: () =>
          call(
            method,
            `/api/v1/sites/${fx.other}/comments/${fx.comment.comment.id}`,
            body,
            bearer(fx.comment.editToken),
          ),
        status: 404,
        code: "comment_not_found",
      },
      {
        name: `${method} comment: an unknown id → 404 comment_not_found`,
        send: () => call(method, commentPath(UNKNOWN_COMMENT), body, bearer(fx.comment.editToken)),
        status: 404,
        code: "comment_not_found",
      },
    ];
  }),
  ...(
    [
      ["an empty body", ""],
      ["a whitespace-only body", " \n "],
      ["a 5001-character body", "x".repeat(5001)],
      ["NUL in the body", "Edited\u0000"],
    ] as const
  ).map(
    ([label, text]): Case => ({
      name: `PATCH comment: ${label} → 422 body`,
      send: () => call("PATCH", commentPath(), { body: text }, bearer(fx.comment.editToken)),
      status: 422,
      code: "validation_failed",
      path: "body",
    }),
  ),
  {
    name: "PATCH comment: no body field → 422 body",
    send: () => call("PATCH", commentPath(), { text: "Edited" }, bearer(fx.comment.editToken)),
    status: 422,
    code: "validation_failed",
    path: "body",
  },

  // ---- operator -------------------------------------------------------------------------
  ...(
    [
      ["no token", () => ({})],
      ["a wrong token", () => WRONG_ADMIN],
      ['"Bearer" with no token', () => ({ authorization: "Bearer" })],
      ["the site's moderator key", () => bearer(fx.moderatorKey)],
    ] as const
  ).flatMap(([label, headers]): Case[] => [
    {
      name: `GET sites with ${label} → 401 unauthorized`,
      send: () => call("GET", "/api/v1/sites", undefined, headers()),
      status: 401,
      code: "unauthorized",
    },
    {
      name: `POST sites with ${label} → 401 unauthorized`,
      send: () => call("POST", "/api/v1/sites", newSite(), headers()),
      status: 401,
      code: "unauthorized",
    },
  ]),
  {
    name: "PATCH site with no token → 401 unauthorized",
    send: () => call("PATCH", `/api/v1/sites/${fx.site}`, { name: "Taken over" }),
    status: 401,
    code: "unauthorized",
  },
  {
    name: "DELETE site with a wrong token → 401 unauthorized",
    send: () => call("DELETE", `/api/v1/sites/${fx.site}`, undefined, WRONG_ADMIN),
    status: 401,
    code: "unauthorized",
  },
  {
    name: "POST keys with no token → 401 unauthorized",
    send: () => call("POST", `/api/v1/sites/${fx.site}/keys`, { label: "x" }),
    status: 401,
    code: "unauthorized",
  },
  {
    name: "GET keys with a wrong token → 401 unauthorized",
    send: () => call("GET", `/api/v1/sites/${fx.site}/keys`, undefined, WRONG_ADMIN),
    status: 401,
    code: "unauthorized",
  },
  {
    name: "POST sites: an existing id → 409 site_exists",
    send: () => postSite({ id: fx.site, name: "Again", origins: ["https://x.example"] }),
    status: 409,
    code: "site_exists",
  },
  ...(
    [
      ["id", "Bad_ID", { id: "Bad_ID" }],
      ["id", "a one-character id", { id: "a" }],
      ["name", "no name", { name: undefined }],
      ["origins", "no origins", { origins: undefined }],
      ["origins.0", "an origin with a path", { origins: ["https://x.example/path"] }],
      ["origins.0", "an origin with a trailing slash", { origins: ["https://x.example/"] }],
      ["origins.0", "a javascript: origin", { origins: ["javascript:alert(1)"] }],
      ["origins", "an empty origins array", { origins: [] }],
      ["moderation", 'moderation "sometimes"', { moderation: "sometimes" }],
      ["maxDepth", "maxDepth 0", { maxDepth: 0 }],
      ["maxDepth", "maxDepth 11", { maxDepth: 11 }],
      ["editWindowSeconds", "editWindowSeconds -1", { editWindowSeconds: -1 }],
      ["limits.postsPerMinute", "a negative postsPerMinute", { limits: { postsPerMinute: -1 } }],
      ["webhookUrl", "a javascript: webhookUrl", { webhookUrl: "javascript:alert(1)" }],
      ["locale", "a malformed locale", { locale: "English!" }],
    ] as const
  ).map(
    ([path, label, fields]): Case => ({
      name: `POST sites: ${label} → 422 ${path}`,
      send: () => postSite(newSite(fields)),
      status: 422,
      code: "validation_failed",
      path,
    }),
  ),
  ...(
    [
      ["maxDepth", "maxDepth 0", { maxDepth: 0 }],
      ["origins", "an empty origins array", { origins: [] }],
      ["moderation", 'moderation "sometimes"', { moderation: "sometimes" }],
    ] as const
  ).map(
    ([path, label, fields]): Case => ({
      name: `PATCH site: ${label} → 422 ${path}`,
      send: () => call("PATCH", `/api/v1/sites/${fx.site}`, fields, ADMIN),
      status: 422,
      code: "validation_failed",
      path,
    }),
  ),
  {
    name: "PATCH site: an unknown site → 404 site_not_found",
    send: () => call("PATCH", `/api/v1/sites/${UNKNOWN_SITE}`, { name: "x" }, ADMIN),
    status: 404,
    code: "site_not_found",
  },
  {
    name: "PATCH site: a malformed site id → 422 site",
    send: () => call("PATCH", "/api/v1/sites/Bad_ID", { name: "x" }, ADMIN),
    status: 422,
    code: "validation_failed",
    path: "site",
  },
  {
    name: "GET site: an unknown site → 404 site_not_found",
    send: () => call("GET", `/api/v1/sites/${UNKNOWN_SITE}`, undefined, ADMIN),
    status: 404,
    code: "site_not_found",
  },
  ...(
    [
      ["an empty label", { label: "" }],
      ["a whitespace-only label", { label: "   " }],
      ["no label", {}],
      ["an 81-character label", { label: "l".repeat(81) }],
    ] as const
  ).map(
    ([label, body]): Case => ({
      name: `POST keys: ${label} → 422 label`,
      send: () => call("POST", `/api/v1/sites/${fx.site}/keys`, body, ADMIN),
      status: 422,
      code: "validation_failed",
      path: "label",
    }),
  ),
  {
    name: "POST keys: an unknown site → 404 site_not_found",
    send: () => call("POST", `/api/v1/sites/${UNKNOWN_SITE}/keys`, { label: "x" }, ADMIN),
    status: 404,
    code: "site_not_found",
  },
  {
    name: "DELETE key: an unknown key → 404 key_not_found",
    send: () => call("DELETE", `/api/v1/sites/${fx.site}/keys/k_unknown`, undefined, ADMIN),
    status: 404,
    code: "key_not_found",
  },
  {
    name: "DELETE key: an unknown site → 404 site_not_found",
    send: () => call("DELETE", `/api/v1/sites/${UNKNOWN_SITE}/keys/k_unknown`, undefined, ADMIN),
    status: 404,
    code: "site_not_found",
  },

  // ---- unknown routes -------------------------------------------------------------------
  {
    name: "GET an unknown /api/v1 path → 404 not_found",
    send: () => call("GET", "/api/v1/nope"),
    status: 404,
    code: "not_found",
  },
  {
    name: "GET an unknown path outside /api → 404 not_found",
    send: () => call("GET", "/nope.php"),
    status: 404,
    code: "not_found",
  },
  {
    name: "GET an unknown path below a site → 404 not_found",
    send: () => call("GET", `/api/v1/sites/${fx.site}/nope`),
    status: 404,
    code: "not_found",
  },
  {
    name: "PUT on a comment (no such method) → 404 not_found",
    send: () => call("PUT", commentPath(), { body: "x" }, bearer(fx.comment.editToken)),
    status: 404,
    code: "not_found",
  },
  {
    name: "the old /api/v0 prefix → 404 not_found",
    send: () =>
      call("GET", `/api/v0/sites/${fx.site}/thread?${pageQuery("https://news.example/")}`),
    status: 404,
    code: "not_found",
  },
];

/** Everything a refused request might have touched, read straight from D1. */
async function snapshot() {
  const sites = [fx.site, fx.other];
  const marks = sites.map(() => "?").join(",");
  const read = (sql: string) =>
    env.DB.prepare(sql)
      .bind(...sites)
      .all()
      .then((r) => r.results);
  return {
    sites: await read(`SELECT * FROM sites WHERE id IN (${marks}) ORDER BY id`),
    keys: await read(
      `SELECT id, label, revoked_at FROM moderator_keys WHERE site_id IN (${marks}) ORDER BY id`,
    ),
    threads: await read(`SELECT * FROM threads WHERE site_id IN (${marks}) ORDER BY id`),
    comments: await read(`SELECT * FROM comments WHERE site_id IN (${marks}) ORDER BY id`),
    votes: await read(
      `SELECT v.* FROM votes v JOIN comments c ON c.id = v.comment_id WHERE c.site_id IN (${marks}) ORDER BY v.comment_id, v.voter_hash`,
    ),
  };
}

describe("bad input", () => {
  let before: Awaited<ReturnType<typeof snapshot>>;
  let countsBefore: number[];

  beforeAll(async () => {
    await setUpFixture();
    countsBefore = await Promise.all(
      [fx.pageA, fx.pageB, fx.pageEmpty].map(async (p) => (await thread(fx.site, p)).thread.count),
    );
    expect(countsBefore).toEqual([23, 1, 0]);
    before = await snapshot();
  });

  it("has at least 70 distinct cases", () => {
    expect(cases.length).toBeGreaterThanOrEqual(70);
    expect(new Set(cases.map((c) => c.name)).size).toBe(cases.length);
  });

  refuseEach(cases);

  it("answers 200 for counts of exactly 100 pages (the limit itself is allowed)", async () => {
    const pages = Array.from({ length: 100 }, (_, i) => `${fx.pageA}?n=${i}`);
    const res = await call("GET", countsPath(pages));
    expect(res.status).toBe(200);
    const { counts } = await json<{ counts: Record<string, number> }>(res);
    expect(Object.keys(counts)).toHaveLength(100);
  });

  it("never answers a refused request with a 500 or without the error shape", async () => {
    const problems: string[] = [];
    for (const c of cases) {
      const res = await c.send();
      const text = await res.text();
      let body: ErrorJson | undefined;
      try {
        body = JSON.parse(text) as ErrorJson;
      } catch {
        body = undefined;
      }
      const shaped =
        typeof body?.error?.code === "string" &&
        /^[a-z]+(_[a-z]+)*$/.test(body.error.code) &&
        typeof body.error.message === "string" &&
        body.error.message.length > 0;
      if (res.status >= 500 || !shaped)
        problems.push(`${c.name}: ${res.status} ${text.slice(0, 120)}`);
      if (!res.headers.get("content-type")?.startsWith("application/json")) {
        problems.push(`${c.name}: content-type ${res.headers.get("content-type")}`);
      }
    }
    expect(problems).toEqual([]);
  });

  it("changes nothing: threads, comments, votes, keys and sites are as before", async () => {
    const counts = await Promise.all(
      [fx.pageA, fx.pageB, fx.pageEmpty].map(async (p) => (await thread(fx.site, p)).thread.count),
    );
    expect(counts).toEqual(countsBefore);
    expect(await snapshot()).toEqual(before);
  });

  it("creates none of the sites whose creation was refused", async () => {
    expect(fx.refusedSiteIds.length).toBeGreaterThan(0);
    const found = await env.DB.prepare(
      `SELECT id FROM sites WHERE id IN (${fx.refusedSiteIds.map(() => "?").join(",")})`,
    )
      .bind(...fx.refusedSiteIds)
      .all();
    expect(found.results).toEqual([]);
  });
});

describe("values at their limits", () => {
  // The positive control for the over-long rows above: one character less is accepted.
  it("accepts a comment whose every field is exactly at its limit", async () => {
    const site = await createSite();
    const page = `https://news.example/${"p".repeat(2048 - 21)}`;
    const res = await call("POST", `/api/v1/sites/${site.id}/comments`, {
      page,
      title: "t".repeat(300),
      author: {
        name: "n".repeat(80),
        email: emailOfLength(254),
        website: `https://ana.example/${"w".repeat(2048 - 20)}`,
      },
      body: "x".repeat(5000),
    });
    expect(res.status).toBe(201);
    expect((await thread(site.id, page)).thread.count).toBe(1);
  });
});

describe("line breaks in single-line fields", () => {
  // Regression: U+2028 and U+2029 once slipped past the single-line check (\p{Cc} misses them).
  for (const [label, name] of [
    ["LINE SEPARATOR (\\u2028)", "An\u2028a"],
    ["PARAGRAPH SEPARATOR (\\u2029)", "An\u2029a"],
  ] as const) {
    it(`refuses a ${label} in the name`, async () => {
      const site = await createSite();
      const res = await call("POST", `/api/v1/sites/${site.id}/comments`, {
        page: pageUrl(),
        author: { name },
        body: "Hello",
      });
      await expectError(res, 422, "validation_failed");
    });
  }
});
