import { z } from "@hono/zod-openapi";
import { publicHttpUrl } from "../../services/outside/public-host";
import { IMPORT_FORMATS } from "../../services/portability/import/records";
import { AUTHOR_TOKEN_PATTERN } from "../../services/readers/authors";
import { MARKDOWN_LIMITS, markdownProblem } from "../../services/text/markdown-limits";
import {
  BIDI,
  CONTROL,
  CONTROL_OR_NEWLINE,
  emailAddress,
  httpUrl,
  VISIBLE,
} from "../../services/text/text-rules";
import { LIMITS } from "../../shared/limits";
import {
  BLOCK_KINDS,
  COMMENT_ID_PATTERN,
  COMMENT_STATUSES,
  FLAG_REASONS,
  MODERATION_MODES,
  SITE_ID_PATTERN,
} from "../../shared/vocabulary";

/*
 * The zod schemas that validate requests and describe responses. The OpenAPI document is
 * generated from these, so the contract the docs show is the one the code enforces.
 */

export function cleanText(max: number, { multiline = false } = {}) {
  return z
    .string()
    .trim()
    .min(1, { error: "Must not be empty.", abort: true })
    .max(max, `At most ${max} characters.`)
    .refine((s) => s.isWellFormed(), "Contains an unpaired surrogate.")
    .refine(
      (s) => !(multiline ? CONTROL : CONTROL_OR_NEWLINE).test(s),
      "Contains control characters.",
    )
    .refine((s) => !BIDI.test(s), "Contains bidirectional control characters.")
    .refine((s) => VISIBLE.test(s), "Must contain visible characters.");
}

/** Optional fields the widget may send as "" when left blank. */
const blankAsAbsent = <T extends z.ZodType>(schema: T) =>
  z.preprocess((v) => (v === "" || v === null ? undefined : v), schema.optional());

export const SiteIdParam = z
  .string()
  .regex(SITE_ID_PATTERN, "Site ids are 2–63 lower-case letters, digits and dashes.")
  .openapi({ param: { name: "site", in: "path" }, example: "news" });

export const CommentIdParam = z
  .string()
  .regex(COMMENT_ID_PATTERN, "Not a comment id.")
  .openapi({ param: { name: "id", in: "path" }, example: "c_01jd2x3y4z5a6b7c8d9e0f1g2h" });

export const PageParam = cleanText(LIMITS.page).openapi({
  description:
    "The page's canonical URL or an explicit page id; URLs are normalised (scheme and host case, default port, fragment, tracking parameters, trailing /index.html and slash), so two spellings of one page are one thread.",
  example: "https://news.example/2023/11/article",
});

export const ErrorSchema = z
  .object({
    error: z.object({
      code: z.string().openapi({ example: "validation_failed" }),
      message: z.string(),
      details: z.array(z.object({ path: z.string(), message: z.string() })).optional(),
    }),
  })
  .openapi("Error");

// ---- bodies -----------------------------------------------------------------------------

// Typed loosely on purpose: the tree's exact type is src/shared/body.ts; this schema documents it.
export const BodyNodeSchema: z.ZodType<unknown> = z
  .lazy(() =>
    z.object({
      type: z.enum([
        "paragraph",
        "code",
        "blockquote",
        "list",
        "listItem",
        "text",
        "emphasis",
        "strong",
        "inlineCode",
        "link",
        "break",
      ]),
      value: z.string().optional(),
      url: z.string().optional(),
      ordered: z.boolean().optional(),
      start: z.number().int().optional(),
      children: z.array(BodyNodeSchema).optional(),
    }),
  )
  .openapi("BodyNode", {
    description:
      "A node of the structured body (src/shared/body.ts). Never HTML: clients build DOM nodes from it.",
  });

// ---- comments ---------------------------------------------------------------------------

const M = MARKDOWN_LIMITS;
/** What a reader writes: checked here against the parser's limits too, so a refusal is a 422. */
const CommentBody = cleanText(LIMITS.body, { multiline: true })
  .superRefine((body, ctx) => {
    const problem = markdownProblem(body);
    if (problem) ctx.addIssue({ code: "custom", message: problem });
  })
  .openapi({
    description: `Markdown subset (README "Bodies"). Refused (422) beyond what the parser takes in bounded time: ${M.lines} lines, ${M.nesting} quote and list markers at the start of a line, ${M.markers} such markers and ${M.listItems} list items in all, ${M.marksPerParagraph} emphasis and link marks (\`*\`, \`_\`, \`]\`) in a paragraph and ${M.marks} in all, ${M.urlsPerWord} web addresses run together without a space.`,
  });

export const PublicCommentSchema = z
  .object({
    id: z.string(),
    parentId: z.string().nullable(),
    depth: z.number().int(),
    author: z
      .object({
        name: z.string(),
        website: z.string().nullable(),
        avatar: z.string().openapi({ description: "Seed for a locally drawn avatar." }),
      })
      .nullable()
      .openapi({ description: "null for a deleted placeholder." }),
    body: z
      .array(BodyNodeSchema)
      .nullable()
      .openapi({ description: "Blocks of the structured body; null for a deleted placeholder." }),
    createdAt: z.string(),
    editedAt: z.string().nullable(),
    status: z.enum(["published", "deleted", "pending"]),
    replyCount: z
      .number()
      .int()
      .openapi({ description: "Published replies at any depth below this comment." }),
    score: z.number().int(),
    moreReplies: z.string().nullable().openapi({
      description:
        "On a top-level comment whose replies did not all fit: cursor for GET .../comments/{id}/replies.",
    }),
  })
  .openapi("Comment");

export const PostCommentSchema = z
  .object({
    page: PageParam,
    title: blankAsAbsent(cleanText(LIMITS.title)),
    parentId: blankAsAbsent(CommentIdParam),
    author: z.object({
      name: cleanText(LIMITS.authorName),
      email: blankAsAbsent(emailAddress),
      website: blankAsAbsent(httpUrl),
    }),
    body: CommentBody,
    hp: z.string().max(LIMITS.authorName).optional().openapi({
      description: "Honeypot: must be empty or absent. Filled in, the comment is kept as spam.",
    }),
    issuedAt: z.string().max(200).optional().openapi({
      description:
        "Form token from the thread response (`issuedAt`), for the time-trap: a comment sent sooner than the site's `limits.minSecondsToPost` after it was issued is held.",
    }),
    authorToken: blankAsAbsent(
      z
        .string()
        .regex(AUTHOR_TOKEN_PATTERN, "An author token from an earlier answer (`authorToken`)."),
    ).openapi({
      description:
        "The `authorToken` of the reader's earlier posts on this site, kept by the widget in the reader's browser: the same token gives the same avatar, and lets first-time moderation recognise an author a moderator approved. Without one, the answer brings a new one.",
    }),
    turnstileToken: z.string().max(2048).optional().openapi({
      description:
        "The Cloudflare Turnstile response, required when the site has a `turnstileSiteKey`. Missing or rejected, the comment is kept as spam.",
    }),
  })
  .openapi("NewComment");

export const EditCommentSchema = z.object({ body: CommentBody }).openapi("CommentEdit");

export const PostedCommentSchema = z
  .object({
    comment: PublicCommentSchema,
    editToken: z.string().openapi({ description: "Secret for PATCH/DELETE; shown once." }),
    authorToken: z.string().openapi({
      description:
        "The author's token: send it back as `authorToken` with later posts on this site. A secret: it is what the avatar and first-time moderation recognise.",
    }),
    editableUntil: z.string(),
    bookmark: z.string().nullable().openapi({
      description:
        "D1 Sessions bookmark of the write. Send it back as `?bookmark=` on the next thread view to read at least this state from any replica (read-your-writes).",
    }),
  })
  .openapi("PostedComment");

export const VoteSchema = z
  .object({ value: z.union([z.literal(1), z.literal(-1), z.literal(0)]) })
  .openapi("Vote");

export const FlagSchema = z
  .object({
    reason: z.enum(FLAG_REASONS),
    note: blankAsAbsent(cleanText(500, { multiline: true })),
  })
  .openapi("Flag");

// ---- threads ----------------------------------------------------------------------------

export const PublicSiteSchema = z
  .object({
    id: z.string(),
    name: z.string(),
    moderation: z.enum(MODERATION_MODES),
    maxDepth: z.number().int(),
    editWindowSeconds: z.number().int(),
    locale: z.string(),
    turnstileSiteKey: z.string().nullable().openapi({
      description: "When set, the widget shows a Turnstile challenge and sends its token.",
    }),
  })
  .openapi("PublicSite");

export const ThreadInfoSchema = z
  .object({
    page: z.string(),
    title: z.string(),
    count: z.number().int(),
    locked: z.boolean(),
  })
  .openapi("ThreadInfo");

export const ThreadSchema = z
  .object({
    site: PublicSiteSchema,
    thread: ThreadInfoSchema,
    comments: z.array(PublicCommentSchema),
    nextCursor: z.string().nullable(),
    issuedAt: z.string().openapi({
      description: "Signed form token: send it back as `issuedAt` when posting (the time-trap).",
    }),
  })
  .openapi("Thread");

export const CommentListSchema = z
  .object({ comments: z.array(PublicCommentSchema), nextCursor: z.string().nullable() })
  .openapi("CommentList");

export const PermalinkSchema = z
  .object({ thread: ThreadInfoSchema, comments: z.array(PublicCommentSchema) })
  .openapi("Permalink");

// ---- sites (operator) -------------------------------------------------------------------

/** `https://host`, `https://host:8443` or `http://localhost:*` (any port). No path. */
const ORIGIN_PATTERN = /^https?:\/\/[a-z0-9.-]+(:(\d{1,5}|\*))?$/;

const OriginSchema = z
  .string()
  .trim()
  .toLowerCase()
  .regex(ORIGIN_PATTERN, "Origins look like https://news.example or http://localhost:*.");

const LimitsSchema = z.object({
  postsPerMinute: z.number().int().min(0).max(1000),
  postsPerDay: z.number().int().min(0).max(100000),
  maxLinks: z.number().int().min(0).max(100),
  minSecondsToPost: z.number().int().min(0).max(600).openapi({
    description:
      "The time-trap: a comment sent sooner than this after its form was drawn is held (default 3).",
  }),
});

const siteSettings = {
  name: cleanText(LIMITS.siteName),
  origins: z.array(OriginSchema).min(1).max(LIMITS.origins),
  moderation: z.enum(MODERATION_MODES),
  maxDepth: z.number().int().min(1).max(10).openapi({
    description:
      "How many levels replies nest below a top-level comment (depth 0). A reply that would go deeper attaches to the deepest allowed ancestor.",
  }),
  editWindowSeconds: z
    .number()
    .int()
    .min(0)
    .max(7 * 24 * 3600),
  locale: z.string().regex(/^[a-z]{2,3}(-[A-Za-z0-9]{2,8})*$/, "A BCP 47 language tag."),
  limits: LimitsSchema.partial(),
  flagThreshold: z.number().int().min(1).max(1000),
  webhookUrl: publicHttpUrl.nullable().openapi({
    description:
      'Receives the site\'s webhooks (README "Webhooks"). Must be on a public host: loopback, private, link-local and other special-use addresses, and names such as localhost, *.local, *.internal, *.home.arpa or a single label, are refused.',
  }),
  turnstileSiteKey: z.string().trim().min(1).max(100).nullable(),
  turnstileSecretKey: z.string().trim().min(1).max(200).nullable().openapi({
    description:
      "Turnstile's secret for the sitekey. Write-only: responses only say whether one is set.",
  }),
};

export const CreateSiteSchema = z
  .object({ id: SiteIdParam, ...siteSettings })
  .partial()
  .required({ id: true, name: true, origins: true })
  .openapi("NewSite");

export const UpdateSiteSchema = z.object(siteSettings).partial().openapi("SiteUpdate");

export const SiteSchema = z
  .object({
    id: z.string(),
    name: z.string(),
    origins: z.array(z.string()),
    moderation: z.enum(MODERATION_MODES),
    maxDepth: z.number().int(),
    editWindowSeconds: z.number().int(),
    locale: z.string(),
    limits: LimitsSchema,
    flagThreshold: z.number().int(),
    webhookUrl: z.string().nullable(),
    turnstileSiteKey: z.string().nullable(),
    turnstileSecretKeySet: z.boolean(),
    webhookSecret: z.string().nullable().openapi({
      description:
        "Signs webhook bodies: `X-Parley-Signature: sha256=<hex HMAC-SHA256 of the body>`. Made when a webhookUrl is first set.",
    }),
    createdAt: z.string(),
    updatedAt: z.string(),
  })
  .openapi("Site");

export const KeySchema = z
  .object({
    id: z.string(),
    label: z.string(),
    createdAt: z.string(),
    revokedAt: z.string().nullable(),
  })
  .openapi("ModeratorKey");

export const CreateKeySchema = z.object({ label: cleanText(LIMITS.keyLabel) }).openapi("NewKey");

export const IssuedKeySchema = z
  .object({
    key: KeySchema,
    secret: z
      .string()
      .openapi({ description: "The moderator key. Shown once, stored only hashed." }),
  })
  .openapi("IssuedKey");

// ---- moderation -------------------------------------------------------------------------

export const ModeratorCommentSchema = z
  .object({
    id: z.string(),
    parentId: z.string().nullable(),
    depth: z.number().int(),
    page: z.string(),
    status: z.enum(COMMENT_STATUSES),
    author: z.object({
      name: z.string(),
      email: z.string().nullable(),
      website: z.string().nullable(),
      avatar: z.string(),
    }),
    ipHash: z.string().nullable(),
    userAgent: z.string().nullable(),
    spamReasons: z.array(z.string()),
    flagCount: z.number().int(),
    flags: z
      .array(z.object({ reason: z.string(), note: z.string().nullable(), createdAt: z.string() }))
      .optional(),
    body: z.array(BodyNodeSchema),
    bodySource: z.string(),
    createdAt: z.string(),
    editedAt: z.string().nullable(),
    replyCount: z.number().int(),
    score: z.number().int(),
  })
  .openapi("ModeratorComment");

export const QueueQuerySchema = z.object({
  status: z.enum(COMMENT_STATUSES).optional(),
  page: PageParam.optional(),
  q: cleanText(200).optional().openapi({ description: "Text in the body." }),
  email: cleanText(LIMITS.email).optional(),
  ipHash: cleanText(64).optional(),
  flagged: z
    .enum(["true", "false"])
    .transform((v) => v === "true")
    .optional(),
  cursor: z.string().max(64).optional(),
  limit: z.coerce.number().int().min(1).max(100).default(50),
});

export const BulkSchema = z
  .object({
    action: z.enum(["delete", "spam", "approve"]),
    ids: z.array(CommentIdParam).min(1).max(100).optional(),
    authorEmail: cleanText(LIMITS.email).optional(),
    ipHash: cleanText(64).optional(),
    page: PageParam.optional(),
    since: z.iso.datetime({ offset: true }).optional(),
    q: cleanText(200).optional().openapi({
      description: "Text the comment contains, matched literally and case-insensitively for ASCII.",
    }),
  })
  .refine(
    (b) => b.ids || b.authorEmail || b.ipHash || b.page || b.since || b.q,
    "Name at least one filter: ids, authorEmail, ipHash, page, since or q.",
  )
  .openapi("Bulk");

export const BlockInputSchema = z
  .object({ kind: z.enum(BLOCK_KINDS), value: cleanText(200) })
  .openapi("NewBlock");

export const BlockSchema = z
  .object({ id: z.string(), kind: z.enum(BLOCK_KINDS), value: z.string(), createdAt: z.string() })
  .openapi("Block");

export const AuditEntrySchema = z
  .object({
    id: z.string(),
    actor: z.string(),
    action: z.string(),
    target: z.string().nullable(),
    before: z.string().nullable(),
    after: z.string().nullable(),
    detail: z.record(z.string(), z.unknown()).nullable(),
    createdAt: z.string(),
  })
  .openapi("AuditEntry");

// ---- data portability -------------------------------------------------------------------

export const ImportQuerySchema = z.object({
  format: z.enum(IMPORT_FORMATS).openapi({
    description:
      "`disqus` (Disqus XML), `wxr` (WordPress eXtended RSS) or `parley` (GET …/export). Gzipped or not: gzip is recognised by its first bytes.",
  }),
  dryRun: z
    .enum(["true", "false"])
    .default("false")
    .openapi({ description: "`true`: report what the import would do, and write nothing." }),
});

const ImportProblemSchema = z.object({
  position: z.string().openapi({
    description: "Where the record is in the file, e.g. `post 4 (dsq:id 1004)`.",
    example: "item 2, comment 3 (wp:comment_id 17)",
  }),
  reason: z.string(),
});

export const ImportReportSchema = z
  .object({
    threads: z.number().int().openapi({ description: "Threads the import added (or would add)." }),
    comments: z.number().int().openapi({
      description: "Comments the import added (or would add); 0 for a file already imported.",
    }),
    skipped: z.array(ImportProblemSchema).openapi({
      description: "Records not imported, and why (the first 1,000; `skippedTotal` counts all).",
    }),
    skippedTotal: z.number().int(),
    warnings: z.array(ImportProblemSchema).openapi({
      description:
        "Records imported otherwise than the file says: a reply whose parent is missing becomes a top-level comment (the first 1,000).",
    }),
    warningsTotal: z.number().int(),
    dryRun: z.boolean(),
  })
  .openapi("ImportReport");
