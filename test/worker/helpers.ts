import { createExecutionContext, waitOnExecutionContext } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { expect } from "vitest";
import type { AppEnv } from "../../src/env";
import worker from "../../src/index";

export const ADMIN = { authorization: "Bearer test-admin-token" };
const BASE = "http://parley.test";

let counter = 0;
/** A fresh id per call, so every test builds its own site and pages and order never matters. */
export function uniqueId(prefix = "s"): string {
  counter += 1;
  return `${prefix}-${Date.now().toString(36)}-${counter}-${Math.random().toString(36).slice(2, 8)}`;
}

/**
 * Hands a request to the Worker as the runtime would, and returns once the work it left for
 * after the response (cache writes, webhooks) has finished, so a test's next step sees it.
 * Not through `exports.default.fetch`: in vitest-pool-workers 0.23 each call through it costs
 * more than the one before (3 ms at first, 40 ms after 400 calls, measured), which made a file
 * of a few hundred requests take minutes.
 */
export async function fetchWorker(
  request: Request,
  bindings: Partial<AppEnv["Bindings"]> = {},
): Promise<Response> {
  const ctx = createExecutionContext();
  const res = await worker.fetch(request, { ...env, ...bindings }, ctx);
  await waitOnExecutionContext(ctx);
  return res;
}

export async function call(
  method: string,
  path: string,
  body?: unknown,
  headers: Record<string, string> = {},
): Promise<Response> {
  const init: RequestInit = { method, headers: { ...headers } };
  if (body !== undefined) {
    init.body = typeof body === "string" ? body : JSON.stringify(body);
    (init.headers as Record<string, string>)["content-type"] ??= "application/json";
  }
  return fetchWorker(new Request(`${BASE}${path}`, init));
}

export async function json<T = Record<string, unknown>>(res: Response): Promise<T> {
  return (await res.json()) as T;
}

export interface SiteFixture {
  id: string;
  secret: string;
}

/**
 * A site for one test. The posting limits (rate, time-trap) are off unless a test sets them: most
 * tests post many comments from one address at machine speed, which is not what they are about.
 */
export async function createSite(settings: Record<string, unknown> = {}): Promise<SiteFixture> {
  const id = uniqueId("site");
  const res = await call(
    "POST",
    "/api/v1/sites",
    {
      id,
      name: `Site ${id}`,
      origins: ["https://news.example", "http://localhost:*"],
      ...settings,
      limits: {
        postsPerMinute: 0,
        postsPerDay: 0,
        minSecondsToPost: 0,
        ...(settings.limits as object | undefined),
      },
    },
    ADMIN,
  );
  expect(res.status).toBe(201);
  const body = await json<{ secret: string }>(res);
  return { id, secret: body.secret };
}

export function pageUrl(): string {
  return `https://news.example/${uniqueId("article")}`;
}

export interface Posted {
  comment: { id: string; parentId: string | null; depth: number; status: string };
  editToken: string;
  editableUntil: string;
}

export async function post(
  site: string,
  page: string,
  fields: Record<string, unknown> = {},
  headers: Record<string, string> = {},
): Promise<Posted> {
  const res = await postRaw(site, page, fields, headers);
  expect([201, 202]).toContain(res.status);
  return json<Posted>(res);
}

export function postRaw(
  site: string,
  page: string,
  fields: Record<string, unknown> = {},
  headers: Record<string, string> = {},
): Promise<Response> {
  return call(
    "POST",
    `/api/v1/sites/${site}/comments`,
    // A body of its own: the same body twice on a site within a day is held as a duplicate.
    { page, author: { name: "Ana" }, body: `Hello ${uniqueId("body")}`, ...fields },
    headers,
  );
}

export interface ThreadView {
  site: Record<string, unknown>;
  thread: { page: string; title: string; count: number; locked: boolean };
  comments: Array<{
    id: string;
    parentId: string | null;
    depth: number;
    status: string;
    replyCount: number;
    score: number;
    moreReplies: string | null;
    author: { name: string; website: string | null; avatar: string } | null;
    body: unknown;
  }>;
  nextCursor: string | null;
  issuedAt: string;
}

export async function thread(site: string, page: string, query = ""): Promise<ThreadView> {
  const res = await call(
    "GET",
    `/api/v1/sites/${site}/thread?page=${encodeURIComponent(page)}${query}`,
  );
  expect(res.status).toBe(200);
  return json<ThreadView>(res);
}

export async function expectError(res: Response, status: number, code: string): Promise<void> {
  expect({
    status: res.status,
    code: (await json<{ error: { code: string } }>(res)).error?.code,
  }).toEqual({
    status,
    code,
  });
}

export type Row = Record<string, unknown>;

/** Reads the database directly, to check what is (and is not) stored. */
export async function rows(sql: string, ...params: unknown[]): Promise<Row[]> {
  return (
    await env.DB.prepare(sql)
      .bind(...params)
      .all<Row>()
  ).results;
}

/** Hex SHA-256, computed independently of the code under test. */
export async function sha256Hex(value: string): Promise<string> {
  const digest = await crypto.subtle.digest("SHA-256", new TextEncoder().encode(value));
  return [...new Uint8Array(digest)].map((b) => b.toString(16).padStart(2, "0")).join("");
}
