// The API reference page (GET /api/v1/docs) in real Chromium, served by `npm start`'s server:
// Swagger UI renders the OpenAPI document, its "Try it out" reaches the API, every request the
// page makes stays on the server's own origin, and the page's Content-Security-Policy refuses
// nothing (issue 13: before, there was no page and the reference lived outside the repository).
import { describe, expect, it } from "vitest";
import { baseUrl, createSite, post, uniqueId } from "./api";
import { expectNoErrors, useBrowser } from "./browser";

const s = useBrowser();

/** Records every Content-Security-Policy violation the page reports, from its first script on. */
const RECORD_VIOLATIONS = `window.cspViolations = [];
document.addEventListener("securitypolicyviolation", (e) =>
  window.cspViolations.push(e.effectiveDirective + " " + (e.blockedURI || "inline")));`;

describe("the API reference page", () => {
  it("renders the API from the server's own origin, within its own policy", async () => {
    const site = (await createSite()).id;
    const page = `${baseUrl()}/news/${uniqueId("p")}`;
    await post(site, page);
    await s.page.addInitScript(RECORD_VIOLATIONS);

    const res = await s.page.goto(`${baseUrl()}/api/v1/docs`);
    expect(res?.status()).toBe(200);
    expect(res?.headers()["content-security-policy"]).toMatch(/script-src 'self' 'sha256-/);
    await s.page.getByText("Post a comment or a reply").waitFor();

    // "Try it out" on the thread view: the request goes to this server and is answered.
    const operation = s.page.locator(".opblock", { hasText: "Everything the widget needs" });
    await operation.getByText("Everything the widget needs").click();
    await operation.getByRole("button", { name: "Try it out" }).click();
    await operation.locator('input[placeholder="site"]').fill(site);
    await operation.locator('input[placeholder="page"]').fill(page);
    const answered = s.page.waitForResponse(
      (r) => new URL(r.url()).pathname === `/api/v1/sites/${site}/thread`,
    );
    await operation.getByRole("button", { name: "Execute" }).click();
    expect((await answered).status()).toBe(200);
    await expect
      .poll(() => operation.locator(".live-responses-table").textContent())
      .toMatch(/200/);
    await s.page.waitForLoadState("networkidle");

    const requested = s.requests.map((r) => new URL(r.url()));
    expect(new Set(requested.map((url) => url.origin))).toEqual(new Set([baseUrl()]));
    expect(requested.map((url) => url.pathname)).toEqual(
      expect.arrayContaining([
        "/api/v1/docs",
        "/docs/swagger-ui-dist/swagger-ui.css",
        "/docs/swagger-ui-dist/swagger-ui-bundle.js",
        "/api/v1/openapi.json",
        `/api/v1/sites/${site}/thread`,
      ]),
    );
    expect(await s.page.evaluate("window.cspViolations")).toEqual([]);
    expectNoErrors(s);
  });
});
