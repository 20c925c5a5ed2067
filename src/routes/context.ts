import type { Context } from "hono";
import type { AppEnv } from "../env";
import { now } from "../platform/clock";
import type { CacheOutcome } from "../platform/edge-cache";
import { deliverMail } from "../services/notifications/delivery";
import { mailConfigured } from "../services/notifications/setup";
import { clientIp, hashIp } from "../services/readers/ip-hash";
import type { Outside, PostingServices, Requester, ViewServices } from "../services/request";

/* What readers' routes hand their services from the request. */

/** Work for after the response: cache writes, webhooks, Akismet's lessons, mail. */
export const background = (c: Context<AppEnv>): Outside => ({
  akismetKey: c.env.AKISMET_KEY,
  waitUntil: (work) => c.executionCtx.waitUntil(work),
  deliverMail: mailConfigured(c.env)
    ? (siteId) =>
        c.executionCtx.waitUntil(deliverMail(c.env, c.var.backgroundDb(), now(), { siteId }))
    : undefined,
});

/** What a public view cached at the edge is given: background work, and recent version rows. */
export const viewServices = (c: Context<AppEnv>): ViewServices => ({
  ...background(c),
  recent: c.var.recent,
});

/** What posting and editing consult besides: the reader's IP and the edge's rate limiter. */
export const postingServices = (c: Context<AppEnv>): PostingServices => ({
  ...background(c),
  ip: clientIp(c.req.raw.headers),
  limiter: c.env.POST_LIMITER,
});

/** Who asks: the reader's ip hash for this site, their user agent, and the time. */
export async function requester(c: Context<AppEnv>, now: Date): Promise<Requester> {
  return {
    ipHash: await hashIp(c.var.db, clientIp(c.req.raw.headers), c.var.site.id, now),
    userAgent: c.req.header("user-agent")?.slice(0, 300) ?? null,
    now,
  };
}

/** Says in `Server-Timing` whether the view came from the edge cache. */
export function serverTiming(c: Context<AppEnv>, cache: CacheOutcome): void {
  c.header("Server-Timing", `cache;desc="${cache}"`);
}
