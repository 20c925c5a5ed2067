import type { Db } from "../../db/client";
import { commentsPage, subscriptionsPage, threadsPage } from "../../db/export";
import type { SiteRow } from "../../db/sites";
import { toPublicSite } from "../sites/sites";

/** Rows per query: big enough to be few round trips, small enough to hold one page at a time. */
const PAGE = 500;

export const EXPORT_FORMAT = { format: "parley", version: 1 } as const;

/** Every page of a keyset-paged query, one page at a time. */
async function* paged<T extends { id: string }>(
  next: (afterId: string) => Promise<T[]>,
): AsyncGenerator<T> {
  let after = "";
  for (;;) {
    const rows = await next(after);
    yield* rows;
    const last = rows.at(-1);
    if (!last || rows.length < PAGE) return;
    after = last.id;
  }
}

/**
 * The site as Parley JSON, written as it is read: threads, then comments in creation order
 * (each after its parent), with authors, bodies as written, statuses and dates, then readers'
 * mail subscriptions with their consent. What stays behind: ip hashes, user agents, edit tokens,
 * keys and every other secret.
 */
export async function* exportSite(db: Db, site: SiteRow, now: Date): AsyncGenerator<string> {
  const { id, name, moderation, maxDepth, editWindowSeconds, locale } = toPublicSite(site);
  const head = { ...EXPORT_FORMAT, exportedAt: now.toISOString() };
  yield `${JSON.stringify(head).slice(0, -1)},"site":${JSON.stringify({ id, name, origins: site.origins, moderation, maxDepth, editWindowSeconds, locale })},"threads":[`;
  let first = true;
  for await (const { id: _, ...thread } of paged((after) =>
    threadsPage(db, site.id, after, PAGE),
  )) {
    yield `${first ? "" : ","}${JSON.stringify(thread)}`;
    first = false;
  }
  yield '],"comments":[';
  first = true;
  for await (const c of paged((after) => commentsPage(db, site.id, after, PAGE))) {
    const comment = {
      id: c.id,
      page: c.page,
      parentId: c.parentId,
      author: { name: c.authorName, email: c.authorEmail, website: c.authorWebsite },
      body: c.bodySource,
      status: c.status,
      createdAt: c.createdAt,
      editedAt: c.editedAt,
      // Like the public shape: present only on a staff reply, whose badge travels with it.
      ...(c.staffBy !== null && { staff: true }),
    };
    yield `${first ? "" : ","}${JSON.stringify(comment)}`;
    first = false;
  }
  // Consent travels with the data it covers: who asked for mail, about what, with which words.
  yield '],"subscriptions":[';
  first = true;
  for await (const { id: _, ...subscription } of paged((after) =>
    subscriptionsPage(db, site.id, after, PAGE),
  )) {
    const given = { ...subscription, consentVia: "comment form" };
    yield `${first ? "" : ","}${JSON.stringify(given)}`;
    first = false;
  }
  yield "]}";
}
