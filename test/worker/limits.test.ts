import { describe, expect, it } from "vitest";
import { LIMITS } from "../../src/shared/limits";
import {
  call,
  createSite,
  expectError,
  json,
  pageUrl,
  post,
  postRaw,
  rows,
  type SiteFixture,
} from "./helpers";

/*
 * Limits that hold under concurrency, and readers counted the way networks hand out addresses
 * (issue 12). Before, 30 simultaneous posts under a limit of 3 a day got 17–28 through, votes
 * counted each IPv6 address as a reader, and readers' flags could undo a moderator's approval.
 */

const from = (ip: string) => ({ "cf-connecting-ip": ip });

const vote = (site: SiteFixture, id: string, value: number, ip: string) =>
  call("POST", `/api/v1/sites/${site.id}/comments/${id}/vote`, { value }, from(ip));

const flag = (site: SiteFixture, id: string, ip: string) =>
  call("POST", `/api/v1/sites/${site.id}/comments/${id}/flag`, { reason: "spam" }, from(ip));

const statusOf = async (id: string) =>
  (await rows("SELECT status FROM comments WHERE id = ?", id))[0]?.status;

describe("posting limits", () => {
  it("let exactly postsPerDay of 30 simultaneous posts from one reader through", async () => {
    const site = await createSite({ limits: { postsPerDay: 3 } });
    const page = pageUrl();
    const answers = await Promise.all(
      Array.from({ length: 30 }, () => postRaw(site.id, page, {}, from("192.0.2.30"))),
    );
    const statuses = answers.map((r) => r.status).sort();
    expect(statuses.filter((s) => s === 201)).toHaveLength(3);
    expect(statuses.filter((s) => s === 429)).toHaveLength(27);
    const stored = await rows("SELECT count(*) AS n FROM comments WHERE site_id = ?", site.id);
    expect(stored[0]?.n).toBe(3);
    // Another reader is not affected.
    expect((await postRaw(site.id, page, {}, from("192.0.2.31"))).status).toBe(201);
  });

  it("let exactly postsPerMinute of 20 simultaneous posts through", async () => {
    const site = await createSite({ limits: { postsPerMinute: 4 } });
    const page = pageUrl();
    const answers = await Promise.all(
      Array.from({ length: 20 }, () => postRaw(site.id, page, {}, from("192.0.2.32"))),
    );
    expect(answers.filter((r) => r.status === 201)).toHaveLength(4);
    const refused = answers.find((r) => r.status === 429);
    expect(refused?.headers.get("retry-after")).toBe("60");
  });

  it("count one reader per IPv6 /64, whatever address in it they use", async () => {
    const site = await createSite({ limits: { postsPerDay: 2 } });
    const page = pageUrl();
    expect((await postRaw(site.id, page, {}, from("2001:db8:1:2::1"))).status).toBe(201);
    expect((await postRaw(site.id, page, {}, from("2001:db8:1:2:ffff::9"))).status).toBe(201);
    await expectError(
      await postRaw(site.id, page, {}, from("2001:db8:1:2:abcd:1:2:3")),
      429,
      "rate_limited",
    );
    // The next /64 is another reader.
    expect((await postRaw(site.id, page, {}, from("2001:db8:1:3::1"))).status).toBe(201);
  });
});

describe("votes", () => {
  it("count one reader per IPv6 /64 and per IPv4 address", async () => {
    const site = await createSite();
    const { comment } = await post(site.id, pageUrl());
    for (const ip of ["2001:db8:5:6::1", "2001:db8:5:6::2", "2001:db8:5:6:9:9:9:9"]) {
      expect((await vote(site, comment.id, 1, ip)).status).toBe(200);
    }
    const res = await vote(site, comment.id, 1, "::ffff:198.51.100.4");
    expect(await json(res)).toEqual({ score: 2, value: 1 });
    expect(await json(await vote(site, comment.id, 1, "198.51.100.4"))).toEqual({
      score: 2,
      value: 1,
    });
  });

  it("are limited per reader, and a refused vote changes no score", async () => {
    const site = await createSite();
    const page = pageUrl();
    const ids: string[] = [];
    for (let i = 0; i <= LIMITS.votes.perMinute; i++)
      ids.push((await post(site.id, page)).comment.id);
    const answers = await Promise.all(ids.map((id) => vote(site, id, 1, "192.0.2.40")));
    expect(answers.filter((r) => r.status === 200)).toHaveLength(LIMITS.votes.perMinute);
    const refused = answers.findIndex((r) => r.status === 429);
    expect(refused).toBeGreaterThanOrEqual(0);
    await expectError(answers[refused] as Response, 429, "rate_limited");
    const [row] = await rows("SELECT score FROM comments WHERE id = ?", ids[refused]);
    expect(row?.score).toBe(0);
  });
});

describe("flags", () => {
  it("are limited per reader", async () => {
    const site = await createSite({ flagThreshold: 100 });
    const page = pageUrl();
    const ids: string[] = [];
    for (let i = 0; i <= LIMITS.flags.perMinute; i++)
      ids.push((await post(site.id, page)).comment.id);
    const answers = await Promise.all(ids.map((id) => flag(site, id, "2001:db8:7:7::1")));
    expect(answers.filter((r) => r.status === 202)).toHaveLength(LIMITS.flags.perMinute);
    const refused = answers.find((r) => r.status === 429);
    await expectError(refused as Response, 429, "rate_limited");
    const stored = await rows(
      `SELECT count(*) AS n FROM flags WHERE comment_id IN (${ids.map(() => "?").join(",")})`,
      ...ids,
    );
    expect(stored[0]?.n).toBe(LIMITS.flags.perMinute);
  });

  it("count one reader per IPv6 /64", async () => {
    const site = await createSite({ flagThreshold: 2 });
    const { comment } = await post(site.id, pageUrl());
    expect((await flag(site, comment.id, "2001:db8:8:8::1")).status).toBe(202);
    expect((await flag(site, comment.id, "2001:db8:8:8::2")).status).toBe(202);
    expect(await statusOf(comment.id)).toBe("published");
    expect((await flag(site, comment.id, "2001:db8:8:9::1")).status).toBe(202);
    expect(await statusOf(comment.id)).toBe("pending");
  });

  it("need twice the threshold to hold again what a moderator approved", async () => {
    const site = await createSite({ flagThreshold: 2 });
    const { comment } = await post(site.id, pageUrl());
    for (const ip of ["198.51.100.1", "198.51.100.2"]) await flag(site, comment.id, ip);
    expect(await statusOf(comment.id)).toBe("pending");
    const approved = await call(
      "POST",
      `/api/v1/sites/${site.id}/moderation/comments/${comment.id}/approve`,
      undefined,
      { authorization: `Bearer ${site.secret}` },
    );
    expect(approved.status).toBe(200);
    for (const ip of ["198.51.100.3", "198.51.100.4", "198.51.100.5"]) {
      expect((await flag(site, comment.id, ip)).status).toBe(202);
      expect(await statusOf(comment.id)).toBe("published");
    }
    expect((await flag(site, comment.id, "198.51.100.6")).status).toBe(202);
    expect(await statusOf(comment.id)).toBe("pending");
  });
});
