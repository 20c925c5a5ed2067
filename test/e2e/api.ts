// Node-side access to the running server: the operator and public API (to build each test's site
// and thread) and, for the one fact the API cannot set yet, the local D1 through wrangler.
import { execFile } from "node:child_process";
import path from "node:path";
import { promisify } from "node:util";
import { expect, inject } from "vitest";

const run = promisify(execFile);
const root = path.resolve(import.meta.dirname, "../..");

export const baseUrl = (): string => inject("baseUrl");
const admin = () => ({ authorization: `Bearer ${inject("adminToken")}` });

let counter = 0;
/** A fresh id per call, so every test builds its own site and pages and order never matters. */
export function uniqueId(prefix = "s"): string {
  counter += 1;
  return `${prefix}-${Date.now().toString(36)}-${counter}-${Math.random().toString(36).slice(2, 8)}`;
}

export async function call(
  method: string,
  pathname: string,
  body?: unknown,
  headers: Record<string, string> = {},
): Promise<Response> {
  const init: RequestInit = { method, headers: { ...headers } };
  if (body !== undefined) {
    init.body = typeof body === "string" ? body : JSON.stringify(body);
    (init.headers as Record<string, string>)["content-type"] ??= "application/json";
  }
  return fetch(`${baseUrl()}${pathname}`, init);
}

export interface SiteFixture {
  id: string;
  secret: string;
}

/**
 * A site for one test. Rate, link and time-trap limits are off unless a test sets them: these tests post
 * many comments from one address, which is not what they are about.
 */
export async function createSite(settings: Record<string, unknown> = {}): Promise<SiteFixture> {
  const id = uniqueId("e2e");
  const res = await call(
    "POST",
    "/api/v1/sites",
    {
      id,
      name: `Site ${id}`,
      origins: ["http://localhost:*", "http://127.0.0.1:*"],
      limits: { postsPerMinute: 0, postsPerDay: 0, maxLinks: 100, minSecondsToPost: 0 },
      ...settings,
    },
    admin(),
  );
  expect(res.status, await res.clone().text()).toBe(201);
  const { secret } = (await res.json()) as { secret: string };
  return { id, secret };
}

export interface PublicComment {
  id: string;
  parentId: string | null;
  depth: number;
  status: string;
  replyCount: number;
  score: number;
  createdAt: string;
  editedAt: string | null;
  author: { name: string; website: string | null; avatar: string } | null;
  body: unknown;
}

export interface Posted {
  comment: PublicComment;
  editToken: string;
  editableUntil: string;
}

let bodies = 0;
/**
 * Posts a comment as a reader's browser would. The default body differs per call: the server
 * holds a body already posted on the site that day as a duplicate.
 */
export function postRaw(site: string, page: string, fields: Record<string, unknown> = {}) {
  bodies += 1;
  return call("POST", `/api/v1/sites/${site}/comments`, {
    page,
    author: { name: "Ana" },
    body: `Hello (${bodies})`,
    ...fields,
  });
}

export async function postComment(
  site: string,
  page: string,
  fields: Record<string, unknown> = {},
): Promise<Posted> {
  const res = await postRaw(site, page, fields);
  expect([201, 202], await res.clone().text()).toContain(res.status);
  return (await res.json()) as Posted;
}

/** Posts one comment per element, `concurrency` at a time; results keep the input's order. */
export async function postAll(
  site: string,
  page: string,
  fields: Array<Record<string, unknown>>,
  concurrency = 1,
): Promise<Posted[]> {
  const out: Posted[] = [];
  for (let i = 0; i < fields.length; i += concurrency) {
    const batch = fields.slice(i, i + concurrency);
    out.push(...(await Promise.all(batch.map((f) => postComment(site, page, f)))));
  }
  return out;
}

export async function deleteOwn(site: string, posted: Posted): Promise<void> {
  const res = await call(
    "DELETE",
    `/api/v1/sites/${site}/comments/${posted.comment.id}`,
    undefined,
    {
      authorization: `Bearer ${posted.editToken}`,
    },
  );
  expect(res.status).toBe(204);
}

export async function vote(site: string, id: string, value: 1 | -1 | 0): Promise<void> {
  const res = await call("POST", `/api/v1/sites/${site}/comments/${id}/vote`, { value });
  expect(res.status).toBe(200);
}

export interface ThreadView {
  thread: { page: string; title: string; count: number; locked: boolean };
  comments: PublicComment[];
  nextCursor: string | null;
}

export async function getThread(site: string, page: string, query = ""): Promise<ThreadView> {
  const res = await call(
    "GET",
    `/api/v1/sites/${site}/thread?page=${encodeURIComponent(page)}${query}`,
  );
  expect(res.status).toBe(200);
  return (await res.json()) as ThreadView;
}

/** Runs SQL on the server's local D1 (the same files `wrangler dev` uses). */
export async function sql(command: string): Promise<void> {
  await run(
    process.execPath,
    [
      "scripts/wrangler.mjs",
      "d1",
      "execute",
      "DB",
      "--local",
      "--persist-to",
      inject("persistDir"),
      "--command",
      command,
    ],
    { cwd: root, env: { ...process.env, CI: "true" }, timeout: 60_000 },
  );
}

/** SQL string literal. */
export const lit = (value: string) => `'${value.replaceAll("'", "''")}'`;
