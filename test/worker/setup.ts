// Runs before each worker test file. The files share one runtime and its D1 (vitest's
// `isolate: false`, see vitest.config.ts), so what one file changes must not reach the next.
import { applyD1Migrations } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { afterEach } from "vitest";
import { forgetRecentReads } from "../../src/services/recent-reads";
import { restoreClock } from "./clock";

// Already-applied migrations are skipped: only the runtime's first file applies them.
await applyD1Migrations(env.DB, env.TEST_MIGRATIONS);

// A test that moved Parley's clock hands the real time back to the next, in any file.
afterEach(restoreClock);

// Rows the isolate kept for a moment (src/services/recent-reads.ts) are one test's: a test that
// writes straight to D1, as another isolate would, starts with none kept from the one before.
afterEach(forgetRecentReads);
