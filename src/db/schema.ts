import { sql } from "drizzle-orm";
import {
  index,
  integer,
  primaryKey,
  sqliteTable,
  text,
  uniqueIndex,
} from "drizzle-orm/sqlite-core";
import {
  ALERT_MODES,
  BLOCK_KINDS,
  COMMENT_STATUSES,
  FLAG_REASONS,
  MAIL_ACTIONS,
  MAIL_KINDS,
  MAIL_STATUSES,
  MODERATION_MODES,
  READER_ACTION_KINDS,
  SUBSCRIPTION_KINDS,
} from "../shared/vocabulary";

/*
 * Counters (`threads.count`, `comments.reply_count`, `comments.score`) are derived data. They are
 * kept by SQLite triggers (migrations/0001_counters.sql) rather than by application code, so they
 * stay exact whichever write path changes a comment: posting, editing, moderation, bulk actions or
 * import. Reading a count is then one indexed row, never a scan of comments.
 */

export const sites = sqliteTable("sites", {
  id: text("id").primaryKey(),
  name: text("name").notNull(),
  /** JSON array of allowed origins; `:*` as the port matches any port. */
  origins: text("origins", { mode: "json" }).$type<string[]>().notNull(),
  moderation: text("moderation", { enum: MODERATION_MODES }).notNull().default("none"),
  maxDepth: integer("max_depth").notNull().default(5),
  editWindowSeconds: integer("edit_window_seconds").notNull().default(900),
  locale: text("locale").notNull().default("en"),
  postsPerMinute: integer("posts_per_minute").notNull().default(5),
  postsPerDay: integer("posts_per_day").notNull().default(50),
  maxLinks: integer("max_links").notNull().default(2),
  /** The time-trap: a form posted sooner than this after it was drawn is held (0: off). */
  minSecondsToPost: integer("min_seconds_to_post").notNull().default(3),
  flagThreshold: integer("flag_threshold").notNull().default(3),
  webhookUrl: text("webhook_url"),
  turnstileSiteKey: text("turnstile_site_key"),
  /**
   * Turnstile's secret for that sitekey. Kept as given, not hashed: siteverify needs it verbatim.
   * Write-only in the operator API.
   */
  turnstileSecretKey: text("turnstile_secret_key"),
  /** Random secret that signs webhook bodies (HMAC-SHA256); shown to operators only. */
  webhookSecret: text("webhook_secret"),
  /** Random per-site secret that keys author hashes, so an avatar seed cannot be tested against a guessed email. */
  authorSalt: text("author_salt").notNull(),
  /**
   * Moves on whenever a count of any of the site's pages changes (a comment published, removed,
   * restored, a thread created or deleted with comments): the edge cache keys counts on it, so
   * one row tells whether a stored set of counts is still right. Kept by triggers
   * (0009_site_counts_version_triggers.sql); never set by the app, so it only grows.
   */
  countsVersion: integer("counts_version").notNull().default(0),
  /** Where alerts about new comments go (JSON array of addresses); read by triggers (0015). */
  moderatorEmails: text("moderator_emails", { mode: "json" })
    .$type<string[]>()
    .notNull()
    .default(sql`'[]'`),
  alerts: text("alerts", { enum: ALERT_MODES }).notNull().default("pending"),
  /**
   * Moves on whenever the version of any of the site's threads does (any change a reader could
   * see on any of its pages): the edge cache keys the site's feed and its recent comments on it,
   * so one row tells whether a stored list is still right, edits and votes included, which the
   * counts version does not follow. Kept by a trigger (0013_site_comments_version_trigger.sql).
   */
  commentsVersion: integer("comments_version").notNull().default(0),
  createdAt: text("created_at").notNull(),
  updatedAt: text("updated_at").notNull(),
});

export const moderatorKeys = sqliteTable(
  "moderator_keys",
  {
    id: text("id").primaryKey(),
    siteId: text("site_id")
      .notNull()
      .references(() => sites.id, { onDelete: "cascade" }),
    label: text("label").notNull(),
    /** SHA-256 of the secret, hex. The secret itself is shown once and never stored. */
    secretHash: text("secret_hash").notNull(),
    createdAt: text("created_at").notNull(),
    revokedAt: text("revoked_at"),
    /**
     * The name readers see on this key's staff replies; its moderator sets it when replying
     * (the label is the operator's own note and never public).
     */
    displayName: text("display_name"),
  },
  // With the id last, a page of a site's keys (the console lists them 50 at a time) reads only its rows.
  (t) => [index("moderator_keys_site_idx").on(t.siteId, t.id)],
);

export const threads = sqliteTable(
  "threads",
  {
    id: text("id").primaryKey(),
    siteId: text("site_id")
      .notNull()
      .references(() => sites.id, { onDelete: "cascade" }),
    /** The normalised page (see services/page-key.ts): two spellings of one page share a thread. */
    pageKey: text("page_key").notNull(),
    title: text("title").notNull(),
    /** Published comments on the page, replies included. Kept by triggers. */
    count: integer("count").notNull().default(0),
    locked: integer("locked", { mode: "boolean" }).notNull().default(false),
    /**
     * Moves on with every change a reader could see (a comment written, edited, moderated or
     * voted on, the page locked): the edge cache keys thread views on it, so reading it (the
     * thread row, one row) is all a cached view costs. Kept by triggers (0007_thread_version.sql).
     */
    version: integer("version").notNull().default(0),
    createdAt: text("created_at").notNull(),
    /**
     * When its newest comment was written (null before the first): the console lists pages by
     * it. Set by the trigger that moves `version` on an insert: no extra statement per post.
     */
    lastCommentAt: text("last_comment_at"),
    /**
     * The top-level comment a moderator pinned: the thread's first page shows it first. One per
     * page, so pinning another replaces it; a change moves `version` by trigger (0019).
     */
    pinnedId: text("pinned_id"),
  },
  (t) => [
    uniqueIndex("threads_site_page_idx").on(t.siteId, t.pageKey),
    index("threads_site_activity_idx").on(t.siteId, t.lastCommentAt),
  ],
);

/**
 * A comment is visible in the public thread when it is published, or deleted but still has
 * published replies below it (then it shows as a placeholder). The partial indexes below carry
 * exactly this predicate, so queries that repeat it read only visible rows.
 */
export const VISIBLE = sql`(status = 'published' OR (status = 'deleted' AND reply_count > 0))`;
const TOP_LEVEL = sql`depth = 0`;
/** Published comments only: a feed's and a recent-comments list's predicate, literal like VISIBLE. */
export const PUBLISHED = sql`status = 'published'`;

export const comments = sqliteTable(
  "comments",
  {
    /** Time-ordered random id (services/ids.ts): sorting by id is sorting by creation. */
    id: text("id").primaryKey(),
    siteId: text("site_id")
      .notNull()
      .references(() => sites.id, { onDelete: "cascade" }),
    threadId: text("thread_id")
      .notNull()
      .references(() => threads.id, { onDelete: "cascade" }),
    parentId: text("parent_id"),
    /** The top-level ancestor (the comment itself when top-level). */
    rootId: text("root_id").notNull(),
    depth: integer("depth").notNull(),
    /**
     * Ancestor ids and the comment's own id joined by "/". Ids sort by time and have one length,
     * so ordering by path is the depth-first display order of a subtree.
     */
    path: text("path").notNull(),
    authorName: text("author_name").notNull(),
    authorEmail: text("author_email"),
    authorWebsite: text("author_website"),
    /**
     * Keyed hash of the author's token, email and name (services/authors.ts): how first-time
     * moderation recognises an approved author. Never public.
     */
    authorHash: text("author_hash").notNull(),
    /**
     * The public avatar seed: a keyed hash of the author's token, a secret their browser keeps.
     * Nothing an outsider can type (an email, a name) leads to it. Empty once erased.
     */
    avatar: text("avatar").notNull().default(""),
    /** Salted with a salt that rotates daily (services/ip-hash.ts); the IP itself is never stored. */
    ipHash: text("ip_hash"),
    userAgent: text("user_agent"),
    /** What the author wrote (markdown subset), kept for edits and re-rendering. */
    bodySource: text("body_source").notNull(),
    /** The parsed body tree (shared/body.ts), rendered once at write time. */
    bodyJson: text("body_json").notNull(),
    /** Hash of the normalised body: finds the same text posted again on the site. */
    bodyHash: text("body_hash"),
    status: text("status", { enum: COMMENT_STATUSES }).notNull(),
    spamReasons: text("spam_reasons", { mode: "json" }).$type<string[]>(),
    /** Published replies at any depth below this comment. Kept by triggers. */
    replyCount: integer("reply_count").notNull().default(0),
    /** Sum of votes. Kept by triggers on `votes`. */
    score: integer("score").notNull().default(0),
    editTokenHash: text("edit_token_hash"),
    editableUntil: text("editable_until"),
    createdAt: text("created_at").notNull(),
    editedAt: text("edited_at"),
    /**
     * When a moderator last approved or restored the comment: readers' flags then need twice the
     * site's threshold to hold it again, so a moderator's decision is not undone by a few readers.
     */
    approvedAt: text("approved_at"),
    /**
     * Who wrote a staff reply: the moderator key's id, or "operator". Readers see only that it
     * is staff (a badge no reader's name can fake); null for readers' comments.
     */
    staffBy: text("staff_by"),
  },
  (t) => [
    index("comments_roots_idx").on(t.threadId, t.id).where(sql`${TOP_LEVEL} AND ${VISIBLE}`),
    index("comments_roots_top_idx")
      .on(t.threadId, sql`${t.score} DESC`, t.id)
      .where(sql`${TOP_LEVEL} AND ${VISIBLE}`),
    index("comments_subtree_idx").on(t.rootId, t.path).where(VISIBLE),
    // The console shows a comment's replies in every status (held ones too): read from here.
    index("comments_subtree_all_idx").on(t.rootId, t.path),
    // A page's feed: its newest published comments, read from the top of this index.
    index("comments_thread_published_idx").on(t.threadId, t.id).where(PUBLISHED),
    index("comments_site_status_idx").on(t.siteId, t.status, t.id),
    // With the id last, an author's newest comments are read from the top (the console's
    // "other comments by this author"), not sorted from all of them.
    index("comments_author_idx").on(t.siteId, t.authorHash, t.id),
    index("comments_ip_idx").on(t.siteId, t.ipHash, t.createdAt),
    index("comments_email_idx").on(t.siteId, t.authorEmail, t.id),
    index("comments_body_hash_idx").on(t.siteId, t.bodyHash, t.createdAt),
  ],
);

export const votes = sqliteTable(
  "votes",
  {
    commentId: text("comment_id")
      .notNull()
      .references(() => comments.id, { onDelete: "cascade" }),
    /** The reader's daily ip hash: one vote per reader per comment. */
    voterHash: text("voter_hash").notNull(),
    value: integer("value").notNull(),
    createdAt: text("created_at").notNull(),
  },
  (t) => [primaryKey({ columns: [t.commentId, t.voterHash] })],
);

/** Readers' reports. Enough distinct reporters hold a comment for a moderator's decision. */
export const flags = sqliteTable(
  "flags",
  {
    commentId: text("comment_id")
      .notNull()
      .references(() => comments.id, { onDelete: "cascade" }),
    /** The reader's daily ip hash: one flag per reader per comment. */
    reporterHash: text("reporter_hash").notNull(),
    reason: text("reason", { enum: FLAG_REASONS }).notNull(),
    note: text("note"),
    createdAt: text("created_at").notNull(),
  },
  (t) => [primaryKey({ columns: [t.commentId, t.reporterHash] })],
);

/** A site's blocklist: posts matching an entry are kept as spam, never silently dropped. */
export const blocks = sqliteTable(
  "blocks",
  {
    id: text("id").primaryKey(),
    siteId: text("site_id")
      .notNull()
      .references(() => sites.id, { onDelete: "cascade" }),
    kind: text("kind", { enum: BLOCK_KINDS }).notNull(),
    /** Lower-cased email, an ip hash, or a phrase folded for matching (services/blocklist.ts). */
    value: text("value").notNull(),
    createdAt: text("created_at").notNull(),
  },
  (t) => [uniqueIndex("blocks_site_value_idx").on(t.siteId, t.kind, t.value)],
);

/** Who did what, when: every moderator and operator action on a site. */
export const auditLog = sqliteTable(
  "audit_log",
  {
    id: text("id").primaryKey(),
    siteId: text("site_id")
      .notNull()
      .references(() => sites.id, { onDelete: "cascade" }),
    /** The moderator key's label, or "operator". */
    actor: text("actor").notNull(),
    action: text("action").notNull(),
    /** What was acted on: a comment id, a page, a block or key id. */
    target: text("target"),
    beforeStatus: text("before_status"),
    afterStatus: text("after_status"),
    /** Extra facts (a bulk filter, a blocked value); erased with the comment's personal data. */
    detail: text("detail", { mode: "json" }).$type<Record<string, unknown>>(),
    createdAt: text("created_at").notNull(),
  },
  (t) => [index("audit_site_idx").on(t.siteId, t.id), index("audit_target_idx").on(t.target)],
);

/**
 * What each reader (ip hash) did on a site lately, for rate limits: posts and edits (`comment`),
 * votes and flags. A row carries the limits it was admitted under, and a trigger
 * (0011_reader_action_limits.sql) refuses the insert past them, so a limit holds exactly
 * however many requests arrive at once: the count and the insert are one statement. Rows are
 * deleted once their day's ip salt is gone (db/salts.ts), since nothing can match them then.
 */
export const readerActions = sqliteTable(
  "reader_actions",
  {
    id: text("id").primaryKey(),
    siteId: text("site_id")
      .notNull()
      .references(() => sites.id, { onDelete: "cascade" }),
    /** The reader's ip hash (services/ip-hash.ts). */
    reader: text("reader").notNull(),
    kind: text("kind", { enum: READER_ACTION_KINDS }).notNull(),
    /** Of this kind, at most this many in the minute before `at`, and in the day (0: no limit). */
    perMinute: integer("per_minute").notNull(),
    perDay: integer("per_day").notNull(),
    at: text("at").notNull(),
  },
  (t) => [
    index("reader_actions_reader_idx").on(t.siteId, t.reader, t.kind, t.at),
    index("reader_actions_at_idx").on(t.at),
  ],
);

/** One random salt per UTC day; old days are deleted so their hashes can no longer be linked. */
export const ipSalts = sqliteTable("ip_salts", {
  day: text("day").primaryKey(),
  salt: text("salt").notNull(),
});

/*
 * Mail (services/notifications/). Readers subscribe when they post; an address gets mail only
 * once it has confirmed (double opt-in, per site). What is to be sent waits in the outbox, which
 * the same batch as its cause writes (triggers in 0015_notification_triggers.sql for comments
 * published or held), and which delivery drains after the response and on the Cron Trigger.
 */

/** A reader's address on a site. Links in mail name it by id, never by the address. */
export const mailAddresses = sqliteTable(
  "mail_addresses",
  {
    id: text("id").primaryKey(),
    siteId: text("site_id")
      .notNull()
      .references(() => sites.id, { onDelete: "cascade" }),
    /** Lower-cased, as comments keep it. */
    email: text("email").notNull(),
    /** When its owner confirmed from the confirmation mail; until then it is sent nothing else. */
    confirmedAt: text("confirmed_at"),
    createdAt: text("created_at").notNull(),
  },
  (t) => [uniqueIndex("mail_addresses_site_email_idx").on(t.siteId, t.email)],
);

export const subscriptions = sqliteTable(
  "subscriptions",
  {
    id: text("id").primaryKey(),
    siteId: text("site_id")
      .notNull()
      .references(() => sites.id, { onDelete: "cascade" }),
    addressId: text("address_id")
      .notNull()
      .references(() => mailAddresses.id, { onDelete: "cascade" }),
    threadId: text("thread_id")
      .notNull()
      .references(() => threads.id, { onDelete: "cascade" }),
    /** `replies`: replies to this comment; `thread`: every new comment on the page. */
    kind: text("kind", { enum: SUBSCRIPTION_KINDS }).notNull(),
    /** The comment whose form asked for it (for `replies`, the comment replied to). */
    commentId: text("comment_id").notNull(),
    /** The form's wording the reader agreed to (services/notifications/consent.ts). */
    consentWording: text("consent_wording").notNull(),
    createdAt: text("created_at").notNull(),
  },
  (t) => [
    index("subscriptions_thread_idx").on(t.threadId, t.kind),
    index("subscriptions_address_idx").on(t.addressId),
    uniqueIndex("subscriptions_once_idx").on(t.addressId, t.kind, t.commentId),
  ],
);

export const outbox = sqliteTable(
  "outbox",
  {
    id: text("id").primaryKey(),
    siteId: text("site_id")
      .notNull()
      .references(() => sites.id, { onDelete: "cascade" }),
    kind: text("kind", { enum: MAIL_KINDS }).notNull(),
    recipient: text("recipient").notNull(),
    threadId: text("thread_id"),
    /** What the mail is about: the comments of a notification (its digest), the held comment. */
    commentIds: text("comment_ids", { mode: "json" })
      .$type<string[]>()
      .notNull()
      .default(sql`'[]'`),
    /** The reader whose post asked for a confirmation mail (ip hash): a few a day each. */
    ipHash: text("ip_hash"),
    status: text("status", { enum: MAIL_STATUSES }).notNull().default("queued"),
    /** Not sent before then: the digest window, or a retry's backoff. "" is at once. */
    notBefore: text("not_before").notNull(),
    attempts: integer("attempts").notNull().default(0),
    lastError: text("last_error"),
    createdAt: text("created_at").notNull(),
    /** When sending began (status `sending`) or ended (`sent`): the digest window counts from it. */
    sentAt: text("sent_at"),
  },
  (t) => [
    index("outbox_due_idx").on(t.status, t.notBefore),
    // A site's due mail, asked after every post and claimed after it: read within the site alone.
    index("outbox_site_due_idx").on(t.siteId, t.status, t.notBefore),
    index("outbox_recipient_idx").on(t.siteId, t.recipient, t.kind, t.threadId),
    // One queued notification per address and thread: later comments join it (the digest).
    uniqueIndex("outbox_digest_idx")
      .on(t.siteId, t.recipient, t.threadId)
      .where(sql`status = 'queued' AND kind = 'notify'`),
  ],
);

/** One-time moderation links in alert mail: the token's hash, what it does, until when. */
export const mailActions = sqliteTable("mail_actions", {
  tokenHash: text("token_hash").primaryKey(),
  siteId: text("site_id")
    .notNull()
    .references(() => sites.id, { onDelete: "cascade" }),
  commentId: text("comment_id").notNull(),
  action: text("action", { enum: MAIL_ACTIONS }).notNull(),
  /** The moderator address it was sent to: the audit log's actor. */
  recipient: text("recipient").notNull(),
  expiresAt: text("expires_at").notNull(),
  usedAt: text("used_at"),
});

/**
 * Signed-in sessions of the moderators' console (/admin): the cookie carries the token, this
 * table its hash. A moderator's session lasts as long as its key is unrevoked (the lookup joins
 * the key); the operator's as long as ADMIN_TOKEN is the one it signed in with.
 */
export const consoleSessions = sqliteTable(
  "console_sessions",
  {
    tokenHash: text("token_hash").primaryKey(),
    /** The moderator key that signed in; null for the operator. */
    keyId: text("key_id").references(() => moderatorKeys.id, { onDelete: "cascade" }),
    /** The operator's: SHA-256 of the ADMIN_TOKEN it signed in with. */
    operatorTokenHash: text("operator_token_hash"),
    createdAt: text("created_at").notNull(),
    expiresAt: text("expires_at").notNull(),
  },
  (t) => [index("console_sessions_key_idx").on(t.keyId)],
);

/** Failed console sign-ins, by network (a salted hash, never the IP), for the attempts limit. */
export const consoleSignInFailures = sqliteTable(
  "console_sign_in_failures",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    ipHash: text("ip_hash").notNull(),
    at: text("at").notNull(),
  },
  (t) => [index("console_sign_in_failures_ip_idx").on(t.ipHash, t.at)],
);

/**
 * Comments received per site and UTC day, whatever became of them: the console's overview draws
 * the last 30 days from 30 rows. Kept by a trigger on every insert (0018_comment_days.sql).
 */
export const commentDays = sqliteTable(
  "comment_days",
  {
    siteId: text("site_id")
      .notNull()
      .references(() => sites.id, { onDelete: "cascade" }),
    /** YYYY-MM-DD, UTC. */
    day: text("day").notNull(),
    count: integer("count").notNull().default(0),
  },
  (t) => [primaryKey({ columns: [t.siteId, t.day] })],
);
