// Starts the whole product once for the browser run (test/e2e/server.ts) and hands the tests its
// address.
import type { TestProject } from "vitest/node";
import { startBuiltWorker } from "./server";

declare module "vitest" {
  export interface ProvidedContext {
    /** e.g. http://localhost:41234 */
    baseUrl: string;
    adminToken: string;
    /** The local D1 state directory, for the few facts only SQL can set (an edit deadline). */
    persistDir: string;
    /** Where the server's mail lands, one .eml file per message (scripts/mail-catcher.mjs). */
    mailboxDir: string;
  }
}

export default async function setup(project: TestProject) {
  const server = await startBuiltWorker();
  project.provide("baseUrl", server.baseUrl);
  project.provide("adminToken", server.adminToken);
  project.provide("persistDir", server.persistDir);
  project.provide("mailboxDir", server.mailboxDir);
  return server.stop;
}
