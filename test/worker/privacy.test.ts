import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { createDb } from "../../src/db/client";
import { D1Meter } from "../../src/platform/d1";
import { hashIp } from "../../src/services/readers/ip-hash";
import {
  call,
  createSite,
  expectError,
  json,
  type Posted,
  pageUrl,
  post,
  postRaw,
  rows,
} from "./helpers";

const IP = "203.0.113.9";
const EMAIL = "Ana.Private@mail.example";
const USER_AGENT = "Mozilla/5.0 (PrivacyTest; rv:1.0) Gecko/20100101 Firefox/999.0";
const READER = { "cf-connecting-ip": IP, "user-agent": USER_AGENT };

/** Field names that would carry personal data or secrets; none may appear in a public view. */
const FORBIDDEN_KEYS = new Set([
  "email",
  "authorEmail",
  "author_email",
  "ip",
  "ipHash",
  "ip_hash",
  "userAgent",
  "user_agent",
  "editToken",
  "editTokenHash",
  "edit_token_hash",
  "secretHash",
  "authorSalt",
  "author_salt",
  "authorToken",
  "authorHash",
  "author_hash",
]);

/** Every key anywhere in a JSON value, with the path where it was found. */
function keysOf(value: unknown, path = "$"): string[] {
  if (Array.isArray(value)) return value.flatMap((v, i) => keysOf(v, `${path}[${i}]`));
  if (value === null || typeof value !== "object") return [];
  return Object.entries(value).flatMap(([k, v]) => [`${path}.${k}`, ...keysOf(v, `${path}.${k}`)]);
}

function forbiddenKeys(value: unknown): string[] {
  return keysOf(value).filter((p) => FORBIDDEN_KEYS.has(p.slice(p.lastIndexOf(".") + 1)));
}

interface Captured {
  name: string;
  status: number;
  text: string;
  headers: string;
}

async function capture(name: string, res: Response): Promise<Captured> {
  const headers = [...res.headers].map(([k, v]) => `${k}: ${v}`).join("\n");
  return { name, status: res.status, text: await res.text(), headers };
}

/**
 * A site where a reader with an email, a website, a user agent and an IP has posted a comment
 * and a reply and voted; then every public view of it, as the raw responses.
 */
async function readerActivity() {
  const site = await createSite();
  const page = pageUrl();
  const author = { name: "Ana", email: EMAIL, website: "https://ana.example" };
  const rootRes = await postRaw(site.id, page, { author, body: "Root" }, READER);
  const root = await capture("POST response", rootRes);
  expect(root.status).toBe(201);
  const rootPosted = JSON.parse(root.text) as Posted;
  const replyRes = await postRaw(
    site.id,
    page,
    { author, body: "Reply", parentId: rootPosted.comment.id },
    READER,
  );
  const reply = await capture("reply POST response", replyRes);
  expect(reply.status).toBe(201);
  const replyPosted = JSON.parse(reply.text) as Posted;
  const vote = await capture(
    "vote response",
    await call(
      "POST",
      `/api/v1/sites/${site.id}/comments/${rootPosted.comment.id}/vote`,
      { value: 1 },
      READER,
    ),
  );
  expect(vote.status).toBe(200);
  const edit = await capture(
    "edit response",
    await call(
      "PATCH",
      `/api/v1/sites/${site.id}/comments/${replyPosted.comment.id}`,
      { body: "Reply, edited" },
      { ...READER, authorization: `Bearer ${replyPosted.editToken}` },
    ),
  );
  expect(edit.status).toBe(200);

  const views = [
    root,
    reply,
    vote,
    edit,
    await capture(
      "thread view",
      await call(
        "GET",
        `/api/v1/sites/${site.id}/thread?page=${encodeURIComponent(page)}`,
        undefined,
        READER,
      ),
    ),
    await capture(
      "permalink view",
      await call(
        "GET",
        `/api/v1/sites/${site.id}/comments/${replyPosted.comment.id}`,
        undefined,
        READER,
      ),
    ),
    await capture(
      "replies view",
      await call(
        "GET",
        `/api/v1/sites/${site.id}/comments/${rootPosted.comment.id}/replies`,
        undefined,
        READER,
      ),
    ),
    await capture(
      "counts",
      await call(
        "GET",
        `/api/v1/sites/${site.id}/counts?page=${encodeURIComponent(page)}`,
        undefined,
        READER,
      ),
    ),
  ];
  const stored = await rows(
    "SELECT id, ip_hash, author_email, user_agent FROM comments WHERE site_id = ?",
    site.id,
  );
  return { site, page, rootPosted, replyPosted, views, stored };
}

describe("public views", () => {
  it("expose no email, IP, IP hash, user agent or token field in any view", async () => {
    const { views, stored } = await readerActivity();
    // The data is really there to leak: otherwise this test proves nothing.
    expect(stored).toHaveLength(2);
    for (const row of stored) {
      expect(row.author_email).toBe(EMAIL.toLowerCase());
      expect(row.user_agent).toBe(USER_AGENT);
      expect(row.ip_hash).toEqual(expect.any(String));
    }
    for (const view of views) {
      expect(view.status, view.name).toBeLessThan(300);
      const body = JSON.parse(view.text) as Record<string, unknown>;
      // The POST response's own top-level edit and author tokens are the secrets a public view
      // may carry: they go back to the reader who posted.
      if (view.name.includes("POST")) {
        expect(body.editToken, view.name).toEqual(expect.any(String));
        expect(body.authorToken, view.name).toEqual(expect.any(String));
        delete body.editToken;
        delete body.authorToken;
      }
      expect(forbiddenKeys(body), view.name).toEqual([]);
    }
  });

  it("hide the email address, the IP, the user agent and the stored IP hash from every view", async () => {
    const { views, stored } = await readerActivity();
    const ipHashes = stored.map((r) => String(r.ip_hash));
    const secrets = [EMAIL, EMAIL.toLowerCase(), IP, USER_AGENT, ...ipHashes];
    for (const view of views) {
      for (const secret of secrets) {
        expect(view.text, `${view.name} body leaks ${secret}`).not.toContain(secret);
        expect(view.headers, `${view.name} headers leak ${secret}`).not.toContain(secret);
      }
    }
  });

  it("show an edit token only in the POST response that issued it", async () => {
    const { views, rootPosted, replyPosted } = await readerActivity();
    const tokens = [rootPosted.editToken, replyPosted.editToken];
    for (const token of tokens) expect(token.length).toBeGreaterThanOrEqual(20);
    for (const view of views) {
      const own =
        view.name === "POST response"
          ? rootPosted.editToken
          : view.name === "reply POST response"
            ? replyPosted.editToken
            : undefined;
      for (const token of tokens) {
        const text =
          token === own ? view.text.replace(`"editToken":"${token}"`, '"editToken":""') : view.text;
        expect(text, `${view.name} leaks an edit token`).not.toContain(token);
        expect(view.headers, `${view.name} headers leak an edit token`).not.toContain(token);
      }
    }
  });

  it("keep personal data out of the response to a comment held for moderation", async () => {
    const site = await createSite({ moderation: "all" });
    const res = await postRaw(
      site.id,
      pageUrl(),
      { author: { name: "Ana", email: EMAIL, website: "https://ana.example" } },
      READER,
    );
    expect(res.status).toBe(202);
    const text = await res.text();
    const {
      editToken: _own,
      authorToken: _author,
      ...rest
    } = JSON.parse(text) as Record<string, unknown>;
    expect(forbiddenKeys(rest)).toEqual([]);
    for (const secret of [EMAIL, IP, USER_AGENT]) expect(text).not.toContain(secret);
  });
});

describe("IP addresses", () => {
  it("are never stored: not in comments, votes or salts, only as a hash", async () => {
    const { stored } = await readerActivity();
    const tables = {
      comments: await rows("SELECT * FROM comments"),
      votes: await rows("SELECT * FROM votes"),
      ip_salts: await rows("SELECT * FROM ip_salts"),
      reader_actions: await rows("SELECT * FROM reader_actions"),
    };
    expect(tables.votes.length).toBeGreaterThan(0);
    expect(tables.reader_actions.length).toBeGreaterThan(0);
    expect(tables.ip_salts.length).toBeGreaterThan(0);
    for (const [table, tableRows] of Object.entries(tables)) {
      for (const row of tableRows) {
        for (const [column, value] of Object.entries(row)) {
          expect(String(value), `${table}.${column}`).not.toContain(IP);
        }
      }
    }
    for (const row of stored) {
      expect(row.ip_hash).toEqual(expect.any(String));
      expect(String(row.ip_hash).length).toBeGreaterThanOrEqual(16);
      expect(row.ip_hash).not.toBe(IP);
    }
  });

  it("hash the same on one day and differently for different IPs", async () => {
    const db = createDb(env.DB, new D1Meter());
    const today = new Date();
    const a = await hashIp(db, IP, "any-site", today);
    expect(await hashIp(db, IP, "any-site", today)).toBe(a);
    expect(await hashIp(db, "203.0.113.10", "any-site", today)).not.toBe(a);
    expect(await hashIp(db, "2001:db8::9", "any-site", today)).not.toBe(a);
    expect(a).not.toContain(IP);
  });

  // Issue 12: one global salt made a reader's ip hash the same on every site of a deployment.
  it("hash the same reader differently on different sites", async () => {
    const [a, b] = [await createSite(), await createSite()];
    const page = pageUrl();
    const onA = await post(a.id, page, {}, READER);
    const onB = await post(b.id, page, {}, READER);
    const hashes = await rows(
      "SELECT ip_hash FROM comments WHERE id IN (?, ?)",
      onA.comment.id,
      onB.comment.id,
    );
    expect(hashes).toHaveLength(2);
    expect(hashes[0]?.ip_hash).not.toBe(hashes[1]?.ip_hash);
  });

  it("rotate their salt daily and drop the previous day's salt", async () => {
    const db = createDb(env.DB, new D1Meter());
    // Days in the past, so today's salt (used by the other tests) survives the rotation.
    const day1 = new Date("2020-01-01T10:00:00Z");
    const day1Later = new Date("2020-01-01T23:59:00Z");
    const day2 = new Date("2020-01-02T00:01:00Z");
    const saltsFor = (day: string) => rows("SELECT * FROM ip_salts WHERE day = ?", day);

    const first = await hashIp(db, IP, "any-site", day1);
    expect(await hashIp(db, IP, "any-site", day1Later)).toBe(first);
    expect(await saltsFor("2020-01-01")).toHaveLength(1);

    const next = await hashIp(db, IP, "any-site", day2);
    expect(next).not.toBe(first);
    expect(await saltsFor("2020-01-01")).toEqual([]);
    expect(await saltsFor("2020-01-02")).toHaveLength(1);

    // With the salt gone, day 1's hash can no longer be recomputed, even by the service itself.
    expect(await hashIp(db, IP, "any-site", day1)).not.toBe(first);

    // Leave the table as the service would: today's salt only.
    await hashIp(db, IP, "any-site", new Date());
    expect(await saltsFor("2020-01-01")).toEqual([]);
    expect(await saltsFor("2020-01-02")).toEqual([]);
  });
});

describe("avatars", () => {
  async function sha256Hex(value: string): Promise<string> {
    return digestHex("SHA-256", value);
  }
  async function digestHex(algorithm: string, value: string): Promise<string> {
    const digest = await crypto.subtle.digest(algorithm, new TextEncoder().encode(value));
    return [...new Uint8Array(digest)].map((b) => b.toString(16).padStart(2, "0")).join("");
  }
  const avatarOf = (p: Posted) =>
    (p.comment as unknown as { author: { avatar: string } }).author.avatar;

  const tokenOf = (p: Posted) => (p as Posted & { authorToken: string }).authorToken;

  it("give one author (their browser's token) the same avatar on one site, whatever the page", async () => {
    const site = await createSite();
    const one = await post(site.id, pageUrl(), { author: { name: "Ana", email: EMAIL } });
    const authorToken = tokenOf(one);
    expect(authorToken).toMatch(/^[A-Za-z0-9_-]{43}$/);
    const two = await post(site.id, pageUrl(), { author: { name: "Ana B." }, authorToken });
    expect(avatarOf(one)).toEqual(expect.any(String));
    expect(avatarOf(one).length).toBeGreaterThanOrEqual(8);
    expect(avatarOf(two)).toBe(avatarOf(one));
    expect(tokenOf(two)).toBe(authorToken);
  });

  // Issue 12: the avatar was a keyed hash of the email, and any POST answered with it, so
  // anyone could test a guessed address against a public comment's avatar.
  it("cannot be reproduced by posting with someone's email and name", async () => {
    const site = await createSite();
    const page = pageUrl();
    const ana = await post(site.id, page, { author: { name: "Ana", email: EMAIL } });
    for (const fields of [{}, { hp: "a probe hidden by the honeypot" }]) {
      const probe = await post(site.id, page, { author: { name: "Ana", email: EMAIL }, ...fields });
      expect(avatarOf(probe)).not.toBe(avatarOf(ana));
    }
  });

  it("give one author different avatars on different sites", async () => {
    const [a, b] = [await createSite(), await createSite()];
    const page = pageUrl();
    const onA = await post(a.id, page, { author: { name: "Ana", email: EMAIL } });
    const onB = await post(b.id, page, { author: { name: "Ana" }, authorToken: tokenOf(onA) });
    expect(avatarOf(onA)).not.toBe(avatarOf(onB));
  });

  it("refuse an author token that is not one", async () => {
    const site = await createSite();
    for (const authorToken of ["short", "x".repeat(101), "has spaces in it, twenty+ chars", 42]) {
      await expectError(
        await postRaw(site.id, pageUrl(), { authorToken }),
        422,
        "validation_failed",
      );
    }
  });

  it("are not a plain SHA-256 or MD5 of the email", async () => {
    const site = await createSite();
    const posted = await post(site.id, pageUrl(), { author: { name: "Ana", email: EMAIL } });
    const avatar = avatarOf(posted).toLowerCase();
    for (const email of [EMAIL, EMAIL.toLowerCase(), ` ${EMAIL.toLowerCase()} `]) {
      for (const hex of [await sha256Hex(email), await digestHex("MD5", email)]) {
        expect(hex).not.toContain(avatar);
        expect(avatar).not.toContain(hex.slice(0, 16));
      }
    }
  });

  it("appear the same in the thread view as in the POST response", async () => {
    const site = await createSite();
    const page = pageUrl();
    const posted = await post(site.id, page, { author: { name: "Ana", email: EMAIL } });
    const res = await call(
      "GET",
      `/api/v1/sites/${site.id}/thread?page=${encodeURIComponent(page)}`,
    );
    const view = await json<{ comments: { author: { avatar: string } }[] }>(res);
    expect(view.comments[0]?.author.avatar).toBe(avatarOf(posted));
  });
});
