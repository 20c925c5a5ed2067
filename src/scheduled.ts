import { createDb } from "./db/client";
import { now } from "./platform/clock";
import { D1Meter } from "./platform/d1";
import { deliverMail, forgetOldMail } from "./services/notifications/delivery";
import type { NotificationEnv } from "./services/notifications/setup";

/** Batches per run: 20 × 50 mails, a 1,000-subscriber thread's fan-out in one minute. */
const CRON_ROUNDS = 20;

/**
 * The Cron Trigger (wrangler.toml, every minute): sends the mail that is due, the digests whose
 * window has passed, the retries, and what a Worker that ended early left behind; and forgets
 * mail that is done with.
 */
export async function scheduled(
  _controller: ScheduledController,
  env: Env & NotificationEnv,
  ctx: ExecutionContext,
): Promise<void> {
  const db = createDb(env.DB.withSession("first-primary"), new D1Meter());
  const at = now();
  ctx.waitUntil(
    Promise.all([deliverMail(env, db, at, { rounds: CRON_ROUNDS }), forgetOldMail(db, at)]),
  );
}
