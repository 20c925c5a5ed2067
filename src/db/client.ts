import { drizzle } from "drizzle-orm/d1";
import { type D1Meter, metered, type Queryable } from "../platform/d1";
import * as schema from "./schema";

export function createDb(d1: Queryable, meter: D1Meter) {
  return drizzle(metered(d1, meter), { schema });
}

export type Db = ReturnType<typeof createDb>;
