import { z } from "@hono/zod-openapi";
import { LIMITS } from "../../shared/limits";
import { BLOCK_KINDS, COMMENT_STATUSES } from "../../shared/vocabulary";

/*
 * The zod schemas that validate requests and describe responses. The OpenAPI document is
 * generated from these, so the contract the docs show is the one the code enforces.
 */

import { BodyNodeSchema, CommentIdParam, cleanText, PageParam } from "./common";
import { CommentBody } from "./readers";

/* What moderators send and get back. */

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
    staff: z.boolean().openapi({ description: "A moderator wrote it as staff." }),
    pinned: z
      .boolean()
      .openapi({ description: "Its thread's first page shows it first (see `pin`)." }),
  })
  .openapi("ModeratorComment");

export const StaffReplySchema = z
  .object({
    body: CommentBody,
    name: cleanText(LIMITS.authorName)
      .optional()
      .openapi({ description: "The name readers see; remembered as the key's display name." }),
  })
  .openapi("StaffReply");

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
