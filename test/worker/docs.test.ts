import { describe, expect, it } from "vitest";
import apiMd from "../../docs/api.md?raw";
import { sha256Base64 } from "../../src/platform/crypto";
import { call, json } from "./helpers";

/*
 * The API reference ships with the product (issue 13): a page rendered from the OpenAPI document,
 * served from Parley's own origin under a strict policy, and the contract in docs/api.md, which
 * must not drift from what the code serves. Before, the reference lived outside the repository
 * and there was no page.
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

// ---- docs/api.md against the code ---------------------------------------------------------

interface Schema {
  properties?: Record<string, Schema>;
  [key: string]: unknown;
}

interface Operation {
  parameters?: { name: string }[];
  responses: Record<string, { description: string }>;
}

interface Document {
  paths: Record<string, Record<string, Operation>>;
  components: { schemas: Record<string, Schema> };
}

/** Endpoints the Worker serves outside the OpenAPI document, and the static files beside them. */
const SERVED_BESIDE = [
  "GET /api/v1/health",
  "GET /api/v1/openapi.json",
  "GET /api/v1/docs",
  "GET /widget.js",
  "GET /count.js",
  "GET /recent.js",
  "GET /i18n/{lang}.txt",
  "GET /i18n/count/{lang}.txt",
  // The pages the links in mail open: HTML, not the JSON API (src/routes/mail/pages.ts).
  "GET /mail/confirm",
  "GET /mail/unsubscribe",
  "GET /mail/subscriptions",
  "GET /mail/moderate",
];

/** The contract as built: docs/api.md up to its "Planned" section. */
const built = apiMd.split(/^## Planned/m)[0] ?? "";

async function fetchDocument(): Promise<Document> {
  return json<Document>(await call("GET", "/api/v1/openapi.json"));
}

function operations(doc: Document) {
  return Object.entries(doc.paths).flatMap(([path, item]) =>
    Object.entries(item).map(([method, op]) => ({ name: `${method.toUpperCase()} ${path}`, op })),
  );
}

/** Every property name of every schema below `node`, at any depth. */
function fieldNames(node: unknown, into = new Set<string>()): Set<string> {
  if (Array.isArray(node)) for (const item of node) fieldNames(item, into);
  else if (node && typeof node === "object") {
    const schema = node as Schema;
    for (const name of Object.keys(schema.properties ?? {})) into.add(name);
    for (const value of Object.values(schema)) fieldNames(value, into);
  }
  return into;
}

/** Whether docs/api.md names `endpoint` ("METHOD /path") whole, not as the start of a longer path. */
const describes = (endpoint: string) =>
  new RegExp(`${endpoint.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}(?![\\w/{}.-])`).test(built);

/** Whether docs/api.md names `word` as code, a JSON key, a path parameter or a query parameter. */
const named = (word: string) =>
  [`\`${word}\``, `"${word}"`, `{${word}}`, `?${word}=`, `&${word}=`].some((form) =>
    built.includes(form),
  );

describe("docs/api.md", () => {
  it("names every operation of the OpenAPI document as METHOD /path", async () => {
    const missing = operations(await fetchDocument())
      .map(({ name }) => name)
      .filter((name) => !describes(name));
    expect(missing).toEqual([]);
  });

  it("describes as built only endpoints the Worker serves", async () => {
    const served = new Set([
      ...operations(await fetchDocument()).map(({ name }) => name),
      ...SERVED_BESIDE,
    ]);
    const described = [...built.matchAll(/\b(GET|POST|PATCH|PUT|DELETE) (\/[^\s`?]*)/g)].map(
      ([, method, path]) => `${method} ${path}`,
    );
    expect(described.length).toBeGreaterThan(served.size);
    expect([...new Set(described)].filter((name) => !served.has(name))).toEqual([]);
    for (const path of ["/api/v1/health", "/api/v1/openapi.json", "/api/v1/docs"]) {
      expect((await call("GET", path)).status, path).toBe(200);
    }
  });

  it("names every field and parameter of the OpenAPI document", async () => {
    const doc = await fetchDocument();
    const names = fieldNames([doc.components.schemas, doc.paths]);
    for (const { op } of operations(doc)) for (const p of op.parameters ?? []) names.add(p.name);
    expect([...names].filter((name) => !named(name))).toEqual([]);
  });

  it("names every error code the OpenAPI document's error responses name", async () => {
    const codes = new Set(
      operations(await fetchDocument()).flatMap(({ op }) =>
        Object.entries(op.responses)
          .filter(([status]) => Number(status) >= 400)
          .flatMap(([, { description }]) =>
            [...description.matchAll(/`([a-z]+(?:_[a-z]+)*)`/g)].map((m) => m[1] ?? ""),
          ),
      ),
    );
    expect(codes.size).toBeGreaterThan(10);
    expect([...codes].filter((code) => !named(code))).toEqual([]);
  });
});
