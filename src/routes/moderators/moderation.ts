import { createRoute, z } from "@hono/zod-openapi";
import type { Context } from "hono";
import type { AppEnv } from "../../env";
import { now } from "../../platform/clock";
import {
  bulkModerate,
  eraseAuthor,
  type ModerationAction,
  moderateComment,
} from "../../services/moderation/actions";
import { type Actor, auditTrail } from "../../services/moderation/audit";
import { blocksOf, blockValue, unblock } from "../../services/moderation/blocks";
import { authorData, moderationQueue } from "../../services/moderation/queue";
import { pinComment, replyAsStaff } from "../../services/moderation/staff";
import { lockThread } from "../../services/moderation/threads";
import { LIMITS } from "../../shared/limits";
import { SUBSCRIPTION_KINDS } from "../../shared/vocabulary";
import type { Audience } from "../audiences";
import { background } from "../context";
import { CommentIdParam, cleanText, PageParam, SiteIdParam } from "../schemas/common";
import {
  AuditEntrySchema,
  BlockInputSchema,
  BlockSchema,
  BulkSchema,
  ModeratorCommentSchema,
  QueueQuerySchema,
  StaffReplySchema,
} from "../schemas/moderators";
import { ThreadInfoSchema } from "../schemas/readers";
import { BODY_ERRORS, errors, jsonBody, jsonResponse } from "../schemas/responses";

const tags = ["Moderators"];
/** A page of comments as moderators see them: the queue, and an author's comments. */
const ModeratorCommentListSchema = z
  .object({ comments: z.array(ModeratorCommentSchema), nextCursor: z.string().nullable() })
  .openapi("ModeratorCommentList");
/** An access request's answer: the comments, and on the first page the mail subscriptions. */
const AuthorDataSchema = ModeratorCommentListSchema.extend({
  subscriptions: z
    .array(
      z.object({
        email: z.string(),
        page: z.string(),
        kind: z.enum(SUBSCRIPTION_KINDS),
        commentId: z.string(),
        consentWording: z.string(),
        subscribedAt: z.string(),
        confirmedAt: z.string().nullable(),
      }),
    )
    .optional()
    .openapi({
      description:
        "The address's mail subscriptions on the site with their consent: the page, what it mails (`replies` to `commentId`, or the whole `thread`), the form wording agreed to, when, and when the address was confirmed. On the first page only.",
    }),
}).openapi("AuthorData");
const security = [{ moderatorKey: [] }];
const base = "/api/v1/sites/{site}/moderation" as const;
const siteParams = z.object({ site: SiteIdParam });
const commentParams = z.object({ site: SiteIdParam, id: CommentIdParam });
// Every moderation route validates its path (site id), so 422 is always possible.
const AUTH_ERRORS = [401, 403, 422] as const;

const actor = (c: Context<AppEnv>): Actor => ({ label: c.var.moderator.label, now: now() });

const queueRoute = createRoute({
  method: "get",
  path: `${base}/comments`,
  tags,
  security,
  summary: "The moderation queue, newest first, with moderator-only fields",
  request: { params: siteParams, query: QueueQuerySchema },
  responses: {
    200: jsonResponse(ModeratorCommentListSchema, "Comments."),
    ...errors(...AUTH_ERRORS, 404, 422),
  },
});

const deleteRoute = createRoute({
  method: "delete",
  path: `${base}/comments/{id}`,
  tags,
  security,
  summary: "Remove a comment from view (a placeholder while replies remain)",
  description: "`?purge=true` also erases its personal data: name, email, website, ip hash, text.",
  request: {
    params: commentParams,
    query: z.object({ purge: z.enum(["true", "false"]).default("false") }),
  },
  responses: { 204: { description: "Removed." }, ...errors(...AUTH_ERRORS, 404, 409, 422) },
});

function actionRoute<A extends "spam" | "approve" | "restore" | "pin" | "unpin">(
  action: A,
  summary: string,
) {
  return createRoute({
    method: "post",
    path: `${base}/comments/{id}/${action}` as `${typeof base}/comments/{id}/${A}`,
    tags,
    security,
    summary,
    request: { params: commentParams },
    responses: {
      200: jsonResponse(z.object({ comment: ModeratorCommentSchema }), "The comment after."),
      ...errors(...AUTH_ERRORS, 404, 409, 422),
    },
  });
}

const staffReplyRoute = createRoute({
  method: "post",
  path: `${base}/comments/{id}/reply`,
  tags,
  security,
  summary: "Reply as staff: published at once, shown with a Staff badge",
  description:
    "Only a published comment takes a reply (409 otherwise); a locked page does too. The reply is under `name`, which is remembered as the key's display name; without it, the key's display name, else the site's name.",
  request: {
    params: commentParams,
    body: jsonBody(StaffReplySchema),
  },
  responses: {
    201: jsonResponse(z.object({ comment: ModeratorCommentSchema }), "The reply."),
    ...errors(...AUTH_ERRORS, ...BODY_ERRORS, 404, 409),
  },
});

const bulkRoute = createRoute({
  method: "post",
  path: `${base}/bulk`,
  tags,
  security,
  summary: "One action on every comment matching all the given filters, all or nothing",
  request: { params: siteParams, body: jsonBody(BulkSchema) },
  responses: {
    200: jsonResponse(z.object({ affected: z.number().int() }), "How many comments changed."),
    ...errors(...AUTH_ERRORS, ...BODY_ERRORS, 404),
  },
});

const authorQuery = z.object({
  email: cleanText(LIMITS.email).openapi({ description: "Any case." }),
});

const authorRoute = createRoute({
  method: "get",
  path: `${base}/authors`,
  tags,
  security,
  summary: "Every comment an email address wrote on the site (access request)",
  description: "All statuses, newest first, with moderator-only fields; `cursor` pages on.",
  request: {
    params: siteParams,
    query: authorQuery.extend({
      cursor: z.string().max(64).optional(),
      limit: z.coerce.number().int().min(1).max(100).default(100),
    }),
  },
  responses: {
    200: jsonResponse(AuthorDataSchema, "The author's comments and subscriptions."),
    ...errors(...AUTH_ERRORS, 404),
  },
});

const eraseAuthorRoute = createRoute({
  method: "delete",
  path: `${base}/authors`,
  tags,
  security,
  summary: "Erase every comment an email address wrote on the site (erasure request)",
  description:
    "Words and personal data go, as with a purge; a placeholder stays where replies remain. One batch, all or nothing.",
  request: { params: siteParams, query: authorQuery },
  responses: {
    200: jsonResponse(z.object({ affected: z.number().int() }), "How many comments were erased."),
    ...errors(...AUTH_ERRORS, 404),
  },
});

const listBlocksRoute = createRoute({
  method: "get",
  path: `${base}/blocks`,
  tags,
  security,
  summary: "The site's blocklist",
  request: { params: siteParams },
  responses: {
    200: jsonResponse(z.object({ blocks: z.array(BlockSchema) }), "Blocks."),
    ...errors(...AUTH_ERRORS, 404),
  },
});

const addBlockRoute = createRoute({
  method: "post",
  path: `${base}/blocks`,
  tags,
  security,
  summary: "Block an email, an ip hash, or a word or phrase",
  description:
    "Phrases match whole words, ignoring case, accents, invisible characters and look-alike letters. Blocked posts are kept as spam, never lost.",
  request: { params: siteParams, body: jsonBody(BlockInputSchema) },
  responses: {
    201: jsonResponse(z.object({ block: BlockSchema }), "Blocked."),
    ...errors(...AUTH_ERRORS, ...BODY_ERRORS, 404),
  },
});

const removeBlockRoute = createRoute({
  method: "delete",
  path: `${base}/blocks/{blockId}`,
  tags,
  security,
  summary: "Remove a block",
  request: { params: z.object({ site: SiteIdParam, blockId: z.string().max(64) }) },
  responses: { 204: { description: "Removed." }, ...errors(...AUTH_ERRORS, 404) },
});

const lockRoute = createRoute({
  method: "patch",
  path: `${base}/threads`,
  tags,
  security,
  summary: "Lock or unlock a page; posts to a locked page get 423",
  request: {
    params: siteParams,
    query: z.object({ page: PageParam }),
    body: jsonBody(z.object({ locked: z.boolean() }).openapi("ThreadLock")),
  },
  responses: {
    200: jsonResponse(z.object({ thread: ThreadInfoSchema }), "The thread."),
    ...errors(...AUTH_ERRORS, ...BODY_ERRORS, 404),
  },
});

const auditRoute = createRoute({
  method: "get",
  path: `${base}/audit`,
  tags,
  security,
  summary: "Who (key label) did what, when; newest first",
  request: {
    params: siteParams,
    query: z.object({
      cursor: z.string().max(64).optional(),
      limit: z.coerce.number().int().min(1).max(100).default(50),
    }),
  },
  responses: {
    200: jsonResponse(
      z.object({ entries: z.array(AuditEntrySchema), nextCursor: z.string().nullable() }),
      "Audit entries.",
    ),
    ...errors(...AUTH_ERRORS, 404, 422),
  },
});

async function singleAction(c: Context<AppEnv>, id: string, action: ModerationAction) {
  return {
    comment: await moderateComment(c.var.db, c.var.site, id, action, actor(c), background(c)),
  };
}

export const moderationRoutes = (moderators: Audience) =>
  moderators
    .route(queueRoute, async (c) => {
      return c.json(await moderationQueue(c.var.db, c.var.site, c.req.valid("query")), 200);
    })
    .route(deleteRoute, async (c) => {
      const purge = c.req.valid("query").purge === "true";
      await singleAction(c, c.req.valid("param").id, purge ? "purge" : "delete");
      return c.body(null, 204);
    })
    .route(actionRoute("spam", "Mark a comment as spam"), async (c) => {
      return c.json(await singleAction(c, c.req.valid("param").id, "spam"), 200);
    })
    .route(actionRoute("approve", "Publish a held comment (clears readers' flags)"), async (c) => {
      return c.json(await singleAction(c, c.req.valid("param").id, "approve"), 200);
    })
    .route(actionRoute("restore", "Publish a deleted or spam comment again"), async (c) => {
      return c.json(await singleAction(c, c.req.valid("param").id, "restore"), 200);
    })
    .route(
      actionRoute("pin", "Pin a published top-level comment first in its thread (one per page)"),
      async (c) => {
        const comment = await pinComment(
          c.var.db,
          c.var.site,
          c.req.valid("param").id,
          true,
          actor(c),
        );
        return c.json({ comment }, 200);
      },
    )
    .route(actionRoute("unpin", "Unpin a comment"), async (c) => {
      const id = c.req.valid("param").id;
      return c.json({ comment: await pinComment(c.var.db, c.var.site, id, false, actor(c)) }, 200);
    })
    .route(staffReplyRoute, async (c) => {
      const staff = { actor: actor(c), key: c.var.moderator };
      const comment = await replyAsStaff(
        c.var.db,
        c.var.site,
        c.req.valid("param").id,
        c.req.valid("json"),
        staff,
        background(c),
      );
      return c.json({ comment }, 201);
    })
    .route(bulkRoute, async (c) => {
      const { action, ...filter } = c.req.valid("json");
      const affected = await bulkModerate(
        c.var.db,
        c.var.site,
        action,
        filter,
        actor(c),
        background(c),
      );
      return c.json({ affected }, 200);
    })
    .route(authorRoute, async (c) => {
      const { email, cursor, limit } = c.req.valid("query");
      return c.json(await authorData(c.var.db, c.var.site, { email, cursor, limit }), 200);
    })
    .route(eraseAuthorRoute, async (c) => {
      const { email } = c.req.valid("query");
      const affected = await eraseAuthor(c.var.db, c.var.site, email, actor(c), background(c));
      return c.json({ affected }, 200);
    })
    .route(listBlocksRoute, async (c) => {
      const rows = await blocksOf(c.var.db, c.var.site);
      return c.json({ blocks: rows.map(({ siteId: _, ...block }) => block) }, 200);
    })
    .route(addBlockRoute, async (c) => {
      const { kind, value } = c.req.valid("json");
      const { siteId: _, ...block } = await blockValue(c.var.db, c.var.site, kind, value, actor(c));
      return c.json({ block }, 201);
    })
    .route(removeBlockRoute, async (c) => {
      await unblock(c.var.db, c.var.site, c.req.valid("param").blockId, actor(c));
      return c.body(null, 204);
    })
    .route(lockRoute, async (c) => {
      const { page } = c.req.valid("query");
      const { locked } = c.req.valid("json");
      return c.json(
        { thread: await lockThread(c.var.db, c.var.site, page, locked, actor(c)) },
        200,
      );
    })
    .route(auditRoute, async (c) => {
      const { limit, cursor } = c.req.valid("query");
      return c.json(await auditTrail(c.var.db, c.var.site, limit, cursor), 200);
    });
