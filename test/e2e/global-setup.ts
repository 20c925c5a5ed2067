// Starts the servers of the browser run (test/e2e/server.ts) and its Chromium (chromium.ts) side
// by side, once, and hands the tests their addresses: the built Worker every widget test drives,
// and `npm start` for the files about it (local-server.test.ts floods it and restarts its
// wrangler dev; mail-flow.test.ts reads its mail catcher; console.test.ts signs in to /admin).
// Files run one at a time, so none feels another. Booting `npm start` here, beside the built Worker, rather than in those files
// keeps its half minute off the run's one-file-at-a-time path, once.
import type { TestProject } from "vitest/node";
import { startChromium } from "./chromium";
import { startBuiltWorker, startServer } from "./server";

declare module "vitest" {
  export interface ProvidedContext {
    /** e.g. http://localhost:41234 */
    baseUrl: string;
    adminToken: string;
    /** The local D1 state directory, for the few facts only SQL can set (an edit deadline). */
    persistDir: string;
    /** Where the server's mail lands, one .eml file per message (scripts/mail-catcher.mjs). */
    mailboxDir: string;
    /** `npm start`'s server: its address, operator token, and the pid of scripts/start.mjs. */
    npmStart: { baseUrl: string; adminToken: string; pid: number; mailboxDir: string };
    /** Where test files connect to the run's Chromium (browser.ts). */
    chromium: string;
  }
}

export default async function setup(project: TestProject) {
  const [server, npmStart, browser] = await Promise.allSettled([
    startBuiltWorker(),
    startServer(),
    startChromium(),
  ]);
  const stop = async () => {
    for (const started of [server, npmStart]) {
      if (started.status === "fulfilled") await started.value.stop();
    }
    if (browser.status === "fulfilled") await browser.value.close();
  };
  if (
    server.status === "rejected" ||
    npmStart.status === "rejected" ||
    browser.status === "rejected"
  ) {
    await stop();
    const reasons = [server, npmStart, browser].flatMap((started) =>
      started.status === "rejected" ? [started.reason] : [],
    );
    throw reasons[0];
  }
  project.provide("baseUrl", server.value.baseUrl);
  project.provide("adminToken", server.value.adminToken);
  project.provide("persistDir", server.value.persistDir);
  project.provide("mailboxDir", server.value.mailboxDir);
  const { baseUrl, adminToken, pid, mailboxDir } = npmStart.value;
  project.provide("npmStart", { baseUrl, adminToken, pid, mailboxDir });
  project.provide("chromium", browser.value.wsEndpoint());
  return stop;
}
