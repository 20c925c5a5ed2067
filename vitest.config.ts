import { availableParallelism } from "node:os";
import path from "node:path";
import { cloudflareTest, readD1Migrations } from "@cloudflare/vitest-pool-workers";
import { defineConfig } from "vitest/config";

export default defineConfig(async () => {
  // The same files wrangler applies; test/worker/setup.ts applies them inside workerd.
  const migrations = await readD1Migrations(path.join(import.meta.dirname, "migrations"));
  return {
    test: {
      // Vitest's default is one worker fewer than the machine's cores: one, on CI's two. Our
      // files spend most of their time waiting (on workerd, Chromium, the local server), so
      // two at a time finish sooner even there.
      maxWorkers: Math.max(2, availableParallelism()),
      projects: [
        {
          plugins: [
            cloudflareTest({
              wrangler: { configPath: "./wrangler.toml" },
              miniflare: {
                // PARLEY_DEMO as `npm start` sets it: the demo pages are tested too. Mail goes
                // through the HTTP transport to mail.parley.test, which tests stub at the
                // network edge (test/worker/mailbox.ts).
                bindings: {
                  TEST_MIGRATIONS: migrations,
                  ADMIN_TOKEN: "test-admin-token",
                  PARLEY_DEMO: "on",
                  MAIL_TRANSPORT: "http",
                  MAIL_HTTP_URL: "https://mail.parley.test/emails",
                  MAIL_HTTP_TOKEN: "test-mail-token",
                  MAIL_FROM: "Parley <comments@parley.test>",
                  // The links in mail: the origin the worker tests call (test/worker/helpers.ts).
                  PUBLIC_URL: "http://parley.test",
                },
                // Cloudflare's send_email binding as Miniflare simulates it, for the send_email
                // transport's tests. Not in wrangler.toml: a deployment has it only once the
                // operator has set up Email Service (README "Mail").
                email: { send_email: [{ name: "SEND_EMAIL" }] },
              },
            }),
          ],
          test: {
            name: "worker",
            // One runtime and one D1 for all the files a worker runs, not a fresh pair per file:
            // starting one took 2 to 4 s, half the suite's time. Every test builds its own site,
            // page and keys (test/worker/helpers.ts) and setup.ts hands back the clock, so no
            // file sees another's data or time.
            isolate: false,
            include: ["test/worker/**/*.test.ts"],
            setupFiles: ["./test/worker/setup.ts"],
            // Generous: CI machines have two cores and some tests make hundreds of requests.
            testTimeout: 60_000,
          },
        },
        {
          // The edge Worker (edge/), in workerd on its own wrangler config. Its tests hand each
          // request to the Worker with a fake Parley and stub the origin at globalThis.fetch.
          plugins: [
            cloudflareTest({
              wrangler: { configPath: "./edge/wrangler.toml" },
              // Parley's Worker is not in this runtime; the binding must still name something.
              miniflare: {
                serviceBindings: {
                  PARLEY: () => new Response("the tests bring their own Parley", { status: 503 }),
                },
              },
            }),
          ],
          test: {
            name: "edge",
            include: ["edge/test/**/*.test.ts"],
            // A Worker that held the article back would leave a test waiting for bytes that
            // never come: the bound says when to give up on it.
            testTimeout: 10_000,
          },
        },
        {
          // The import/export CLI under Node.js, on a temporary local database.
          test: {
            name: "cli",
            include: ["test/cli/**/*.test.ts"],
            environment: "node",
            testTimeout: 180_000,
          },
        },
        {
          // The widget in real Chromium against the built Worker on workerd (test/e2e/server.ts),
          // and `npm start` itself (local-server.test.ts, mail-flow.test.ts). One file at a time,
          // after the other projects' files, all on the one Chromium the global setup starts.
          test: {
            name: "browser",
            include: ["test/e2e/**/*.test.ts"],
            environment: "node",
            globalSetup: ["./test/e2e/global-setup.ts"],
            fileParallelism: false,
            // All its files in one worker, one after another: a fresh worker per file cost a
            // second or two of start and imports each, on the run's one-file-at-a-time tail.
            // Vitest runs a project that allows one worker at a time in a group of its own after
            // the others (its pool's groupSpecs), which must then say so: groupOrder 1.
            isolate: false,
            sequence: { groupOrder: 1 },
            // Conditions are polled until they hold; the bound only says when to give up, and a
            // busy machine (CI, or a second suite beside this one) needs more than the 1 s default.
            expect: { poll: { timeout: 20_000 } },
            testTimeout: 120_000,
            hookTimeout: 180_000,
          },
        },
      ],
    },
  };
});
