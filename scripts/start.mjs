#!/usr/bin/env node
// `npm start`: the whole product on one machine, offline, with no account and no prompts.
// Applies migrations to a local D1 under PERSIST_DIR, serves on PORT (devtools on INSPECTOR_PORT,
// wrangler's 9229 unless set: two servers on one machine need two), and makes sure the `demo`
// site exists (through the operator API, the same path every site takes). Safe to run again.
// Outgoing mail goes to a local mail catcher, one .eml file per message in MAILBOX_DIR, unless
// the environment sets MAIL_TRANSPORT (README "Mail").
import path from "node:path";
import { ensureDemoSite, seedDemoDiscussion } from "./demo-seed.mjs";
import { waitForHealth } from "./local-http.mjs";
import { startMailCatcher } from "./mail-catcher.mjs";
import { applyLocalMigrations, wrangler } from "./wrangler.mjs";

const port = process.env.PORT ?? "8787";
const persistDir = process.env.PERSIST_DIR ?? ".wrangler/state";
const inspectorPort = process.env.INSPECTOR_PORT;
/** The documented local default (README "Configuration"); deployments set a secret instead. */
const adminToken = process.env.ADMIN_TOKEN ?? "parley-local-admin";
const base = `http://localhost:${port}`;
const mailboxDir = path.resolve(process.env.MAILBOX_DIR ?? path.join(persistDir, "mailbox"));

/** The Worker's mail settings (README "Mail"): passed on as they are when MAIL_TRANSPORT is set. */
const MAIL_SETTINGS = [
  "MAIL_TRANSPORT",
  "MAIL_FROM",
  "SMTP_HOST",
  "SMTP_PORT",
  "SMTP_SECURITY",
  "SMTP_USER",
  "SMTP_PASSWORD",
  "MAIL_HTTP_URL",
  "MAIL_HTTP_TOKEN",
];

// The widget is served as static assets from public/.
await import("./build-widget.mjs");

await applyLocalMigrations(persistDir);

const catcher = process.env.MAIL_TRANSPORT
  ? undefined
  : await startMailCatcher({ dir: mailboxDir });
/** @type {Record<string, string>} */
const mailVars = catcher
  ? catcher.vars
  : Object.fromEntries(
      MAIL_SETTINGS.flatMap((name) => (process.env[name] ? [[name, process.env[name]]] : [])),
    );

/**
 * Wrangler 4.124 ends `wrangler dev` when one request fails between its dev proxy and the Worker
 * (cloudflare/workers-sdk#15203, #15317; later releases log it and carry on, but ask for Node 22),
 * and no option of it says otherwise. On a busy machine a burst of requests that keeps the Worker
 * busy for more than about 5 s makes the proxy lose a connection to it: that request is answered
 * 500 "Network connection lost" and the server ends. So a wrangler dev that has served and then
 * exits on its own is started again, on the same port and data: at most RESTARTS times in
 * RESTART_WINDOW_MS, each exit said on stderr. A restart that exits before it is ready counts as
 * one more exit (on a busy machine the first try may not be the one that comes up). A first start
 * that never came up, one that keeps exiting, and one we were asked to stop are not restarted:
 * start.mjs exits with its code.
 */
const RESTARTS = 5;
const RESTART_WINDOW_MS = 10 * 60_000;

/** @type {import("node:child_process").ChildProcess | undefined} */
let dev;
let stopping = false;
for (const signal of /** @type {const} */ (["SIGINT", "SIGTERM"])) {
  process.on(signal, () => {
    stopping = true;
    dev?.kill(signal);
  });
}

/**
 * Starts wrangler dev (`round` 0 the first time, then once per restart); `exited` resolves once
 * it has exited, with its code or the signal that ended it.
 */
function startDev(round = 0) {
  const child = wrangler(
    [
      "dev",
      "--port",
      port,
      "--persist-to",
      persistDir,
      "--show-interactive-dev-session=false",
      // A restart lets wrangler find a free devtools port: the runtime it replaces may hold the
      // one asked for a moment longer.
      ...(inspectorPort && round === 0 ? ["--inspector-port", inspectorPort] : []),
      // The demo pages (src/routes/demo.ts) are served only where they are asked for.
      "--var",
      "PARLEY_DEMO:on",
      // wrangler dev takes only declared variables and required secrets from .dev.vars and the
      // environment, so the mail settings go on its command line, with the origin mail links use.
      ...Object.entries(mailVars).flatMap(([name, value]) => ["--var", `${name}:${value}`]),
      "--var",
      `PUBLIC_URL:${process.env.PUBLIC_URL ?? base}`,
      // The Cron Trigger does not fire under wrangler dev: runCron() calls /__scheduled.
      "--test-scheduled",
    ],
    { env: { ADMIN_TOKEN: adminToken } },
  );
  dev = child;
  /** @type {Promise<{ code: number | null, signal: NodeJS.Signals | null }>} */
  const exited = new Promise((resolve) =>
    child.once("exit", (code, signal) => resolve({ code, signal })),
  );
  return { child, exited };
}

async function announce() {
  const secret = await ensureDemoSite(base, adminToken);
  console.log(
    secret
      ? `demo site: created. Its moderator key (shown once): ${secret}`
      : "demo site: already there",
  );
  if (await seedDemoDiscussion(base, adminToken)) console.log("demo article: discussion seeded");
  const token = process.env.ADMIN_TOKEN ? "from ADMIN_TOKEN" : `${adminToken} (the local default)`;
  console.log(`\nParley is running on ${base}`);
  console.log(`  demo article:   ${base}/demo   (index with counts: ${base}/demo/index)`);
  console.log(`  API:            ${base}/api/v1/openapi.json`);
  console.log(`  operator token: ${token}`);
  console.log(
    catcher
      ? `  mail:           each message as an .eml file in ${mailboxDir} (inbox: ${catcher.inbox})\n`
      : `  mail:           sent by ${process.env.MAIL_TRANSPORT} (MAIL_TRANSPORT is set)\n`,
  );
}

/**
 * Runs the Worker's Cron Trigger (wrangler.toml: every minute; src/scheduled.ts sends the mail
 * that waited) as Cloudflare would, since wrangler dev does not. A minute missed while wrangler
 * dev restarts is caught up by the next one.
 */
const CRON_MS = 60_000;
const cron = setInterval(() => {
  fetch(`${base}/__scheduled?cron=${encodeURIComponent("* * * * *")}`).catch(() => {});
}, CRON_MS);

/** Serves until wrangler dev exits for good; the exit code start.mjs should have. */
async function serve() {
  /** @type {number[]} When wrangler dev was started again, in epoch milliseconds. */
  let restarts = [];
  for (let round = 0; ; round++) {
    const { child, exited } = startDev(round);
    const ready = await waitForHealth(base, {
      ms: 60_000,
      alive: () => child.exitCode === null && child.signalCode === null,
    }).then(
      () => true,
      (error) => {
        const exitedEarly = child.exitCode !== null || child.signalCode !== null;
        if (round === 0 || !exitedEarly) throw error;
        return false;
      },
    );
    if (ready && round === 0) await announce();
    else if (ready) console.error(`parley: wrangler dev is serving again on ${base}`);
    const { code, signal } = await exited;
    if (stopping) return code ?? 0;
    const how = signal ?? `code ${code}`;
    const now = Date.now();
    restarts = restarts.filter((at) => now - at <= RESTART_WINDOW_MS);
    if (restarts.length === RESTARTS) {
      console.error(`parley: wrangler dev exited (${how}) ${RESTARTS + 1} times in 10 minutes`);
      return code ?? 1;
    }
    restarts.push(now);
    console.error(
      `parley: wrangler dev exited (${how}); starting it again, ${restarts.length} of ${RESTARTS} times in 10 minutes (README "Development")`,
    );
  }
}

try {
  const code = await serve();
  clearInterval(cron);
  await catcher?.stop();
  process.exit(code);
} catch (error) {
  if (!stopping) console.error(`parley: ${error instanceof Error ? error.message : error}`);
  dev?.kill("SIGTERM");
  clearInterval(cron);
  await catcher?.stop();
  process.exitCode = 1;
}
