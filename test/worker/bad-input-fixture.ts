import { expect, it } from "vitest";
import {
  ADMIN,
  call,
  createSite,
  expectError,
  json,
  type Posted,
  pageUrl,
  post,
  thread,
  uniqueId,
} from "./helpers";

/*
 * What the bad-input tests share. Bad requests across the API, one row (Case) each: the exact
 * status and stable error `code`, and for 422 the field the `details` name. The rows are in
 * bad-input-*-cases.ts, grouped by the part of the request that is wrong. Every row is refused,
 * so a test file's rows share one fixture, which setUpFixture builds once per file;
 * bad-input-all-cases.test.ts sends every row again and proves the refusals changed nothing.
 */

export const UNKNOWN_COMMENT = `c_${"0".repeat(26)}`;
export const UNKNOWN_SITE = uniqueId("nosite");

interface Fixture {
  site: string;
  other: string;
  /** The moderator key issued with `site`: it must not open the operator API. */
  moderatorKey: string;
  pageA: string;
  pageB: string;
  pageEmpty: string;
  comment: Posted;
  second: Posted;
  /** Gives page B a thread of its own, so page A's cursor and parents meet a real other page. */
  onB: Posted;
  foreign: Posted;
  /** A real `nextCursor` of page A (sort=oldest, limit=1). */
  cursorA: string;
  /** A real `moreReplies` cursor of `comment`'s subtree. */
  repliesCursor: string;
  /** Ids given to refused site creations: none of them may exist afterwards. */
  refusedSiteIds: string[];
}

// Filled in by setUpFixture; the rows read it only when they are sent.
export const fx = {} as Fixture;

export interface Case {
  name: string;
  send: () => Promise<Response>;
  status: number;
  code: string;
  /** For 422: the `path` one of the details must name (`expect.any(String)` for the root). */
  path?: unknown;
}

export const bearer = (token: string) => ({ authorization: `Bearer ${token}` });

export const commentsPath = () => `/api/v1/sites/${fx.site}/comments`;
export const commentPath = (id = fx.comment.comment.id) =>
  `/api/v1/sites/${fx.site}/comments/${id}`;
export const votePath = (id = fx.comment.comment.id) => `${commentPath(id)}/vote`;
export const repliesPath = (id = fx.comment.comment.id, query = "") =>
  `${commentPath(id)}/replies${query}`;
export const threadPath = (query: string, site = fx.site) =>
  `/api/v1/sites/${site}/thread?${query}`;
export const pageQuery = (page: string) => `page=${encodeURIComponent(page)}`;
export const countsPath = (pages: string[], site = fx.site) =>
  `/api/v1/sites/${site}/counts?${pages.map(pageQuery).join("&")}`;

/** A valid new comment on page A with some fields replaced. */
export function comment(fields: Record<string, unknown> = {}) {
  return { page: fx.pageA, author: { name: "Ana" }, body: "Hello", ...fields };
}
export const withAuthor = (author: Record<string, unknown>) =>
  comment({ author: { name: "Ana", ...author } });
export const postComment = (body: unknown) => call("POST", commentsPath(), body);

/** A valid new site with some fields replaced; its id is recorded so we can prove it was not made. */
export function newSite(fields: Record<string, unknown> = {}) {
  const body = {
    id: uniqueId("refused"),
    name: "Refused",
    origins: ["https://x.example"],
    ...fields,
  };
  if (typeof body.id === "string") fx.refusedSiteIds.push(body.id);
  return body;
}
export const postSite = (body: unknown) => call("POST", "/api/v1/sites", body, ADMIN);

/** An email of exactly `length` characters that is otherwise well formed. */
export function emailOfLength(length: number): string {
  const local = "a".repeat(64);
  const labels: string[] = [];
  let rest = length - local.length - 1 - ".com".length;
  while (rest > 0) {
    const label = Math.min(63, rest - (labels.length > 0 ? 1 : 0));
    labels.push("b".repeat(label));
    rest -= label + (labels.length > 1 ? 1 : 0);
  }
  return `${local}@${labels.join(".")}.com`;
}

export interface ErrorJson {
  error: { code: string; message: string; details?: Array<{ path: unknown; message: unknown }> };
}

/** The fixture every row reads: two sites, pages with and without threads, real cursors. */
export async function setUpFixture(): Promise<void> {
  // Limits off: the fixture posts several comments from one address.
  const noLimits = { limits: { postsPerMinute: 0, postsPerDay: 0 } };
  const [site, other] = await Promise.all([createSite(noLimits), createSite(noLimits)]);
  fx.site = site.id;
  fx.other = other.id;
  fx.moderatorKey = site.secret;
  fx.pageA = pageUrl();
  fx.pageB = pageUrl();
  fx.pageEmpty = pageUrl();
  fx.refusedSiteIds = [];
  fx.comment = await post(fx.site, fx.pageA);
  fx.second = await post(fx.site, fx.pageA, { body: "Second" });
  fx.onB = await post(fx.site, fx.pageB);
  fx.foreign = await post(fx.other, fx.pageA);
  const first = await thread(fx.site, fx.pageA, "&limit=1");
  expect(first.nextCursor).toEqual(expect.any(String));
  fx.cursorA = first.nextCursor as string;
  // One more reply than the thread view shows under a comment, so its subtree has a cursor.
  for (let i = 0; i < 21; i++) {
    await post(fx.site, fx.pageA, { parentId: fx.comment.comment.id, body: `Reply ${i}` });
  }
  const withReplies = await thread(fx.site, fx.pageA, "&limit=1");
  const more = withReplies.comments.find((c) => c.id === fx.comment.comment.id)?.moreReplies;
  expect(more).toEqual(expect.any(String));
  fx.repliesCursor = more as string;
}

/** One test per row: refused with the row's status and code, and for 422 the field it names. */
export function refuseEach(cases: Case[]): void {
  for (const c of cases) {
    it(`refuses ${c.name}`, async () => {
      const res = await c.send();
      if (c.status !== 422) {
        await expectError(res, c.status, c.code);
        return;
      }
      const body = await json<ErrorJson>(res.clone());
      await expectError(res, c.status, c.code);
      const details = body.error.details ?? [];
      expect(details.length).toBeGreaterThan(0);
      for (const detail of details) {
        expect(detail).toEqual({ path: expect.any(String), message: expect.any(String) });
      }
      expect(details).toContainEqual({ path: c.path, message: expect.any(String) });
    });
  }
}
