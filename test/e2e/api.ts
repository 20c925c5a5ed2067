// Node-side access to the running server: the operator and public API (to build each test's site
// and thread) and, for the one fact the API cannot set yet, the local D1 through wrangler.
import { execFile } from "node:child_process";
import path from "node:path";
import { promisify } from "node:util";
import { expect, inject } from "vitest";
import { apiClient, type Posted, type SiteFixture, uniqueId } from "../shared/api-client";
import { sendOverOwnConnection } from "./http-send";

const run = promisify(execFile);
const root = path.resolve(import.meta.dirname, "../..");

export const baseUrl = (): string => inject("baseUrl");

/** The API as the tests reach it here: over HTTP, as a reader's browser and a moderator's script do. */
export const { call, createSite, newThread, pageUrl, post, postRaw, thread } = apiClient({
  base: baseUrl,
  send: sendOverOwnConnection,
  adminToken: inject("adminToken"),
  // The article pages are served by the test's own host (test/e2e/browser.ts) on this origin.
  articles: baseUrl,
  origins: ["http://localhost:*", "http://127.0.0.1:*"],
  // The XSS corpus and the rendering tests post bodies with many links.
  limits: { maxLinks: 100 },
});
export type { Posted, SiteFixture };
export { uniqueId };

export async function postAll(
  site: string,
  page: string,
  fields: Array<Record<string, unknown>>,
  concurrency = 1,
): Promise<Posted[]> {
  const out: Posted[] = [];
  for (let i = 0; i < fields.length; i += concurrency) {
    const batch = fields.slice(i, i + concurrency);
    out.push(...(await Promise.all(batch.map((f) => post(site, page, f)))));
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

/**
 * Runs SQL on the server's local D1 (the files its workerd uses), for the one fact no API
 * sets: a deadline the server's own clock must see as passed. The server may be writing at that
 * moment (other tests run beside this one), so a "database is locked" answer is tried again
 * until the write gets its turn.
 */
export async function sql(command: string): Promise<void> {
  const args = ["scripts/wrangler.mjs", "d1", "execute", "DB", "--local"];
  const target = ["--persist-to", inject("persistDir"), "--command", command];
  for (let attempt = 1; ; attempt++) {
    try {
      await run(process.execPath, [...args, ...target], {
        cwd: root,
        env: { ...process.env, CI: "true" },
        timeout: 60_000,
      });
      return;
    } catch (error) {
      if (attempt === 10 || !String(error).includes("SQLITE_BUSY")) throw error;
    }
  }
}

/** SQL string literal. */
export const lit = (value: string) => `'${value.replaceAll("'", "''")}'`;
