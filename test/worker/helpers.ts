import { createExecutionContext, waitOnExecutionContext } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { expect } from "vitest";
import type { AppEnv } from "../../src/env";
import worker from "../../src/index";
import {
  apiClient,
  type Posted,
  type SiteFixture,
  type ThreadView,
  uniqueId,
} from "../shared/api-client";

export const ADMIN_TOKEN = "test-admin-token";
export const ADMIN = { authorization: `Bearer ${ADMIN_TOKEN}` };

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

/**
 * The API as the tests reach it here: each request straight into the Worker, with `bindings`
 * over the test environment's (a deployment configured otherwise).
 */
export const workerApi = (bindings: Partial<AppEnv["Bindings"]> = {}) =>
  apiClient({
    base: () => "http://parley.test",
    send: (request) => fetchWorker(request, bindings),
    adminToken: ADMIN_TOKEN,
    articles: () => "https://news.example",
    origins: ["http://localhost:*"],
  });
export const { call, createSite, pageUrl, post, postRaw, thread, newThread } = workerApi();
export type { Posted, SiteFixture, ThreadView };
export { uniqueId };

export async function json<T = Record<string, unknown>>(res: Response): Promise<T> {
  return (await res.json()) as T;
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
