import type { Body } from "./body";

/**
 * Parley's words, written once: the database's enums, the API's schemas, the services and the
 * widget all take them from here. Nothing server-only: the widget bundles what it uses of this
 * file, and its types cost it nothing.
 */

/** What a comment is: shown, held for a moderator, kept as spam, or removed. */
export const COMMENT_STATUSES = ["published", "pending", "spam", "deleted"] as const;
export type CommentStatus = (typeof COMMENT_STATUSES)[number];

/** How a site treats new comments: publish, hold a new author's, or hold every one. */
export const MODERATION_MODES = ["none", "first-time", "all"] as const;
export type ModerationMode = (typeof MODERATION_MODES)[number];

/** How top-level comments are ordered; the first is the default (like WordPress). */
export const SORTS = ["oldest", "newest", "top"] as const;
export type Sort = (typeof SORTS)[number];

/** Why a reader reports a comment. */
export const FLAG_REASONS = ["spam", "abuse", "off-topic", "other"] as const;
export type FlagReason = (typeof FLAG_REASONS)[number];

/** What a moderator can block: an author's email, a reader's ip hash, or words. */
export const BLOCK_KINDS = ["email", "ip", "phrase"] as const;
export type BlockKind = (typeof BLOCK_KINDS)[number];

/** What a reader does that a rate limit counts: posts and edits together, votes, flags. */
export const READER_ACTION_KINDS = ["comment", "vote", "flag"] as const;
export type ReaderActionKind = (typeof READER_ACTION_KINDS)[number];

/** What a reader asks to hear about by mail when posting (the form's `notify`). */
export const NOTIFY_CHOICES = ["none", "replies", "thread"] as const;
export type NotifyChoice = (typeof NOTIFY_CHOICES)[number];

/** What a confirmed subscription mails: replies to one comment, or every comment on the page. */
export const SUBSCRIPTION_KINDS = ["replies", "thread"] as const;
export type SubscriptionKind = (typeof SUBSCRIPTION_KINDS)[number];

/** The outbox's mail: an address's confirmation, a reader's notification, a moderator's alert. */
export const MAIL_KINDS = ["confirm", "notify", "alert"] as const;
export const MAIL_STATUSES = ["queued", "sending", "sent", "failed", "dropped"] as const;
export type MailStatus = (typeof MAIL_STATUSES)[number];

/** What a moderator's one-time link in an alert does. */
export const MAIL_ACTIONS = ["approve", "spam", "delete"] as const;

/** Which comments a site's moderators are mailed about: none, held ones, or every new one. */
export const ALERT_MODES = ["none", "pending", "all"] as const;
export type AlertMode = (typeof ALERT_MODES)[number];

/** Site ids: 2–63 lower-case letters, digits and dashes, starting with a letter or digit. */
export const SITE_ID_PATTERN = /^[a-z0-9][a-z0-9-]{1,62}$/;
/** Comment ids (services/ids.ts): "c_", then 26 characters of lower-case Crockford base32. */
export const COMMENT_ID_PATTERN = /^c_[0-9a-z]{26}$/;

/** The status a reader may see: published, a removed comment's placeholder, or their own held one. */
export type PublicStatus = "published" | "deleted" | "pending";

/** A comment as every public endpoint shows it (the OpenAPI `Comment` schema). */
export interface PublicComment {
  id: string;
  parentId: string | null;
  depth: number;
  /** null for a placeholder. */
  author: { name: string; website: string | null; avatar: string } | null;
  /** null for a placeholder. */
  body: Body | null;
  createdAt: string;
  editedAt: string | null;
  status: PublicStatus;
  /** Published replies at any depth below it. */
  replyCount: number;
  score: number;
  /** On a top-level comment whose replies did not all fit: the cursor for the rest. */
  moreReplies: string | null;
  /** Present on a reply a moderator wrote as staff (never on a placeholder). */
  staff?: true;
  /** Present on the comment a moderator pinned, which the thread's first page shows first. */
  pinned?: true;
}

/** A site as the widget sees it (the OpenAPI `PublicSite` schema). */
export interface PublicSite {
  id: string;
  name: string;
  moderation: ModerationMode;
  maxDepth: number;
  editWindowSeconds: number;
  locale: string;
  turnstileSiteKey: string | null;
}

/**
 * The JSON thread view (GET …/thread), from which thread.html is drawn and which it carries for
 * the widget to take over.
 */
export interface ThreadView {
  site: PublicSite;
  thread: { page: string; title: string; count: number; locked: boolean };
  comments: PublicComment[];
  nextCursor: string | null;
  issuedAt: string;
}
