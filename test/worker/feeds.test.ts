import { env } from "cloudflare:workers";
import { XMLParser, XMLValidator } from "fast-xml-parser";
import { describe, expect, it } from "vitest";
import { RECENT_MS } from "../../src/services/recent-reads";
import type { PublicComment } from "../../src/shared/vocabulary";
import { moveClock } from "./clock";
import {
  ADMIN,
  call,
  createSite,
  expectError,
  json,
  type Posted,
  pageUrl,
  post,
  type SiteFixture,
  thread,
} from "./helpers";
import { act, asModerator, flag, remove, tick } from "./moderation-fixtures";

/*
 * Following comments without email (issue 14): the Atom feeds of a page and of a site, and the
 * site's recent comments as JSON. Published comments only, newest first, exact after any write
 * although cached at the edge, each document read by a real XML parser and checked against
 * what Atom 1.0 (RFC 4287) requires.
 */

const API = "http://parley.test/api/v1/sites";
const feedPath = (site: string, page?: string) =>
  `/api/v1/sites/${site}/feed.atom${page === undefined ? "" : `?page=${encodeURIComponent(page)}`}`;

interface AtomLink {
  "@_rel": string;
  "@_type"?: string;
  "@_href": string;
}
interface AtomEntry {
  id: string;
  title: string;
  author: { name: string }[];
  published: string;
  updated: string;
  link?: AtomLink[];
  content: { "#text"?: string; "@_type": string };
}
interface AtomFeed {
  "@_xmlns": string;
  id: string;
  title: string;
  updated: string;
  author?: { name: string }[];
  link: AtomLink[];
  entry?: AtomEntry[];
}

const parser = new XMLParser({
  ignoreAttributes: false,
  // Text stays text: an author named "007" is not the number 7.
  parseTagValue: false,
  trimValues: false,
  isArray: (name) => ["entry", "link", "author"].includes(name),
});

const RFC3339 = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/;
const isIri = (value: string) => URL.canParse(value);

/** What RFC 4287 requires of a feed and of each entry (section 4.1), checked on the parsed document. */
function expectAtom(feed: AtomFeed) {
  expect(feed["@_xmlns"]).toBe("http://www.w3.org/2005/Atom");
  expect(isIri(feed.id), feed.id).toBe(true);
  expect(typeof feed.title).toBe("string");
  expect(feed.updated).toMatch(RFC3339);
  const entries = feed.entry ?? [];
  // A feed names an author unless every entry does.
  expect((feed.author?.length ?? 0) > 0 || entries.every((e) => (e.author?.length ?? 0) > 0)).toBe(
    true,
  );
  expect(feed.link.filter((l) => l["@_rel"] === "self")).toHaveLength(1);
  for (const e of entries) {
    expect(isIri(e.id), e.id).toBe(true);
    expect(typeof e.title).toBe("string");
    expect(e.updated).toMatch(RFC3339);
    expect(e.published).toMatch(RFC3339);
    for (const a of e.author) expect(typeof a.name).toBe("string");
    // Content, or an alternate link, is required; these entries always have content.
    expect(e.content["@_type"]).toBe("html");
    for (const l of e.link ?? []) expect(isIri(l["@_href"])).toBe(true);
  }
  // Entry ids are unique in the feed (and permanent: they name the comment).
  expect(new Set(entries.map((e) => e.id)).size).toBe(entries.length);
}

interface Timing {
  rows: number;
  cache?: string;
}

function timing(res: Response): Timing {
  const header = res.headers.get("server-timing") ?? "";
  const metric = (name: string) => new RegExp(`\\b${name};desc="([^"]*)"`).exec(header)?.[1];
  return { rows: Number(metric("rows")), cache: metric("cache") };
}

/** A feed, which must be a valid Atom 1.0 document. */
async function feed(site: string, page?: string) {
  const res = await call("GET", feedPath(site, page));
  expect(res.status).toBe(200);
  expect(res.headers.get("content-type")).toBe("application/atom+xml; charset=utf-8");
  const xml = await res.text();
  expect(XMLValidator.validate(xml)).toBe(true);
  const doc = parser.parse(xml) as { feed: AtomFeed };
  expectAtom(doc.feed);
  return { xml, feed: doc.feed, entries: doc.feed.entry ?? [], ...timing(res), res };
}

const idsOf = (entries: AtomEntry[]) => entries.map((e) => e.id.split("/").at(-1));
const linkOf = (e: AtomEntry | AtomFeed, rel = "alternate") =>
  e.link?.find((l) => l["@_rel"] === rel)?.["@_href"];

type RecentComment = PublicComment & { page: string; title: string; url: string | null };

async function recent(site: string, query = "") {
  const res = await call("GET", `/api/v1/sites/${site}/recent${query}`);
  expect(res.status).toBe(200);
  return { ...(await json<{ comments: RecentComment[] }>(res)), ...timing(res), res };
}

/** Posts `bodies` on `page` one after the other, a moment apart, so their order is certain. */
async function postInTurn(site: string, page: string, ...fields: Record<string, unknown>[]) {
  const posted: Posted[] = [];
  for (const f of fields) {
    posted.push(await post(site, page, f));
    await tick();
  }
  return posted;
}

const edit = (posted: Posted, site: string, body: string) =>
  call(
    "PATCH",
    `/api/v1/sites/${site}/comments/${posted.comment.id}`,
    { body },
    { authorization: `Bearer ${posted.editToken}` },
  );

/** A site with a comment of every kind readers may not see, beside one they may. */
async function everyStatus(site: SiteFixture) {
  const page = pageUrl();
  const [shown, removedParent, ownDeleted, held, spam, erased] = await postInTurn(
    site.id,
    page,
    { author: { name: "Shown" }, body: "Shown words" },
    { author: { name: "Placeholder" }, body: "Removed parent words" },
    { author: { name: "Selfdeleter" }, body: "Own deleted words" },
    { author: { name: "Heldwriter" }, body: "Held words" },
    { author: { name: "Spammer" }, body: "Spam words" },
    { author: { name: "Erased", email: "erase@example.com" }, body: "Erased words" },
  );
  if (!shown || !removedParent || !ownDeleted || !held || !spam || !erased) throw new Error();
  const reply = await post(site.id, page, {
    parentId: removedParent.comment.id,
    author: { name: "Replier" },
    body: "Reply words",
  });
  expect((await remove(site, removedParent.comment.id)).status).toBe(204);
  const own = await call(
    "DELETE",
    `/api/v1/sites/${site.id}/comments/${ownDeleted.comment.id}`,
    undefined,
    { authorization: `Bearer ${ownDeleted.editToken}` },
  );
  expect(own.status).toBe(204);
  expect((await flag(site, held.comment.id, "198.51.100.9")).status).toBe(202);
  expect((await act(site, spam.comment.id, "spam")).status).toBe(200);
  const erase = await asModerator(site, "DELETE", "/authors?email=erase%40example.com");
  expect(erase.status).toBe(200);
  return { page, visible: [reply.comment.id, shown.comment.id] };
}

const HIDDEN_WORDS = [
  "Removed parent words",
  "Placeholder",
  "Own deleted words",
  "Held words",
  "Heldwriter",
  "Spam words",
  "Spammer",
  "Erased words",
];

/** 52 comments on the page, one after the other: two more than any list holds. */
const moreThanFifty = (site: string, page: string) =>
  postInTurn(site, page, ...Array.from({ length: 52 }, (_, i) => ({ body: `Comment ${i}` })));

describe("GET feed.atom?page=", () => {
  it("serves a page's published comments as Atom 1.0, newest first, each linking to its comment", async () => {
    const site = await createSite();
    const page = pageUrl();
    const [first] = await postInTurn(site.id, page, {
      title: "Article title",
      author: { name: "Ana" },
      body: "First *words* & more",
    });
    if (!first) throw new Error();
    const [reply, last] = await postInTurn(
      site.id,
      page,
      { parentId: first.comment.id, author: { name: "Ben" }, body: "A reply" },
      { author: { name: "Cy" }, body: "The newest" },
    );
    const { feed: f, entries } = await feed(site.id, page);

    expect(idsOf(entries)).toEqual([last?.comment.id, reply?.comment.id, first.comment.id]);
    expect(f.title).toBe("Comments on “Article title”");
    expect(f.id).toBe(`${API}/${site.id}/feed.atom?page=${encodeURIComponent(page)}`);
    expect(linkOf(f, "self")).toBe(f.id);
    expect(linkOf(f)).toBe(page);
    expect(f.updated).toBe(last?.comment.createdAt);
    expect(entries[2]).toEqual({
      id: `${API}/${site.id}/comments/${first.comment.id}`,
      title: "Ana: First words & more",
      author: [{ name: "Ana" }],
      published: first.comment.createdAt,
      updated: first.comment.createdAt,
      link: [
        {
          "@_rel": "alternate",
          "@_type": "text/html",
          "@_href": `${page}#comment-${first.comment.id}`,
        },
      ],
      // The body tree as HTML, escaped once for the XML (the parser has undone that).
      content: { "#text": "<p>First <em>words</em> &amp; more</p>", "@_type": "html" },
    });
  });

  it("answers as Atom with Server-Timing, and lets feed readers keep it a few minutes", async () => {
    const site = await createSite();
    const page = pageUrl();
    await post(site.id, page);
    const { res } = await feed(site.id, page);
    expect(res.headers.get("server-timing")).toMatch(/db;dur=[\d.]+, rows;desc="\d+"/);
    expect(timing(res).cache).toMatch(/^(hit|miss)$/);
    expect(res.headers.get("cache-control")).toBe("public, max-age=300");
  });

  it("leaves out held, spam, removed and erased comments, and placeholders", async () => {
    const site = await createSite({ flagThreshold: 1 });
    const { page, visible } = await everyStatus(site);
    const { xml, entries } = await feed(site.id, page);
    expect(idsOf(entries)).toEqual(visible);
    for (const words of HIDDEN_WORDS) expect(xml).not.toContain(words);
  });

  it("gives a page whose comments are all held the very feed of a page nobody commented on", async () => {
    const site = await createSite({ moderation: "all" });
    const [held, unknown] = [pageUrl(), pageUrl()];
    await post(site.id, held, { title: "Secret title", body: "Held words" });
    const heldFeed = await feed(site.id, held);
    const unknownFeed = await feed(site.id, unknown);
    expect(heldFeed.entries).toEqual([]);
    const anonymous = (xml: string, page: string) =>
      xml.replaceAll(encodeURIComponent(page), "PAGE").replaceAll(page, "PAGE");
    expect(anonymous(heldFeed.xml, held)).toBe(anonymous(unknownFeed.xml, unknown));
    expect(heldFeed.xml).not.toContain("Secret title");
  });

  it("names a page by any spelling, and refuses an unknown site or an empty page", async () => {
    const site = await createSite();
    const page = pageUrl();
    const posted = await post(site.id, page);
    const { entries, feed: f } = await feed(site.id, `${page}/?utm_source=x#comments`);
    expect(idsOf(entries)).toEqual([posted.comment.id]);
    expect(linkOf(f, "self")).toBe(`${API}/${site.id}/feed.atom?page=${encodeURIComponent(page)}`);
    await expectError(
      await call("GET", feedPath("no-such-site-here", page)),
      404,
      "site_not_found",
    );
    await expectError(await call("GET", feedPath(site.id, "")), 422, "validation_failed");
  });

  it("holds the newest 50 comments of a busy page", async () => {
    const site = await createSite();
    const page = pageUrl();
    const posted = await moreThanFifty(site.id, page);
    const { entries } = await feed(site.id, page);
    expect(idsOf(entries)).toEqual(
      posted
        .slice(2)
        .map((p) => p.comment.id)
        .reverse(),
    );
  });
});

describe("GET feed.atom (the site's)", () => {
  it("serves the site's newest published comments across its pages, each linking its own page", async () => {
    const site = await createSite();
    const [a, b] = [pageUrl(), pageUrl()];
    const [onA] = await postInTurn(site.id, a, { title: "Page A", body: "On A" });
    const [onB] = await postInTurn(site.id, b, { title: "Page B", body: "On B" });
    const [againA] = await postInTurn(site.id, a, { body: "On A again" });
    const { feed: f, entries } = await feed(site.id);
    expect(idsOf(entries)).toEqual([againA?.comment.id, onB?.comment.id, onA?.comment.id]);
    expect(entries.map((e) => linkOf(e))).toEqual([
      `${a}#comment-${againA?.comment.id}`,
      `${b}#comment-${onB?.comment.id}`,
      `${a}#comment-${onA?.comment.id}`,
    ]);
    expect(f.title).toBe(`Comments on Site ${site.id}`);
    expect(f.id).toBe(`${API}/${site.id}/feed.atom`);
    // The site's first origin (test sites allow https://news.example first).
    expect(linkOf(f)).toBe("https://news.example");
  });

  it("leaves out held, spam, removed and erased comments, and placeholders", async () => {
    const site = await createSite({ flagThreshold: 1 });
    const { visible } = await everyStatus(site);
    const { xml, entries } = await feed(site.id);
    expect(idsOf(entries)).toEqual(visible);
    for (const words of HIDDEN_WORDS) expect(xml).not.toContain(words);
  });

  it("is an empty valid feed for a site without comments, and 404 for an unknown site", async () => {
    const site = await createSite();
    const { entries, feed: f } = await feed(site.id);
    expect(entries).toEqual([]);
    expect(f.author).toEqual([{ name: `Site ${site.id}` }]);
    await expectError(await call("GET", feedPath("no-such-site-here")), 404, "site_not_found");
  });
});

describe("links in feeds and recent comments", () => {
  it("links only pages that are web addresses on one of the site's origins", async () => {
    const site = await createSite();
    const pages = ["https://elsewhere.example/post", "article-42", "javascript:alert(1)//"];
    for (const page of pages) await postInTurn(site.id, page, { body: `On ${page}` });
    for (const page of pages) {
      const { feed: f, entries } = await feed(site.id, page);
      expect(linkOf(f)).toBeUndefined();
      expect(entries[0]?.link).toBeUndefined();
    }
    expect((await feed(site.id)).entries.map((e) => e.link)).toEqual([
      undefined,
      undefined,
      undefined,
    ]);
    const { comments } = await recent(site.id);
    expect(comments.map((c) => [c.page, c.url])).toEqual(
      [...pages].reverse().map((page) => [page, null]),
    );
  });
});

describe("hostile text in feeds", () => {
  it("keeps names, titles and bodies as text in a well-formed document", async () => {
    const site = await createSite();
    const page = pageUrl();
    const name = `<script>alert("x")</script> & ]]> 'quoted'`;
    const title = "</title><entry><id>x</id></entry> &amp;";
    const body = "</content><script>alert(1)</script> & <![CDATA[ x ]]>";
    const posted = await post(site.id, page, { author: { name }, title, body });
    const { feed: f, entries } = await feed(site.id, page);
    expect(f.title).toBe(`Comments on “${title}”`);
    expect(entries).toHaveLength(1);
    expect(entries[0]?.author).toEqual([{ name }]);
    expect(entries[0]?.content["#text"]).toBe(
      "<p>&lt;/content&gt;&lt;script&gt;alert(1)&lt;/script&gt; &amp; &lt;![CDATA[ x ]]&gt;</p>",
    );
    expect(idsOf(entries)).toEqual([posted.comment.id]);
  });

  it("stays well formed when a stored name holds characters XML does not allow", async () => {
    const site = await createSite();
    const page = pageUrl();
    const posted = await post(site.id, page, { author: { name: "Bell" } });
    // As an old import might have stored it: validation keeps these out of what readers post.
    await env.DB.prepare("UPDATE comments SET author_name = ? WHERE id = ?")
      .bind("Be\u0007ll\u0001\uFFFF", posted.comment.id)
      .run();
    const { entries } = await feed(site.id, page);
    expect(entries[0]?.author).toEqual([{ name: "Be\uFFFDll\uFFFD\uFFFD" }]);
  });
});

describe("GET recent", () => {
  it("lists the site's newest published comments in the public shape, with page, title and url", async () => {
    const site = await createSite();
    const [a, b] = [pageUrl(), pageUrl()];
    const [onA] = await postInTurn(site.id, a, { title: "Page A", body: "On *A*" });
    const [onB] = await postInTurn(site.id, b, { title: "Page B", body: "On B" });
    const { comments, res } = await recent(site.id);
    const shown = async (page: string, id?: string) =>
      (await thread(site.id, page)).comments.find((c) => c.id === id);
    expect(comments).toEqual([
      {
        ...(await shown(b, onB?.comment.id)),
        page: b,
        title: "Page B",
        url: `${b}#comment-${onB?.comment.id}`,
      },
      {
        ...(await shown(a, onA?.comment.id)),
        page: a,
        title: "Page A",
        url: `${a}#comment-${onA?.comment.id}`,
      },
    ]);
    expect(res.headers.get("cache-control")).toBe("public, max-age=30, stale-while-revalidate=300");
  });

  it("leaves out held, spam, removed and erased comments, and placeholders", async () => {
    const site = await createSite({ flagThreshold: 1 });
    const { visible } = await everyStatus(site);
    const { comments, res } = await recent(site.id);
    expect(comments.map((c) => c.id)).toEqual(visible);
    expect(comments.every((c) => c.status === "published" && c.author && c.body)).toBe(true);
    const text = JSON.stringify(comments);
    for (const words of HIDDEN_WORDS) expect(text).not.toContain(words);
    expect(res.status).toBe(200);
  });

  it("returns 10 unless asked for 1 to 50", async () => {
    const site = await createSite();
    const page = pageUrl();
    const posted = await moreThanFifty(site.id, page);
    const newest = posted.map((p) => p.comment.id).reverse();
    expect((await recent(site.id)).comments.map((c) => c.id)).toEqual(newest.slice(0, 10));
    expect((await recent(site.id, "?limit=1")).comments.map((c) => c.id)).toEqual(
      newest.slice(0, 1),
    );
    expect((await recent(site.id, "?limit=50")).comments.map((c) => c.id)).toEqual(
      newest.slice(0, 50),
    );
    for (const limit of ["0", "51", "abc", "1.5", "-1"]) {
      await expectError(
        await call("GET", `/api/v1/sites/${site.id}/recent?limit=${limit}`),
        422,
        "validation_failed",
      );
    }
    await expectError(
      await call("GET", "/api/v1/sites/no-such-site-here/recent"),
      404,
      "site_not_found",
    );
  });

  it("answers CORS for the site's origins only, feeds too", async () => {
    const site = await createSite();
    for (const path of [`/api/v1/sites/${site.id}/recent`, feedPath(site.id)]) {
      const allowed = await call("GET", path, undefined, { origin: "https://news.example" });
      expect(allowed.headers.get("access-control-allow-origin")).toBe("https://news.example");
      const other = await call("GET", path, undefined, { origin: "https://evil.example" });
      expect(other.headers.get("access-control-allow-origin")).toBeNull();
    }
  });
});

describe("feeds and recent comments at the edge", () => {
  it("serve a repeat from the edge cache at one row at most, and show a new comment, an edit and a removal at once", async () => {
    const site = await createSite();
    const [page, other] = [pageUrl(), pageUrl()];
    const [first] = await postInTurn(site.id, page, { body: "Original words" });
    if (!first) throw new Error();
    const reads = {
      page: async () => {
        const f = await feed(site.id, page);
        return { ...f, text: f.xml, ids: idsOf(f.entries) };
      },
      site: async () => {
        const f = await feed(site.id);
        return { ...f, text: f.xml, ids: idsOf(f.entries) };
      },
      recent: async () => {
        const r = await recent(site.id);
        return { ...r, text: JSON.stringify(r.comments), ids: r.comments.map((c) => c.id) };
      },
    };
    const warmed = async () => {
      for (const read of Object.values(reads)) {
        await read();
        // The version row as the isolate read it a moment ago (services/recent-reads.ts), then
        // read again once that moment is over.
        expect(await read()).toMatchObject({ cache: "hit", rows: 0 });
        moveClock(RECENT_MS);
        expect(await read()).toMatchObject({ cache: "hit", rows: 1 });
      }
    };

    await warmed();
    const [second] = await postInTurn(site.id, page, { body: "A second comment" });
    for (const read of Object.values(reads)) {
      const after = await read();
      expect(after.cache).toBe("miss");
      expect(after.ids[0]).toBe(second?.comment.id);
    }

    // An edit changes no count: the site's lists must follow it all the same.
    await warmed();
    expect((await edit(first, site.id, "Edited words")).status).toBe(200);
    for (const read of Object.values(reads)) expect((await read()).text).toContain("Edited words");

    // A comment on another page moves the site's lists, not this page's feed.
    await warmed();
    const [elsewhere] = await postInTurn(site.id, other, { body: "Elsewhere" });
    expect((await reads.page()).cache).toBe("hit");
    expect((await reads.site()).ids[0]).toBe(elsewhere?.comment.id);
    expect((await reads.recent()).ids[0]).toBe(elsewhere?.comment.id);

    await warmed();
    expect((await remove(site, second?.comment.id ?? "")).status).toBe(204);
    for (const read of Object.values(reads))
      expect((await read()).ids).not.toContain(second?.comment.id);

    // A vote changes what recent comments show (their score).
    await warmed();
    await call("POST", `/api/v1/sites/${site.id}/comments/${first.comment.id}/vote`, { value: 1 });
    const voted = (await reads.recent()).comments.find((c) => c.id === first.comment.id);
    expect(voted?.score).toBe(1);

    // The site's name is in its feed.
    await warmed();
    await call("PATCH", `/api/v1/sites/${site.id}`, { name: "Renamed" }, ADMIN);
    expect((await reads.site()).feed.title).toBe("Comments on Renamed");
  });

  it("read only the rows they return: never hidden comments, never other pages'", async () => {
    const site = await createSite();
    const [page, busy] = [pageUrl(), pageUrl()];
    await postInTurn(site.id, page, { body: "One" }, { body: "Two" }, { body: "Three" });
    // Comments the reads must step over without reading: spam on the page (the honeypot keeps
    // them as spam), and another page's.
    await postInTurn(
      site.id,
      page,
      ...Array.from({ length: 10 }, (_, i) => ({ body: `Caught ${i}`, hp: "filled" })),
    );
    await postInTurn(
      site.id,
      busy,
      ...Array.from({ length: 20 }, (_, i) => ({ body: `Busy ${i}` })),
    );

    const pageFeed = await feed(site.id, page);
    expect(pageFeed).toMatchObject({ cache: "miss" });
    expect(pageFeed.entries).toHaveLength(3);
    // The thread row, then the comments returned.
    expect(pageFeed.rows).toBeLessThanOrEqual(1 + 3);

    const few = await recent(site.id, "?limit=5");
    expect(few).toMatchObject({ cache: "miss" });
    // The version row, then each comment and its page's thread row.
    expect(few.rows).toBeLessThanOrEqual(1 + 2 * 5);

    const siteFeed = await feed(site.id);
    expect(siteFeed.entries).toHaveLength(23);
    // The version row, each comment and its thread row, and at most one index entry past the
    // site's published comments: a site with fewer than 50 has no count to stop the scan at.
    expect(siteFeed.rows).toBeLessThanOrEqual(2 + 2 * 23);
    expect(await feed(site.id)).toMatchObject({ cache: "hit", rows: 0 });
  });
});
