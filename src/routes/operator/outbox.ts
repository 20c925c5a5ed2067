import { createRoute, z } from "@hono/zod-openapi";
import { mailOf, retryMail } from "../../services/notifications/outbox";
import type { Audience } from "../audiences";
import { background } from "../context";
import { SiteIdParam } from "../schemas/common";
import { MailSchema, MailStatusQuery } from "../schemas/operator";
import { errors, jsonResponse } from "../schemas/responses";

/* The outbox, for the operator: mail that failed stays visible and can be sent again. */

const security = [{ adminToken: [] }];
const tags = ["Operator"];

const listOutboxRoute = createRoute({
  method: "get",
  path: "/api/v1/sites/{site}/outbox",
  tags,
  security,
  summary: "The site's mail in one state (failed by default), newest first, at most 100",
  description:
    'Mail waits in the outbox until it is sent, and is tried again with backoff when the transport refuses it; after its last try it is `failed` and stays here (README "Notifications"). Sent mail is forgotten after 7 days.',
  request: { params: z.object({ site: SiteIdParam }), query: MailStatusQuery },
  responses: {
    200: jsonResponse(z.object({ mail: z.array(MailSchema) }), "Mail."),
    ...errors(401, 404, 422),
  },
});

const retryRoute = createRoute({
  method: "post",
  path: "/api/v1/sites/{site}/outbox/{id}/retry",
  tags,
  security,
  summary: "Send a failed mail again, now",
  request: { params: z.object({ site: SiteIdParam, id: z.string().max(64) }) },
  responses: {
    200: jsonResponse(z.object({ mail: MailSchema }), "Queued again."),
    ...errors(401, 404, 409, 422),
  },
});

export const outboxRoutes = (operator: Audience) =>
  operator
    .route(listOutboxRoute, async (c) => {
      const { site } = c.req.valid("param");
      return c.json({ mail: await mailOf(c.var.db, site, c.req.valid("query").status) }, 200);
    })
    .route(retryRoute, async (c) => {
      const { site, id } = c.req.valid("param");
      return c.json({ mail: await retryMail(c.var.db, site, id, background(c)) }, 200);
    });
