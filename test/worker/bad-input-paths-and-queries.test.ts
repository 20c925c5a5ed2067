import { beforeAll, describe, expect, it } from "vitest";
import { countsPath, fx, refuseEach, setUpFixture } from "./bad-input-fixture";
import { pathAndQueryCases } from "./bad-input-paths-and-queries-cases";
import { call, json } from "./helpers";

/*
 * Wrong sites, ids, queries, cursors and paths are refused with the exact status and code: the
 * rows are in bad-input-paths-and-queries-cases.ts. A counts query at its limit is answered.
 */

describe("bad input", () => {
  beforeAll(setUpFixture);
  refuseEach(pathAndQueryCases);

  it("answers 200 for counts of exactly 100 pages (the limit itself is allowed)", async () => {
    const pages = Array.from({ length: 100 }, (_, i) => `${fx.pageA}?n=${i}`);
    const res = await call("GET", countsPath(pages));
    expect(res.status).toBe(200);
    const { counts } = await json<{ counts: Record<string, number> }>(res);
    expect(Object.keys(counts)).toHaveLength(100);
  });
});
