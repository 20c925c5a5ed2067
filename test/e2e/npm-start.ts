// `npm start`'s server, booted once by global-setup.ts, as the files about it reach it: its API
// over HTTP, and a wait for it to answer (local-server.test.ts restarts its wrangler dev, and a
// file after that one waits for the restart).
import { expect, inject, vi } from "vitest";
import { apiClient } from "../shared/api-client";
import { sendOverOwnConnection } from "./http-send";

export const npmStart = inject("npmStart");

/** Pages on another origin than the server: the same server under another host name. */
export const npmStartArticles = () => npmStart.baseUrl.replace("//localhost:", "//127.0.0.1:");

export const npmStartClient = apiClient({
  base: () => npmStart.baseUrl,
  send: sendOverOwnConnection,
  adminToken: npmStart.adminToken,
  articles: npmStartArticles,
  origins: ["http://localhost:*"],
});

/** Waits until the server answers its health check (through a restart of wrangler dev). */
export async function untilServing(): Promise<void> {
  const health = () =>
    npmStartClient.call("GET", "/api/v1/health").then(
      (r) => r.status,
      () => 0,
    );
  await vi.waitFor(async () => expect(await health()).toBe(200), { timeout: 120_000 });
}
