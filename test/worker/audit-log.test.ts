import { describe, expect, it } from "vitest";
import { json, pageUrl, post, type SiteFixture } from "./helpers";
import {
  act,
  addBlock,
  asModerator,
  bulk,
  listBlocks,
  lock,
  newSite,
  remove,
  tick,
} from "./moderation-fixtures";

/*
 * The audit log (API.md "Moderators"): every moderator action recorded, newest first, paged by
 * cursor, and each site's entries kept to that site.
 */

interface AuditEntry {
  id: string;
  actor: string;
  action: string;
  target: string | null;
  before: string | null;
  after: string | null;
  detail: Record<string, unknown> | null;
  createdAt: string;
}

async function auditOf(site: SiteFixture, query = "") {
  const res = await asModerator(site, "GET", `/audit${query ? `?${query}` : ""}`);
  expect(res.status).toBe(200);
  return json<{ entries: AuditEntry[]; nextCursor: string | null }>(res);
}

describe("audit log", () => {
  it("records every action with actor, action, target, before, after and time, newest first", async () => {
    const site = await newSite({ moderation: "all" });
    const page = pageUrl();
    const [c1, c2, c3] = [
      (await post(site.id, page, { body: "One" })).comment.id,
      (await post(site.id, page, { body: "Two" })).comment.id,
      (await post(site.id, page, { body: "Three" })).comment.id,
    ];
    const started = Date.now();
    const steps: Array<() => Promise<Response>> = [
      () => act(site, c1, "approve"),
      () => act(site, c1, "spam"),
      () => act(site, c1, "restore"),
      () => remove(site, c1),
      () => remove(site, c2, true),
      () => bulk(site, { action: "approve", ids: [c3] }),
      () => bulk(site, { action: "spam", ids: [c3] }),
      () => bulk(site, { action: "delete", ids: [c3] }),
    ];
    for (const step of steps) {
      expect((await step()).status).toBeLessThan(300);
      await tick();
    }
    const block = await addBlock(site, "phrase", "casino");
    await tick();
    expect((await asModerator(site, "DELETE", `/blocks/${block.id}`)).status).toBe(204);
    await tick();
    expect((await lock(site, page, true)).status).toBe(200);
    await tick();
    expect((await lock(site, page, false)).status).toBe(200);

    // The operator's entries (the site's creation) are covered in moderation-auth.test.ts.
    const entries = (await auditOf(site, "limit=100")).entries.filter(
      (e) => e.actor !== "operator",
    );
    const expected = [
      ["approve", c1, "pending", "published"],
      ["spam", c1, "published", "spam"],
      ["restore", c1, "spam", "published"],
      ["delete", c1, "published", "deleted"],
      ["purge", c2, "pending", "deleted"],
      ["bulk-approve", c3, "pending", "published"],
      ["bulk-spam", c3, "published", "spam"],
      ["bulk-delete", c3, "spam", "deleted"],
      ["block", block.id, null, null],
      ["unblock", block.id, null, null],
      ["lock", page, null, null],
      ["unlock", page, null, null],
    ].reverse();
    expect(
      entries.map(({ actor, action, target, before, after }) => [
        actor,
        action,
        target,
        before,
        after,
      ]),
    ).toEqual(expected.map((e) => ["default", ...e]));
    const times = entries.map((e) => Date.parse(e.createdAt));
    expect(times.every((t) => t >= started - 1000 && t <= Date.now() + 1000)).toBe(true);
    expect(times).toEqual([...times].sort((a, b) => b - a));
  });

  it("pages through the log newest first with a cursor", async () => {
    const site = await newSite();
    for (const word of ["alpha", "beta", "gamma", "delta", "epsilon"]) {
      await addBlock(site, "phrase", word);
      await tick();
    }
    // Five blocks after the operator's create-site entry.
    const all = (await auditOf(site, "limit=100")).entries;
    expect(all.length).toBe(6);
    const seen: AuditEntry[] = [];
    const sizes: number[] = [];
    let cursor: string | null = null;
    do {
      const result = await auditOf(
        site,
        `limit=2${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ""}`,
      );
      seen.push(...result.entries);
      sizes.push(result.entries.length);
      cursor = result.nextCursor;
    } while (cursor && sizes.length < 10);
    expect(sizes).toEqual([2, 2, 2]);
    expect(seen).toEqual(all);
    const blocks = await listBlocks(site);
    const phraseOf = new Map(blocks.map((b) => [b.id, b.value]));
    expect(seen.map((e) => phraseOf.get(e.target ?? "") ?? e.action)).toEqual([
      "epsilon",
      "delta",
      "gamma",
      "beta",
      "alpha",
      "create-site",
    ]);
  });

  it("keeps each site's entries to that site", async () => {
    // Entries of comment actions are covered by the exact log of the test above.
    const [a, b] = await Promise.all([newSite(), newSite()]);
    const page = pageUrl();
    const blockA = await addBlock(a, "phrase", "only on a");
    const blockB = await addBlock(b, "phrase", "only on b");
    expect((await lock(b, page, true)).status).toBe(200);
    expect({
      a: (await auditOf(a)).entries.map((e) => e.target),
      b: (await auditOf(b)).entries.map((e) => e.target).sort(),
    }).toEqual({
      a: [blockA.id, a.id],
      b: [blockB.id, page, b.id].sort(),
    });
  });
});
