import type { Db } from "../../db/client";
import {
  confirmAddress,
  endSubscriptions,
  openMailAction,
  spendMailAction,
  subscriptionsOf,
} from "../../db/mail-links";
import { getForModeration } from "../../db/moderation";
import { getSite, type SiteRow } from "../../db/sites";
import { ApiError } from "../../errors";
import { sha256Hex } from "../../platform/crypto";
import { plainText } from "../../shared/body";
import { moderateComment } from "../moderation/actions";
import type { Outside } from "../request";
import { type LinkPurpose, linkIsGenuine, readLink } from "./link-tokens";

/*
 * What the links in mail open and do. Opening (GET) only reads: link scanners and mail
 * previews open every link, so only the page's button (POST) acts. Every failure, whatever its
 * cause (unknown site, forged or altered token, spent or expired link), is the same
 * `undefined`, so a link tells a prober nothing about what exists.
 */

/** A reader's link, checked: the site and the address (and thread) it speaks for. */
async function readerLink(db: Db, token: string, purpose: LinkPurpose) {
  const link = readLink(token);
  if (!link) return undefined;
  const site = await getSite(db, link.siteId);
  if (!site || !(await linkIsGenuine(site, purpose, link))) return undefined;
  return { site, addressId: link.addressId, threadId: link.threadId };
}

export async function openConfirmation(db: Db, token: string) {
  return (await readerLink(db, token, "confirm"))?.site;
}

/** Confirms the address: from now on its subscriptions on the site are mailed. */
export async function confirmByLink(
  db: Db,
  token: string,
  now: Date,
): Promise<SiteRow | undefined> {
  const link = await readerLink(db, token, "confirm");
  if (!link) return undefined;
  return (await confirmAddress(db, link.site.id, link.addressId, now.toISOString()))
    ? link.site
    : undefined;
}

/** The thread a notification's unsubscribe link names, and its site. */
async function unsubscribeLink(db: Db, token: string) {
  const link = await readerLink(db, token, "unsubscribe");
  if (!link?.threadId) return undefined;
  const [subscription] = await subscriptionsOf(db, link.site.id, link.addressId, link.threadId);
  // Already ended: the page still answers, without the title it can no longer look up.
  return { ...link, threadId: link.threadId, title: subscription?.title ?? "" };
}

export async function openUnsubscribe(db: Db, token: string) {
  const link = await unsubscribeLink(db, token);
  return link && { site: link.site, title: link.title };
}

/** Ends the address's mail about one thread (RFC 8058's one-click POST comes here too). */
export async function unsubscribeByLink(db: Db, token: string) {
  const link = await unsubscribeLink(db, token);
  if (!link) return undefined;
  await endSubscriptions(db, link.site.id, link.addressId, link.threadId);
  return { site: link.site, title: link.title };
}

/** Every subscription of the address on the site, for the page that lists and ends them. */
export async function openSubscriptions(db: Db, token: string) {
  const link = await readerLink(db, token, "manage");
  if (!link) return undefined;
  return {
    site: link.site,
    subscriptions: await subscriptionsOf(db, link.site.id, link.addressId),
  };
}

export async function endAllByLink(db: Db, token: string) {
  const link = await readerLink(db, token, "manage");
  if (!link) return undefined;
  await endSubscriptions(db, link.site.id, link.addressId);
  return link.site;
}

/** A moderator's one-time link: the comment it acts on and what it does, while it is good. */
export async function openModeration(db: Db, token: string, now: Date) {
  const action = await openMailAction(db, await sha256Hex(token), now.toISOString());
  const site = action && (await getSite(db, action.siteId));
  const comment = site && (await getForModeration(db, site.id, action.commentId));
  if (!action || !site || !comment) return undefined;
  return {
    site,
    action: action.action,
    author: comment.authorName,
    text: plainText(JSON.parse(comment.bodyJson)),
    status: comment.status,
  };
}

/**
 * Spends the link and acts as the moderator it was mailed to; the audit log names them
 * ("mail: <address>"). A comment no longer in a state the action applies to (another moderator
 * was quicker) is left as it is: the link is spent either way.
 */
export async function moderateByLink(db: Db, token: string, now: Date, aftermath: Outside) {
  const action = await spendMailAction(db, await sha256Hex(token), now.toISOString());
  const site = action && (await getSite(db, action.siteId));
  if (!action || !site) return undefined;
  const actor = { label: `mail: ${action.recipient}`, now };
  try {
    await moderateComment(db, site, action.commentId, action.action, actor, aftermath);
  } catch (error) {
    // Gone (404) or already moved on (409): nothing to do, and the page says it is done.
    if (!(error instanceof ApiError && (error.status === 404 || error.status === 409))) throw error;
  }
  return site;
}
