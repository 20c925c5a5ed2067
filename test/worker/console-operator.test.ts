import { describe, expect, it } from "vitest";
import { operatorData } from "../../src/routes/console/operator-data";
import { operatorKeys } from "../../src/routes/console/operator-keys";
import { operatorSites } from "../../src/routes/console/operator-sites";
import { UpdateSiteSchema } from "../../src/routes/schemas/operator";
import disqus from "../fixtures/import/disqus.xml?raw";
import {
  BASE,
  type Browser,
  browser,
  type Form,
  SAME_ORIGIN,
  send,
  signedInModerator,
  signIn,
} from "./console-browser";
import {
  ADMIN,
  ADMIN_TOKEN,
  call,
  createSite,
  fetchWorker,
  json,
  rows,
  type SiteFixture,
  sha256Hex,
  uniqueId,
} from "./helpers";

/*
 * The operator's screens of the console (issue 15): sites, settings, keys, import and export,
 * on the same services and schemas as the operator API. How they could be abused, and the answer
 * each test checks:
 * - a moderator's session reaching an operator screen or action → the 404 page an unknown site
 *   gets, and nothing changes;
 * - another site's page posting to them (CSRF) → refused, nothing changes;
 * - a key's secret shown again, or stored → shown once, when made; only its hash is kept;
 * - a revoked key's session → over at once;
 * - a huge upload → the API's import limit (10 MB) on the import, 16 KB on every other form;
 * - an import of a file other than the one the operator saw the dry run of → refused;
 * - markup in a site's name or a key's label → only ever text.
 */

const CROSS_SITE = { origin: "https://evil.example", "sec-fetch-site": "cross-site" };
const VECTOR = '<script>alert("x")</script><img src=x onerror=alert(1)>';
const SECRET = /pk_k_[0-9a-z]{26}_[A-Za-z0-9_-]{43}/;

async function signedInOperator(): Promise<Browser> {
  const who = browser();
  expect((await signIn(who, ADMIN_TOKEN)).status).toBe(303);
  return who;
}

const screen = (site: SiteFixture | string, path: string) =>
  `/admin/sites/${typeof site === "string" ? site : site.id}/${path}`;

async function siteView(site: SiteFixture) {
  const res = await call("GET", `/api/v1/sites/${site.id}`, undefined, ADMIN);
  return (await json<{ site: Record<string, unknown> }>(res)).site;
}

const keysOf = (site: SiteFixture) =>
  rows(
    "SELECT id, label, secret_hash, revoked_at FROM moderator_keys WHERE site_id = ? ORDER BY created_at",
    site.id,
  );

/** The ids of the fields the page marks invalid. */
const invalidFields = (html: string) =>
  [...html.matchAll(/<(?:input|select|textarea) [^>]*?id="([^"]+)"[^>]*aria-invalid="true"/g)].map(
    (m) => m[1],
  );

/** An export file as a form uploads it, with the format; `reviewed` for the real run. */
function upload(text: string, format: string, reviewed?: string): FormData {
  const form = new FormData();
  form.append("format", format);
  form.append("file", new File([text], "export.xml", { type: "application/xml" }));
  if (reviewed) form.append("reviewed", reviewed);
  return form;
}

/** The Disqus fixture, padded past the console's 16 KB form limit with an XML comment. */
const BIG_DISQUS = `${disqus}\n<!-- ${"padding ".repeat(3000)} -->\n`;

const commentsOn = async (site: SiteFixture) =>
  (await rows("SELECT COUNT(*) AS n FROM comments WHERE site_id = ?", site.id))[0]?.n;

describe("sites", () => {
  it("creates a site from the form and shows its first key once, keeping only its hash", async () => {
    const who = await signedInOperator();
    const id = uniqueId("made");
    const res = await send(who, "POST", "/admin/sites", {
      id,
      name: `News ${VECTOR}`,
      origins: "https://News.example\nhttp://localhost:*",
    });
    expect(res.status).toBe(201);
    const html = await res.text();
    const secret = html.match(SECRET)?.[0] ?? "";
    expect(html).toContain(`<input id="new-secret" value="${secret}" readonly`);
    expect(html).toMatch(/<button type="button" data-copy="new-secret" hidden="">Copy<\/button>/);
    // The site's name is text; its screens are linked.
    expect(html).not.toContain("<script>alert");
    expect(html).not.toContain("<img src=x");
    expect(html).toContain("News &lt;script&gt;");
    for (const path of ["settings", "keys", "import", "queue?tab=pending"]) {
      expect(html).toContain(`href="${screen(id, path)}"`);
    }

    const site = { id, secret };
    expect(await siteView(site)).toMatchObject({
      name: `News ${VECTOR}`,
      origins: ["https://news.example", "http://localhost:*"],
    });
    const [key] = await keysOf(site);
    expect(key?.secret_hash).toBe(await sha256Hex(secret));
    // Shown once: nowhere on the keys page or the site list afterwards.
    const keysPage = await (await send(who, "GET", screen(site, "keys"))).text();
    expect(keysPage).not.toContain(secret);
    expect(keysPage).toContain("default");
    const list = await (await send(who, "GET", "/admin/sites")).text();
    expect(list).not.toContain(secret);
    expect(list).toContain(`(${id})`);
    // And it is a working key.
    expect((await signIn(browser(), secret)).status).toBe(303);
  });

  it("refuses a bad new site with sentences beside the form, and creates nothing", async () => {
    const who = await signedInOperator();
    const res = await send(who, "POST", "/admin/sites", {
      id: "Not An Id",
      name: "  ",
      origins: "ftp://files.example",
    });
    expect(res.status).toBe(422);
    const html = await res.text();
    expect(invalidFields(html).sort()).toEqual(["id", "name", "origins"]);
    expect(html).toContain('role="alert"');
    expect(html).toContain("“ftp://files.example”: ");
    // What was typed stays in the form.
    expect(html).toContain('value="Not An Id"');
    expect(await rows("SELECT id FROM sites WHERE id = ?", "Not An Id")).toEqual([]);

    const taken = await createSite();
    const again = await send(who, "POST", "/admin/sites", {
      id: taken.id,
      name: "Another",
      origins: "https://another.example",
    });
    expect(again.status).toBe(409);
    expect(invalidFields(await again.text())).toEqual(["id"]);
    expect((await siteView(taken)).name).toBe(`Site ${taken.id}`);
  });
});

describe("settings", () => {
  it("has a field for every setting the API's PATCH takes", async () => {
    const site = await createSite();
    const who = await signedInOperator();
    const res = await send(who, "GET", screen(site, "settings"));
    expect(res.status).toBe(200);
    const html = await res.text();
    for (const name of Object.keys(UpdateSiteSchema.shape)) {
      expect(html, name).toMatch(new RegExp(`<(input|select|textarea) [^>]*name="${name}[".]`));
    }
    // Every field has its label.
    for (const [, id] of html.matchAll(/<(?:input|select|textarea) [^>]*id="([^"]+)"/g)) {
      expect(html, String(id)).toContain(`for="${id}"`);
    }
  });

  it("saves the settings through the API's rules, and says so; the audit names what changed", async () => {
    const site = await createSite();
    const who = await signedInOperator();
    const before = await siteView(site);
    const form = {
      name: "Renamed",
      origins: "https://a.example\n\nhttps://B.example",
      moderation: "all",
      maxDepth: "3",
      editWindowSeconds: String(before.editWindowSeconds),
      "limits.postsPerMinute": "7",
      "limits.postsPerDay": "0",
      moderatorEmails: "Desk@News.example",
      webhookUrl: "https://hooks.example/parley",
      turnstileSiteKey: "",
    };
    const res = await send(who, "POST", screen(site, "settings"), form);
    expect(res.status).toBe(303);
    expect(res.headers.get("location")).toBe(`${screen(site, "settings")}?saved=1`);
    const after = await siteView(site);
    expect(after).toMatchObject({
      name: "Renamed",
      origins: ["https://a.example", "https://b.example"],
      moderation: "all",
      maxDepth: 3,
      limits: { postsPerMinute: 7, postsPerDay: 0 },
      moderatorEmails: ["desk@news.example"],
      webhookUrl: "https://hooks.example/parley",
      turnstileSiteKey: null,
    });
    expect(after.webhookSecret).toEqual(expect.any(String));
    const [audit] = await rows(
      "SELECT actor, detail FROM audit_log WHERE site_id = ? AND action = 'update-site'",
      site.id,
    );
    expect(audit?.actor).toBe("operator");
    expect(JSON.parse(String(audit?.detail)).fields.sort()).toEqual(
      [
        "limits",
        "maxDepth",
        "moderation",
        "moderatorEmails",
        "name",
        "origins",
        "webhookUrl",
      ].sort(),
    );

    const shown = await (await send(who, "GET", `${screen(site, "settings")}?saved=1`)).text();
    expect(shown).toContain('role="status"');
    expect(shown).toContain('value="Renamed"');
    expect(shown).toContain("https://a.example\nhttps://b.example</textarea>");
    expect(shown).toContain(`value="${after.webhookSecret}" readonly`);

    // The same form again changes nothing, and adds nothing to the audit log.
    const again = await send(who, "POST", screen(site, "settings"), form);
    expect(again.headers.get("location")).toBe(`${screen(site, "settings")}?saved=0`);
    expect(
      await rows("SELECT 1 FROM audit_log WHERE site_id = ? AND action = 'update-site'", site.id),
    ).toHaveLength(1);
    expect((await siteView(site)).webhookSecret).toBe(after.webhookSecret);
  });

  it("refuses invalid settings with a sentence per field and 422, and changes nothing", async () => {
    const site = await createSite();
    const who = await signedInOperator();
    const before = await siteView(site);
    const res = await send(who, "POST", screen(site, "settings"), {
      name: "Fine",
      origins: "https://ok.example\nftp://bad.example",
      maxDepth: "11",
      editWindowSeconds: "an hour",
      "limits.maxLinks": "1.5",
      locale: "English",
      webhookUrl: "http://localhost/hook",
      moderation: "sometimes",
      moderatorEmails: "not-an-address",
    });
    expect(res.status).toBe(422);
    const html = await res.text();
    expect(invalidFields(html).sort()).toEqual(
      [
        "editWindowSeconds",
        "limits.maxLinks",
        "locale",
        "maxDepth",
        "moderation",
        "moderatorEmails",
        "origins",
        "webhookUrl",
      ].sort(),
    );
    // Sentences, not zod's wording; what was typed stays in the form.
    expect(html).not.toMatch(/expected (number|int)|Too big|Invalid option/);
    expect(html).toContain('value="an hour"');
    expect(html).toContain("“ftp://bad.example”: ");
    expect(await siteView(site)).toEqual(before);
  });

  it("keeps the Turnstile secret write-only: blank keeps it, the box removes it", async () => {
    const site = await createSite();
    const who = await signedInOperator();
    const settings = screen(site, "settings");
    await send(who, "POST", settings, { turnstileSiteKey: "0x4AAA", turnstileSecretKey: "s3cr3t" });
    const stored = async () =>
      (await rows("SELECT turnstile_secret_key AS k FROM sites WHERE id = ?", site.id))[0]?.k;
    expect(await stored()).toBe("s3cr3t");
    const page = await (await send(who, "GET", settings)).text();
    expect(page).not.toContain("s3cr3t");
    expect(page).toContain('type="password"');

    await send(who, "POST", settings, { turnstileSecretKey: "" });
    expect(await stored()).toBe("s3cr3t");
    await send(who, "POST", settings, { turnstileSecretKey: "", "turnstileSecretKey.remove": "1" });
    expect(await stored()).toBeNull();
  });
});

describe("keys", () => {
  it("issues a key shown once that signs in, and revoking it ends that session", async () => {
    const site = await createSite();
    const operator = await signedInOperator();
    const issued = await send(operator, "POST", screen(site, "keys"), { label: `Desk ${VECTOR}` });
    expect(issued.status).toBe(201);
    const html = await issued.text();
    const secret = html.match(SECRET)?.[0] ?? "";
    expect(secret).not.toBe("");
    expect(html).not.toContain("<script>alert");
    expect(html).toContain("Desk &lt;script&gt;");
    const key = (await keysOf(site)).find((k) => String(k.label).startsWith("Desk "));
    expect(key?.secret_hash).toBe(await sha256Hex(secret));

    const listed = await (await send(operator, "GET", screen(site, "keys"))).text();
    expect(listed).not.toContain(secret);
    expect(listed).not.toContain("<script>alert");
    expect(listed).toContain(`action="${screen(site, `keys/${key?.id}/revoke`)}"`);

    const desk = browser();
    expect((await signIn(desk, secret)).status).toBe(303);
    expect((await send(desk, "GET", screen(site, "queue?tab=pending"))).status).toBe(200);

    const revoked = await send(operator, "POST", screen(site, `keys/${key?.id}/revoke`), {});
    expect(revoked.status).toBe(303);
    expect(revoked.headers.get("location")).toBe(`${screen(site, "keys")}?revoked=1`);
    const after = await send(desk, "GET", screen(site, "queue?tab=pending"));
    expect(after.status).toBe(303);
    expect(after.headers.get("location")).toBe("/admin/sign-in");
    expect((await keysOf(site)).find((k) => k.id === key?.id)?.revoked_at).toEqual(
      expect.any(String),
    );
    const page = await (await send(operator, "GET", `${screen(site, "keys")}?revoked=1`)).text();
    expect(page).toContain('role="status"');
    // The first key is still in use: the revoked one has no button left.
    expect(page.match(/\/revoke"/g)).toHaveLength(1);
  });

  it("refuses a blank label with a sentence, and issues nothing", async () => {
    const site = await createSite();
    const who = await signedInOperator();
    const res = await send(who, "POST", screen(site, "keys"), { label: " \u200b " });
    expect(res.status).toBe(422);
    expect(invalidFields(await res.text())).toEqual(["label"]);
    expect(await keysOf(site)).toHaveLength(1);
  });

  it("shows the API's refusal as a sentence: revoking a key the site does not have", async () => {
    const site = await createSite();
    const who = await signedInOperator();
    const res = await send(who, "POST", screen(site, `keys/k_${"0".repeat(26)}/revoke`), {});
    expect(res.status).toBe(404);
    expect(await res.text()).toContain('role="alert"');
  });
});

describe("import and export", () => {
  it("checks a file first and writes nothing, then imports that same file", async () => {
    const site = await createSite();
    const who = await signedInOperator();
    const address = screen(site, "import");
    expect((await send(who, "GET", address)).status).toBe(200);

    // Above 16 KB, as an export usually is: the import has the API's limit, not the form's.
    expect(BIG_DISQUS.length).toBeGreaterThan(20_000);
    const checked = await send(who, "POST", address, upload(BIG_DISQUS, "disqus"));
    expect(checked.status).toBe(200);
    const report = await checked.text();
    expect(report).toMatch(/<dt>Threads<\/dt><dd>2<\/dd>/);
    expect(report).toMatch(/<dt>Comments<\/dt><dd>10<\/dd>/);
    expect(report).toMatch(/Skipped: [1-9]/);
    expect(report).toContain('enctype="multipart/form-data"');
    const digest = await sha256Hex(BIG_DISQUS);
    expect(report).toContain(`name="reviewed" value="${digest}"`);
    expect(await commentsOn(site)).toBe(0);

    // Another file under the checked file's digest is refused, and writes nothing.
    const other = await send(who, "POST", address, upload(disqus, "disqus", digest));
    expect(other.status).toBe(422);
    expect(invalidFields(await other.text())).toEqual(["file"]);
    expect(await commentsOn(site)).toBe(0);

    const imported = await send(who, "POST", address, upload(BIG_DISQUS, "disqus", digest));
    expect(imported.status).toBe(200);
    const done = await imported.text();
    expect(done).toMatch(/<dt>Comments<\/dt><dd>10<\/dd>/);
    expect(done).not.toContain('name="reviewed"');
    expect(await commentsOn(site)).toBe(10);
    const [audit] = await rows(
      "SELECT actor FROM audit_log WHERE site_id = ? AND action = 'import'",
      site.id,
    );
    expect(audit?.actor).toBe("operator");
  });

  it("shows a file that is not an export of its format as a sentence, and writes nothing", async () => {
    const site = await createSite();
    const who = await signedInOperator();
    const res = await send(who, "POST", screen(site, "import"), upload("not xml at all", "wxr"));
    expect(res.status).toBe(400);
    const html = await res.text();
    expect(html).toContain('role="alert"');
    expect(invalidFields(html)).toEqual(["file"]);
    const noFile = new FormData();
    noFile.append("format", "disqus");
    expect((await send(who, "POST", screen(site, "import"), noFile)).status).toBe(422);
    expect(await commentsOn(site)).toBe(0);
  });

  it("answers an upload above the API's 10 MB import limit with the 413 page", async () => {
    const site = await createSite();
    const who = await signedInOperator();
    const huge = upload("x".repeat(10 * 1024 * 1024 + 1), "disqus");
    const res = await send(who, "POST", screen(site, "import"), huge);
    expect(res.status).toBe(413);
    expect(res.headers.get("content-type")).toMatch(/^text\/html/);
    expect(await res.text()).toContain('role="alert"');
    // The request is bounded whole, before it is parsed, not only the file in it.
    const padded = upload(disqus, "disqus");
    padded.append("padding", "x".repeat(10 * 1024 * 1024));
    expect((await send(who, "POST", screen(site, "import"), padded)).status).toBe(413);
    expect(await commentsOn(site)).toBe(0);
  });

  it("keeps the 16 KB limit on every other form, a multipart one too", async () => {
    const site = await createSite();
    const who = await signedInOperator();
    const big = "x".repeat(17 * 1024);
    const settings = await send(who, "POST", screen(site, "settings"), { name: big });
    expect(settings.status).toBe(413);
    const multipart = new FormData();
    multipart.append("label", big);
    expect((await send(who, "POST", screen(site, "keys"), multipart)).status).toBe(413);
    expect((await siteView(site)).name).toBe(`Site ${site.id}`);
    expect(await keysOf(site)).toHaveLength(1);
  });

  it("downloads the export the API gives, as an attachment", async () => {
    const site = await createSite();
    const who = await signedInOperator();
    const res = await send(who, "GET", screen(site, "export"));
    expect(res.status).toBe(200);
    expect(res.headers.get("content-disposition")).toBe(
      `attachment; filename="parley-${site.id}.json"`,
    );
    expect(res.headers.get("content-type")).toMatch(/^application\/json/);
    expect(res.headers.get("cache-control")).toBe("no-store");
    const { exportedAt: _, ...exported } = await json<Record<string, unknown>>(res);
    const api = await call("GET", `/api/v1/sites/${site.id}/export`, undefined, ADMIN);
    const { exportedAt: __, ...fromApi } = await json<Record<string, unknown>>(api);
    expect(exported).toEqual(fromApi);
    expect(exported).toMatchObject({ format: "parley", site: { id: site.id } });
  });
});

/** Each operator route, with a form that would do its work if it were let through. */
function operatorActions(site: SiteFixture, keyId: string): Array<[string, string, Form?]> {
  const forms: Record<string, () => Form | undefined> = {
    "POST /sites": () => ({ id: uniqueId("nope"), name: "Nope", origins: "https://nope.example" }),
    "POST /sites/:site/settings": () => ({ name: "Taken over", moderation: "none" }),
    "POST /sites/:site/keys": () => ({ label: "intruder" }),
    "POST /sites/:site/keys/:keyId/revoke": () => ({}),
    "POST /sites/:site/import": () => upload(disqus, "disqus"),
  };
  const routes = [operatorSites, operatorKeys, operatorData].flatMap((app) =>
    app.routes.map((route) => `${route.method} ${route.path}`),
  );
  return [...new Set(routes)].map((route) => {
    const [method = "", path = ""] = route.split(" ");
    const form = forms[route];
    if (method === "POST") expect(form, `a form for ${route}`).toBeDefined();
    const address = `/admin${path.replace(":site", site.id).replace(":keyId", keyId)}`;
    return [method, address, form?.()];
  });
}

describe("only the operator", () => {
  it("gives a moderator's session the 404 page on every operator screen and action, even of its own site", async () => {
    const site = await createSite();
    const who = await signedInModerator(site);
    const before = { site: await siteView(site), keys: await keysOf(site) };
    const [key] = before.keys;
    const sites = await rows("SELECT COUNT(*) AS n FROM sites");
    const actions = operatorActions(site, String(key?.id));
    expect(actions.length).toBeGreaterThanOrEqual(8);
    for (const [method, address, form] of actions) {
      const res = await send(who, method, address, form);
      expect([method, address, res.status]).toEqual([method, address, 404]);
      expect(await res.text()).toContain("There is no such page here");
    }
    expect(await siteView(site)).toEqual(before.site);
    expect(await keysOf(site)).toEqual(before.keys);
    expect(await rows("SELECT COUNT(*) AS n FROM sites")).toEqual(sites);
    expect(await commentsOn(site)).toBe(0);
    // Its session still works: the key was not revoked.
    expect((await send(who, "GET", screen(site, "queue?tab=pending"))).status).toBe(200);
  });

  it("gives the operator the same 404 page for a site that does not exist", async () => {
    const who = await signedInOperator();
    const ghost = { id: uniqueId("ghost"), secret: "" };
    for (const [method, address, form] of operatorActions(ghost, `k_${"0".repeat(26)}`)) {
      if (address === "/admin/sites") continue;
      const res = await send(who, method, address, form);
      expect([method, address, res.status]).toEqual([method, address, 404]);
    }
  });

  it("shows the operator's links in a site's navigation, and not a moderator's", async () => {
    const site = await createSite();
    const links = ["settings", "keys", "import", "export"].map(
      (path) => `href="${screen(site, path)}"`,
    );
    const asOperator = await (
      await send(await signedInOperator(), "GET", screen(site, "overview"))
    ).text();
    for (const link of links) expect(asOperator).toContain(link);
    const asModerator = await (
      await send(await signedInModerator(site), "GET", screen(site, "overview"))
    ).text();
    for (const link of links) expect(asModerator).not.toContain(link);
  });

  it("refuses every operator action posted from another site, and changes nothing", async () => {
    const site = await createSite();
    const who = await signedInOperator();
    const before = { site: await siteView(site), keys: await keysOf(site) };
    const sites = await rows("SELECT COUNT(*) AS n FROM sites");
    const posts = operatorActions(site, String(before.keys[0]?.id)).filter(
      ([method]) => method === "POST",
    );
    for (const [method, address, form] of posts) {
      const res = await send(who, method, address, form, CROSS_SITE);
      expect([address, res.status]).toEqual([address, 403]);
    }
    expect(await siteView(site)).toEqual(before.site);
    expect(await keysOf(site)).toEqual(before.keys);
    expect(await rows("SELECT COUNT(*) AS n FROM sites")).toEqual(sites);
    expect(await commentsOn(site)).toBe(0);
  });

  it("takes only forms: a JSON body to an operator action is 415", async () => {
    const site = await createSite();
    const who = await signedInOperator();
    for (const path of ["/admin/sites", screen(site, "settings"), screen(site, "import")]) {
      const res = await fetchWorker(
        new Request(`${BASE}${path}`, {
          method: "POST",
          headers: { cookie: who.cookie ?? "", "content-type": "application/json", ...SAME_ORIGIN },
          body: JSON.stringify({ name: "Renamed", format: "disqus" }),
        }),
      );
      expect([path, res.status]).toEqual([path, 415]);
    }
    expect((await siteView(site)).name).toBe(`Site ${site.id}`);
  });
});

describe("long lists", () => {
  it("lists a site's keys 50 at a time, oldest first, reading only the rows it shows", async () => {
    const site = await createSite();
    const who = await signedInOperator();
    // 60 keys more than the site's first, straight into D1 (issuing them one by one is slow).
    const made = Array.from({ length: 60 }, (_, i) => `k_${String(i).padStart(26, "0")}`);
    for (const id of made) {
      await rows(
        "INSERT INTO moderator_keys (id, site_id, label, secret_hash, created_at) VALUES (?, ?, ?, 'x', '2026-01-01T00:00:00.000Z')",
        id,
        site.id,
        `key ${id}`,
      );
    }
    const labels = (html: string) =>
      [...html.matchAll(/<td class="value">key (k_\d+)<\/td>/g)].map((m) => m[1]);
    const first = await send(who, "GET", screen(site, "keys"));
    const html = await first.text();
    expect(labels(html)).toEqual(made.slice(0, 50));
    const rowsRead = Number(first.headers.get("server-timing")?.match(/rows;desc="(\d+)"/)?.[1]);
    expect(rowsRead).toBeLessThan(70);
    const next = html
      .match(/href="([^"]+\?cursor=[^"]+)">More keys</)?.[1]
      ?.replaceAll("&amp;", "&");
    expect(next).toBe(`${screen(site, "keys")}?cursor=${made[49]}`);
    const second = await (await send(who, "GET", next ?? "")).text();
    expect(labels(second)).toEqual(made.slice(50));
    expect(second).not.toContain("More keys");
  });

  it("lists the sites 50 at a time by id, with a link to the next ones", async () => {
    const who = await signedInOperator();
    for (let i = 0; i < 51; i++) await createSite();
    const ids = (html: string) => [...html.matchAll(/\(([a-z0-9-]+)\) ·/g)].map((m) => m[1] ?? "");
    const first = await (await send(who, "GET", "/admin/sites")).text();
    expect(ids(first)).toHaveLength(50);
    const cursor = first.match(/href="\/admin\/sites\?cursor=([^"]+)">More sites</)?.[1] ?? "";
    expect(cursor).toBe(ids(first).at(-1));
    const second = await (await send(who, "GET", `/admin/sites?cursor=${cursor}`)).text();
    expect(ids(second).length).toBeGreaterThan(0);
    expect(ids(second).every((id) => id > cursor)).toBe(true);
  });
});
