import { describe, expect, it } from "vitest";
import { moveClock } from "./clock";
import {
  ADMIN,
  call,
  createSite,
  expectError,
  json,
  pageUrl,
  post,
  type Row,
  rows,
  sha256Hex,
  thread,
  uniqueId,
} from "./helpers";

interface SiteView {
  id: string;
  name: string;
  origins: string[];
  moderation: string;
  maxDepth: number;
  editWindowSeconds: number;
  locale: string;
  limits: {
    postsPerMinute: number;
    postsPerDay: number;
    maxLinks: number;
    minSecondsToPost: number;
  };
  flagThreshold: number;
  webhookUrl: string | null;
  turnstileSiteKey: string | null;
  turnstileSecretKeySet: boolean;
  webhookSecret: string | null;
  createdAt: string;
  updatedAt: string;
}

interface KeyView {
  id: string;
  label: string;
  createdAt: string;
  revokedAt: string | null;
}

const ISO = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?Z$/;

const bearer = (token: string) => ({ authorization: `Bearer ${token}` });

async function getSite(id: string): Promise<SiteView> {
  const res = await call("GET", `/api/v1/sites/${id}`, undefined, ADMIN);
  expect(res.status).toBe(200);
  return (await json<{ site: SiteView }>(res)).site;
}

async function patchSite(id: string, patch: Record<string, unknown>): Promise<SiteView> {
  const res = await call("PATCH", `/api/v1/sites/${id}`, patch, ADMIN);
  expect(res.status).toBe(200);
  return (await json<{ site: SiteView }>(res)).site;
}

async function issueKey(site: string, label: string): Promise<{ key: KeyView; secret: string }> {
  const res = await call("POST", `/api/v1/sites/${site}/keys`, { label }, ADMIN);
  expect(res.status).toBe(201);
  return json(res);
}

async function listKeys(site: string): Promise<KeyView[]> {
  const res = await call("GET", `/api/v1/sites/${site}/keys`, undefined, ADMIN);
  expect(res.status).toBe(200);
  return (await json<{ keys: KeyView[] }>(res)).keys;
}

/** Everything the database holds for one site, to prove a refused request changed nothing. */
async function siteSnapshot(site: string) {
  return {
    sites: await rows("SELECT * FROM sites WHERE id = ?", site),
    keys: await rows("SELECT * FROM moderator_keys WHERE site_id = ? ORDER BY id", site),
    threads: await rows("SELECT * FROM threads WHERE site_id = ? ORDER BY id", site),
    comments: await rows("SELECT * FROM comments WHERE site_id = ? ORDER BY id", site),
  };
}

/** Moves the Worker's clock on, so what happens next has a later time. */
const tick = async () => moveClock(5);

describe("POST /sites", () => {
  it("creates a site with API.md's defaults, its first moderator key and the key's secret", async () => {
    const id = uniqueId("site");
    const res = await call(
      "POST",
      "/api/v1/sites",
      { id, name: "Example News", origins: ["https://news.example"] },
      ADMIN,
    );
    expect(res.status).toBe(201);
    const body = await json<{ site: SiteView; key: KeyView; secret: string }>(res);
    expect(body.site).toEqual({
      id,
      name: "Example News",
      origins: ["https://news.example"],
      moderation: "none",
      maxDepth: 5,
      editWindowSeconds: 900,
      locale: "en",
      limits: { postsPerMinute: 5, postsPerDay: 50, maxLinks: 2, minSecondsToPost: 3 },
      flagThreshold: 3,
      webhookUrl: null,
      turnstileSiteKey: null,
      turnstileSecretKeySet: false,
      webhookSecret: null,
      moderatorEmails: [],
      alerts: "pending",
      createdAt: expect.stringMatching(ISO),
      updatedAt: expect.stringMatching(ISO),
    });
    expect(body.key).toEqual(
      expect.objectContaining({
        id: expect.any(String),
        label: expect.any(String),
        createdAt: expect.stringMatching(ISO),
      }),
    );
    expect(body.secret).toEqual(expect.any(String));
    expect(body.secret.length).toBeGreaterThanOrEqual(32);
    expect(await getSite(id)).toEqual(body.site);
  });

  it("stores and returns every setting given at creation", async () => {
    const id = uniqueId("site");
    const settings = {
      id,
      name: "Full Site",
      origins: ["https://full.example", "http://localhost:*"],
      moderation: "first-time",
      maxDepth: 3,
      editWindowSeconds: 120,
      locale: "de-AT",
      limits: { postsPerMinute: 2, postsPerDay: 0, maxLinks: 7, minSecondsToPost: 0 },
      flagThreshold: 9,
      webhookUrl: "https://hooks.full.example/parley",
      turnstileSiteKey: "0x4AAAAAAAB_test",
      moderatorEmails: ["desk@full.example", "night@full.example"],
      alerts: "all",
    };
    const turnstileSecretKey = "0x4AAAAAAAB_secret";
    const res = await call("POST", "/api/v1/sites", { ...settings, turnstileSecretKey }, ADMIN);
    expect(res.status).toBe(201);
    const created = (await json<{ site: SiteView }>(res)).site;
    const expected = {
      ...settings,
      // The Turnstile secret is write-only; the webhook's signing secret is made for it.
      turnstileSecretKeySet: true,
      webhookSecret: expect.stringMatching(/^[\w-]{32,}$/),
      createdAt: expect.stringMatching(ISO),
      updatedAt: expect.stringMatching(ISO),
    };
    expect(created).toEqual(expected);
    expect(await getSite(id)).toEqual(expected);
    const [row] = await rows("SELECT * FROM sites WHERE id = ?", id);
    expect(row).toMatchObject({
      name: "Full Site",
      moderation: "first-time",
      max_depth: 3,
      edit_window_seconds: 120,
      locale: "de-AT",
      posts_per_minute: 2,
      posts_per_day: 0,
      max_links: 7,
      flag_threshold: 9,
      webhook_url: "https://hooks.full.example/parley",
      turnstile_site_key: "0x4AAAAAAAB_test",
    });
  });

  it("lower-cases origins", async () => {
    const id = uniqueId("site");
    const res = await call(
      "POST",
      "/api/v1/sites",
      { id, name: "Caps", origins: ["HTTPS://News.Example", "http://LocalHost:*"] },
      ADMIN,
    );
    expect(res.status).toBe(201);
    expect((await json<{ site: SiteView }>(res)).site.origins).toEqual([
      "https://news.example",
      "http://localhost:*",
    ]);
    expect((await getSite(id)).origins).toEqual(["https://news.example", "http://localhost:*"]);
  });

  it("refuses a second site with the same id with 409 and keeps the first", async () => {
    const site = await createSite({ name: "First" });
    const before = await siteSnapshot(site.id);
    const res = await call(
      "POST",
      "/api/v1/sites",
      { id: site.id, name: "Second", origins: ["https://other.example"] },
      ADMIN,
    );
    await expectError(res, 409, "site_exists");
    expect(await siteSnapshot(site.id)).toEqual(before);
  });

  it("answers 422 when id, name or origins is missing", async () => {
    for (const missing of ["id", "name", "origins"]) {
      const body: Record<string, unknown> = {
        id: uniqueId("site"),
        name: "Incomplete",
        origins: ["https://news.example"],
      };
      delete body[missing];
      await expectError(await call("POST", "/api/v1/sites", body, ADMIN), 422, "validation_failed");
      if (missing !== "id")
        expect(await rows("SELECT id FROM sites WHERE id = ?", body.id)).toEqual([]);
    }
  });

  it("never shows the site's author salt or its moderator key's secret again", async () => {
    const site = await createSite();
    const [row] = await rows("SELECT author_salt FROM sites WHERE id = ?", site.id);
    const salt = String(row?.author_salt);
    expect(salt.length).toBeGreaterThan(10);
    const texts = [
      await (await call("GET", `/api/v1/sites/${site.id}`, undefined, ADMIN)).text(),
      await (await call("GET", "/api/v1/sites", undefined, ADMIN)).text(),
      await (await call("PATCH", `/api/v1/sites/${site.id}`, { name: "X" }, ADMIN)).text(),
    ];
    for (const text of texts) {
      expect(text).toContain(site.id);
      expect(text).not.toContain(salt);
      expect(text).not.toContain(site.secret);
      expect(text).not.toMatch(/authorSalt|author_salt/);
    }
  });

  it("refuses site ids outside ^[a-z0-9][a-z0-9-]{1,62}$ with 422", async () => {
    for (const id of ["Upper", "-lead", "x", "a".repeat(64), "under_score", "dot.ted", "ünï"]) {
      await expectError(
        await call(
          "POST",
          "/api/v1/sites",
          { id, name: "Bad", origins: ["https://a.example"] },
          ADMIN,
        ),
        422,
        "validation_failed",
      );
      expect(await rows("SELECT id FROM sites WHERE id = ?", id), id).toEqual([]);
    }
    const longest = `a${uniqueId("x").replaceAll(/[^a-z0-9-]/g, "")}`.padEnd(63, "z");
    const res = await call(
      "POST",
      "/api/v1/sites",
      { id: longest, name: "Long", origins: ["https://a.example"] },
      ADMIN,
    );
    expect(res.status).toBe(201);
  });

  it("ignores fields a caller may not set (author salt, timestamps)", async () => {
    const id = uniqueId("site");
    const res = await call(
      "POST",
      "/api/v1/sites",
      {
        id,
        name: "Sneaky",
        origins: ["https://a.example"],
        authorSalt: "chosen-salt",
        createdAt: "2000-01-01T00:00:00.000Z",
      },
      ADMIN,
    );
    expect([201, 422]).toContain(res.status);
    if (res.status === 201) {
      const [row] = await rows("SELECT author_salt, created_at FROM sites WHERE id = ?", id);
      expect(row?.author_salt).not.toBe("chosen-salt");
      expect(row?.created_at).not.toBe("2000-01-01T00:00:00.000Z");
    }
  });
});

describe("GET /sites", () => {
  it("reads one site", async () => {
    const site = await createSite({ name: "Readable" });
    expect(await getSite(site.id)).toMatchObject({ id: site.id, name: "Readable" });
  });

  it("answers 404 site_not_found for an unknown site", async () => {
    await expectError(
      await call("GET", `/api/v1/sites/${uniqueId("none")}`, undefined, ADMIN),
      404,
      "site_not_found",
    );
  });

  it("lists every site, sorted by id", async () => {
    const prefix = uniqueId("list");
    // createSite reports its own id, not an overridden one, so the ids are named here.
    const [a, b] = [`${prefix}-a`, `${prefix}-b`];
    await createSite({ id: b, name: "B" });
    await createSite({ id: a, name: "A" });
    const res = await call("GET", "/api/v1/sites", undefined, ADMIN);
    expect(res.status).toBe(200);
    const sites = (await json<{ sites: SiteView[] }>(res)).sites;
    const ids = sites.map((s) => s.id);
    expect(ids).toEqual(expect.arrayContaining([a, b]));
    expect(ids).toEqual([...ids].sort());
    expect(ids.indexOf(a)).toBe(ids.indexOf(b) - 1);
    expect(sites.find((s) => s.id === a)).toEqual(await getSite(a));
  });
});

describe("PATCH /sites/{site}", () => {
  it("changes only the field it is given, one field at a time", async () => {
    const site = await createSite();
    let expected: Record<string, unknown> = { ...(await getSite(site.id)) };
    const changes: Record<string, unknown>[] = [
      { name: "Renamed" },
      { origins: ["https://renamed.example"] },
      { moderation: "all" },
      { maxDepth: 2 },
      { editWindowSeconds: 60 },
      { locale: "fr" },
      { flagThreshold: 10 },
      { webhookUrl: "https://hooks.example/x" },
      { turnstileSiteKey: "0x4AAAAAAA_key" },
      { turnstileSecretKey: "0x4AAAAAAA_secret" },
      { webhookUrl: null },
      { turnstileSiteKey: null },
      { turnstileSecretKey: null },
      { moderation: "first-time" },
    ];
    for (const { turnstileSecretKey, ...change } of changes) {
      expected = { ...expected, ...change, updatedAt: expect.stringMatching(ISO) };
      if (turnstileSecretKey !== undefined)
        expected.turnstileSecretKeySet = turnstileSecretKey !== null;
      // The signing secret is made with the first webhook URL and kept from then on.
      if (change.webhookUrl) expected.webhookSecret = expect.any(String);
      const patch = turnstileSecretKey === undefined ? change : { turnstileSecretKey };
      expect(await patchSite(site.id, patch), JSON.stringify(patch)).toEqual(expected);
      expect(await getSite(site.id), JSON.stringify(patch)).toEqual(expected);
    }
  });

  it("merges a partial limits object into the stored limits", async () => {
    const site = await createSite({ limits: { postsPerMinute: 4, postsPerDay: 40, maxLinks: 1 } });
    expect((await patchSite(site.id, { limits: { postsPerDay: 0 } })).limits).toEqual({
      postsPerMinute: 4,
      postsPerDay: 0,
      maxLinks: 1,
      minSecondsToPost: 0,
    });
    expect(
      (
        await patchSite(site.id, {
          limits: { maxLinks: 9, postsPerMinute: 0, minSecondsToPost: 8 },
        })
      ).limits,
    ).toEqual({ postsPerMinute: 0, postsPerDay: 0, maxLinks: 9, minSecondsToPost: 8 });
    expect((await getSite(site.id)).limits).toEqual({
      postsPerMinute: 0,
      postsPerDay: 0,
      maxLinks: 9,
      minSecondsToPost: 8,
    });
  });

  it("moves updatedAt forward and keeps createdAt", async () => {
    const site = await createSite();
    const before = await getSite(site.id);
    await tick();
    const after = await patchSite(site.id, { name: "Later" });
    expect(after.createdAt).toBe(before.createdAt);
    expect(Date.parse(after.updatedAt)).toBeGreaterThan(Date.parse(before.updatedAt));
    expect((await getSite(site.id)).updatedAt).toBe(after.updatedAt);
  });

  it("lower-cases patched origins", async () => {
    const site = await createSite();
    expect((await patchSite(site.id, { origins: ["HTTPS://Blog.Example"] })).origins).toEqual([
      "https://blog.example",
    ]);
  });

  it("refuses invalid values with 422 and changes nothing", async () => {
    const site = await createSite();
    const before = await siteSnapshot(site.id);
    for (const patch of [
      { moderation: "sometimes" },
      { maxDepth: 0 },
      { editWindowSeconds: -1 },
      { origins: [] },
      { origins: ["ftp://news.example"] },
      { webhookUrl: "javascript:alert(1)" },
      { limits: { postsPerDay: -1 } },
      { name: "" },
    ]) {
      await expectError(
        await call("PATCH", `/api/v1/sites/${site.id}`, patch, ADMIN),
        422,
        "validation_failed",
      );
    }
    expect(await siteSnapshot(site.id)).toEqual(before);
  });

  it("ignores fields a caller may not change (id, author salt, timestamps)", async () => {
    const site = await createSite();
    const [before] = await rows("SELECT * FROM sites WHERE id = ?", site.id);
    const res = await call(
      "PATCH",
      `/api/v1/sites/${site.id}`,
      {
        id: uniqueId("moved"),
        authorSalt: "chosen-salt",
        author_salt: "chosen-salt",
        createdAt: "2000-01-01T00:00:00.000Z",
      },
      ADMIN,
    );
    expect([200, 422]).toContain(res.status);
    const [after] = await rows("SELECT * FROM sites WHERE id = ?", site.id);
    expect(after).toMatchObject({
      id: site.id,
      author_salt: before?.author_salt,
      created_at: before?.created_at,
    });
  });

  it("answers 404 site_not_found for an unknown site", async () => {
    const id = uniqueId("none");
    await expectError(
      await call("PATCH", `/api/v1/sites/${id}`, { name: "Ghost" }, ADMIN),
      404,
      "site_not_found",
    );
    expect(await rows("SELECT id FROM sites WHERE id = ?", id)).toEqual([]);
  });

  it("shows the patched settings to the widget in the thread view", async () => {
    const site = await createSite();
    const page = pageUrl();
    expect((await thread(site.id, page)).site).toEqual({
      id: site.id,
      name: `Site ${site.id}`,
      moderation: "none",
      maxDepth: 5,
      editWindowSeconds: 900,
      locale: "en",
      turnstileSiteKey: null,
    });
    await patchSite(site.id, {
      maxDepth: 2,
      editWindowSeconds: 60,
      moderation: "first-time",
      locale: "pt-BR",
      turnstileSiteKey: "0x4AAAAAAA_key",
    });
    const patched = {
      id: site.id,
      name: `Site ${site.id}`,
      moderation: "first-time",
      maxDepth: 2,
      editWindowSeconds: 60,
      locale: "pt-BR",
    };
    // A sitekey without its secret would show a challenge nobody can verify: it is not shown.
    expect((await thread(site.id, page)).site).toEqual({ ...patched, turnstileSiteKey: null });
    await patchSite(site.id, { turnstileSecretKey: "0x4AAAAAAA_secret" });
    expect((await thread(site.id, page)).site).toEqual({
      ...patched,
      turnstileSiteKey: "0x4AAAAAAA_key",
    });
  });

  it("applies a patched edit window and moderation to new comments", async () => {
    const site = await createSite();
    await patchSite(site.id, { editWindowSeconds: 60, moderation: "all" });
    const posted = await post(site.id, pageUrl());
    expect(posted.comment.status).toBe("pending");
    const created = (posted.comment as unknown as { createdAt: string }).createdAt;
    expect(Date.parse(posted.editableUntil) - Date.parse(created)).toBe(60_000);
  });
});

describe("DELETE /sites/{site}", () => {
  it("answers 204, after which the site is 404 to the operator and to readers", async () => {
    const site = await createSite();
    const page = pageUrl();
    await post(site.id, page);
    const res = await call("DELETE", `/api/v1/sites/${site.id}`, undefined, ADMIN);
    expect(res.status).toBe(204);
    expect(await res.text()).toBe("");
    await expectError(
      await call("GET", `/api/v1/sites/${site.id}`, undefined, ADMIN),
      404,
      "site_not_found",
    );
    await expectError(
      await call("GET", `/api/v1/sites/${site.id}/thread?page=${encodeURIComponent(page)}`),
      404,
      "site_not_found",
    );
    const list = await json<{ sites: SiteView[] }>(
      await call("GET", "/api/v1/sites", undefined, ADMIN),
    );
    expect(list.sites.map((s) => s.id)).not.toContain(site.id);
  });

  it("removes the site's threads, comments, votes and keys from the database", async () => {
    const site = await createSite();
    const other = await createSite();
    const page = pageUrl();
    const root = await post(site.id, page);
    const reply = await post(site.id, page, { parentId: root.comment.id });
    await post(site.id, pageUrl());
    const kept = await post(other.id, page);
    await issueKey(site.id, "Second");
    for (const [s, id] of [
      [site.id, root.comment.id],
      [other.id, kept.comment.id],
    ] as const) {
      const vote = await call("POST", `/api/v1/sites/${s}/comments/${id}/vote`, { value: 1 });
      expect(vote.status).toBe(200);
    }
    const before = await siteSnapshot(site.id);
    expect([before.threads.length, before.comments.length, before.keys.length]).toEqual([2, 3, 2]);
    const otherBefore = await siteSnapshot(other.id);

    const res = await call("DELETE", `/api/v1/sites/${site.id}`, undefined, ADMIN);
    expect(res.status).toBe(204);

    expect(await siteSnapshot(site.id)).toEqual({ sites: [], keys: [], threads: [], comments: [] });
    const ids = [root.comment.id, reply.comment.id];
    expect(await rows("SELECT * FROM votes WHERE comment_id IN (?, ?)", ...ids)).toEqual([]);
    expect(await siteSnapshot(other.id)).toEqual(otherBefore);
    expect(await rows("SELECT * FROM votes WHERE comment_id = ?", kept.comment.id)).toHaveLength(1);
  });

  it("lets the id be reused by a fresh site that inherits nothing", async () => {
    const site = await createSite();
    const page = pageUrl();
    await post(site.id, page);
    expect((await call("DELETE", `/api/v1/sites/${site.id}`, undefined, ADMIN)).status).toBe(204);
    const res = await call(
      "POST",
      "/api/v1/sites",
      { id: site.id, name: "Reborn", origins: ["https://news.example"] },
      ADMIN,
    );
    expect(res.status).toBe(201);
    const view = await thread(site.id, page);
    expect(view.thread.count).toBe(0);
    expect(view.comments).toEqual([]);
    expect(await listKeys(site.id)).toHaveLength(1);
  });

  it("answers 404 site_not_found for an unknown site", async () => {
    await expectError(
      await call("DELETE", `/api/v1/sites/${uniqueId("none")}`, undefined, ADMIN),
      404,
      "site_not_found",
    );
  });
});

describe("moderator keys", () => {
  it("issues a labelled key with a secret shown once", async () => {
    const site = await createSite();
    const res = await call("POST", `/api/v1/sites/${site.id}/keys`, { label: "Alice" }, ADMIN);
    expect(res.status).toBe(201);
    const issued = await json<{ key: KeyView; secret: string }>(res);
    expect(issued.key).toEqual(
      expect.objectContaining({
        id: expect.any(String),
        label: "Alice",
        createdAt: expect.stringMatching(ISO),
      }),
    );
    expect(issued.key.revokedAt ?? null).toBeNull();
    expect(issued.secret.length).toBeGreaterThanOrEqual(32);
    expect(issued.secret).not.toBe(site.secret);
    const keys = await listKeys(site.id);
    expect(keys.map((k) => k.id)).toContain(issued.key.id);
    expect(keys.find((k) => k.id === issued.key.id)).toMatchObject({ label: "Alice" });
  });

  it("lists keys without their secrets or hashes", async () => {
    const site = await createSite();
    const issued = await issueKey(site.id, "Bob");
    const res = await call("GET", `/api/v1/sites/${site.id}/keys`, undefined, ADMIN);
    expect(res.status).toBe(200);
    const text = await res.text();
    const keys = (JSON.parse(text) as { keys: Row[] }).keys;
    expect(keys).toHaveLength(2);
    for (const key of keys) {
      expect(Object.keys(key).sort()).toEqual(expect.arrayContaining(["createdAt", "id", "label"]));
      for (const field of Object.keys(key)) expect(field).not.toMatch(/secret|hash/i);
    }
    const hashes = await rows("SELECT secret_hash FROM moderator_keys WHERE site_id = ?", site.id);
    expect(hashes).toHaveLength(2);
    for (const secret of [site.secret, issued.secret]) expect(text).not.toContain(secret);
    for (const { secret_hash } of hashes) expect(text).not.toContain(String(secret_hash));
  });

  it("stores each key only as the hex SHA-256 of its secret", async () => {
    const site = await createSite();
    const issued = await issueKey(site.id, "Carol");
    const stored = await rows(
      "SELECT * FROM moderator_keys WHERE site_id = ? ORDER BY created_at, id",
      site.id,
    );
    const byId = new Map(stored.map((r) => [r.id, r]));
    expect(byId.get(issued.key.id)?.secret_hash).toBe(await sha256Hex(issued.secret));
    const first = stored.find((r) => r.id !== issued.key.id);
    expect(first?.secret_hash).toBe(await sha256Hex(site.secret));
    const everything = JSON.stringify(stored);
    expect(everything).not.toContain(issued.secret);
    expect(everything).not.toContain(site.secret);
    const siteRow = JSON.stringify(await rows("SELECT * FROM sites WHERE id = ?", site.id));
    expect(siteRow).not.toContain(site.secret);
  });

  it("revokes a key: revokedAt is set, and a second revoke answers 404", async () => {
    const site = await createSite();
    const issued = await issueKey(site.id, "Dave");
    const res = await call(
      "DELETE",
      `/api/v1/sites/${site.id}/keys/${issued.key.id}`,
      undefined,
      ADMIN,
    );
    expect(res.status).toBe(204);
    const listed = (await listKeys(site.id)).find((k) => k.id === issued.key.id);
    expect(listed?.revokedAt).toMatch(ISO);
    const [row] = await rows("SELECT revoked_at FROM moderator_keys WHERE id = ?", issued.key.id);
    expect(row?.revoked_at).toBe(listed?.revokedAt);
    await expectError(
      await call("DELETE", `/api/v1/sites/${site.id}/keys/${issued.key.id}`, undefined, ADMIN),
      404,
      "key_not_found",
    );
    const [again] = await rows("SELECT revoked_at FROM moderator_keys WHERE id = ?", issued.key.id);
    expect(again?.revoked_at).toBe(listed?.revokedAt);
    // The site's other key stays active.
    const others = (await listKeys(site.id)).filter((k) => k.id !== issued.key.id);
    expect(others.map((k) => k.revokedAt ?? null)).toEqual([null]);
  });

  it("answers 404 for another site's key id and leaves that key active", async () => {
    const site = await createSite();
    const other = await createSite();
    const foreign = await issueKey(other.id, "Foreign");
    await expectError(
      await call("DELETE", `/api/v1/sites/${site.id}/keys/${foreign.key.id}`, undefined, ADMIN),
      404,
      "key_not_found",
    );
    const [row] = await rows("SELECT revoked_at FROM moderator_keys WHERE id = ?", foreign.key.id);
    expect(row?.revoked_at).toBeNull();
  });

  it("requires a label of 1-80 characters", async () => {
    const site = await createSite();
    for (const body of [{}, { label: "" }, { label: "   " }, { label: "l".repeat(81) }]) {
      await expectError(
        await call("POST", `/api/v1/sites/${site.id}/keys`, body, ADMIN),
        422,
        "validation_failed",
      );
    }
    expect(await listKeys(site.id)).toHaveLength(1);
  });

  it("answers 404 for the keys of an unknown site", async () => {
    const id = uniqueId("none");
    await expectError(
      await call("GET", `/api/v1/sites/${id}/keys`, undefined, ADMIN),
      404,
      "site_not_found",
    );
    await expectError(
      await call("POST", `/api/v1/sites/${id}/keys`, { label: "x" }, ADMIN),
      404,
      "site_not_found",
    );
    expect(await rows("SELECT id FROM moderator_keys WHERE site_id = ?", id)).toEqual([]);
  });
});

describe("operator authentication", () => {
  /** A site with a comment (for an edit token) and a second key (to try to revoke). */
  async function fixture() {
    const site = await createSite();
    const posted = await post(site.id, pageUrl());
    const issued = await issueKey(site.id, "Target");
    return { site, editToken: posted.editToken, keyId: issued.key.id };
  }

  const credentials: [
    string,
    (f: Awaited<ReturnType<typeof fixture>>) => Record<string, string>,
  ][] = [
    ["no token", () => ({})],
    ["a wrong token", () => bearer("not-the-admin-token")],
    ["the admin token with extra characters", () => bearer("test-admin-token-x")],
    ["the admin token in another scheme", () => ({ authorization: "Basic test-admin-token" })],
    ["the site's moderator key", (f) => bearer(f.site.secret)],
    ["a reader's edit token", (f) => bearer(f.editToken)],
  ];

  it.each(credentials)(
    "answers 401 unauthorized to every operator endpoint with %s and changes nothing",
    async (_, headersFor) => {
      const f = await fixture();
      const headers = headersFor(f);
      const newId = uniqueId("intruder");
      const s = f.site.id;
      const requests: [string, string, unknown?][] = [
        ["POST", "/api/v1/sites", { id: newId, name: "Mine", origins: ["https://evil.example"] }],
        ["GET", "/api/v1/sites"],
        ["GET", `/api/v1/sites/${s}`],
        ["PATCH", `/api/v1/sites/${s}`, { name: "Hijacked", origins: ["https://evil.example"] }],
        ["DELETE", `/api/v1/sites/${s}`],
        ["POST", `/api/v1/sites/${s}/keys`, { label: "Backdoor" }],
        ["GET", `/api/v1/sites/${s}/keys`],
        ["DELETE", `/api/v1/sites/${s}/keys/${f.keyId}`],
      ];
      const before = await siteSnapshot(s);
      for (const [method, path, body] of requests) {
        const res = await call(method, path, body, headers);
        const text = await res.text();
        expect({ request: `${method} ${path}`, status: res.status }).toEqual({
          request: `${method} ${path}`,
          status: 401,
        });
        expect(JSON.parse(text).error.code).toBe("unauthorized");
        expect(text).not.toContain(f.site.secret);
        expect(text).not.toContain(`Site ${s}`);
      }
      expect(await siteSnapshot(s)).toEqual(before);
      expect(await rows("SELECT id FROM sites WHERE id = ?", newId)).toEqual([]);
    },
  );
});
