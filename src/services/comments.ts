import type { Db } from "../db/client";
import {
  addFlag,
  type CommentRow,
  getComment,
  getPublicComments,
  insertComment,
  type PublicCommentRow,
  setVote,
  updateComment,
} from "../db/comments";
import { type PostingFacts, readPostingFacts } from "../db/posting";
import type { FLAG_REASONS } from "../db/schema";
import type { SiteRow } from "../db/sites";
import { getThreadById } from "../db/threads";
import { ApiError, notFound } from "../errors";
import { countLinks } from "../shared/body";
import { findBlockedPhrase, fold } from "./blocklist";
import { type PublicComment, toPublicComment } from "./comment-view";
import { hmacHex, matchesHash, randomToken, sha256Hex } from "./crypto";
import { checkFormToken } from "./form-token";
import { newId } from "./ids";
import { parseBody } from "./markdown";
import { akismetComment, akismetSaysSpam, verifyTurnstile } from "./outside";
import { pageKey } from "./page-key";
import { DAY_MS, enforceRateLimits, MINUTE_MS } from "./rate-limit";
import { judge, nameHasLink, type SpamSignals } from "./spam";
import { threadInfo } from "./thread";
import { newCommentEvent, sendWebhook } from "./webhooks";

export interface NewComment {
  page: string;
  title?: string;
  parentId?: string;
  author: { name: string; email?: string; website?: string };
  body: string;
  hp?: string;
  issuedAt?: string;
  turnstileToken?: string;
}

/** Who is asking, as far as the server may know it. */
export interface Requester {
  ipHash: string;
  userAgent: string | null;
  now: Date;
}

/** What posting may consult beyond the database; each part is optional. */
export interface PostingServices {
  /** The reader's IP, passed on to Turnstile and Akismet only; never stored. */
  ip: string;
  limiter?: RateLimit;
  akismetKey?: string;
  /** Runs work after the response is sent (webhooks). */
  waitUntil: (work: Promise<unknown>) => void;
}

const isVisible = (c: Pick<CommentRow, "status" | "replyCount">) =>
  c.status === "published" || (c.status === "deleted" && c.replyCount > 0);

/** The stable, keyed avatar seed: same author, same picture; unguessable from an email. */
export function authorHash(site: SiteRow, author: NewComment["author"]): Promise<string> {
  const identity = author.email ? `e:${author.email}` : `n:${author.name}`;
  return hmacHex(site.authorSalt, identity).then((h) => h.slice(0, 16));
}

/** The same words, however they are capitalised, accented or spaced, hash alike. */
export const bodyHash = (body: string) => sha256Hex(fold(body).replace(/\s+/g, " ").trim());

/**
 * Where a reply goes: under its parent, or, when that would nest deeper than the site allows,
 * under the parent's ancestor at the deepest allowed level.
 */
export function placement(
  site: Pick<SiteRow, "maxDepth">,
  parent: Pick<CommentRow, "id" | "path" | "depth" | "rootId"> | undefined,
  id: string,
) {
  if (!parent) return { parentId: null, rootId: id, depth: 0, path: id };
  const ancestors = parent.path.split("/");
  const depth = Math.min(parent.depth + 1, site.maxDepth);
  const attachTo = ancestors.slice(0, depth);
  return {
    parentId: attachTo.at(-1) ?? parent.id,
    rootId: parent.rootId,
    depth,
    path: [...attachTo, id].join("/"),
  };
}

/** Which block entry, if any, the comment matches: its email, its ip hash, or a phrase. */
function blockMatch(facts: PostingFacts, input: NewComment): SpamSignals["blocked"] {
  const phrases = facts.blocks.filter((b) => b.kind === "phrase").map((b) => b.value);
  const words = [input.author.name, input.author.website ?? "", input.body].join("\n");
  if (facts.blocks.some((b) => b.kind === "email")) return "email";
  if (facts.blocks.some((b) => b.kind === "ip")) return "ip";
  return findBlockedPhrase(words, phrases) ? "phrase" : undefined;
}

/** The outside opinions (Turnstile, Akismet), asked in parallel; each is off unless configured. */
async function outsideSignals(
  site: SiteRow,
  input: NewComment,
  services: PostingServices,
  who: Requester,
) {
  const [turnstileFailed, akismetSpam] = await Promise.all([
    site.turnstileSiteKey && site.turnstileSecretKey
      ? verifyTurnstile(site.turnstileSecretKey, input.turnstileToken ?? "", services.ip).then(
          (ok) => !ok,
        )
      : false,
    services.akismetKey && !input.hp
      ? akismetSaysSpam(
          services.akismetKey,
          akismetComment(
            site,
            { ...input.author, page: input.page, body: input.body },
            who.userAgent,
            services.ip,
          ),
        )
      : false,
  ]);
  return { turnstileFailed, akismetSpam };
}

/** The site fields the facts batch is built from: when they changed, its answers are off. */
const askedWith = (s: SiteRow) => [s.createdAt, s.authorSalt, s.postsPerMinute, s.postsPerDay];

/**
 * Posts a comment: one read of everything the rules need, the site's rules included, then the
 * spam defences and the moderation mode decide its status, then one write. Nothing accepted is
 * discarded: what the defences catch is stored as spam or held as pending, with its reasons,
 * for moderators.
 *
 * `known` is the isolate's copy of the site (up to about 30 s old, services/site-memo.ts): it
 * keys the author hash and caps the rate counts of the read, which also brings the site as it
 * is now. Only when those fields changed in between is the read made again.
 */
export async function postComment(
  db: Db,
  known: SiteRow,
  input: NewComment,
  who: Requester,
  services: PostingServices,
) {
  const key = pageKey(input.page);
  const email = input.author.email?.toLowerCase();
  const author = { ...input.author, email };
  const now = who.now.getTime();
  const sameBody = await bodyHash(input.body);
  const ask = async (s: SiteRow) => {
    const hash = await authorHash(s, author);
    const facts = await readPostingFacts(db, {
      siteId: s.id,
      pageKey: key,
      parentId: input.parentId,
      authorHash: hash,
      email,
      ipHash: who.ipHash,
      bodyHash: sameBody,
      minuteAgo: new Date(now - MINUTE_MS).toISOString(),
      minuteCap: s.postsPerMinute,
      dayAgo: new Date(now - DAY_MS).toISOString(),
      dayCap: s.postsPerDay,
    });
    return { hash, facts };
  };
  let { hash, facts } = await ask(known);
  if (facts.site && `${askedWith(facts.site)}` !== `${askedWith(known)}`)
    ({ hash, facts } = await ask(facts.site));
  const { site, thread, parent } = facts;
  if (!site) throw notFound("site");
  if (thread?.locked) throw new ApiError(423, "thread_locked", "This discussion is closed.");
  // A parent on another page is as unknown here as one that does not exist.
  if (input.parentId && (!parent || parent.threadId !== thread?.id || !isVisible(parent))) {
    throw notFound("parent");
  }
  await enforceRateLimits(site, who.ipHash, facts, services.limiter);

  const body = parseBody(input.body);
  const verdict = judge(
    {
      honeypot: Boolean(input.hp),
      blocked: blockMatch(facts, { ...input, author }),
      ...(await outsideSignals(site, { ...input, author }, services, who)),
      formToken: input.issuedAt ? await checkFormToken(site, input.issuedAt, who.now) : undefined,
      links: countLinks(body),
      linkInName: nameHasLink(input.author.name),
      duplicate: facts.duplicate,
    },
    {
      mode: site.moderation,
      maxLinks: site.maxLinks,
      knownAuthor: Boolean(email) && facts.knownAuthor,
    },
  );

  const id = newId("c", now);
  const editToken = randomToken();
  const createdAt = who.now.toISOString();
  const editableUntil = new Date(now + site.editWindowSeconds * 1000).toISOString();
  const row = {
    id,
    siteId: site.id,
    ...placement(site, parent, id),
    authorName: input.author.name,
    authorEmail: email ?? null,
    authorWebsite: input.author.website ?? null,
    authorHash: hash,
    ipHash: who.ipHash,
    userAgent: who.userAgent,
    bodySource: input.body,
    bodyJson: JSON.stringify(body),
    bodyHash: sameBody,
    status: verdict.status,
    spamReasons: verdict.reasons.length > 0 ? verdict.reasons : null,
    replyCount: 0,
    score: 0,
    editTokenHash: await sha256Hex(editToken),
    editableUntil,
    createdAt,
    editedAt: null,
  };
  await insertComment(
    db,
    { id: newId("t", now), siteId: site.id, pageKey: key, title: input.title ?? key, createdAt },
    row,
  );
  sendWebhook(site, newCommentEvent(site, row, key), services.waitUntil);
  // A honeypot catch is answered like a success, so its bot learns nothing; anything else the
  // defences stopped is, to its author, held for moderation.
  const shown = verdict.status === "spam" && !input.hp ? "pending" : verdict.status;
  return {
    comment: { ...toPublicComment(row), status: shown === "pending" ? "pending" : "published" },
    editToken,
    editableUntil,
    status: shown,
  } as const;
}

/**
 * The comment an edit token opens: 401 without a token, 404 for an unknown or removed comment,
 * 403 for a wrong token or a closed edit window.
 */
async function authorise(db: Db, site: SiteRow, id: string, token: string | undefined, now: Date) {
  if (!token) throw new ApiError(401, "unauthorized", "An edit token is required.");
  const comment = await getComment(db, site.id, id);
  if (!comment || (comment.status !== "published" && comment.status !== "pending")) {
    throw notFound("comment");
  }
  if (!comment.editTokenHash || !(await matchesHash(token, comment.editTokenHash))) {
    throw new ApiError(403, "forbidden", "This edit token does not open this comment.");
  }
  if (!comment.editableUntil || Date.parse(comment.editableUntil) <= now.getTime()) {
    throw new ApiError(403, "edit_window_closed", "The time to edit this comment has passed.");
  }
  return comment;
}

export async function editComment(
  db: Db,
  site: SiteRow,
  id: string,
  token: string | undefined,
  body: string,
  now: Date,
): Promise<PublicComment> {
  await authorise(db, site, id, token, now);
  const updated = await updateComment(db, id, {
    bodySource: body,
    bodyJson: JSON.stringify(parseBody(body)),
    editedAt: now.toISOString(),
  });
  if (!updated) throw notFound("comment");
  return toPublicComment(updated);
}

/**
 * The author withdraws their comment: its words and personal data go; if replies remain below
 * it, it stays as a placeholder so the conversation still reads.
 */
export async function deleteOwnComment(
  db: Db,
  site: SiteRow,
  id: string,
  token: string | undefined,
  now: Date,
): Promise<void> {
  await authorise(db, site, id, token, now);
  await updateComment(db, id, {
    status: "deleted",
    bodySource: "",
    bodyJson: "[]",
    authorName: "",
    authorEmail: null,
    authorWebsite: null,
    ipHash: null,
    userAgent: null,
    editTokenHash: null,
    editableUntil: null,
  });
}

async function publishedComment(db: Db, site: SiteRow, id: string): Promise<CommentRow> {
  const comment = await getComment(db, site.id, id);
  if (comment?.status !== "published") throw notFound("comment");
  return comment;
}

export async function vote(db: Db, site: SiteRow, id: string, value: number, who: Requester) {
  await publishedComment(db, site, id);
  const score = await setVote(db, id, who.ipHash, value, who.now.toISOString());
  return { score, value };
}

/** A reader reports a comment; enough distinct reports hold it for a moderator. */
export async function flagComment(
  db: Db,
  site: SiteRow,
  id: string,
  report: { reason: (typeof FLAG_REASONS)[number]; note?: string },
  who: Requester,
): Promise<void> {
  await publishedComment(db, site, id);
  await addFlag(
    db,
    {
      commentId: id,
      reporterHash: who.ipHash,
      reason: report.reason,
      note: report.note ?? null,
      createdAt: who.now.toISOString(),
    },
    site.flagThreshold,
  );
}

/** A published comment with its ancestors, for a permalink the first page does not show. */
export async function permalink(db: Db, site: SiteRow, id: string) {
  const comment = await publishedComment(db, site, id);
  const [thread, chain] = await Promise.all([
    getThreadById(db, comment.threadId),
    getPublicComments(db, comment.path.split("/")),
  ]);
  if (!thread) throw notFound("comment");
  return {
    thread: threadInfo(thread, thread.pageKey),
    comments: chain.map((c: PublicCommentRow) => toPublicComment(c)),
  };
}

/** A published comment or placeholder whose replies can be listed. */
export async function visibleComment(db: Db, site: SiteRow, id: string): Promise<CommentRow> {
  const comment = await getComment(db, site.id, id);
  if (!comment || !isVisible(comment)) throw notFound("comment");
  return comment;
}
