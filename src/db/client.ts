import { drizzle } from "drizzle-orm/d1";
import { type D1Meter, metered, type Queryable } from "../platform/d1";

/**
 * A request's drizzle handle on its metered D1 session. Without a schema: Parley uses the query
 * builder only (never `db.query`'s relational API), and a schema makes drizzle work out every
 * table's relations on each handle, which is one per request: in a CPU profile of cached thread
 * views, that was the largest single function of Parley's own.
 */
export function createDb(d1: Queryable, meter: D1Meter) {
  return drizzle(metered(d1, meter));
}

export type Db = ReturnType<typeof createDb>;
