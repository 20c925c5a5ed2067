// Issue 14's fan-out: a thread with N confirmed subscribers and one new comment. What the post
// writes (the trigger queues one outbox row per subscriber in the post's own statement), how long
// it takes, and how long and how much workerd CPU the Cron Trigger needs to drain the outbox
// through the SMTP transport into the local mail catcher (scripts/mail-catcher.mjs).
import { readdir } from "node:fs/promises";
import { serverTiming } from "./http.mjs";
import { pageUrl, SITE } from "./seed.mjs";
import { cpuMs } from "./servers.mjs";

const round = (/** @type {number} */ x) => Math.round(x * 100) / 100;

/**
 * @param {string} base
 * @param {Record<string, unknown>} body
 */
async function post(base, body) {
  const res = await fetch(`${base}/api/v1/sites/${SITE}/comments`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify(body),
  });
  if (res.status !== 201) throw new Error(`fan-out post: ${res.status} ${await res.text()}`);
  return { res, comment: /** @type {{ comment: { id: string } }} */ (await res.json()).comment };
}

/**
 * @param {{
 *   base: string,
 *   db: () => ReturnType<import("miniflare").Miniflare["getD1Database"]>,
 *   scheduled: () => Promise<unknown>,
 *   processes: import("./servers.mjs").Processes,
 *   mailboxDir: string,
 *   subscribers?: number,
 *   log?: (line: string) => void,
 * }} options
 */
export async function measureFanOut({
  base,
  db,
  scheduled,
  processes,
  mailboxDir,
  subscribers = 1000,
  log = () => {},
}) {
  const d1 = await db();
  const page = pageUrl("fan-out");
  const first = await post(base, {
    page,
    title: "Benchmark article fan-out",
    author: { name: "Opener" },
    body: "Who will answer?",
  });
  const thread = await d1
    .prepare("SELECT thread_id AS id FROM comments WHERE id = ?")
    .bind(first.comment.id)
    .first();
  const at = new Date().toISOString();
  const statements = [];
  for (let i = 0; i < subscribers; i++) {
    statements.push(
      d1
        .prepare(
          "INSERT INTO mail_addresses (id, site_id, email, confirmed_at, created_at) VALUES (?, ?, ?, ?, ?)",
        )
        .bind(`e_fan${i}`, SITE, `fan-${i}@readers.example`, at, at),
      d1
        .prepare(
          "INSERT INTO subscriptions (id, site_id, address_id, thread_id, kind, comment_id, consent_wording, created_at) VALUES (?, ?, ?, ?, 'thread', ?, 'notify-v1', ?)",
        )
        .bind(`s_fan${i}`, SITE, `e_fan${i}`, thread?.id, first.comment.id, at),
    );
  }
  await d1.batch(statements);
  log(`  fan-out: ${subscribers} subscribers, one new comment`);

  const cpu = () => processes.runtime.reduce((ms, pid) => ms + cpuMs(pid), 0);
  const delivered = async () =>
    (await readdir(mailboxDir)).filter((file) => file.endsWith(".eml")).length;
  const mailedBefore = await delivered();
  const cpuBefore = cpu();
  const started = performance.now();
  const { res } = await post(base, {
    page,
    parentId: first.comment.id,
    author: { name: "Replier" },
    body: "An answer for everyone.",
  });
  const postMs = performance.now() - started;
  const timing = serverTiming(res.headers.get("server-timing"));
  const queued = async () =>
    Number(
      (
        await d1
          .prepare(
            "SELECT count(*) AS n FROM outbox WHERE site_id = ? AND kind = 'notify' AND status IN ('queued', 'sending')",
          )
          .bind(SITE)
          .first()
      )?.n ?? 0,
    );
  let cronRuns = 0;
  while ((await queued()) > 0) {
    await scheduled();
    cronRuns++;
    if (cronRuns > 50) throw new Error("fan-out: the outbox did not drain in 50 cron runs");
  }
  const drainMs = performance.now() - started;
  const cpuSpent = cpu() - cpuBefore;
  const mails = (await delivered()) - mailedBefore;
  return {
    subscribers,
    rowsWrittenByPost: timing.written,
    postMs: round(postMs),
    mailsDelivered: mails,
    cronRuns,
    drainSeconds: round(drainMs / 1000),
    workerdCpuMs: round(cpuSpent),
    cpuMsPerMail: round(cpuSpent / Math.max(1, mails)),
  };
}

/** @param {Awaited<ReturnType<typeof measureFanOut>>} r */
export function fanOutTable(r) {
  return [
    "### Fan-out: one new comment on a thread with subscribers (runtime alone, SMTP to the local catcher)",
    "",
    "| subscribers | rows written by the post | post ms | mails delivered | cron runs | drain s | workerd CPU ms | CPU ms / mail |",
    "|---:|---:|---:|---:|---:|---:|---:|---:|",
    `| ${r.subscribers} | ${r.rowsWrittenByPost} | ${r.postMs} | ${r.mailsDelivered} | ${r.cronRuns} | ${r.drainSeconds} | ${r.workerdCpuMs} | ${r.cpuMsPerMail} |`,
  ].join("\n");
}
