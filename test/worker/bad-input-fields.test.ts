import { beforeAll, describe, expect, it } from "vitest";
import { fieldCases } from "./bad-input-fields-cases";
import { emailOfLength, refuseEach, setUpFixture } from "./bad-input-fixture";
import { call, createSite, expectError, pageUrl, thread } from "./helpers";

/*
 * Wrong fields are refused with 422 and the field's path (404 parent_not_found for a parent the
 * page does not have): the rows are in bad-input-fields-cases.ts. Fields exactly at their
 * limits are accepted; a line break in a single-line field is not.
 */

describe("bad input", () => {
  beforeAll(setUpFixture);
  refuseEach(fieldCases);
});

describe("values at their limits", () => {
  // The positive control for the over-long rows (bad-input-fields-cases.ts): one character less
  // is accepted.
  it("accepts a comment whose every field is exactly at its limit", async () => {
    const site = await createSite();
    const page = `https://news.example/${"p".repeat(2048 - 21)}`;
    const res = await call("POST", `/api/v1/sites/${site.id}/comments`, {
      page,
      title: "t".repeat(300),
      author: {
        name: "n".repeat(80),
        email: emailOfLength(254),
        website: `https://ana.example/${"w".repeat(2048 - 20)}`,
      },
      body: "x".repeat(5000),
    });
    expect(res.status).toBe(201);
    expect((await thread(site.id, page)).thread.count).toBe(1);
  });
});

describe("line breaks in single-line fields", () => {
  // Regression: U+2028 and U+2029 once slipped past the single-line check (\p{Cc} misses them).
  for (const [label, name] of [
    ["LINE SEPARATOR (\\u2028)", "An\u2028a"],
    ["PARAGRAPH SEPARATOR (\\u2029)", "An\u2029a"],
  ] as const) {
    it(`refuses a ${label} in the name`, async () => {
      const site = await createSite();
      const res = await call("POST", `/api/v1/sites/${site.id}/comments`, {
        page: pageUrl(),
        author: { name },
        body: "Hello",
      });
      await expectError(res, 422, "validation_failed");
    });
  }
});
