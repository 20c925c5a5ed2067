import { describe, expect, it } from "vitest";
import { createApp } from "../../src/app";
import { moveClock } from "./clock";
import { BASE, browser, SAME_ORIGIN, send, signedInModerator, signIn } from "./console-browser";
import {
  ADMIN,
  ADMIN_TOKEN,
  call,
  fetchWorker,
  pageUrl,
  post,
  rows,
  type SiteFixture,
  sha256Hex,
  thread,
} from "./helpers";
import { newSite } from "./moderation-fixtures";

/*
 * The moderators' console (issue 15): signing in and out, the session cookie, the same-origin
 * rule for every POST, the headers of every page, a key that opens only its own site, and the
 * queue's actions on the same services as the API. How it could be abused, and the answer each
 * test checks:
 * - guessing keys through the sign-in form → at most 10 failures per network per 15 minutes;
 * - a stolen database → only hashes of session tokens and keys;
 * - another site's page posting a form to the console (CSRF) → refused, nothing changes;
 * - a key of site A reaching site B → the same 404 as an unknown site;
 * - a revoked key, a rotated operator token, a signed-out cookie → the session is over;
 * - readers' text, names and pages → only ever text, never markup or a javascript: link;
 * - the console framed, cached, or read cross-origin → CSP, no-store, no CORS.
 */

const POLICY =
  "default-src 'none'; style-src 'self'; script-src 'self'; img-src 'self'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'";

async function heldComment(site: SiteFixture, fields: Record<string, unknown> = {}) {
  const page = pageUrl("console");
  const posted = await post(site.id, page, fields);
  expect(posted.comment.status).toBe("pending");
  return { page, id: posted.comment.id };
}

const queuePath = (site: SiteFixture, tab = "pending") =>
  `/admin/sites/${site.id}/queue?tab=${tab}`;

async function statusOf(id: string): Promise<string> {
  const [row] = await rows("SELECT status FROM comments WHERE id = ?", id);
  return String(row?.status);
}

describe("signing in", () => {
  it("shows a sign-in form with a password field, and headers that keep the page to itself", async () => {
    const res = await send(browser(), "GET", "/admin/sign-in");
    expect(res.status).toBe(200);
    const html = await res.text();
    expect(html).toMatch(/^<!doctype html>/);
    expect(html).toContain('type="password"');
    expect(res.headers.get("content-security-policy")).toBe(POLICY);
    expect(res.headers.get("cache-control")).toBe("no-store");
    expect(res.headers.get("x-content-type-options")).toBe("nosniff");
    expect(res.headers.get("x-frame-options")).toBe("DENY");
    expect(res.headers.get("access-control-allow-origin")).toBeNull();
  });

  it("starts a session with a moderator key: a __Host- cookie, HttpOnly, Secure, SameSite=Strict", async () => {
    const site = await newSite();
    const who = browser();
    const res = await signIn(who, site.secret);
    expect(res.status).toBe(303);
    expect(res.headers.get("location")).toBe("/admin");
    const cookie = res.headers.get("set-cookie") ?? "";
    expect(cookie).toMatch(/^__Host-parley_console=[A-Za-z0-9_-]{43}; /);
    expect(cookie).toContain("Path=/");
    expect(cookie).toContain("HttpOnly");
    expect(cookie).toContain("Secure");
    expect(cookie).toContain("SameSite=Strict");
    expect(cookie).toMatch(/Expires=/);
    expect(cookie).not.toMatch(/Domain=/i);

    // Only the token's hash is stored.
    const token = (who.cookie ?? "").split("=")[1] ?? "";
    expect(await rows("SELECT 1 FROM console_sessions WHERE token_hash = ?", token)).toEqual([]);
    expect(
      await rows("SELECT 1 FROM console_sessions WHERE token_hash = ?", await sha256Hex(token)),
    ).toHaveLength(1);

    const home = await send(who, "GET", "/admin");
    expect(home.headers.get("location")).toBe(`/admin/sites/${site.id}/queue?tab=pending`);
  });

  it("refuses a wrong secret with a sentence, and a network after 10 failures for 15 minutes", async () => {
    const site = await newSite();
    const who = browser();
    const wrong = await signIn(who, "pk_not_a_key");
    expect(wrong.status).toBe(401);
    expect(await wrong.text()).toContain("does not open the console");
    expect(wrong.headers.get("set-cookie")).toBeNull();
    for (let i = 1; i < 10; i++) expect((await signIn(who, `wrong ${i}`)).status).toBe(401);

    // Even the right key waits now.
    const limited = await signIn(who, site.secret);
    expect(limited.status).toBe(429);
    expect(await limited.text()).toContain("Too many wrong attempts");
    // Another network is not held back.
    expect((await signIn(browser(), site.secret)).status).toBe(303);

    moveClock(15 * 60_000 + 1000);
    expect((await signIn(who, site.secret)).status).toBe(303);
  });

  it("ends the session on sign-out: the cookie no longer opens anything", async () => {
    const site = await newSite();
    const who = await signedInModerator(site);
    expect((await send(who, "GET", queuePath(site))).status).toBe(200);
    const out = await send(who, "POST", "/admin/sign-out", {});
    expect(out.status).toBe(303);
    expect(out.headers.get("set-cookie")).toMatch(/^__Host-parley_console=; /);
    const after = await send(who, "GET", queuePath(site));
    expect(after.status).toBe(303);
    expect(after.headers.get("location")).toBe("/admin/sign-in");
  });

  it("ends a moderator's sessions when the key is revoked", async () => {
    const site = await newSite();
    const who = await signedInModerator(site);
    const keys = (
      (await await call("GET", `/api/v1/sites/${site.id}/keys`, undefined, ADMIN).then((r) =>
        r.json(),
      )) as { keys: { id: string }[] }
    ).keys;
    for (const key of keys) {
      const revoked = await call(
        "DELETE",
        `/api/v1/sites/${site.id}/keys/${key.id}`,
        undefined,
        ADMIN,
      );
      expect(revoked.status).toBeLessThan(300);
    }
    const after = await send(who, "GET", queuePath(site));
    expect(after.headers.get("location")).toBe("/admin/sign-in");
  });

  it("opens every site to the operator token, until ADMIN_TOKEN changes", async () => {
    const site = await newSite();
    const who = browser();
    expect((await signIn(who, ADMIN_TOKEN)).status).toBe(303);
    // The list goes 50 a page by id (console-operator.test.ts): the page after the id just
    // before this one's starts with it.
    const before = `${site.id.slice(0, -1)}${String.fromCharCode(site.id.charCodeAt(site.id.length - 1) - 1)}`;
    const sites = await send(who, "GET", `/admin/sites?cursor=${before}`);
    expect(await sites.text()).toContain(`>Site ${site.id}</a>`);
    expect((await send(who, "GET", queuePath(site))).status).toBe(200);

    const rotated = await send(who, "GET", queuePath(site), undefined, SAME_ORIGIN, {
      ADMIN_TOKEN: "a-new-operator-token",
    });
    expect(rotated.headers.get("location")).toBe("/admin/sign-in");
  });

  it("sends its policy, no framing, no caching, no CORS and its D1 reads with every screen, error and redirect", async () => {
    const site = await newSite();
    const { comment } = await post(site.id, pageUrl("console"));
    const operator = browser();
    expect((await signIn(operator, ADMIN_TOKEN)).status).toBe(303);
    const app = createApp() as unknown as { routes: { method: string; path: string }[] };
    const screens = [
      ...new Set(
        app.routes
          .filter((r) => r.path.startsWith("/admin") && r.method === "GET" && !r.path.endsWith("*"))
          .map((r) => r.path),
      ),
    ];
    expect(screens.length).toBeGreaterThan(10);
    const answers = [];
    for (const path of screens) {
      const url = path
        .replace(":site", site.id)
        .replace(":id", comment.id)
        .replace(":keyId", "k_unknown");
      answers.push([
        path,
        await send(operator, "GET", url, undefined, { origin: "https://evil.example" }),
      ]);
    }
    // A 404, an error page, a redirect and a refusal carry them too.
    answers.push(["404", await send(operator, "GET", "/admin/sites/no-such-site/queue")]);
    answers.push(["422", await send(operator, "POST", `/admin/sites/${site.id}/pages/lock`, {})]);
    answers.push(["303", await send(browser(), "GET", "/admin")]);
    const headersOf = (res: Response) => [
      res.headers.get("content-security-policy"),
      res.headers.get("x-frame-options"),
      res.headers.get("x-content-type-options"),
      res.headers.get("cache-control"),
      res.headers.get("access-control-allow-origin"),
      // Its own D1 reads, as the API's responses say them.
      /rows;desc="\d+"/.test(res.headers.get("server-timing") ?? ""),
    ];
    expect(answers.map(([path, res]) => [path, ...headersOf(res as Response)])).toEqual(
      answers.map(([path]) => [path, POLICY, "DENY", "nosniff", "no-store", null, true]),
    );
    expect(answers.map(([path, res]) => [path, (res as Response).status < 500])).toEqual(
      answers.map(([path]) => [path, true]),
    );
  });

  it("sends every page but the sign-in form (and its stylesheet) to sign-in without a session", async () => {
    const app = createApp() as unknown as { routes: { method: string; path: string }[] };
    const open = [
      "GET /admin/sign-in",
      "POST /admin/sign-in",
      "POST /admin/sign-out",
      "GET /admin/console.css",
    ];
    const pages = new Set(
      app.routes
        .filter(
          (r) =>
            r.path.startsWith("/admin") &&
            ["GET", "POST"].includes(r.method) &&
            !r.path.endsWith("*"),
        )
        .map((r) => `${r.method} ${r.path}`)
        .filter((endpoint) => !open.includes(endpoint)),
    );
    expect(pages.size).toBeGreaterThan(3);
    for (const endpoint of pages) {
      const [method = "GET", path = ""] = endpoint.split(" ");
      const url = path
        .replace(":site", "demo")
        .replace(":id", `c_${"0".repeat(26)}`)
        .replace(":action", "approve");
      const res = await send(browser(), method, url, method === "POST" ? {} : undefined);
      expect([endpoint, res.status, res.headers.get("location")]).toEqual([
        endpoint,
        303,
        "/admin/sign-in",
      ]);
    }
  });
});

describe("the same-origin rule", () => {
  it("refuses a form another site's page posts, and changes nothing", async () => {
    const site = await newSite({ moderation: "all" });
    const who = await signedInModerator(site);
    const { id } = await heldComment(site);
    const crossSite = { origin: "https://evil.example", "sec-fetch-site": "cross-site" };
    const refused = await send(
      who,
      "POST",
      `/admin/sites/${site.id}/comments/${id}/approve`,
      {},
      crossSite,
    );
    expect(refused.status).toBe(403);
    expect(await refused.text()).toContain("sent from somewhere else");
    expect(refused.headers.get("content-security-policy")).toBe(POLICY);
    const noOrigin = await send(
      who,
      "POST",
      `/admin/sites/${site.id}/bulk`,
      { action: "delete", ids: id },
      {},
    );
    expect(noOrigin.status).toBe(403);
    expect(await statusOf(id)).toBe("pending");
    // Signing in from another site's form is refused the same way.
    expect(
      (await send(browser(), "POST", "/admin/sign-in", { secret: site.secret }, crossSite)).status,
    ).toBe(403);
  });

  it("refuses a form larger than any of its own with 413, and signs no one in", async () => {
    const res = await send(browser(), "POST", "/admin/sign-in", { secret: "x".repeat(20_000) });
    expect(res.status).toBe(413);
    expect(res.headers.get("set-cookie")).toBeNull();
    expect(res.headers.get("content-security-policy")).toBe(POLICY);
  });

  it("takes only its own forms: a JSON body is 415", async () => {
    const res = await fetchWorker(
      new Request(`${BASE}/admin/sign-in`, {
        method: "POST",
        headers: { "content-type": "application/json", ...SAME_ORIGIN },
        body: JSON.stringify({ secret: ADMIN_TOKEN }),
      }),
    );
    expect(res.status).toBe(415);
    expect(res.headers.get("set-cookie")).toBeNull();
  });
});

describe("the queue", () => {
  it("lists held comments with live tab counts, readers' text as text only", async () => {
    const site = await newSite({ moderation: "all" });
    const who = await signedInModerator(site);
    const vector = '<img src=x onerror="alert(1)"><script>alert(2)</script>';
    const { id } = await heldComment(site, { author: { name: vector }, body: `Look ${vector}` });
    const res = await send(who, "GET", queuePath(site));
    expect(res.status).toBe(200);
    const html = await res.text();
    expect(html).toContain(`id="c-${id}"`);
    expect(html).not.toContain("<img src=x");
    expect(html).not.toContain("<script>alert");
    expect(html).toContain("&lt;img src=x onerror=");
    expect(html).toMatch(/Pending <span class="count">1<\/span>/);
    expect(res.headers.get("server-timing")).toMatch(/rows;desc="\d+"/);
  });

  it("approves a held comment: published in the thread, and in the audit log under the key's label", async () => {
    const site = await newSite({ moderation: "all" });
    const who = await signedInModerator(site);
    const { page, id } = await heldComment(site);
    const res = await send(who, "POST", `/admin/sites/${site.id}/comments/${id}/approve`, {
      back: queuePath(site),
    });
    expect(res.status).toBe(303);
    expect(res.headers.get("location")).toBe(`${queuePath(site)}&done=1`);
    expect((await thread(site.id, page)).comments.map((c) => c.id)).toEqual([id]);
    const [entry] = await rows(
      "SELECT actor, action FROM audit_log WHERE target = ? ORDER BY id DESC",
      id,
    );
    expect(entry?.action).toBe("approve");
    expect(String(entry?.actor)).not.toBe("");
  });

  it("deletes the selected comments in one bulk action, and says how many", async () => {
    const site = await newSite({ moderation: "all" });
    const who = await signedInModerator(site);
    const a = await heldComment(site);
    const b = await heldComment(site);
    const kept = await heldComment(site);
    const res = await send(who, "POST", `/admin/sites/${site.id}/bulk`, {
      action: "delete",
      ids: [a.id, b.id],
      back: queuePath(site),
    });
    expect(res.headers.get("location")).toBe(`${queuePath(site)}&done=2`);
    expect([await statusOf(a.id), await statusOf(b.id), await statusOf(kept.id)]).toEqual([
      "deleted",
      "deleted",
      "pending",
    ]);
    const shown = await (await send(who, "GET", `${queuePath(site)}&done=2`)).text();
    expect(shown).toContain("Done: 2 comment(s) changed.");
  });

  it("never sends a form back anywhere but the console", async () => {
    const site = await newSite({ moderation: "all" });
    const who = await signedInModerator(site);
    const { id } = await heldComment(site);
    const res = await send(who, "POST", `/admin/sites/${site.id}/comments/${id}/spam`, {
      back: "//evil.example/admin/x",
    });
    expect(res.headers.get("location")).toBe(`${queuePath(site)}&done=1`);
  });

  it("shows the API's refusal as a sentence: approving a published comment", async () => {
    const site = await newSite();
    const who = await signedInModerator(site);
    const published = await post(site.id, pageUrl("console"));
    const res = await send(
      who,
      "POST",
      `/admin/sites/${site.id}/comments/${published.comment.id}/approve`,
      {},
    );
    expect(res.status).toBe(409);
    expect(await res.text()).toContain("A published comment cannot be given &quot;approve&quot;.");
  });

  it("opens a key's own site only: another site's queue and actions are a 404, and change nothing", async () => {
    const mine = await newSite({ moderation: "all" });
    const theirs = await newSite({ moderation: "all" });
    const who = await signedInModerator(mine);
    const { id } = await heldComment(theirs);
    expect((await send(who, "GET", queuePath(theirs))).status).toBe(404);
    expect(
      (await send(who, "POST", `/admin/sites/${theirs.id}/comments/${id}/approve`, {})).status,
    ).toBe(404);
    expect(
      (await send(who, "POST", `/admin/sites/${theirs.id}/bulk`, { action: "approve", ids: id }))
        .status,
    ).toBe(404);
    // Naming the other site's comment under one's own site finds nothing either.
    expect(
      (await send(who, "POST", `/admin/sites/${mine.id}/comments/${id}/approve`, {})).status,
    ).toBe(404);
    expect(await statusOf(id)).toBe("pending");
  });
});

describe("blocks and the audit log", () => {
  it("adds a phrase block that sends a matching post to spam, lists it, and removes it", async () => {
    const site = await newSite();
    const who = await signedInModerator(site);
    const added = await send(who, "POST", `/admin/sites/${site.id}/blocks`, {
      kind: "phrase",
      value: "cheap pills",
    });
    expect(added.status).toBe(303);
    const listed = await (await send(who, "GET", `/admin/sites/${site.id}/blocks`)).text();
    expect(listed).toContain("cheap pills");
    const spam = await post(site.id, pageUrl("console"), { body: "Buy CHEAP pills here" });
    expect(await statusOf(spam.comment.id)).toBe("spam");

    const [block] = await rows("SELECT id FROM blocks WHERE site_id = ?", site.id);
    const removed = await send(
      who,
      "POST",
      `/admin/sites/${site.id}/blocks/${block?.id}/remove`,
      {},
    );
    expect(removed.status).toBe(303);
    expect(await rows("SELECT id FROM blocks WHERE site_id = ?", site.id)).toEqual([]);

    const audit = await (await send(who, "GET", `/admin/sites/${site.id}/audit`)).text();
    expect(audit).toContain("unblock");
    expect(audit).toContain(">block<");
  });

  it("explains a block it cannot add, as a sentence", async () => {
    const site = await newSite();
    const who = await signedInModerator(site);
    const res = await send(who, "POST", `/admin/sites/${site.id}/blocks`, {
      kind: "phrase",
      value: "\u200b\u200b",
    });
    expect(res.status).toBe(422);
    expect(await res.text()).toContain("Must contain visible characters.");
  });
});

describe("pages", () => {
  it("lists commented pages, the latest commented first, and locks and unlocks one", async () => {
    const site = await newSite();
    const who = await signedInModerator(site);
    const older = pageUrl("console");
    const newer = pageUrl("console");
    await post(site.id, older, { title: "Older story" });
    moveClock(60_000);
    await post(site.id, newer, { title: "Newer story" });

    const listed = await (await send(who, "GET", `/admin/sites/${site.id}/pages`)).text();
    expect(listed.indexOf("Newer story")).toBeGreaterThan(0);
    expect(listed.indexOf("Newer story")).toBeLessThan(listed.indexOf("Older story"));

    const lock = await send(who, "POST", `/admin/sites/${site.id}/pages/lock`, {
      page: older,
      locked: "1",
    });
    expect(lock.status).toBe(303);
    expect((await thread(site.id, older)).thread.locked).toBe(true);
    expect(await (await send(who, "GET", `/admin/sites/${site.id}/pages`)).text()).toContain(
      "(locked)",
    );
    await send(who, "POST", `/admin/sites/${site.id}/pages/lock`, { page: older, locked: "0" });
    expect((await thread(site.id, older)).thread.locked).toBe(false);
  });
});

describe("privacy requests", () => {
  it("finds an address's comments, names how many go, and erases them only after the confirming POST", async () => {
    const site = await newSite();
    const who = await signedInModerator(site);
    const email = "Erase.Me@readers.example";
    const page = pageUrl("console");
    const mine = [
      await post(site.id, page, { author: { name: "Eve", email } }),
      await post(site.id, page, { author: { name: "Eve", email: email.toLowerCase() } }),
    ];
    const other = await post(site.id, page, {
      author: { name: "Ola", email: "ola@readers.example" },
    });
    const privacy = `/admin/sites/${site.id}/privacy`;

    const found = await (
      await send(who, "GET", `${privacy}?email=${encodeURIComponent(email)}`)
    ).text();
    expect(found).toContain("2 comment(s) by this address.");
    const confirm = await (
      await send(who, "GET", `${privacy}/erase?email=${encodeURIComponent(email)}`)
    ).text();
    expect(confirm).toContain("personal data of 2 comment(s)");
    // Opening the confirmation changed nothing.
    expect(
      await rows(
        "SELECT 1 FROM comments WHERE site_id = ? AND author_email = ?",
        site.id,
        email.toLowerCase(),
      ),
    ).toHaveLength(2);

    const erased = await send(who, "POST", `${privacy}/erase`, { email });
    expect(erased.headers.get("location")).toBe(`${privacy}?done=2`);
    for (const { comment } of mine) {
      const [row] = await rows(
        "SELECT author_email, body_source FROM comments WHERE id = ?",
        comment.id,
      );
      expect([row?.author_email ?? null, row?.body_source]).toEqual([null, ""]);
    }
    expect(await statusOf(other.comment.id)).toBe("published");
    expect(await (await send(who, "GET", `${privacy}?done=2`)).text()).toContain(
      "Erased: 2 comment(s).",
    );
  });
});

describe("the overview", () => {
  it("draws the last 30 days of comments received, and links the backlog", async () => {
    const site = await newSite({ moderation: "all" });
    const who = await signedInModerator(site);
    moveClock(-3 * 86_400_000);
    const earlier = new Date(Date.now() - 3 * 86_400_000).toISOString().slice(0, 10);
    await heldComment(site);
    moveClock(3 * 86_400_000);
    await heldComment(site);
    await heldComment(site);
    const today = new Date().toISOString().slice(0, 10);

    const res = await send(who, "GET", `/admin/sites/${site.id}/overview`);
    expect(res.status).toBe(200);
    const html = await res.text();
    expect(html.match(/<rect /g)).toHaveLength(30);
    expect(html).toContain(`<title>${today}: 2</title>`);
    expect(html).toContain(`<title>${earlier}: 1</title>`);
    expect(html).toContain(`<td>${today}</td><td>2</td>`);
    expect(html).toMatch(/Pending: 3<\/a>/);
    expect(res.headers.get("server-timing")).toMatch(/rows;desc="\d+"/);
  });
});

describe("a comment in its context", () => {
  const address = (site: SiteFixture, id: string) => `/admin/sites/${site.id}/comments/${id}`;

  it("shows its parent, its replies in every status, and its author's other comments", async () => {
    const site = await newSite();
    const who = await signedInModerator(site);
    const page = pageUrl("console");
    const author = { name: "Ruth", email: "ruth@example.com" };
    const parent = await post(site.id, page, { body: "The parent", author: { name: "Pat" } });
    const comment = await post(site.id, page, {
      body: "The comment",
      parentId: parent.comment.id,
      author,
    });
    const reply = await post(site.id, page, { body: "A reply", parentId: comment.comment.id });
    await call(
      "POST",
      `/api/v1/sites/${site.id}/moderation/comments/${reply.comment.id}/spam`,
      undefined,
      { authorization: `Bearer ${site.secret}` },
    );
    const other = await post(site.id, pageUrl("console"), { body: "Elsewhere", author });

    const res = await send(who, "GET", address(site, comment.comment.id));
    expect(res.status).toBe(200);
    const html = await res.text();
    const section = (id: string) =>
      html.slice(html.indexOf(`<h2 id="${id}"`)).split("</section>")[0];
    expect(section("parent")).toContain("The parent");
    expect(section("this")).toContain("ruth@example.com");
    expect(section("replies")).toContain("A reply");
    expect(section("replies")).toContain("Spam");
    expect(section("by-author")).toContain(`/comments/${other.comment.id}`);
    expect(section("by-author")).not.toContain(`/comments/${comment.comment.id}"`);
    expect(res.headers.get("server-timing")).toMatch(/rows;desc="\d+"/);
  });

  it("replies as staff under the key's remembered name, and the reply wears the badge", async () => {
    const site = await newSite();
    const who = await signedInModerator(site);
    const page = pageUrl("console");
    const parent = await post(site.id, page, { body: "A question" });
    const res = await send(who, "POST", `${address(site, parent.comment.id)}/reply`, {
      name: "Ana from the desk",
      body: "An *answer*",
    });
    expect(res.status).toBe(303);
    expect(res.headers.get("location")).toBe(`${address(site, parent.comment.id)}?replied=1`);
    const reply = (await thread(site.id, page)).comments.find((c) => c.parentId !== null);
    expect(reply).toMatchObject({ staff: true, author: { name: "Ana from the desk" } });
    // The form offers the name again.
    const form = await (await send(who, "GET", address(site, parent.comment.id))).text();
    expect(form.slice(form.indexOf('<h2 id="reply"'))).toContain('value="Ana from the desk"');

    const empty = await send(who, "POST", `${address(site, parent.comment.id)}/reply`, {
      body: "   ",
    });
    expect(empty.status).toBe(422);
    expect(await empty.text()).toContain('role="alert"');
  });

  it("pins and unpins a top-level comment, and purges one after a deliberate second click", async () => {
    const site = await newSite();
    const who = await signedInModerator(site);
    const page = pageUrl("console");
    const first = await post(site.id, page, { body: "First" });
    const second = await post(site.id, page, { body: "Second", author: { name: "Sam" } });
    const back = address(site, second.comment.id);

    expect((await send(who, "POST", `${back}/pin`, { back })).status).toBe(303);
    expect((await thread(site.id, page)).comments[0]).toMatchObject({
      id: second.comment.id,
      pinned: true,
    });
    const pinned = await (await send(who, "GET", back)).text();
    expect(pinned).toContain(`formaction="${back}/unpin"`);
    await send(who, "POST", `${back}/unpin`, { back });
    expect((await thread(site.id, page)).comments[0]?.id).toBe(first.comment.id);

    // Purge is behind a disclosure on the page, and erases the words and the author.
    expect(pinned).toMatch(/<details class="purge"><summary>/);
    expect((await send(who, "POST", `${back}/purge`, { back })).status).toBe(303);
    const [row] = await rows(
      "SELECT status, author_name, body_source FROM comments WHERE id = ?",
      second.comment.id,
    );
    expect(row).toEqual({ status: "deleted", author_name: "", body_source: "" });
  });

  it("is another site's key's 404, as is an unknown comment, and nothing changes", async () => {
    const site = await newSite();
    const other = await newSite();
    const page = pageUrl("console");
    const mine = await post(site.id, page, { body: "Mine" });
    const stranger = await signedInModerator(other);
    const view = await send(stranger, "GET", address(site, mine.comment.id));
    expect(view.status).toBe(404);
    expect(await view.text()).not.toContain("Mine");
    const back = address(site, mine.comment.id);
    for (const action of ["pin", "purge", "reply"]) {
      const res = await send(stranger, "POST", `${back}/${action}`, { back, body: "Hijack" });
      expect(res.status).toBe(404);
    }
    // Its own site's address with another site's comment id is a 404 too.
    const crossed = await send(stranger, "GET", address(other, mine.comment.id));
    expect(crossed.status).toBe(404);
    const [row] = await rows(
      "SELECT status, body_source, (SELECT count(*) FROM comments WHERE site_id = ?) AS n FROM comments WHERE id = ?",
      site.id,
      mine.comment.id,
    );
    expect(row).toEqual({ status: "published", body_source: "Mine", n: 1 });
  });
});
