import { describe, expect, it } from "vitest";
import { sha256Base64 } from "../../src/services/crypto";
import { call } from "./helpers";

/*
 * The API reference ships with the product (issue 13): a page rendered from the OpenAPI document,
 * served from Parley's own origin under a strict policy. Before, there was no page.
 */

/** A Content-Security-Policy as directive → its sources. */
function directives(policy: string | null): Record<string, string[]> {
  return Object.fromEntries(
    (policy ?? "")
      .split(";")
      .map((d) => d.trim().split(/\s+/))
      .filter(([name]) => name)
      .map(([name, ...sources]) => [name, sources]),
  );
}

/** The inline scripts of a page: every <script> without a src. */
const inlineScripts = (page: string) =>
  [...page.matchAll(/<script(?![^>]*\bsrc=)[^>]*>([\s\S]*?)<\/script>/g)].map((m) => m[1] ?? "");

describe("the API reference page, GET /api/v1/docs", () => {
  it("is served under a policy that loads scripts, styles and data from this origin only", async () => {
    const res = await call("GET", "/api/v1/docs");
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toMatch(/^text\/html/);
    expect(res.headers.get("x-content-type-options")).toBe("nosniff");
    expect(res.headers.get("x-frame-options")).toBe("DENY");
    const policy = directives(res.headers.get("content-security-policy"));
    const page = await res.text();
    const hashes = await Promise.all(
      inlineScripts(page).map(async (s) => `'sha256-${await sha256Base64(s)}'`),
    );
    expect(hashes).toHaveLength(1);
    expect(policy).toEqual({
      "default-src": ["'none'"],
      "script-src": ["'self'", ...hashes],
      "style-src": ["'self'"],
      "connect-src": ["'self'"],
      "img-src": ["data:"],
      "base-uri": ["'none'"],
      "form-action": ["'none'"],
      "frame-ancestors": ["'none'"],
    });
  });

  it("renders the OpenAPI document of this origin and names no other origin", async () => {
    const page = await (await call("GET", "/api/v1/docs")).text();
    expect(inlineScripts(page).join("")).toContain("url: '/api/v1/openapi.json'");
    // Every URL the page names is a path on this origin (or the data: favicon)...
    const urls = [...page.matchAll(/\b(?:src|href)="([^"]*)"/g)].map((m) => m[1]);
    expect(urls).toEqual([
      "data:,",
      "/docs/swagger-ui-dist/swagger-ui.css",
      "/docs/swagger-ui-dist/swagger-ui-bundle.js",
    ]);
    // ...and nothing in it, markup or script, is an absolute or scheme-relative URL.
    expect(page).not.toMatch(/[a-z]:\/\/|["'(=]\s*\/\//i);
  });
});
