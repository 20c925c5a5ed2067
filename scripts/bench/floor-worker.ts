/*
 * The floors under a cold thread view and under a post (issue 17).
 *
 * A cold view: a Worker that makes exactly the D1 reads the
 * thread route makes for a view nobody has cached, and nothing else. It answers the same path
 * (`GET /api/v1/sites/{site}/thread?page=&sort=&limit=`) with the rows as D1 returned them: no
 * ORM mapping, no shaping, no cache, no token. `npm run bench` loads it with the cold requests the
 * product gets and reports the product's CPU per request against it.
 *
 * The SQL comes from the product's own query builders (src/db), built once per sort with
 * placeholders, so the floor reads the same rows through the same indexes. Like the product's
 * isolate, it holds the site in memory (the bench's pages are already normalised, so no page key
 * is worked out either).
 *
 * Counts (`GET /api/v1/sites/{site}/counts?page=…`): the product's batch of point lookups
 * (db/threads.ts countsForPages) for the pages as given, answered as found.
 *
 * With `&floorcache=1` either also does what a cold view does with the Cache API: a lookup that
 * misses, and a write of its answer after the response. Locally that is workerd's cache
 * simulation, CPU the runtime's process spends that the D1-only floor does not.
 *
 * A post (`POST /api/v1/sites/{site}/comments`, the bench's own bodies): the two batches a post
 * sends, the facts it reads (db/posting.ts), built once with stand-in values and bound per
 * request with the request's own, and the rows it writes (db/comments.ts, which builds them once
 * per isolate itself): no validation, no markdown, no hashing, no defences, no mail.
 */
import { fillPlaceholders, sql } from "drizzle-orm";
import { drizzle } from "drizzle-orm/d1";
import { createDb } from "../../src/db/client";
import {
  insertCommentStatements,
  rootsQuery,
  subtreeEnd,
  subtreeQuery,
} from "../../src/db/comments";
import { postingFactsQueries } from "../../src/db/posting";
import { countsForPages, threadQuery } from "../../src/db/threads";
import { D1Meter } from "../../src/platform/d1";
import { newId } from "../../src/platform/ids";
import { REPLIES_PER_ROOT } from "../../src/services/comments/reading";
import { SORTS, type Sort } from "../../src/shared/vocabulary";

interface Env {
  DB: D1Database;
}

const THREAD_PATH = /^\/api\/v1\/sites\/([a-z0-9-]+)\/thread$/;
const COUNTS_PATH = /^\/api\/v1\/sites\/([a-z0-9-]+)\/counts$/;

/** Each query's SQL and its parameters, placeholders named; made once per isolate. */
function queries(d1: D1Database) {
  const db = createDb(d1, new D1Meter());
  const p = sql.placeholder;
  const roots = (sort: Sort) => rootsQuery(db, p("thread"), sort, p("limit")).toSQL();
  return {
    thread: threadQuery(db, p("site"), p("page")).toSQL(),
    roots: Object.fromEntries(SORTS.map((s) => [s, roots(s)])) as Record<
      Sort,
      ReturnType<typeof roots>
    >,
    subtree: subtreeQuery(db, p("root"), p("after"), p("end"), p("limit")).toSQL(),
  };
}

let built: ReturnType<typeof queries> | undefined;

export default {
  async fetch(request: Request, env: Env, ctx: ExecutionContext): Promise<Response> {
    if (request.method === "POST") return post(request, env);
    if (!new URL(request.url).searchParams.has("floorcache")) return read(request, env);
    const key = new Request(request.url);
    if (await caches.default.match(key))
      return new Response("a floor request was repeated", { status: 500 });
    const answer = await read(request, env);
    ctx.waitUntil(caches.default.put(key, answer.clone()));
    return answer;
  },
};

/** A cold view's or a cold count's reads, answered as D1 returned them. */
function read(request: Request, env: Env): Promise<Response> | Response {
  const url = new URL(request.url);
  if (url.pathname === "/api/v1/health") return new Response("ok");
  const countsOf = COUNTS_PATH.exec(url.pathname)?.[1];
  return countsOf ? counts(url, countsOf, env) : rows(url, env);
}

/** The counts' one batch, for the pages as given (the bench's are already page keys). */
async function counts(url: URL, site: string, env: Env): Promise<Response> {
  const found = await countsForPages(drizzle(env.DB), site, url.searchParams.getAll("page"));
  return Response.json({ counts: Object.fromEntries(found) });
}

/** The cold view's reads. */
async function rows(url: URL, env: Env): Promise<Response> {
  const site = THREAD_PATH.exec(url.pathname)?.[1];
  const sort = (url.searchParams.get("sort") ?? "oldest") as Sort;
  if (!site || !SORTS.includes(sort)) return new Response("not found", { status: 404 });
  built ??= queries(env.DB);
  const q = built;
  const statement = (query: { sql: string; params: unknown[] }, values: Record<string, unknown>) =>
    env.DB.prepare(query.sql).bind(...fillPlaceholders(query.params, values));

  const page = url.searchParams.get("page") ?? "";
  const thread = await statement(q.thread, { site, page }).first<{ id: string; count: number }>();
  if (!thread) return Response.json({ thread: null });
  // The product's own bounds: no more roots than published comments, no more replies per root
  // than it holds (src/services/comments/reading.ts).
  const limit = Math.min(Number(url.searchParams.get("limit") ?? 50), Math.max(thread.count, 1));
  const { results: roots } = await statement(q.roots[sort], {
    thread: thread.id,
    limit,
  }).all<{ id: string; path: string; reply_count: number }>();
  // D1 names the columns as the table does.
  const withReplies = roots.filter((r) => r.reply_count > 0);
  const subtrees = withReplies.length
    ? await env.DB.batch(
        withReplies.map((r) =>
          statement(q.subtree, {
            root: r.id,
            after: r.path,
            end: subtreeEnd(r.path),
            limit: Math.min(REPLIES_PER_ROOT, r.reply_count),
          }),
        ),
      )
    : [];
  return Response.json({ thread, roots, replies: subtrees.map((s) => s.results) });
}

/** Stand-ins: unique values a request's own replace wherever the facts' parameters hold them. */
const IN = {
  site: "\u0000site",
  page: "\u0000page",
  parent: "\u0000parent",
  minuteAgo: "\u0000minute",
  dayAgo: "\u0000day",
} as const;

const HASH = "0123456789abcdef0123456789abcdef";

/** A post's facts batch, built once with the stand-ins. */
function factsStatements(d1: D1Database) {
  const db = createDb(d1, new D1Meter());
  return postingFactsQueries(db, {
    siteId: IN.site,
    pageKey: IN.page,
    parentId: IN.parent,
    authorHash: HASH,
    email: "poster@example.com",
    ipHash: HASH,
    bodyHash: HASH,
    minuteAgo: IN.minuteAgo,
    minuteCap: 0,
    dayAgo: IN.dayAgo,
    dayCap: 0,
  }).map((q) => q.toSQL());
}

let factsBuilt: ReturnType<typeof factsStatements> | undefined;

async function post(request: Request, env: Env): Promise<Response> {
  const site = /^\/api\/v1\/sites\/([a-z0-9-]+)\/comments$/.exec(
    new URL(request.url).pathname,
  )?.[1];
  if (!site) return new Response("not found", { status: 404 });
  const body = (await request.json()) as { page: string; parentId?: string };
  factsBuilt ??= factsStatements(env.DB);
  const now = Date.now();
  const values = new Map<unknown, unknown>([
    [IN.site, site],
    [IN.page, body.page],
    [IN.parent, body.parentId ?? ""],
    [IN.minuteAgo, new Date(now - 60_000).toISOString()],
    [IN.dayAgo, new Date(now - 86_400_000).toISOString()],
  ]);
  const facts = await env.DB.batch(
    factsBuilt.map((b) =>
      env.DB.prepare(b.sql).bind(...b.params.map((p) => (values.has(p) ? values.get(p) : p))),
    ),
  );
  // The parent as the facts found it, for where the reply goes (as the product's placement does,
  // but for the site's depth limit, which the bench's threads stay within).
  const parent = facts[2]?.results[0] as
    | { id: string; root_id: string; depth: number; path: string }
    | undefined;
  const id = newId("c", now);
  const at = new Date(now).toISOString();
  // The writes as the product binds them: its statements are built once per isolate too.
  const writes = insertCommentStatements(
    drizzle(env.DB),
    // The bench site sets no per-reader limits (seed.mjs), so the product writes 0s here too.
    {
      id: newId("r", now),
      siteId: site,
      reader: HASH,
      kind: "comment",
      perMinute: 0,
      perDay: 0,
      at,
    },
    { id: newId("t", now), siteId: site, pageKey: body.page, title: body.page, createdAt: at },
    {
      id,
      siteId: site,
      parentId: parent?.id ?? null,
      rootId: parent?.root_id ?? id,
      depth: parent ? parent.depth + 1 : 0,
      path: parent ? `${parent.path}/${id}` : id,
      authorName: "Poster",
      authorEmail: "poster@example.com",
      authorWebsite: null,
      authorHash: HASH,
      avatar: HASH.slice(0, 16),
      ipHash: HASH,
      userAgent: null,
      bodySource: "A benchmark comment",
      bodyJson: '[{"type":"paragraph","children":[{"type":"text","value":"A benchmark comment"}]}]',
      bodyHash: HASH,
      status: "published",
      spamReasons: null,
      replyCount: 0,
      score: 0,
      editTokenHash: HASH,
      editableUntil: new Date(now + 900_000).toISOString(),
      createdAt: at,
      editedAt: null,
      staffBy: null,
    },
  );
  await env.DB.batch(writes);
  return Response.json({ id }, { status: 201 });
}
