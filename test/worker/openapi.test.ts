import { describe, expect, it } from "vitest";
import { call, createSite, expectError, json, pageUrl, postRaw } from "./helpers";

interface Schema {
  $ref?: string;
  type?: string | string[];
  properties?: Record<string, Schema>;
  required?: string[];
  maxLength?: number;
  minLength?: number;
  items?: Schema;
}

interface Operation {
  security?: Record<string, string[]>[];
  parameters?: { name: string; in: string }[];
  requestBody?: { content: Record<string, { schema: Schema }> };
  responses: Record<string, { content?: Record<string, { schema: Schema }> }>;
}

interface Document {
  openapi: string;
  paths: Record<string, Record<string, Operation>>;
  components: { schemas: Record<string, Schema>; securitySchemes: Record<string, unknown> };
}

const METHODS = ["get", "post", "put", "patch", "delete"];

/** The API.md operations (Conventions, Public, Operator) that src/routes implements. */
const CONTRACT: [string, string][] = [
  ["get", "/api/v1/sites/{site}/thread"],
  ["post", "/api/v1/sites/{site}/comments"],
  ["patch", "/api/v1/sites/{site}/comments/{id}"],
  ["delete", "/api/v1/sites/{site}/comments/{id}"],
  ["get", "/api/v1/sites/{site}/comments/{id}"],
  ["post", "/api/v1/sites/{site}/comments/{id}/vote"],
  ["get", "/api/v1/sites/{site}/comments/{id}/replies"],
  ["get", "/api/v1/sites/{site}/counts"],
  ["get", "/api/v1/sites/{site}/feed.atom"],
  ["get", "/api/v1/sites/{site}/recent"],
  ["get", "/api/v1/sites"],
  ["post", "/api/v1/sites"],
  ["get", "/api/v1/sites/{site}"],
  ["patch", "/api/v1/sites/{site}"],
  ["delete", "/api/v1/sites/{site}"],
  ["get", "/api/v1/sites/{site}/keys"],
  ["post", "/api/v1/sites/{site}/keys"],
  ["delete", "/api/v1/sites/{site}/keys/{keyId}"],
];

const OPERATOR = CONTRACT.filter(([, path]) =>
  /^\/api\/v1\/sites(\/\{site\}(\/keys(\/\{keyId\})?)?)?$/.test(path),
);
const EDIT_TOKEN: [string, string][] = [
  ["patch", "/api/v1/sites/{site}/comments/{id}"],
  ["delete", "/api/v1/sites/{site}/comments/{id}"],
];

async function fetchDocument(): Promise<Document> {
  const res = await call("GET", "/api/v1/openapi.json");
  expect(res.status).toBe(200);
  expect(res.headers.get("content-type")).toMatch(/^application\/json/);
  return json<Document>(res);
}

function operations(doc: Document): { name: string; path: string; op: Operation }[] {
  return Object.entries(doc.paths).flatMap(([path, item]) =>
    Object.entries(item)
      .filter(([method]) => METHODS.includes(method))
      .map(([method, op]) => ({ name: `${method.toUpperCase()} ${path}`, path, op })),
  );
}

function resolve(doc: Document, schema: Schema | undefined): Schema | undefined {
  const name = schema?.$ref?.replace("#/components/schemas/", "");
  return name ? doc.components.schemas[name] : schema;
}

describe("GET /api/v1/openapi.json", () => {
  it("serves an OpenAPI 3.1 document", async () => {
    const doc = await fetchDocument();
    expect(doc.openapi).toMatch(/^3\.1(\.|$)/);
    expect(Object.keys(doc.paths).length).toBeGreaterThan(0);
  });

  it("documents every path and method of the contract that the service implements", async () => {
    const doc = await fetchDocument();
    const missing = CONTRACT.filter(([method, path]) => !doc.paths[path]?.[method]).map(
      ([method, path]) => `${method.toUpperCase()} ${path}`,
    );
    expect(missing).toEqual([]);
  });

  it("describes NewComment with the limits the server enforces", async () => {
    const doc = await fetchDocument();
    const newComment = doc.components.schemas.NewComment;
    expect(newComment?.properties?.author?.properties?.name?.maxLength).toBe(80);
    expect(newComment?.properties?.body?.maxLength).toBe(5000);
    expect(newComment?.required).toEqual(expect.arrayContaining(["page", "author", "body"]));
    const body =
      doc.paths["/api/v1/sites/{site}/comments"]?.post?.requestBody?.content["application/json"];
    expect(body?.schema.$ref).toBe("#/components/schemas/NewComment");

    // The same numbers are the ones validation applies: the document comes from those schemas.
    const site = await createSite();
    const page = pageUrl();
    expect((await postRaw(site.id, page, { author: { name: "n".repeat(80) } })).status).toBe(201);
    await expectError(
      await postRaw(site.id, page, { author: { name: "n".repeat(81) } }),
      422,
      "validation_failed",
    );
    expect((await postRaw(site.id, page, { body: "b".repeat(5000) })).status).toBe(201);
    await expectError(
      await postRaw(site.id, page, { body: "b".repeat(5001) }),
      422,
      "validation_failed",
    );
  });

  it("documents an Error schema in API.md's shape", async () => {
    const doc = await fetchDocument();
    const error = doc.components.schemas.Error;
    expect(error?.required).toContain("error");
    const inner = resolve(doc, error?.properties?.error);
    expect(inner?.required).toEqual(expect.arrayContaining(["code", "message"]));
    expect(Object.keys(inner?.properties ?? {})).toEqual(
      expect.arrayContaining(["code", "message", "details"]),
    );
    const detail = resolve(doc, inner?.properties?.details?.items);
    expect(Object.keys(detail?.properties ?? {})).toEqual(
      expect.arrayContaining(["path", "message"]),
    );
  });

  /**
   * thread.html's no-JavaScript form answers a browser, not a program: its errors are short HTML
   * pages (text/html) for the reader, except the body's own gates (413, 415), which are JSON.
   */
  const ANSWERS_WITH_PAGES = new Set(["POST /api/v1/sites/{site}/comments/form"]);

  it("documents every operation's error responses with the Error schema", async () => {
    const doc = await fetchDocument();
    const problems: string[] = [];
    for (const { name, path, op } of operations(doc)) {
      if (!path.startsWith("/api/v1/sites")) continue;
      const errorStatuses = Object.keys(op.responses).filter((s) => Number(s) >= 400);
      if (errorStatuses.length === 0) problems.push(`${name}: no error responses`);
      const pages = ANSWERS_WITH_PAGES.has(name);
      for (const status of errorStatuses) {
        const content = op.responses[status]?.content;
        const ref = content?.["application/json"]?.schema.$ref;
        if (pages && content?.["text/html"]) continue;
        if (ref !== "#/components/schemas/Error") problems.push(`${name} ${status}: ${ref}`);
      }
      const has = (s: number) => errorStatuses.includes(String(s));
      if (op.requestBody) {
        // A form is never JSON, so it has no malformed-JSON 400.
        for (const s of pages ? [413, 415, 422] : [400, 413, 415, 422])
          if (!has(s)) problems.push(`${name}: no ${s}`);
      }
      if (path.includes("{site}") && !has(404)) problems.push(`${name}: no 404`);
      if (op.security?.length && !has(401)) problems.push(`${name}: no 401`);
    }
    expect(problems).toEqual([]);
  });

  it("documents the adminToken and editToken bearer schemes and where each applies", async () => {
    const doc = await fetchDocument();
    expect(doc.components.securitySchemes.adminToken).toMatchObject({
      type: "http",
      scheme: "bearer",
    });
    expect(doc.components.securitySchemes.editToken).toMatchObject({
      type: "http",
      scheme: "bearer",
    });
    const schemesOf = (method: string, path: string) =>
      (doc.paths[path]?.[method]?.security ?? []).flatMap((s) => Object.keys(s));
    expect(OPERATOR).toHaveLength(8);
    for (const [method, path] of OPERATOR) {
      expect(schemesOf(method, path), `${method} ${path}`).toEqual(["adminToken"]);
    }
    for (const [method, path] of EDIT_TOKEN) {
      expect(schemesOf(method, path), `${method} ${path}`).toEqual(["editToken"]);
    }
    for (const [method, path] of CONTRACT) {
      if (OPERATOR.some(([m, p]) => m === method && p === path)) continue;
      expect(schemesOf(method, path), `${method} ${path}`).not.toContain("adminToken");
    }
  });

  it("answers 422 to a malformed comment id on DELETE, so the document must list 422", async () => {
    const site = await createSite();
    await expectError(
      await call("DELETE", `/api/v1/sites/${site.id}/comments/not-an-id`),
      422,
      "validation_failed",
    );
  });

  // Regression: DELETE /api/v1/sites/{site}/comments/{id} once answered 422 for a malformed id
  // without documenting it.
  it("documents 422 on every operation whose path parameters are validated", async () => {
    const doc = await fetchDocument();
    const undocumented = operations(doc)
      .filter(({ path, op }) => path.includes("{") && !op.responses["422"])
      .map(({ name }) => name);
    expect(undocumented).toEqual([]);
  });
});
