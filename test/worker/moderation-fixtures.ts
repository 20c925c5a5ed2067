import { expect } from "vitest";
import { moveClock } from "./clock";
import { call, createSite, json, rows, type SiteFixture, thread } from "./helpers";

/*
 * What the moderation API tests share (API.md "Moderators"): a moderator's calls as a script
 * makes them, and reads straight from D1 of what those calls changed.
 */

interface ModComment {
  id: string;
  parentId: string | null;
  depth: number;
  page: string;
  status: string;
  author: { name: string; email: string | null; website: string | null; avatar: string };
  ipHash: string | null;
  userAgent: string | null;
  spamReasons: string[];
  flagCount: number;
  flags?: Array<{ reason: string; note: string | null; createdAt: string }>;
  bodySource: string;
  createdAt: string;
  replyCount: number;
}

interface Block {
  id: string;
  kind: string;
  value: string;
  createdAt: string;
}

export const bearer = (token: string) => ({ authorization: `Bearer ${token}` });
// Several tests post many comments from one address; the site's rate limits are not under test.
const noLimits = { limits: { postsPerMinute: 0, postsPerDay: 0 } };
export const newSite = (settings: Record<string, unknown> = {}) =>
  createSite({ ...noLimits, ...settings });

/** Moves the Worker's clock on, so what happens next has a later time and id. */
export const tick = async (ms = 5) => moveClock(ms);

export const asModerator = (site: SiteFixture, method: string, path: string, body?: unknown) =>
  call(method, `/api/v1/sites/${site.id}/moderation${path}`, body, bearer(site.secret));

export async function queue(site: SiteFixture, query = "") {
  const res = await asModerator(site, "GET", `/comments${query ? `?${query}` : ""}`);
  expect(res.status).toBe(200);
  return json<{ comments: ModComment[]; nextCursor: string | null }>(res);
}

export const idsOf = (list: Array<{ id: string }>) => list.map((c) => c.id);

export const act = (site: SiteFixture, id: string, action: "spam" | "approve" | "restore") =>
  asModerator(site, "POST", `/comments/${id}/${action}`);

export const remove = (site: SiteFixture, id: string, purge = false) =>
  asModerator(site, "DELETE", `/comments/${id}${purge ? "?purge=true" : ""}`);

export async function expectAction(res: Response, status: string): Promise<ModComment> {
  expect(res.status).toBe(200);
  const { comment } = await json<{ comment: ModComment }>(res);
  expect(comment.status).toBe(status);
  return comment;
}

export const bulk = (site: SiteFixture, body: unknown) => asModerator(site, "POST", "/bulk", body);

export async function affected(res: Response): Promise<number> {
  expect(res.status).toBe(200);
  return (await json<{ affected: number }>(res)).affected;
}

export const flag = (site: SiteFixture, id: string, ip: string, reason = "spam", note?: string) =>
  call(
    "POST",
    `/api/v1/sites/${site.id}/comments/${id}/flag`,
    { reason, ...(note ? { note } : {}) },
    { "cf-connecting-ip": ip },
  );

export async function statusOf(id: string): Promise<unknown> {
  return (await rows("SELECT status FROM comments WHERE id = ?", id))[0]?.status;
}

export async function statuses(...ids: string[]): Promise<unknown[]> {
  return Promise.all(ids.map(statusOf));
}

export const countOf = async (site: SiteFixture, page: string) =>
  (await thread(site.id, page)).thread.count;

export async function addBlock(site: SiteFixture, kind: string, value: string): Promise<Block> {
  const res = await asModerator(site, "POST", "/blocks", { kind, value });
  expect(res.status).toBe(201);
  return (await json<{ block: Block }>(res)).block;
}

export async function listBlocks(site: SiteFixture): Promise<Block[]> {
  const res = await asModerator(site, "GET", "/blocks");
  expect(res.status).toBe(200);
  return (await json<{ blocks: Block[] }>(res)).blocks;
}

export const lock = (site: SiteFixture, page: string, locked: boolean) =>
  asModerator(site, "PATCH", `/threads?page=${encodeURIComponent(page)}`, { locked });

/** The same page as `page` (from pageUrl()), spelled the way a careless embed would. */
export const otherSpelling = (page: string) =>
  `${page.replace("https://news.example", "HTTPS://News.Example:443")}/?utm_source=newsletter#comments`;

/** Everything a site's moderation can change, read straight from D1. */
export async function snapshot(site: SiteFixture) {
  return {
    comments: await rows(
      "SELECT id, status, author_name, body_source, spam_reasons FROM comments WHERE site_id = ? ORDER BY id",
      site.id,
    ),
    threads: await rows(
      "SELECT id, count, locked FROM threads WHERE site_id = ? ORDER BY id",
      site.id,
    ),
    audit: await rows("SELECT * FROM audit_log WHERE site_id = ? ORDER BY id", site.id),
  };
}
