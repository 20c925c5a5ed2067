import {
  bearer,
  type Case,
  comment,
  commentPath,
  countsPath,
  fx,
  pageQuery,
  repliesPath,
  threadPath,
  UNKNOWN_COMMENT,
  UNKNOWN_SITE,
  votePath,
} from "./bad-input-fixture";
import { call } from "./helpers";

/*
 * Bad-input rows (the fixture and the test are in bad-input-fixture.ts) whose URL is wrong: an
 * unknown or malformed site or comment id, a bad counts or thread query, a forged or misused
 * cursor, and paths and methods the API does not have.
 */

const b64 = (value: unknown) => btoa(JSON.stringify(value));

export const pathAndQueryCases: Case[] = [
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
      name: `feed on site ${JSON.stringify(site)} → 404 site_not_found`,
      send: () => call("GET", `/api/v1/sites/${site}/feed.atom`),
      status: 404,
      code: "site_not_found",
    },
    {
      name: `recent on site ${JSON.stringify(site)} → 404 site_not_found`,
      send: () => call("GET", `/api/v1/sites/${site}/recent`),
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

  // ---- feeds and recent comments --------------------------------------------------------
  {
    name: "feed: an empty page → 422 page",
    send: () => call("GET", `/api/v1/sites/${fx.site}/feed.atom?page=`),
    status: 422,
    code: "validation_failed",
    path: "page",
  },
  {
    name: "feed: two pages → 422 page",
    send: () =>
      call(
        "GET",
        `/api/v1/sites/${fx.site}/feed.atom?${pageQuery(fx.pageA)}&${pageQuery(fx.pageB)}`,
      ),
    status: 422,
    code: "validation_failed",
    path: "page",
  },
  {
    name: "feed: a 2049-character page → 422 page",
    send: () =>
      call(
        "GET",
        `/api/v1/sites/${fx.site}/feed.atom?${pageQuery(`https://news.example/${"p".repeat(2028)}`)}`,
      ),
    status: 422,
    code: "validation_failed",
    path: "page",
  },
  ...["0", "51", "abc", "1.5", "-1", "10&limit=20"].map(
    (limit): Case => ({
      name: `recent: limit=${limit} → 422 limit`,
      send: () => call("GET", `/api/v1/sites/${fx.site}/recent?limit=${limit}`),
      status: 422,
      code: "validation_failed",
      path: "limit",
    }),
  ),

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
