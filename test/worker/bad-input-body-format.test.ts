import { beforeAll, describe } from "vitest";
import { bodyFormatCases } from "./bad-input-body-format-cases";
import { refuseEach, setUpFixture } from "./bad-input-fixture";

/*
 * Bodies the API cannot read are refused with the exact status and code: the rows are in
 * bad-input-body-format-cases.ts.
 */

describe("bad input", () => {
  beforeAll(setUpFixture);
  refuseEach(bodyFormatCases);
});
