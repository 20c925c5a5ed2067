import { env } from "cloudflare:workers";
import { beforeAll, describe, expect, it } from "vitest";
import { bodyFormatCases } from "./bad-input-body-format-cases";
import { credentialCases } from "./bad-input-credentials-cases";
import { fieldCases } from "./bad-input-fields-cases";
import { type Case, type ErrorJson, fx, setUpFixture } from "./bad-input-fixture";
import { pathAndQueryCases } from "./bad-input-paths-and-queries-cases";
import { siteAndKeyCases } from "./bad-input-sites-and-keys-cases";
import { thread } from "./helpers";

/*
 * Every bad-input row at once, on one fixture: the rows' names are distinct, no refusal answers
 * a 500 or without the error shape, and after all of them threads, comments, votes, keys and
 * sites in D1 are as they were, and no refused site exists.
 */

const cases: Case[] = [
  ...bodyFormatCases,
  ...fieldCases,
  ...pathAndQueryCases,
  ...credentialCases,
  ...siteAndKeyCases,
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
