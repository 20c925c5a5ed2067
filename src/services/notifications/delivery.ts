import type { Db } from "../../db/client";
import {
  claimDue,
  mailContext,
  type NewMailAction,
  type OutboxRow,
  type Outcome,
  pruneOutbox,
  settle,
} from "../../db/outbox";
import { UnsendableMail } from "../../platform/mail/clean";
import type { BatchMailTransport } from "../../platform/mail/transports";
import { compose } from "./compose";
import { mailSetup, type NotificationEnv } from "./setup";

/*
 * Delivery drains the outbox: after a response that may have queued mail (waitUntil), and on
 * the Cron Trigger every minute, which also sends what waited (a digest's window, a retry) and
 * what a Worker that ended early left behind. A mail is claimed before it is sent, so the two
 * never send one twice; one left `sending` by a Worker that died is claimed again after
 * STUCK_MS, so mail is sent at least once (rarely twice), never lost.
 */

/** How the deployment sends mail (README "Mail"); without it, mail waits in the outbox. */
export interface MailSetup {
  /** Sends from MAIL_FROM's address; the name shown is each site's name. */
  transport: BatchMailTransport;
  /** This Worker's public origin, for the links in mail (`PUBLIC_URL`). */
  publicUrl: string;
}

/** Mails per run: enough to drain a busy minute, few enough for one invocation's time. */
export const DELIVERY_BATCH = 50;
const STUCK_MS = 10 * 60_000;
/** Waits before the next try after each failure, then the mail is given up (`failed`). */
const BACKOFF_MINUTES = [1, 5, 15, 60, 180, 720];
export const MAX_ATTEMPTS = BACKOFF_MINUTES.length + 1;

export interface DeliveryReport {
  sent: number;
  retried: number;
  failed: number;
  dropped: number;
}

/** A claimed mail as the message it stands for now, or undefined when nothing is left to say. */
function composeRow(
  row: OutboxRow,
  context: Awaited<ReturnType<typeof mailContext>>,
  setup: MailSetup,
  now: Date,
) {
  const site = context.siteRows.find((s) => s.id === row.siteId);
  if (!site) return Promise.resolve(undefined);
  return compose(
    {
      row,
      site,
      thread: context.threadRows.find((t) => t.id === row.threadId),
      comments: row.commentIds.flatMap((id) => context.commentRows.filter((c) => c.id === id)),
      addressId: context.addressRows.find(
        (a) => a.siteId === row.siteId && a.email === row.recipient,
      )?.id,
    },
    { name: site.name, email: "" },
    setup.publicUrl,
    now,
  );
}

/** What a send's result makes of the mail: sent, tried again later, or given up. */
function outcomeOf(
  row: OutboxRow,
  result: PromiseSettledResult<void>,
  transport: string,
  now: Date,
): Outcome {
  if (result.status === "fulfilled") return { id: row.id, status: "sent", at: now.toISOString() };
  const { reason } = result;
  const error = `${transport}: ${reason instanceof Error ? reason.message : String(reason)}`;
  // A mail no retry can send (a malformed address or header) is given up at once.
  const wait = reason instanceof UnsendableMail ? undefined : BACKOFF_MINUTES[row.attempts - 1];
  if (wait === undefined) return { id: row.id, status: "failed", error };
  const notBefore = new Date(now.getTime() + wait * 60_000).toISOString();
  return { id: row.id, status: "queued", notBefore, error };
}

/** Which mail a run sends: one site's (after a request on it), or every site's (the cron). */
export interface DeliveryScope {
  siteId?: string;
  rounds?: number;
}

/** Sends up to DELIVERY_BATCH mails that are due; says what became of them. */
export async function deliverDue(
  db: Db,
  setup: MailSetup,
  now: Date,
  siteId?: string,
): Promise<DeliveryReport> {
  const rows = await claimDue(db, {
    now: now.toISOString(),
    stuckBefore: new Date(now.getTime() - STUCK_MS).toISOString(),
    limit: DELIVERY_BATCH,
    siteId,
  });
  const report: DeliveryReport = { sent: 0, retried: 0, failed: 0, dropped: 0 };
  if (rows.length === 0) return report;
  const context = await mailContext(db, rows);
  const composed = await Promise.all(rows.map((row) => composeRow(row, context, setup, now)));
  const sendable = rows.flatMap((row, i) => {
    const mail = composed[i];
    return mail ? [{ row, mail }] : [];
  });
  // The whole batch in one go: over SMTP that is one connection (a Worker may open only so
  // many sockets and subrequests per invocation), elsewhere one request after another.
  const sent = await setup.transport.sendAll(sendable.map((s) => s.mail.message));
  const outcomes: Outcome[] = rows.flatMap((row, i) =>
    composed[i] ? [] : [{ id: row.id, status: "dropped" as const, at: now.toISOString() }],
  );
  const actions: NewMailAction[] = [];
  sendable.forEach(({ row, mail }, i) => {
    const outcome = outcomeOf(
      row,
      sent[i] ?? { status: "rejected", reason: "not sent" },
      setup.transport.name,
      now,
    );
    outcomes.push(outcome);
    if (outcome.status === "sent") actions.push(...mail.actions);
  });
  await settle(db, outcomes, actions);
  for (const outcome of outcomes) {
    if (outcome.status === "queued") report.retried++;
    else report[outcome.status]++;
  }
  return report;
}

/**
 * Sends what is due, `rounds` batches at most (fewer once one comes back short), when the
 * deployment can send mail. It runs after responses (for the site asked about) and on the Cron
 * Trigger (for all), where nobody waits for it: a failure is logged, and the mail stays in the
 * outbox for the next run.
 */
export async function deliverMail(
  env: NotificationEnv,
  db: Db,
  now: Date,
  { siteId, rounds = 1 }: DeliveryScope = {},
): Promise<void> {
  try {
    const setup = mailSetup(env);
    for (let round = 0; setup && round < rounds; round++) {
      const done = await deliverDue(db, setup, now, siteId);
      if (done.sent + done.retried + done.failed + done.dropped < DELIVERY_BATCH) break;
    }
  } catch (error) {
    console.error("parley: mail delivery failed", error);
  }
}

/** How long sent mail is kept (for the operator's view), then forgotten with its address. */
const KEEP_SENT_MS = 7 * 24 * 3600 * 1000;

/** The Cron Trigger's other job: forget done mail and expired moderation links. */
export function forgetOldMail(db: Db, now: Date): Promise<void> {
  return pruneOutbox(db, new Date(now.getTime() - KEEP_SENT_MS).toISOString());
}
