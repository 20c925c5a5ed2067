import { beforeAll, describe } from "vitest";
import { credentialCases } from "./bad-input-credentials-cases";
import { refuseEach, setUpFixture } from "./bad-input-fixture";

/*
 * Wrong credentials are refused with 401 or 403 (404 when the path names no such comment): the
 * rows are in bad-input-credentials-cases.ts.
 */

describe("bad input", () => {
  beforeAll(setUpFixture);
  refuseEach(credentialCases);
});
