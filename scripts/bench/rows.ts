/*
 * The bench seed's comments, made and stored by the product's own code: the id, the place in
 * the thread, the author hash and avatar seed from the reader's author token, the ip hash, the
 * parsed body and its hash, the defences' verdict, the edit token's hash and window, then the
 * importer's write path, which stores whole rows as given. seed.mjs bundles this file with
 * esbuild on each run (scripts/bundle.mjs), so a seeded database holds what today's posting would
 * store. Every import from src/ is in this file.
 */
import { createDb, type Db } from "../../src/db/client";
import type { CommentRow } from "../../src/db/comments";
import { insertImported } from "../../src/db/import";
import { getSite, type SiteRow } from "../../src/db/sites";
import { getThread } from "../../src/db/threads";
import { randomToken, sha256Hex } from "../../src/platform/crypto";
import { D1Meter } from "../../src/platform/d1";
import { newId } from "../../src/platform/ids";
import { pageKey } from "../../src/services/comments/page-key";
import { bodyHash, placement } from "../../src/services/comments/posting";
import { judge, nameHasLink } from "../../src/services/comments/spam";
import { authorHash, avatarSeed, newAuthorToken } from "../../src/services/readers/authors";
import { hashIp } from "../../src/services/readers/ip-hash";
import { parseBody } from "../../src/services/text/markdown";
import { countLinks } from "../../src/shared/body";
import type { PlannedComment, SeedAuthor, SeedD1, SeedRows } from "./seed-plan";

/** Rows per write, as the importer writes them (services/portability/importer.ts). */
const CHUNK = 500;

/**
 * A comment row as posting stores it (services/comments/posting.ts, postComment), with its page for the
 * importer's write. Every column is required here, so a column added to the schema stops the
 * typecheck until the seed fills it.
 */
type SeededRow = Omit<CommentRow, "threadId"> & { pageKey: string };

/** Each reader's author token, kept across their posts as their browser keeps it. */
const tokens = new Map<SeedAuthor, string>();

function tokenOf(author: SeedAuthor): string {
  const token = tokens.get(author) ?? newAuthorToken();
  tokens.set(author, token);
  return token;
}

async function seededRow(
  db: Db,
  site: SiteRow,
  key: string,
  comment: PlannedComment,
  parent: SeededRow | undefined,
): Promise<SeededRow> {
  const { author, at } = comment;
  const email = author.email?.toLowerCase() ?? null;
  const token = tokenOf(author);
  const body = parseBody(comment.body);
  const verdict = judge(
    {
      honeypot: false,
      turnstileFailed: false,
      akismetSpam: comment.caught === "akismet",
      links: countLinks(body),
      linkInName: nameHasLink(author.name),
      duplicate: comment.caught === "duplicate",
    },
    { mode: site.moderation, maxLinks: site.maxLinks, knownAuthor: false },
  );
  const id = newId("c", at);
  return {
    id,
    siteId: site.id,
    pageKey: key,
    ...placement(site, parent, id),
    authorName: author.name,
    authorEmail: email,
    authorWebsite: author.website,
    authorHash: await authorHash(site, token, { name: author.name, email }),
    avatar: await avatarSeed(site, token),
    // Today's salt: a real database keeps no salt of the days these comments pretend to be from.
    ipHash: await hashIp(db, author.ip, site.id),
    userAgent: author.userAgent,
    bodySource: comment.body,
    bodyJson: JSON.stringify(body),
    bodyHash: await bodyHash(comment.body),
    status: verdict.status,
    spamReasons: verdict.reasons.length > 0 ? verdict.reasons : null,
    replyCount: 0,
    score: 0,
    editTokenHash: await sha256Hex(randomToken()),
    editableUntil: new Date(at + site.editWindowSeconds * 1000).toISOString(),
    createdAt: new Date(at).toISOString(),
    editedAt: null,
    approvedAt: null,
    staffBy: null,
  };
}

async function seedComments(d1: SeedD1, siteId: string, page: string, comments: PlannedComment[]) {
  const db = createDb(d1, new D1Meter());
  const key = pageKey(page);
  const [site, thread] = await Promise.all([getSite(db, siteId), getThread(db, siteId, key)]);
  if (!site || !thread) throw new Error(`seed: no thread yet for ${page} on site ${siteId}`);
  const rows: SeededRow[] = [];
  for (const comment of comments) {
    const parent = comment.parent === null ? undefined : rows[comment.parent];
    if (comment.parent !== null && !parent) {
      throw new Error(`seed: comment ${rows.length} answers ${comment.parent}, not before it`);
    }
    rows.push(await seededRow(db, site, key, comment, parent));
  }
  for (let i = 0; i < rows.length; i += CHUNK) {
    await insertImported(db, site.id, [], rows.slice(i, i + CHUNK));
  }
  return { threadId: thread.id };
}

export const rows: SeedRows = { seedComments };
