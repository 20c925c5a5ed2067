import type { Db } from "../../db/client";
import {
  addFlag,
  type CommentRow,
  editComment as editStoredComment,
  getComment,
  getPublicComments,
  insertComment,
  setVote,
  updateComment,
} from "../../db/comments";
import { ERASED_PERSONAL_DATA } from "../../db/moderation";
import { type PostingFacts, readPostingFacts } from "../../db/posting";
import type { SiteRow } from "../../db/sites";
import { getThreadById } from "../../db/threads";
import { ApiError, notFound } from "../../errors";
import { matchesHash, randomToken, sha256Hex } from "../../platform/crypto";
import { newId } from "../../platform/ids";
import { type Body, countLinks } from "../../shared/body";
import type { CommentStatus, FlagReason, PublicComment } from "../../shared/vocabulary";
import { akismetComment, akismetSaysSpam, verifyTurnstile } from "../outside/checks";
import { editedCommentEvent, newCommentEvent, sendWebhook } from "../outside/webhooks";
import { authorHash, avatarSeed, newAuthorToken } from "../readers/authors";
import {
  DAY_MS,
  enforceRateLimits,
  MINUTE_MS,
  readerAction,
  withinLimits,
} from "../readers/rate-limits";
import { findBlockedPhrase, fold } from "../text/blocklist";
import { parseBody } from "../text/markdown";
import { toOwnComment, toPublicComment } from "./comment-view";
import { checkFormToken } from "./form-token";
import { pageKey } from "./page-key";
import { threadInfo } from "./reading";
import { judge, nameHasLink, type SpamSignals } from "./spam";

export interface NewComment {
  page: string;
  title?: string;
  parentId?: string;
  author: { name: string; email?: string; website?: string };
  body: string;
  hp?: string;
  issuedAt?: string;
  turnstileToken?: string;
  /** The author's token (services/authors.ts); a post without one is given a new one. */
  authorToken?: string;
}

/** Who is asking, as far as the server may know it. */
export interface Requester {
  ipHash: string;
  userAgent: string | null;
  now: Date;
}

/** What posting and editing may consult beyond the database; each part is optional. */
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

/** What the rules judge, for a new comment and for an edit alike. */
interface Writing {
  page: string;
  author: { name: string; email?: string; website?: string };
  body: string;
}

/** What only a new comment brings: the form's traps and Turnstile's answer. */
interface FormEvidence {
  hp?: string;
  issuedAt?: string;
  turnstileToken?: string;
  pageKey: string;
}

/** Which block entry, if any, the writing matches: its email, its ip hash, or a phrase. */
function blockMatch(facts: PostingFacts, writing: Writing): SpamSignals["blocked"] {
  const phrases = facts.blocks.filter((b) => b.kind === "phrase").map((b) => b.value);
  const words = [writing.author.name, writing.author.website ?? "", writing.body].join("\n");
  if (facts.blocks.some((b) => b.kind === "email")) return "email";
  if (facts.blocks.some((b) => b.kind === "ip")) return "ip";
  return findBlockedPhrase(words, phrases) ? "phrase" : undefined;
}

/**
 * The outside opinions, asked in parallel; each is off unless configured. Turnstile only for a
 * new comment (an edit proves itself with its edit token); Akismet for every text a reader
 * writes, but not for a honeypot catch, which is spam already.
 */
async function outsideSignals(
  site: SiteRow,
  writing: Writing,
  form: FormEvidence | undefined,
  services: PostingServices,
  who: Requester,
) {
  const [turnstileFailed, akismetSpam] = await Promise.all([
    form && site.turnstileSiteKey && site.turnstileSecretKey
      ? verifyTurnstile(site.turnstileSecretKey, form.turnstileToken ?? "", services.ip).then(
          (ok) => !ok,
        )
      : false,
    services.akismetKey && !form?.hp
      ? akismetSaysSpam(
          services.akismetKey,
          akismetComment(
            site,
            { ...writing.author, page: writing.page, body: writing.body },
            who.userAgent,
            services.ip,
          ),
        )
      : false,
  ]);
  return { turnstileFailed, akismetSpam };
}

/**
 * The spam defences and the moderation mode on a text a reader wrote: one judgement for posts
 * and edits, so an edit cannot carry in what a post would not.
 */
async function judgeWriting(
  site: SiteRow,
  facts: PostingFacts,
  writing: Writing,
  body: Body,
  form: FormEvidence | undefined,
  services: PostingServices,
  who: Requester,
) {
  return judge(
    {
      honeypot: Boolean(form?.hp),
      blocked: blockMatch(facts, writing),
      ...(await outsideSignals(site, writing, form, services, who)),
      formToken: form?.issuedAt
        ? await checkFormToken(site, form.pageKey, form.issuedAt, who.now)
        : undefined,
      links: countLinks(body),
      linkInName: nameHasLink(writing.author.name),
      duplicate: facts.duplicate,
    },
    {
      mode: site.moderation,
      maxLinks: site.maxLinks,
      knownAuthor: Boolean(writing.author.email) && facts.knownAuthor,
    },
  );
}

/** The time windows of the rate limits, as the posting read counts them. */
function windows(site: SiteRow, now: Date) {
  return {
    minuteAgo: new Date(now.getTime() - MINUTE_MS).toISOString(),
    minuteCap: site.postsPerMinute,
    dayAgo: new Date(now.getTime() - DAY_MS).toISOString(),
    dayCap: site.postsPerDay,
  };
}

/** The site fields the facts batch is built from: when they changed, its answers are off. */
const askedWith = (s: SiteRow) => [s.createdAt, s.authorSalt, s.postsPerMinute, s.postsPerDay];

/**
 * Posts a comment: one read of everything the rules need, the site's rules included, then the
 * spam defences and the moderation mode decide its status, then one write, which the reader's
 * rate limits hold exactly. Nothing accepted is discarded: what the defences catch is stored as
 * spam or held as pending, with its reasons, for moderators.
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
  const token = input.authorToken ?? newAuthorToken();
  const now = who.now.getTime();
  const sameBody = await bodyHash(input.body);
  const ask = async (s: SiteRow) => {
    const hash = await authorHash(s, token, author);
    const facts = await readPostingFacts(db, {
      siteId: s.id,
      pageKey: key,
      parentId: input.parentId,
      authorHash: hash,
      email,
      ipHash: who.ipHash,
      bodyHash: sameBody,
      ...windows(s, who.now),
    });
    return { hash, facts };
  };
  let { hash, facts } = await ask(known);
  if (facts.site && `${askedWith(facts.site)}` !== `${askedWith(known)}`)
    ({ hash, facts } = await ask(facts.site));
  const { site, thread, parent } = facts;
  if (!site) throw notFound("site");
  if (thread?.locked) throw locked();
  // A parent on another page is as unknown here as one that does not exist.
  if (input.parentId && (!parent || parent.threadId !== thread?.id || !isVisible(parent))) {
    throw notFound("parent");
  }
  await enforceRateLimits(site, who.ipHash, facts, services.limiter);

  const body = parseBody(input.body);
  const writing = { page: input.page, author, body: input.body };
  const verdict = await judgeWriting(
    site,
    facts,
    writing,
    body,
    { ...input, pageKey: key },
    services,
    who,
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
    avatar: await avatarSeed(site, token),
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
  await withinLimits(
    "comment",
    insertComment(
      db,
      readerAction(site, "comment", who.ipHash, who.now),
      { id: newId("t", now), siteId: site.id, pageKey: key, title: input.title ?? key, createdAt },
      row,
    ),
  );
  sendWebhook(site, newCommentEvent(site, row, key), services.waitUntil);
  // A honeypot catch is answered like a success, so its bot learns nothing; anything else the
  // defences stopped is, to its author, held for moderation.
  const shown = verdict.status === "spam" && !input.hp ? "pending" : verdict.status;
  return {
    comment: toOwnComment(row, shown === "pending" ? "pending" : "published"),
    editToken,
    editableUntil,
    authorToken: token,
    status: shown,
  } as const;
}

const locked = () => new ApiError(423, "thread_locked", "This discussion is closed.");

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

/** How far each status keeps a comment from readers: an edit never moves a comment closer. */
const HIDDEN: Record<CommentStatus, number> = { published: 0, pending: 1, spam: 2, deleted: 3 };

/**
 * The author edits their comment: the new words are judged as a new comment's would be (blocks,
 * links, duplicates, Akismet, the moderation mode: in `all`, and in `first-time` unless another
 * of the author's comments was approved, the edit is held), count against the reader's posting
 * limits, and are refused on a locked page. An edit can hold or hide a published comment, never
 * publish a held one: that stays a moderator's decision.
 */
export async function editComment(
  db: Db,
  site: SiteRow,
  id: string,
  token: string | undefined,
  text: string,
  who: Requester,
  services: PostingServices,
): Promise<PublicComment> {
  const comment = await authorise(db, site, id, token, who.now);
  const sameBody = await bodyHash(text);
  const facts = await readPostingFacts(db, {
    siteId: site.id,
    threadId: comment.threadId,
    authorHash: comment.authorHash,
    email: comment.authorEmail ?? undefined,
    ipHash: who.ipHash,
    bodyHash: sameBody,
    editing: comment.id,
    ...windows(site, who.now),
  });
  const current = facts.site ?? site;
  if (!facts.site || !facts.thread) throw notFound("comment");
  if (facts.thread.locked) throw locked();
  await enforceRateLimits(current, who.ipHash, facts, services.limiter);

  const body = parseBody(text);
  const author = {
    name: comment.authorName,
    email: comment.authorEmail ?? undefined,
    website: comment.authorWebsite ?? undefined,
  };
  const writing = { page: facts.thread.pageKey, author, body: text };
  const verdict = await judgeWriting(current, facts, writing, body, undefined, services, who);
  // Held already: the reasons it was held for stay beside the new ones.
  const reasons = [
    ...new Set([
      ...(comment.status === "published" ? [] : (comment.spamReasons ?? [])),
      ...verdict.reasons,
    ]),
  ];
  const updated = await withinLimits(
    "comment",
    editStoredComment(db, readerAction(current, "comment", who.ipHash, who.now), id, {
      bodySource: text,
      bodyJson: JSON.stringify(body),
      bodyHash: sameBody,
      editedAt: who.now.toISOString(),
      ...(HIDDEN[verdict.status] >= HIDDEN[comment.status]
        ? { status: verdict.status, spamReasons: reasons.length > 0 ? reasons : null }
        : {}),
    }),
  );
  if (!updated) throw notFound("comment");
  sendWebhook(
    current,
    editedCommentEvent(current, updated, facts.thread.pageKey),
    services.waitUntil,
  );
  return toOwnComment(updated, updated.status === "published" ? "published" : "pending");
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
  await updateComment(db, id, { status: "deleted", ...ERASED_PERSONAL_DATA });
}

async function publishedComment(db: Db, site: SiteRow, id: string): Promise<CommentRow> {
  const comment = await getComment(db, site.id, id);
  if (comment?.status !== "published") throw notFound("comment");
  return comment;
}

/** One vote per reader (ip network) per comment, within the reader's vote limits. */
export async function vote(db: Db, site: SiteRow, id: string, value: number, who: Requester) {
  await publishedComment(db, site, id);
  const action = readerAction(site, "vote", who.ipHash, who.now);
  const score = await withinLimits("vote", setVote(db, action, id, value));
  return { score, value };
}

/** A reader reports a comment; enough distinct reports hold it for a moderator. */
export async function flagComment(
  db: Db,
  site: SiteRow,
  id: string,
  report: { reason: FlagReason; note?: string },
  who: Requester,
): Promise<void> {
  await publishedComment(db, site, id);
  const action = readerAction(site, "flag", who.ipHash, who.now);
  await withinLimits(
    "flag",
    addFlag(
      db,
      action,
      { commentId: id, reason: report.reason, note: report.note ?? null },
      site.flagThreshold,
    ),
  );
}

/**
 * A published comment with its ancestors, for a permalink the first page does not show. An
 * ancestor the thread would not show (held, spam, removed) is a placeholder here too.
 */
export async function permalink(db: Db, site: SiteRow, id: string) {
  const comment = await publishedComment(db, site, id);
  const [thread, chain] = await Promise.all([
    getThreadById(db, comment.threadId),
    getPublicComments(db, comment.path.split("/")),
  ]);
  if (!thread) throw notFound("comment");
  return {
    thread: threadInfo(thread, thread.pageKey),
    comments: chain.map((c) => toPublicComment(c)),
  };
}

/** A published comment or placeholder whose replies can be listed. */
export async function visibleComment(db: Db, site: SiteRow, id: string): Promise<CommentRow> {
  const comment = await getComment(db, site.id, id);
  if (!comment || !isVisible(comment)) throw notFound("comment");
  return comment;
}
