/*
 * The floor under a cold thread view (issue 17): a Worker that makes exactly the D1 reads the
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
 * With `&floorcache=1` it also does what a cold view does with the Cache API: a lookup that
 * misses, and a write of its answer after the response. Locally that is workerd's cache
 * simulation, CPU the runtime's process spends that the D1-only floor does not.
 */
import { fillPlaceholders, sql } from "drizzle-orm";
import { createDb } from "../../src/db/client";
import { rootsQuery, subtreeEnd, subtreeQuery } from "../../src/db/comments";
import { threadQuery } from "../../src/db/threads";
import { D1Meter } from "../../src/platform/d1";
import { REPLIES_PER_ROOT } from "../../src/services/comments/reading";
import { SORTS, type Sort } from "../../src/shared/vocabulary";

interface Env {
  DB: D1Database;
}

const THREAD_PATH = /^\/api\/v1\/sites\/([a-z0-9-]+)\/thread$/;

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
    if (!new URL(request.url).searchParams.has("floorcache")) return rows(request, env);
    const key = new Request(request.url);
    if (await caches.default.match(key))
      return new Response("a floor request was repeated", { status: 500 });
    const answer = await rows(request, env);
    ctx.waitUntil(caches.default.put(key, answer.clone()));
    return answer;
  },
};

/** The cold view's reads, answered as D1 returned them. */
async function rows(request: Request, env: Env): Promise<Response> {
  const url = new URL(request.url);
  if (url.pathname === "/api/v1/health") return new Response("ok");
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
