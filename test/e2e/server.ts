// The two ways the browser tests run Parley, each on a free port and a fresh state directory:
//  - startBuiltWorker: the Worker `npm run build` bundles (what a deployment runs), with the
//    static assets of public/ and a local D1, on workerd through Miniflare (scripts/runtime.mjs);
//    the demo site and its discussion are seeded as `npm start` seeds them, and its mail goes to
//    a local mail catcher as `npm start`'s does (mailboxDir). The browser tests share one
//    (global-setup.ts). No wrangler dev proxy stands between them and the Worker, so a machine
//    busy with other work (CI's two cores, a second suite beside this one) makes answers slower,
//    never lost (README "Development").
//  - startServer: the whole product the way a site owner runs it (`npm start`'s script: it
//    builds the widget, applies migrations to a fresh local D1, seeds the demo, and keeps
//    wrangler dev serving). global-setup.ts starts one for local-server.test.ts and
//    mail-flow.test.ts. It runs in its own process group so stopping it also stops the
//    wrangler/workerd children it spawns.
import { type ChildProcess, spawn } from "node:child_process";
import { openSync, readFileSync } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import { constants, setPriority, tmpdir } from "node:os";
import path from "node:path";
import { ensureDemoSite, seedDemoDiscussion } from "../../scripts/demo-seed.mjs";
import { freePort } from "../../scripts/local-http.mjs";
import { startMailCatcher } from "../../scripts/mail-catcher.mjs";
import { applyMigrations, buildWidget, buildWorker, startRuntime } from "../../scripts/runtime.mjs";

const ADMIN_TOKEN = "e2e-admin";
const root = path.resolve(import.meta.dirname, "../..");
const START_TIMEOUT_MS = 150_000;

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function status(url: string, headers: Record<string, string> = {}): Promise<number> {
  try {
    return (await fetch(url, { headers, signal: AbortSignal.timeout(5_000) })).status;
  } catch {
    return 0;
  }
}

function stop(child: ChildProcess): void {
  if (child.pid === undefined || child.exitCode !== null) return;
  try {
    // Negative pid: the whole group (wrangler and the workerd it started).
    process.kill(-child.pid, "SIGTERM");
  } catch {
    // already gone
  }
}

/** Removes a server's state and log, unless PARLEY_E2E_KEEP asks to keep them for a look. */
async function keepOrRemove(tempDir: string): Promise<void> {
  if (process.env.PARLEY_E2E_KEEP) console.log(`e2e server state kept in ${tempDir}`);
  else await rm(tempDir, { recursive: true, force: true });
}

export interface RunningServer {
  /** e.g. http://localhost:41234 */
  baseUrl: string;
  adminToken: string;
  /** The local D1 state directory, for the few facts only SQL can set (an edit deadline). */
  persistDir: string;
  /** Where the mail catcher stores each message the Worker sends, as one .eml file. */
  mailboxDir: string;
  stop: () => Promise<void>;
}

export async function startBuiltWorker(): Promise<RunningServer> {
  const tempDir = await mkdtemp(path.join(tmpdir(), "parley-e2e-"));
  const persistDir = path.join(tempDir, "state");
  const dist = path.join(tempDir, "dist");
  const catcher = await startMailCatcher({ dir: path.join(tempDir, "mailbox") });
  const removeState = async () => {
    await catcher.stop();
    await keepOrRemove(tempDir);
  };
  try {
    // Independent until the runtime starts, which reads public/: built side by side.
    await Promise.all([buildWidget(), buildWorker(dist), applyMigrations(persistDir)]);
    const port = await freePort();
    const runtime = await startRuntime({
      port,
      scriptPath: path.join(dist, "index.js"),
      persistDir,
      adminToken: ADMIN_TOKEN,
      assets: true,
      // The pages on other origins load the widget from localhost, as from `npm start`, and
      // the links in mail lead there too.
      vars: { PARLEY_DEMO: "on", PUBLIC_URL: `http://localhost:${port}`, ...catcher.vars },
      logFile: path.join(tempDir, "server.log"),
    });
    const baseUrl = runtime.base.replace("127.0.0.1", "localhost");
    await ensureDemoSite(baseUrl, ADMIN_TOKEN);
    await seedDemoDiscussion(baseUrl, ADMIN_TOKEN);
    return {
      baseUrl,
      adminToken: ADMIN_TOKEN,
      persistDir,
      mailboxDir: catcher.dir,
      stop: async () => {
        await runtime.stop();
        await removeState();
      },
    };
  } catch (error) {
    await removeState();
    throw error;
  }
}

export interface NpmStartServer extends RunningServer {
  /** The pid of `npm start`'s script (scripts/start.mjs), to check it is still running. */
  pid: number;
}

export async function startServer(): Promise<NpmStartServer> {
  const tempDir = await mkdtemp(path.join(tmpdir(), "parley-e2e-"));
  const persistDir = path.join(tempDir, "state");
  const mailboxDir = path.join(tempDir, "mailbox");
  const logFile = path.join(tempDir, "server.log");
  const log = openSync(logFile, "a");
  const port = await freePort();
  const baseUrl = `http://localhost:${port}`;

  // Its mail goes to start.mjs's own catcher, whatever transport this shell may have set.
  const { MAIL_TRANSPORT: _, ...environment } = process.env;
  const child = spawn(process.execPath, ["scripts/start.mjs"], {
    cwd: root,
    env: {
      ...environment,
      PORT: String(port),
      // Its own devtools port too: other servers may run beside it (local-server.test.ts's, or
      // another checkout's suite).
      INSPECTOR_PORT: String(await freePort()),
      PERSIST_DIR: persistDir,
      MAILBOX_DIR: mailboxDir,
      ADMIN_TOKEN,
    },
    stdio: ["ignore", log, log],
    detached: true,
  });
  // The server before the browser and the test runner that drive it: on a busy machine (CI's two
  // cores, or a second suite beside this one) a Worker starved of CPU for about 5 s makes wrangler
  // dev's proxy drop the request and exit (README "Development"), and the tests in flight fail.
  // Set before start.mjs starts wrangler and workerd, which inherit it; without the right to raise
  // a priority the server simply runs at the default one.
  if (child.pid !== undefined) {
    try {
      setPriority(child.pid, constants.priority.PRIORITY_ABOVE_NORMAL);
    } catch {
      // not permitted here
    }
  }
  const onExit = () => stop(child);
  process.on("exit", onExit);

  const teardown = async () => {
    process.off("exit", onExit);
    stop(child);
    await Promise.race([
      new Promise((r) => (child.exitCode !== null ? r(null) : child.once("exit", r))),
      sleep(5_000),
    ]);
    if (child.pid !== undefined) {
      try {
        process.kill(-child.pid, "SIGKILL");
      } catch {
        // exited cleanly
      }
    }
    await keepOrRemove(tempDir);
  };

  const deadline = Date.now() + START_TIMEOUT_MS;
  const auth = { authorization: `Bearer ${ADMIN_TOKEN}` };
  // start.mjs says it is running once the demo site exists and its discussion is seeded.
  const announced = () => readFileSync(logFile, "utf8").includes("Parley is running on");
  while (
    !announced() ||
    (await status(`${baseUrl}/api/v1/health`)) !== 200 ||
    (await status(`${baseUrl}/api/v1/sites/demo`, auth)) !== 200
  ) {
    if (child.exitCode !== null || Date.now() > deadline) {
      const tail = readFileSync(logFile, "utf8").split("\n").slice(-40).join("\n");
      await teardown();
      throw new Error(`the Parley server did not start (exit ${child.exitCode}):\n${tail}`);
    }
    await sleep(250);
  }

  return {
    baseUrl,
    adminToken: ADMIN_TOKEN,
    persistDir,
    mailboxDir,
    pid: child.pid ?? 0,
    stop: teardown,
  };
}
