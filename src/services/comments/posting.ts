import type { Db } from "../../db/client";
import { type CommentRow, insertComment } from "../../db/comments";
import { readPostingFacts } from "../../db/posting";
import type { SiteRow } from "../../db/sites";
import { notFound } from "../../errors";
import { randomToken, sha256Hex } from "../../platform/crypto";
import { newId } from "../../platform/ids";
import type { NotifyChoice } from "../../shared/vocabulary";
import { subscriptionFor } from "../notifications/subscribing";
import { newCommentEvent, sendWebhook } from "../outside/webhooks";
import { authorHash, avatarSeed, newAuthorToken } from "../readers/authors";
import { enforceRateLimits, readerAction, withinLimits } from "../readers/rate-limits";
import type { PostingServices, Requester } from "../request";
import { fold } from "../text/blocklist";
import { parseBody } from "../text/markdown";
import { toOwnComment } from "./comment-view";
import { judgeWriting, threadLocked, windows } from "./judging";
import { pageKey } from "./page-key";
import { isVisible } from "./visibility";

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
  /** Mail about replies or the whole thread, to `author.email` once it is confirmed. */
  notify?: NotifyChoice;
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
  if (thread?.locked) throw threadLocked();
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
    staffBy: null,
  };
  const { mailDue } = await withinLimits(
    "comment",
    insertComment(
      db,
      readerAction(site, "comment", who.ipHash, who.now),
      { id: newId("t", now), siteId: site.id, pageKey: key, title: input.title ?? key, createdAt },
      row,
      subscriptionFor(
        { notify: input.notify, email, commentId: id, siteId: site.id, pageKey: key },
        verdict.status,
        who,
      ),
      { askMailDue: services.deliverMail !== undefined },
    ),
  );
  sendWebhook(site, newCommentEvent(site, row, key), services.waitUntil);
  // The insert may have queued mail (notifications, an alert, a confirmation): sent at once. Other
  // mail that falls due meanwhile (digests, retries) waits for the Cron Trigger, at most a minute.
  if (mailDue) services.deliverMail?.(site.id);
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
