import { describe, expect, it } from "vitest";
import { ADMIN, call, createSite, json, pageUrl, post, rows, uniqueId } from "./helpers";

/*
 * Who may moderate (API.md "Moderators"): only the site's own, unrevoked moderator keys. Every
 * moderation endpoint is tried with every kind of wrong credential, and the database is compared
 * before and after so that a refused request is known to have changed nothing.
 */

const bearer = (token: string) => ({ authorization: `Bearer ${token}` });
const noLimits = { limits: { postsPerMinute: 0, postsPerDay: 0 } };

const BASE32 = "0123456789abcdefghjkmnpqrstvwxyz";
const URL_SAFE = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
const randomFrom = (alphabet: string, length: number) =>
  Array.from(
    crypto.getRandomValues(new Uint8Array(length)),
    (b) => alphabet[b % alphabet.length],
  ).join("");

/** Has the shape of a moderator key (pk_<key id>_<43 chars>) but was never issued. */
const neverIssuedKey = () => `pk_k_${randomFrom(BASE32, 26)}_${randomFrom(URL_SAFE, 43)}`;

interface Fixture {
  site: string;
  other: string;
  page: string;
  own: Record<string, string>;
  published: string;
  reply: string;
  pending: string;
  spam: string;
  blockId: string;
  credentials: Record<CredentialName, Record<string, string>>;
}

type CredentialName =
  | "no Authorization header"
  | 'a bare "Bearer"'
  | "a Basic scheme"
  | "a Bearer header with two tokens"
  | "a well-formed key never issued"
  | "a revoked key of the site"
  | "a valid key of another site"
  | "a reader's edit token"
  | "the operator token";

async function issueKey(site: string, label: string) {
  const res = await call("POST", `/api/v1/sites/${site}/keys`, { label }, ADMIN);
  expect(res.status).toBe(201);
  return json<{ key: { id: string; label: string }; secret: string }>(res);
}

async function revokeKey(site: string, keyId: string) {
  const res = await call("DELETE", `/api/v1/sites/${site}/keys/${keyId}`, undefined, ADMIN);
  expect(res.status).toBe(204);
}

/**
 * A site with something for every endpoint to act on: a published comment with a reply, one held
 * by a reader's flag, one kept as spam by the honeypot, a block and an audit entry; plus another
 * site and a revoked key. Built through the public API only, so that the refusals tested here do
 * not depend on the moderation actions working.
 */
async function fixture(): Promise<Fixture> {
  const [site, other] = await Promise.all([
    createSite({ flagThreshold: 1, ...noLimits }),
    createSite(noLimits),
  ]);
  const page = pageUrl();
  const own = bearer(site.secret);

  const first = await post(site.id, page, {
    author: { name: "Ana", email: "ana@example.com" },
    body: "First words",
  });
  const reply = await post(site.id, page, { parentId: first.comment.id, body: "A reply" });
  const held = await post(site.id, page, { body: "Held after one flag" });
  const flagged = await call(
    "POST",
    `/api/v1/sites/${site.id}/comments/${held.comment.id}/flag`,
    { reason: "abuse" },
    { "cf-connecting-ip": "192.0.2.77" },
  );
  expect(flagged.status).toBe(202);
  const spam = await post(site.id, page, { body: "Cheap watches", hp: "filled by a bot" });
  expect(
    await rows(
      "SELECT status FROM comments WHERE id IN (?, ?) ORDER BY id",
      held.comment.id,
      spam.comment.id,
    ),
  ).toEqual([{ status: "pending" }, { status: "spam" }]);
  const blockRes = await call(
    "POST",
    `/api/v1/sites/${site.id}/moderation/blocks`,
    { kind: "phrase", value: "casino" },
    own,
  );
  expect(blockRes.status).toBe(201);
  const { block } = await json<{ block: { id: string } }>(blockRes);

  const revoked = await issueKey(site.id, "former moderator");
  await revokeKey(site.id, revoked.key.id);

  return {
    site: site.id,
    other: other.id,
    page,
    own,
    published: first.comment.id,
    reply: reply.comment.id,
    pending: held.comment.id,
    spam: spam.comment.id,
    blockId: block.id,
    credentials: {
      "no Authorization header": {},
      'a bare "Bearer"': { authorization: "Bearer" },
      "a Basic scheme": { authorization: "Basic xyz" },
      "a Bearer header with two tokens": { authorization: "Bearer a b" },
      "a well-formed key never issued": bearer(neverIssuedKey()),
      "a revoked key of the site": bearer(revoked.secret),
      "a valid key of another site": bearer(other.secret),
      "a reader's edit token": bearer(first.editToken),
      "the operator token": ADMIN,
    },
  };
}

/** Everything a moderation request could change, for both sites, read straight from D1. */
async function snapshot(fx: Fixture) {
  const sites = [fx.site, fx.other];
  return {
    comments: await rows(
      "SELECT id, site_id, status, author_name, body_source FROM comments WHERE site_id IN (?, ?) ORDER BY id",
      ...sites,
    ),
    blocks: await rows("SELECT * FROM blocks WHERE site_id IN (?, ?) ORDER BY id", ...sites),
    threads: await rows(
      "SELECT id, site_id, page_key, locked, count FROM threads WHERE site_id IN (?, ?) ORDER BY id",
      ...sites,
    ),
    audit: await rows("SELECT * FROM audit_log WHERE site_id IN (?, ?) ORDER BY id", ...sites),
    flags: await rows(
      "SELECT f.* FROM flags f JOIN comments c ON c.id = f.comment_id WHERE c.site_id IN (?, ?) ORDER BY f.comment_id, f.reporter_hash",
      ...sites,
    ),
  };
}

interface Endpoint {
  name: string;
  method: string;
  path: (fx: Fixture) => string;
  body?: (fx: Fixture) => unknown;
  /** Whether a successful call changes the database (the control test checks it does). */
  writes: boolean;
  okStatus: number;
}

const mod = (fx: Fixture) => `/api/v1/sites/${fx.site}/moderation`;

const ENDPOINTS: Endpoint[] = [
  {
    name: "GET comments",
    method: "GET",
    path: (fx) => `${mod(fx)}/comments`,
    writes: false,
    okStatus: 200,
  },
  {
    name: "DELETE comments/{id}",
    method: "DELETE",
    path: (fx) => `${mod(fx)}/comments/${fx.published}`,
    writes: true,
    okStatus: 204,
  },
  {
    name: "DELETE comments/{id}?purge=true",
    method: "DELETE",
    path: (fx) => `${mod(fx)}/comments/${fx.spam}?purge=true`,
    writes: true,
    okStatus: 204,
  },
  {
    name: "POST comments/{id}/spam",
    method: "POST",
    path: (fx) => `${mod(fx)}/comments/${fx.reply}/spam`,
    writes: true,
    okStatus: 200,
  },
  {
    name: "POST comments/{id}/approve",
    method: "POST",
    path: (fx) => `${mod(fx)}/comments/${fx.pending}/approve`,
    writes: true,
    okStatus: 200,
  },
  {
    name: "POST comments/{id}/restore",
    method: "POST",
    path: (fx) => `${mod(fx)}/comments/${fx.spam}/restore`,
    writes: true,
    okStatus: 200,
  },
  {
    name: "POST bulk",
    method: "POST",
    path: (fx) => `${mod(fx)}/bulk`,
    body: (fx) => ({ action: "delete", ids: [fx.published, fx.reply] }),
    writes: true,
    okStatus: 200,
  },
  {
    name: "GET blocks",
    method: "GET",
    path: (fx) => `${mod(fx)}/blocks`,
    writes: false,
    okStatus: 200,
  },
  {
    name: "POST blocks",
    method: "POST",
    path: (fx) => `${mod(fx)}/blocks`,
    body: () => ({ kind: "email", value: "troll@example.com" }),
    writes: true,
    okStatus: 201,
  },
  {
    name: "DELETE blocks/{id}",
    method: "DELETE",
    path: (fx) => `${mod(fx)}/blocks/${fx.blockId}`,
    writes: true,
    okStatus: 204,
  },
  {
    name: "PATCH threads?page=",
    method: "PATCH",
    path: (fx) => `${mod(fx)}/threads?page=${encodeURIComponent(fx.page)}`,
    body: () => ({ locked: true }),
    writes: true,
    okStatus: 200,
  },
  {
    name: "GET audit",
    method: "GET",
    path: (fx) => `${mod(fx)}/audit`,
    writes: false,
    okStatus: 200,
  },
  {
    name: "GET authors?email=",
    method: "GET",
    path: (fx) => `${mod(fx)}/authors?email=ana%40example.com`,
    writes: false,
    okStatus: 200,
  },
  {
    name: "DELETE authors?email=",
    method: "DELETE",
    path: (fx) => `${mod(fx)}/authors?email=ana%40example.com`,
    writes: true,
    okStatus: 200,
  },
];

const CREDENTIALS: Array<{ credential: CredentialName; status: 401 | 403; code: string }> = [
  { credential: "no Authorization header", status: 401, code: "unauthorized" },
  { credential: 'a bare "Bearer"', status: 401, code: "unauthorized" },
  { credential: "a Basic scheme", status: 401, code: "unauthorized" },
  { credential: "a Bearer header with two tokens", status: 401, code: "unauthorized" },
  { credential: "a well-formed key never issued", status: 401, code: "unauthorized" },
  { credential: "a revoked key of the site", status: 401, code: "unauthorized" },
  { credential: "a valid key of another site", status: 403, code: "forbidden" },
  { credential: "a reader's edit token", status: 401, code: "unauthorized" },
  { credential: "the operator token", status: 403, code: "forbidden" },
];

const send = (fx: Fixture, endpoint: Endpoint, headers: Record<string, string>) =>
  call(endpoint.method, endpoint.path(fx), endpoint.body?.(fx), headers);

describe.each(ENDPOINTS)("moderation $name", (endpoint) => {
  it.each(CREDENTIALS)(
    "refuses $credential with $status $code and changes nothing",
    async ({ credential, status, code }) => {
      const fx = await fixture();
      const before = await snapshot(fx);
      const res = await send(fx, endpoint, fx.credentials[credential]);
      const body = await json<{ error?: { code: string } }>(res);
      // Only the error: a refused GET must not leak a single comment, block or audit entry.
      expect({ status: res.status, keys: Object.keys(body), code: body.error?.code }).toEqual({
        status,
        keys: ["error"],
        code,
      });
      expect(await snapshot(fx)).toEqual(before);
    },
  );

  it("answers the site's own key (the control for the refusals above)", async () => {
    const fx = await fixture();
    const before = await snapshot(fx);
    const res = await send(fx, endpoint, fx.own);
    expect(res.status).toBe(endpoint.okStatus);
    if (endpoint.writes) expect(await snapshot(fx)).not.toEqual(before);
    else expect(await snapshot(fx)).toEqual(before);
  });
});

describe("operator endpoints with a moderator key", () => {
  const OPERATOR: Array<{
    name: string;
    method: string;
    path: (site: string, keyId: string) => string;
    body?: () => unknown;
  }> = [
    { name: "GET /api/v1/sites", method: "GET", path: () => "/api/v1/sites" },
    {
      name: "POST /api/v1/sites",
      method: "POST",
      path: () => "/api/v1/sites",
      body: () => ({ id: uniqueId("stolen"), name: "Mine now", origins: ["https://x.example"] }),
    },
    { name: "GET /api/v1/sites/{site}", method: "GET", path: (s) => `/api/v1/sites/${s}` },
    {
      name: "PATCH /api/v1/sites/{site}",
      method: "PATCH",
      path: (s) => `/api/v1/sites/${s}`,
      body: () => ({ name: "Hijacked", moderation: "none" }),
    },
    { name: "DELETE /api/v1/sites/{site}", method: "DELETE", path: (s) => `/api/v1/sites/${s}` },
    {
      name: "GET /api/v1/sites/{site}/keys",
      method: "GET",
      path: (s) => `/api/v1/sites/${s}/keys`,
    },
    {
      name: "POST /api/v1/sites/{site}/keys",
      method: "POST",
      path: (s) => `/api/v1/sites/${s}/keys`,
      body: () => ({ label: "self-issued" }),
    },
    {
      name: "DELETE /api/v1/sites/{site}/keys/{id}",
      method: "DELETE",
      path: (s, k) => `/api/v1/sites/${s}/keys/${k}`,
    },
  ];

  it.each(OPERATOR)("refuses $name with 401 and changes nothing", async (endpoint) => {
    const site = await createSite({ moderation: "all" });
    const other = await issueKey(site.id, "colleague");
    const body = endpoint.body?.();
    const state = async () => ({
      sites: await rows("SELECT * FROM sites WHERE id = ?", site.id),
      keys: await rows("SELECT * FROM moderator_keys WHERE site_id = ? ORDER BY id", site.id),
      created:
        body && typeof body === "object" && "id" in body
          ? await rows("SELECT id FROM sites WHERE id = ?", (body as { id: string }).id)
          : [],
    });
    const before = await state();
    const res = await call(
      endpoint.method,
      endpoint.path(site.id, other.key.id),
      body,
      bearer(site.secret),
    );
    const answer = await json<{ error?: { code: string } }>(res);
    expect({ status: res.status, keys: Object.keys(answer), code: answer.error?.code }).toEqual({
      status: 401,
      keys: ["error"],
      code: "unauthorized",
    });
    expect(await state()).toEqual(before);
  });
});

describe("moderator keys", () => {
  it("stops a revoked key at once: the very next call after revoking is 401", async () => {
    const site = await createSite();
    const page = pageUrl();
    const { comment } = await post(site.id, page);
    const issued = await issueKey(site.id, "temp");
    const queue = `/api/v1/sites/${site.id}/moderation/comments`;
    expect((await call("GET", queue, undefined, bearer(issued.secret))).status).toBe(200);
    await revokeKey(site.id, issued.key.id);
    const res = await call("DELETE", `${queue}/${comment.id}`, undefined, bearer(issued.secret));
    expect(res.status).toBe(401);
    expect((await json<{ error: { code: string } }>(res)).error.code).toBe("unauthorized");
    expect(await rows("SELECT status FROM comments WHERE id = ?", comment.id)).toEqual([
      { status: "published" },
    ]);
    // The site's other key is unaffected.
    expect((await call("GET", queue, undefined, bearer(site.secret))).status).toBe(200);
  });

  it("records the acting key's label as the audit entry's actor", async () => {
    const site = await createSite();
    const night = await issueKey(site.id, "night shift");
    const mod = `/api/v1/sites/${site.id}/moderation`;
    const add = async (key: Record<string, string>, value: string) => {
      const res = await call("POST", `${mod}/blocks`, { kind: "phrase", value }, key);
      expect(res.status).toBe(201);
      return (await json<{ block: { id: string } }>(res)).block.id;
    };
    const byNight = await add(bearer(night.secret), "free money");
    const byDefault = await add(bearer(site.secret), "cheap pills");
    const { entries } = await json<{
      entries: Array<{ actor: string; action: string; target: string }>;
    }>(await call("GET", `${mod}/audit`, undefined, bearer(night.secret)));
    expect(
      entries
        .filter(({ action }) => action === "block")
        .map(({ actor, target }) => ({ actor, target }))
        .sort((a, b) => a.actor.localeCompare(b.actor)),
    ).toEqual([
      { actor: "default", target: byDefault },
      { actor: "night shift", target: byNight },
    ]);
  });

  it("records the operator's site and key actions as actor operator, never a secret", async () => {
    const site = await createSite();
    const night = await issueKey(site.id, "night shift");
    await revokeKey(site.id, night.key.id);
    const patch = {
      name: "Renamed",
      turnstileSiteKey: "1x00000000000000000000AA",
      turnstileSecretKey: "1x0000000000000000000000000000000AA",
    };
    expect((await call("PATCH", `/api/v1/sites/${site.id}`, patch, ADMIN)).status).toBe(200);
    const res = await call(
      "GET",
      `/api/v1/sites/${site.id}/moderation/audit`,
      undefined,
      bearer(site.secret),
    );
    const { entries } = await json<{
      entries: Array<{ actor: string; action: string; target: string; detail: unknown }>;
    }>(res);
    expect(entries.map(({ actor, action, target }) => [actor, action, target]).reverse()).toEqual([
      ["operator", "create-site", site.id],
      ["operator", "issue-key", night.key.id],
      ["operator", "revoke-key", night.key.id],
      ["operator", "update-site", site.id],
    ]);
    expect(entries[0]?.detail).toEqual({
      fields: ["name", "turnstileSiteKey", "turnstileSecretKey"],
    });
    expect(JSON.stringify(entries)).not.toContain(patch.turnstileSecretKey);
  });
});
