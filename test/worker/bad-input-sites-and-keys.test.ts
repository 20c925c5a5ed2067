import { beforeAll, describe } from "vitest";
import { refuseEach, setUpFixture } from "./bad-input-fixture";
import { siteAndKeyCases } from "./bad-input-sites-and-keys-cases";

/*
 * The operator's bad site and key requests are refused with the exact status and code: the rows
 * are in bad-input-sites-and-keys-cases.ts.
 */

describe("bad input", () => {
  beforeAll(setUpFixture);
  refuseEach(siteAndKeyCases);
});
