import type { NewSubscription } from "../../db/subscriptions";
import { newId } from "../../platform/ids";
import type { CommentStatus, NotifyChoice } from "../../shared/vocabulary";
import { DAY_MS } from "../readers/rate-limits";
import type { Requester } from "../request";

/**
 * The version of the form's words a reader agrees to when ticking "Notify me" (the widget's
 * `notifyReplies` / `notifyThread` strings): kept with each subscription, as consent law asks,
 * and moved on whenever those words change in meaning.
 */
export const CONSENT_WORDING = "notify-v1";

/**
 * Confirmation mails a day: a few per address, so the form cannot mail-bomb someone, and a few
 * more per reader (ip hash), so one reader cannot mail a list of strangers.
 */
export const CONFIRMATIONS_PER_ADDRESS_PER_DAY = 3;
export const CONFIRMATIONS_PER_READER_PER_DAY = 5;

/**
 * What a post's `notify` asks for, as rows for the posting batch; nothing without an address,
 * for `none`, or for a comment kept as spam (a bot's wish to be mailed is no one's consent).
 */
export function subscriptionFor(
  post: {
    notify?: NotifyChoice;
    email?: string;
    commentId: string;
    siteId: string;
    pageKey: string;
  },
  status: CommentStatus,
  who: Requester,
): NewSubscription | undefined {
  const { notify = "none", email } = post;
  if (notify === "none" || !email || status === "spam") return undefined;
  const at = who.now.getTime();
  return {
    siteId: post.siteId,
    pageKey: post.pageKey,
    email,
    kind: notify,
    commentId: post.commentId,
    consentWording: CONSENT_WORDING,
    addressId: newId("e", at),
    subscriptionId: newId("s", at),
    confirmMailId: newId("m", at),
    ipHash: who.ipHash,
    at: who.now.toISOString(),
    dayAgo: new Date(at - DAY_MS).toISOString(),
    perAddressPerDay: CONFIRMATIONS_PER_ADDRESS_PER_DAY,
    perReaderPerDay: CONFIRMATIONS_PER_READER_PER_DAY,
  };
}
