// Runs before each worker test file. The files share one runtime and its D1 (vitest's
// `isolate: false`, see vitest.config.ts), so what one file changes must not reach the next.
import { applyD1Migrations } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { afterEach } from "vitest";
import { restoreClock } from "./clock";

// Already-applied migrations are skipped: only the runtime's first file applies them.
await applyD1Migrations(env.DB, env.TEST_MIGRATIONS);

// A test that moved Parley's clock hands the real time back to the next, in any file.
afterEach(restoreClock);
