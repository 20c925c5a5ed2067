import { createRoute, z } from "@hono/zod-openapi";
import { bearerToken } from "../../platform/bearer";
import { now } from "../../platform/clock";
import { deleteOwnComment, editComment } from "../../services/comments/editing";
import { postComment } from "../../services/comments/posting";
import { flagComment, vote } from "../../services/comments/reactions";
import { permalink, repliesOf } from "../../services/comments/reading";
import type { Audience } from "../audiences";
import { background, postingServices, requester } from "../context";
import { CommentIdParam, SiteIdParam } from "../schemas/common";
import {
  CommentListSchema,
  EditCommentSchema,
  FlagSchema,
  PermalinkSchema,
  PostCommentSchema,
  PostedCommentSchema,
  PublicCommentSchema,
  RepliesQuerySchema,
  VoteSchema,
} from "../schemas/readers";
import { BODY_ERRORS, errors, jsonBody, jsonResponse } from "../schemas/responses";

const siteParams = z.object({ site: SiteIdParam });
const commentParams = z.object({ site: SiteIdParam, id: CommentIdParam });
const bearer = [{ editToken: [] }];

const postRoute = createRoute({
  method: "post",
  path: "/api/v1/sites/{site}/comments",
  tags: ["Public"],
  summary: "Post a comment or a reply",
  description:
    "The first comment on a page creates its thread. A reply deeper than the site's maxDepth attaches to the deepest allowed ancestor. 201 when published, 202 when held for moderation.",
  request: { params: siteParams, body: jsonBody(PostCommentSchema) },
  responses: {
    201: jsonResponse(PostedCommentSchema, "Published."),
    202: jsonResponse(PostedCommentSchema, "Held for moderation (`comment.status` is `pending`)."),
    ...errors(...BODY_ERRORS, 404, 423, 429),
  },
});

const editRoute = createRoute({
  method: "patch",
  path: "/api/v1/sites/{site}/comments/{id}",
  tags: ["Public"],
  summary: "Edit your own comment within the edit window",
  description:
    "The new text is judged as a new comment would be (blocks, links, duplicates, Akismet, the moderation mode) and counts against the reader's posting limits: an edit can hold a published comment (`comment.status` is then `pending`), never publish a held one. 423 on a locked page.",
  security: bearer,
  request: { params: commentParams, body: jsonBody(EditCommentSchema) },
  responses: {
    200: jsonResponse(z.object({ comment: PublicCommentSchema }), "Edited."),
    ...errors(...BODY_ERRORS, 401, 403, 404, 423, 429),
  },
});

const deleteRoute = createRoute({
  method: "delete",
  path: "/api/v1/sites/{site}/comments/{id}",
  tags: ["Public"],
  summary: "Delete your own comment within the edit window",
  description: "Its words and personal data go; with replies below it, it stays as a placeholder.",
  security: bearer,
  request: { params: commentParams },
  responses: { 204: { description: "Deleted." }, ...errors(401, 403, 404, 422) },
});

const permalinkRoute = createRoute({
  method: "get",
  path: "/api/v1/sites/{site}/comments/{id}",
  tags: ["Public"],
  summary: "A published comment with its ancestors (for #comment-<id> links)",
  request: { params: commentParams },
  responses: {
    200: jsonResponse(PermalinkSchema, "The comment, after its ancestors."),
    ...errors(404, 422),
  },
});

const repliesRoute = createRoute({
  method: "get",
  path: "/api/v1/sites/{site}/comments/{id}/replies",
  tags: ["Public"],
  summary: "More replies below a comment, in display order",
  description: "Continues a subtree the thread view cut short (`moreReplies`).",
  request: {
    params: commentParams,
    query: RepliesQuerySchema,
  },
  responses: { 200: jsonResponse(CommentListSchema, "Replies."), ...errors(404, 422) },
});

const voteRoute = createRoute({
  method: "post",
  path: "/api/v1/sites/{site}/comments/{id}/vote",
  tags: ["Public"],
  summary: "Vote a comment up (1), down (-1) or withdraw (0)",
  description:
    "One vote per reader (an IPv4 address or an IPv6 /64) per comment; voting again replaces it. At most 30 votes a minute and 500 a day per reader and site (429).",
  request: { params: commentParams, body: jsonBody(VoteSchema) },
  responses: {
    200: jsonResponse(
      z.object({ score: z.number().int(), value: z.number().int() }).openapi("VoteResult"),
      "The comment's new score.",
    ),
    ...errors(...BODY_ERRORS, 404, 429),
  },
});

const flagRoute = createRoute({
  method: "post",
  path: "/api/v1/sites/{site}/comments/{id}/flag",
  tags: ["Public"],
  summary: "Report a comment to the moderators",
  description:
    "One flag per reader (an IPv4 address or an IPv6 /64) per comment. When distinct flags reach the site's flagThreshold, the comment is held as pending until a moderator decides; a comment a moderator approved needs twice as many. At most 5 flags a minute and 50 a day per reader and site (429).",
  request: { params: commentParams, body: jsonBody(FlagSchema) },
  responses: {
    202: jsonResponse(z.object({ status: z.literal("received") }), "Received."),
    ...errors(...BODY_ERRORS, 404, 429),
  },
});

export const commentRoutes = (readers: Audience) =>
  readers
    .route(
      postRoute,
      async (c) => {
        const { status, ...posted } = await postComment(
          c.var.db,
          c.var.site,
          c.req.valid("json"),
          await requester(c, now()),
          postingServices(c),
        );
        // Read-your-writes: the widget sends this back with its next thread view.
        const bookmark = c.var.session.getBookmark();
        return c.json({ ...posted, bookmark }, status === "pending" ? 202 : 201);
      },
      // Posting reads the site's current rules in its own batch (services/comments/posting.ts).
      { site: "recent" },
    )
    .route(editRoute, async (c) => {
      const comment = await editComment(
        c.var.db,
        c.var.site,
        c.req.valid("param").id,
        bearerToken(c.req.header("authorization")),
        c.req.valid("json").body,
        await requester(c, now()),
        postingServices(c),
      );
      return c.json({ comment }, 200);
    })
    .route(deleteRoute, async (c) => {
      const token = bearerToken(c.req.header("authorization"));
      await deleteOwnComment(c.var.db, c.var.site, c.req.valid("param").id, token, now());
      return c.body(null, 204);
    })
    .route(permalinkRoute, async (c) => {
      return c.json(await permalink(c.var.db, c.var.site, c.req.valid("param").id), 200);
    })
    .route(repliesRoute, async (c) => {
      const { cursor, limit } = c.req.valid("query");
      const id = c.req.valid("param").id;
      return c.json(await repliesOf(c.var.db, c.var.site, id, cursor, limit), 200);
    })
    .route(voteRoute, async (c) => {
      const { id } = c.req.valid("param");
      const value = c.req.valid("json").value;
      return c.json(await vote(c.var.db, c.var.site, id, value, await requester(c, now())), 200);
    })
    .route(flagRoute, async (c) => {
      const { id } = c.req.valid("param");
      const report = c.req.valid("json");
      await flagComment(c.var.db, c.var.site, id, report, await requester(c, now()), background(c));
      return c.json({ status: "received" as const }, 202);
    });
