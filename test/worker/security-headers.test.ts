import { env } from "cloudflare:workers";
import { beforeAll, describe, expect, it } from "vitest";
import { call, createSite, pageUrl, post } from "./helpers";

/*
 * The headers every response of the Worker carries (the static assets get theirs from
 * public/_headers: test/e2e/static-assets.test.ts). Regression: no response had
 * X-Content-Type-Options: nosniff, and the demo pages had no Content-Security-Policy and no
 * frame protection.
 */

const fx = {} as { site: string; page: string };

beforeAll(async () => {
  fx.site = (await createSite()).id;
  fx.page = pageUrl();
  await post(fx.site, fx.page);
});

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

const ORIGIN = { origin: "https://news.example" };
const threadPath = () => `/api/v1/sites/${fx.site}/thread?page=${encodeURIComponent(fx.page)}`;
const commentsPath = () => `/api/v1/sites/${fx.site}/comments`;
const getThread = () => call("GET", threadPath(), undefined, ORIGIN);
const preflight = () =>
  call("OPTIONS", threadPath(), undefined, { ...ORIGIN, "access-control-request-method": "GET" });
const postComment = (body: string, name = "Ana") =>
  call("POST", commentsPath(), { page: fx.page, author: { name }, body }, ORIGIN);

/** One response of each kind the Worker makes, but the demo pages, with its status. */
const apiResponses: Array<[string, number, () => Promise<Response>]> = [
  ["200 JSON (thread)", 200, getThread],
  ["200 JSON (health)", 200, () => call("GET", "/api/v1/health")],
  ["201 JSON (posted)", 201, () => postComment("Headers, please")],
  ["404 unknown endpoint", 404, () => call("GET", "/api/v1/no-such-thing")],
  ["404 unknown path outside the API", 404, () => call("GET", "/no-such-page")],
  ["404 unknown demo article", 404, () => call("GET", "/demo/no-such-article")],
  ["404 unknown site", 404, () => call("GET", "/api/v1/sites/no-such-site/thread?page=x")],
  ["401 operator call without a token", 401, () => call("GET", "/api/v1/sites")],
  ["422 invalid comment", 422, () => postComment("", "")],
  ["413 oversized body", 413, () => postComment("x".repeat(70_000))],
  ["200 openapi.json", 200, () => call("GET", "/api/v1/openapi.json")],
  ["204 CORS preflight", 204, preflight],
];

const DEMO_PAGES = ["/demo", "/demo/index", "/demo/night-trains"];

describe("security headers", () => {
  it("sends nosniff, no framing and a policy that lets nothing load on every API response", async () => {
    for (const [label, status, send] of apiResponses) {
      const res = await send();
      await res.arrayBuffer();
      expect(
        {
          label,
          status: res.status,
          nosniff: res.headers.get("x-content-type-options"),
          frameOptions: res.headers.get("x-frame-options"),
          policy: directives(res.headers.get("content-security-policy")),
        },
        label,
      ).toEqual({
        label,
        status,
        nosniff: "nosniff",
        frameOptions: "DENY",
        policy: { "default-src": ["'none'"], "frame-ancestors": ["'none'"] },
      });
    }
  });

  it("sends them on an unexpected failure (500) too", async () => {
    const site = await createSite();
    // A row the code cannot read (as in errors.test.ts), restored at once.
    const setOrigins = (origins: string) =>
      env.DB.prepare("UPDATE sites SET origins = ? WHERE id = ?").bind(origins, site.id).run();
    await setOrigins("{not json");
    let res: Response;
    try {
      res = await call("GET", `/api/v1/sites/${site.id}/thread?page=x`);
    } finally {
      await setOrigins('["https://news.example"]');
    }
    expect(res.status).toBe(500);
    expect(res.headers.get("x-content-type-options")).toBe("nosniff");
    expect(res.headers.get("x-frame-options")).toBe("DENY");
    expect(res.headers.get("content-security-policy")).toBe(
      "default-src 'none'; frame-ancestors 'none'",
    );
  });

  it("keeps CORS for the widget alongside them", async () => {
    for (const send of [getThread, preflight]) {
      const res = await send();
      expect(res.headers.get("access-control-allow-origin")).toBe(ORIGIN.origin);
      expect(res.headers.get("x-content-type-options")).toBe("nosniff");
    }
  });

  it("gives the demo pages a strict policy: own-origin scripts and fetches, the inline style by its hash", async () => {
    for (const path of DEMO_PAGES) {
      const res = await call("GET", path);
      const html = await res.text();
      expect(res.status, path).toBe(200);
      expect(res.headers.get("x-content-type-options"), path).toBe("nosniff");
      expect(res.headers.get("x-frame-options"), path).toBe("DENY");
      const policy = directives(res.headers.get("content-security-policy"));

      // The one inline stylesheet is allowed by its hash, and nothing else inline is.
      const styles = [...html.matchAll(/<style>([\s\S]*?)<\/style>/g)].map((m) => m[1] ?? "");
      expect(styles, path).toHaveLength(1);
      const hash = await crypto.subtle.digest("SHA-256", new TextEncoder().encode(styles[0]));
      const styleSource = `'sha256-${btoa(String.fromCharCode(...new Uint8Array(hash)))}'`;
      expect(policy, path).toEqual({
        "default-src": ["'none'"],
        // widget.js and count.js; the widget's API calls and locale files.
        "script-src": ["'self'"],
        "connect-src": ["'self'"],
        "style-src": [styleSource],
        // The page's favicon is a data: URL.
        "img-src": ["data:"],
        "base-uri": ["'none'"],
        "form-action": ["'none'"],
        "frame-ancestors": ["'none'"],
      });
      expect(html, path).not.toMatch(/<script(?![^>]*\bsrc=)/);
    }
  });
});
