import { z } from "@hono/zod-openapi";
import { REPLIES_PAGE_MAX } from "../../services/comments/reading";
import { AUTHOR_TOKEN_PATTERN } from "../../services/readers/authors";
import { MARKDOWN_LIMITS, markdownProblem } from "../../services/text/markdown-limits";
import { emailAddress, httpUrl } from "../../services/text/text-rules";
import { LIMITS } from "../../shared/limits";
import type { PublicSite } from "../../shared/vocabulary";
import { FLAG_REASONS, MODERATION_MODES, NOTIFY_CHOICES } from "../../shared/vocabulary";

/*
 * The zod schemas that validate requests and describe responses. The OpenAPI document is
 * generated from these, so the contract the docs show is the one the code enforces.
 */

import { BodyNodeSchema, blankAsAbsent, CommentIdParam, cleanText, PageParam } from "./common";

/* What readers (the widget) send and get back. */

// ---- comments ---------------------------------------------------------------------------

const M = MARKDOWN_LIMITS;
/** What a reader writes: checked here against the parser's limits too, so a refusal is a 422. */
export const CommentBody = cleanText(LIMITS.body, { multiline: true })
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
    staff: z.literal(true).optional().openapi({
      description:
        "Present (true) on a reply a moderator wrote as staff: show a badge. A reader's name cannot set it.",
    }),
    pinned: z.literal(true).optional().openapi({
      description:
        "Present (true) on the top-level comment a moderator pinned; the thread's first page lists it first.",
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
    notify: z.enum(NOTIFY_CHOICES).optional().openapi({
      description:
        "Mail the author (`author.email`, ignored without one) about `replies` to this comment or about every new comment on the page (`thread`). Default `none`. An address not yet confirmed on the site gets one confirmation mail first (a few a day at most) and nothing else until it confirms; the answer is the same either way.",
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
  .openapi("PublicSite") satisfies z.ZodType<PublicSite>;

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

/** The query of a subtree's next replies, as JSON and as HTML. */
export const RepliesQuerySchema = z.object({
  cursor: z.string().max(4096).optional(),
  limit: z.coerce.number().int().min(1).max(REPLIES_PAGE_MAX).default(REPLIES_PAGE_MAX),
});

export const PermalinkSchema = z
  .object({ thread: ThreadInfoSchema, comments: z.array(PublicCommentSchema) })
  .openapi("Permalink");

// ---- feeds ------------------------------------------------------------------------------

export const RecentCommentSchema = PublicCommentSchema.extend({
  page: z.string().openapi({ description: "The comment's page (its normalised key)." }),
  title: z.string().openapi({ description: "The page's title." }),
  url: z.string().nullable().openapi({
    description:
      "Where the comment is read, `<page>#comment-<id>`, when the page is a web address on one of the site's origins; null for an explicit page id or a page elsewhere.",
  }),
}).openapi("RecentComment");

export const RecentCommentsSchema = z
  .object({ comments: z.array(RecentCommentSchema) })
  .openapi("RecentComments");
