import { createMiddleware } from "hono/factory";
import { createDb, D1Meter } from "../db/client";
import type { AppEnv } from "../env";

/**
 * Gives each request a metered database handle and reports what D1 did in `Server-Timing`:
 * `db;dur=<ms>` (D1's own execution time) and `rows;desc="<n>"` (rows read), plus
 * `written;desc="<n>"` (rows written). The row counts are what D1 bills by.
 */
export const database = createMiddleware<AppEnv>(async (c, next) => {
  const meter = new D1Meter();
  c.set("meter", meter);
  c.set("db", createDb(c.env.DB, meter));
  await next();
  c.res.headers.append(
    "Server-Timing",
    `db;dur=${meter.durationMs.toFixed(2)}, rows;desc="${meter.rowsRead}", written;desc="${meter.rowsWritten}"`,
  );
});
