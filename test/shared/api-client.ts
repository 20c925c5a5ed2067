/**
 * How tests talk to Parley's API, whichever way they reach it: worker tests hand each request to
 * the Worker in-process (test/worker/helpers.ts), browser tests send it over HTTP to the server
 * `npm start` runs (test/e2e/api.ts). One module, because two copies drifted: the browser tests'
 * `createSite` laid a test's settings over its quiet limits, so a test that set any limit turned
 * the time trap back on without saying so.
 *
 * Runs in workerd and in Node.js alike: web APIs only, and vitest's `expect`.
 */
import { expect } from "vitest";
import type { PublicComment } from "../../src/shared/vocabulary";

/** Hands one request to the server under test and returns its answer. */
export type Send = (request: Request) => Promise<Response>;

export interface ClientOptions {
  /** The API's origin, read when each request is built (the browser tests learn it late). */
  base: () => string;
  send: Send;
  adminToken: string;
  /** Where test articles live: a test's page URLs start with it, and its sites allow it. */
  articles: () => string;
  /** Origins every test site allows besides `articles`. */
  origins: string[];
  /** Limits of this client's test sites besides QUIET_LIMITS; a test's own still win. */
  limits?: Record<string, number>;
}

/**
 * Posting limits a test site starts with: off, because most tests post many comments from one
 * address at machine speed, which is not what they are about. A test's own `limits` are laid
 * over these, key by key.
 */
export const QUIET_LIMITS = {
  postsPerMinute: 0,
  postsPerDay: 0,
  minSecondsToPost: 0,
};

let counter = 0;
/** A fresh id per call, so every test builds its own site and pages and order never matters. */
export function uniqueId(prefix = "s"): string {
  counter += 1;
  return `${prefix}-${Date.now().toString(36)}-${counter}-${Math.random().toString(36).slice(2, 8)}`;
}

export interface SiteFixture {
  id: string;
  secret: string;
}

export interface Posted {
  comment: PublicComment;
  editToken: string;
  editableUntil: string;
}

export interface ThreadView {
  site: Record<string, unknown>;
  thread: { page: string; title: string; count: number; locked: boolean };
  comments: PublicComment[];
  nextCursor: string | null;
  issuedAt: string;
}

/** A site, one of its pages, and the comments posted on it, in the order given. */
export interface ThreadFixture {
  site: string;
  secret: string;
  /** The page's path, for a browser to open on the articles' origin. */
  path: string;
  /** The page's URL, as the API names it. */
  page: string;
  posted: Posted[];
}

export interface ThreadPlan {
  /** Site settings, as POST /api/v1/sites takes them. */
  settings?: Record<string, unknown>;
  /** First segment of the page's path, to tell tests' pages apart in logs. */
  section?: string;
  /** Fields of each comment to post, one after the other (a reply needs its parent first). */
  posts?: Array<Record<string, unknown>>;
}

export function apiClient(options: ClientOptions) {
  const admin = { authorization: `Bearer ${options.adminToken}` };

  function call(
    method: string,
    path: string,
    body?: unknown,
    headers: Record<string, string> = {},
  ): Promise<Response> {
    const init: RequestInit = { method, headers: { ...headers } };
    if (body !== undefined) {
      init.body = typeof body === "string" ? body : JSON.stringify(body);
      (init.headers as Record<string, string>)["content-type"] ??= "application/json";
    }
    return options.send(new Request(`${options.base()}${path}`, init));
  }

  /** A site for one test, with the quiet limits under whatever limits `settings` sets. */
  async function createSite(settings: Record<string, unknown> = {}): Promise<SiteFixture> {
    const id = typeof settings.id === "string" ? settings.id : uniqueId("site");
    const res = await call(
      "POST",
      "/api/v1/sites",
      {
        id,
        name: `Site ${id}`,
        origins: [options.articles(), ...options.origins],
        ...settings,
        limits: {
          ...QUIET_LIMITS,
          ...options.limits,
          ...(settings.limits as object | undefined),
        },
      },
      admin,
    );
    expect(res.status, await res.clone().text()).toBe(201);
    const { secret } = (await res.json()) as { secret: string };
    return { id, secret };
  }

  /** A new page's URL on the articles' origin. */
  const pageUrl = (section = "article") => `${options.articles()}/${section}/${uniqueId("p")}`;

  /**
   * Posts a comment as a reader's browser would. The default body differs per call: the server
   * holds a body already posted on the site that day as a duplicate.
   */
  function postRaw(
    site: string,
    page: string,
    fields: Record<string, unknown> = {},
    headers: Record<string, string> = {},
  ): Promise<Response> {
    return call(
      "POST",
      `/api/v1/sites/${site}/comments`,
      { page, author: { name: "Ana" }, body: `Hello ${uniqueId("body")}`, ...fields },
      headers,
    );
  }

  /** Posts a comment that must be accepted (published or held). */
  async function post(
    site: string,
    page: string,
    fields: Record<string, unknown> = {},
    headers: Record<string, string> = {},
  ): Promise<Posted> {
    const res = await postRaw(site, page, fields, headers);
    expect([201, 202], await res.clone().text()).toContain(res.status);
    return (await res.json()) as Posted;
  }

  /** The thread's first page (or the one `query` asks for), which must be served. */
  async function thread(site: string, page: string, query = ""): Promise<ThreadView> {
    const res = await call(
      "GET",
      `/api/v1/sites/${site}/thread?page=${encodeURIComponent(page)}${query}`,
    );
    expect(res.status).toBe(200);
    return (await res.json()) as ThreadView;
  }

  /**
   * The fixture most tests start from: a site of their own, a page on it, and the comments they
   * need there. A post's `parentIndex` names an earlier post of the plan to reply to.
   */
  async function newThread(plan: ThreadPlan = {}): Promise<ThreadFixture> {
    const site = await createSite(plan.settings);
    const page = pageUrl(plan.section);
    const posted: Posted[] = [];
    for (const { parentIndex, ...fields } of plan.posts ?? []) {
      const parent = typeof parentIndex === "number" ? posted[parentIndex] : undefined;
      posted.push(
        await post(site.id, page, parent ? { ...fields, parentId: parent.comment.id } : fields),
      );
    }
    return { site: site.id, secret: site.secret, path: new URL(page).pathname, page, posted };
  }

  return { admin, call, createSite, pageUrl, postRaw, post, thread, newThread };
}
