import { beforeAll, describe, expect, it } from "vitest";
import { ADMIN, call, createSite, type Posted, pageUrl, post } from "./helpers";

/*
 * CORS on the public endpoints opens only to the site's own origins (createSite allows
 * https://news.example and http://localhost:*), never with credentials; the operator API never
 * answers CORS at all.
 */

const ACAO = "access-control-allow-origin";
const ACAC = "access-control-allow-credentials";

interface Fixture {
  site: string;
  page: string;
  comment: Posted;
}

const fx = {} as Fixture;

/** One request per public endpoint, each sent with the given Origin. */
const publicEndpoints: Array<[string, (origin: string) => Promise<Response>]> = [
  [
    "GET thread",
    (origin) =>
      call(
        "GET",
        `/api/v1/sites/${fx.site}/thread?page=${encodeURIComponent(fx.page)}`,
        undefined,
        { origin },
      ),
  ],
  [
    "GET counts",
    (origin) =>
      call(
        "GET",
        `/api/v1/sites/${fx.site}/counts?page=${encodeURIComponent(fx.page)}`,
        undefined,
        { origin },
      ),
  ],
  [
    "POST comments",
    // Refused by validation on purpose: the widget must still be able to read the error, and
    // nothing is written.
    (origin) =>
      call(
        "POST",
        `/api/v1/sites/${fx.site}/comments`,
        { page: fx.page, author: { name: "" }, body: "" },
        { origin },
      ),
  ],
  [
    "PATCH comment",
    (origin) =>
      call(
        "PATCH",
        `/api/v1/sites/${fx.site}/comments/${fx.comment.comment.id}`,
        { body: "Edited" },
        { origin, authorization: "Bearer wrong-token" },
      ),
  ],
  [
    "POST vote",
    (origin) =>
      call(
        "POST",
        `/api/v1/sites/${fx.site}/comments/${fx.comment.comment.id}/vote`,
        { value: 0 },
        { origin },
      ),
  ],
];

function preflight(path: string, origin: string, method = "POST"): Promise<Response> {
  return call("OPTIONS", path, undefined, {
    origin,
    "access-control-request-method": method,
    "access-control-request-headers": "content-type,authorization",
  });
}

const csv = (value: string | null) =>
  (value ?? "")
    .split(",")
    .map((v) => v.trim().toLowerCase())
    .filter(Boolean);

beforeAll(async () => {
  const site = await createSite();
  fx.site = site.id;
  fx.page = pageUrl();
  fx.comment = await post(fx.site, fx.page);
});

describe("CORS on public endpoints", () => {
  const allowed = [
    ["the exact origin", "https://news.example"],
    ["a localhost port under http://localhost:*", "http://localhost:5173"],
    ["localhost without a port under http://localhost:*", "http://localhost"],
  ] as const;

  for (const [label, origin] of allowed) {
    it(`echoes ${label} (${origin}) on every public endpoint`, async () => {
      for (const [endpoint, send] of publicEndpoints) {
        const res = await send(origin);
        expect(res.status, endpoint).toBeLessThan(500);
        expect(res.headers.get(ACAO), endpoint).toBe(origin);
        expect(res.headers.get(ACAC), endpoint).toBeNull();
        expect(csv(res.headers.get("vary")), endpoint).toContain("origin");
      }
    });
  }

  const refused = [
    ["another domain", "https://evil.example"],
    ["a host that starts with localhost", "http://localhost.evil.example:80"],
    ["a host that extends an allowed one", "https://news.example.evil.example"],
    ["the allowed host over http", "http://news.example"],
    ["https on a localhost port (only http is allowed)", "https://localhost:5173"],
    ["a localhost port that is not a number", "http://localhost:abc"],
    ["an opaque origin", "null"],
  ] as const;

  for (const [label, origin] of refused) {
    it(`gives ${label} (${origin}) no Access-Control-Allow-Origin`, async () => {
      for (const [endpoint, send] of publicEndpoints) {
        const res = await send(origin);
        expect(res.status, endpoint).toBeLessThan(500);
        expect(res.headers.get(ACAO), endpoint).toBeNull();
        expect(res.headers.get(ACAC), endpoint).toBeNull();
      }
    });
  }

  // Regression: the site middleware once ran twice on POST .../comments ("Vary: Origin, Origin").
  it("sends Vary: Origin once on POST comments", async () => {
    const res = await call(
      "POST",
      `/api/v1/sites/${fx.site}/comments`,
      { page: fx.page, author: { name: "" }, body: "" },
      { origin: "https://news.example" },
    );
    expect(res.status).toBe(422);
    expect(csv(res.headers.get("vary")).filter((v) => v === "origin")).toHaveLength(1);
  });

  it("still answers callers that send no Origin (server to server), without CORS headers", async () => {
    const res = await call(
      "GET",
      `/api/v1/sites/${fx.site}/thread?page=${encodeURIComponent(fx.page)}`,
    );
    expect(res.status).toBe(200);
    expect(res.headers.get(ACAO)).toBeNull();
  });

  it("does not open a site to origins that only another site allows", async () => {
    const other = await createSite({ origins: ["https://other.example", "http://127.0.0.1:*"] });
    const own = `/api/v1/sites/${other.id}/thread?page=x`;
    const mine = await call("GET", own, undefined, { origin: "https://other.example" });
    expect(mine.headers.get(ACAO)).toBe("https://other.example");
    for (const origin of ["https://other.example", "http://127.0.0.1:8080"]) {
      for (const [endpoint, send] of publicEndpoints) {
        expect((await send(origin)).headers.get(ACAO), `${endpoint} from ${origin}`).toBeNull();
      }
    }
    // ...and the other site is not opened by this one's origins either.
    const theirs = await call("GET", own, undefined, { origin: "https://news.example" });
    expect(theirs.headers.get(ACAO)).toBeNull();
  });

  it("follows the site's origins when the operator changes them", async () => {
    const site = await createSite();
    const path = `/api/v1/sites/${site.id}/thread?page=x`;
    const origin = "https://news.example";
    expect((await call("GET", path, undefined, { origin })).headers.get(ACAO)).toBe(origin);
    const patched = await call(
      "PATCH",
      `/api/v1/sites/${site.id}`,
      { origins: ["https://elsewhere.example"] },
      ADMIN,
    );
    expect(patched.status).toBe(200);
    expect((await call("GET", path, undefined, { origin })).headers.get(ACAO)).toBeNull();
  });
});

describe("CORS preflight", () => {
  const paths = () => [
    `/api/v1/sites/${fx.site}/thread`,
    `/api/v1/sites/${fx.site}/counts`,
    `/api/v1/sites/${fx.site}/comments`,
    `/api/v1/sites/${fx.site}/comments/${fx.comment.comment.id}`,
    `/api/v1/sites/${fx.site}/comments/${fx.comment.comment.id}/vote`,
  ];

  it("answers an allowed origin 204 with the methods and headers the widget uses", async () => {
    for (const path of paths()) {
      const res = await preflight(path, "http://localhost:5173", "PATCH");
      expect(res.status, path).toBe(204);
      expect(res.headers.get(ACAO), path).toBe("http://localhost:5173");
      expect(res.headers.get(ACAC), path).toBeNull();
      expect(csv(res.headers.get("access-control-allow-methods")), path).toEqual(
        expect.arrayContaining(["post", "patch"]),
      );
      expect(csv(res.headers.get("access-control-allow-headers")), path).toEqual(
        expect.arrayContaining(["content-type", "authorization"]),
      );
    }
  });

  it("gives a disallowed origin no Access-Control-Allow-Origin", async () => {
    for (const origin of ["https://evil.example", "https://news.example.evil.example"]) {
      for (const path of paths()) {
        const res = await preflight(path, origin);
        expect(res.status, path).toBeLessThan(500);
        expect(res.headers.get(ACAO), `${path} from ${origin}`).toBeNull();
        expect(res.headers.get(ACAC), path).toBeNull();
      }
    }
  });
});

describe("CORS on operator endpoints", () => {
  const operatorCalls = (): Array<[string, () => Promise<Response>]> => {
    const origin = { origin: "https://news.example" };
    return [
      ["GET sites", () => call("GET", "/api/v1/sites", undefined, { ...ADMIN, ...origin })],
      [
        "POST sites (refused as a duplicate)",
        () =>
          call(
            "POST",
            "/api/v1/sites",
            { id: fx.site, name: "x", origins: ["https://news.example"] },
            { ...ADMIN, ...origin },
          ),
      ],
      [
        "GET site keys",
        () => call("GET", `/api/v1/sites/${fx.site}/keys`, undefined, { ...ADMIN, ...origin }),
      ],
      [
        "GET site",
        () => call("GET", `/api/v1/sites/${fx.site}`, undefined, { ...ADMIN, ...origin }),
      ],
      ["GET sites without a token", () => call("GET", "/api/v1/sites", undefined, origin)],
      ["preflight POST sites", () => preflight("/api/v1/sites", "https://news.example")],
      [
        "preflight GET keys",
        () => preflight(`/api/v1/sites/${fx.site}/keys`, "https://news.example", "GET"),
      ],
    ];
  };

  it("never answers CORS, even to an origin the site allows", async () => {
    const statuses: Record<string, number> = {};
    for (const [label, send] of operatorCalls()) {
      const res = await send();
      statuses[label] = res.status;
      expect(res.headers.get(ACAO), label).toBeNull();
      expect(res.headers.get(ACAC), label).toBeNull();
    }
    // The authorised calls did reach their handlers: the missing header is not an accident.
    expect(statuses).toMatchObject({
      "GET sites": 200,
      "POST sites (refused as a duplicate)": 409,
      "GET site keys": 200,
      "GET site": 200,
    });
  });
});
