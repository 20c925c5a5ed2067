import { createExecutionContext, waitOnExecutionContext } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { vi } from "vitest";
import worker from "../../src/index";

/*
 * The outside services Parley talks to (Turnstile, Akismet, webhook receivers) cannot be reached
 * from a test, so they are stubbed where the Worker meets the network: globalThis.fetch. Each
 * stub answers as the service documents for its test keys and triggers; everything else of
 * Parley runs for real.
 */

export type Handler = (request: Request) => Response | Promise<Response>;

// Bytes, not .text(): workerd warns about reading a form body as text.
const bodyText = async (request: Request) =>
  new TextDecoder().decode(await request.clone().arrayBuffer());
const formOf = async (request: Request) => new URLSearchParams(await bodyText(request));

/** A request the Worker sent, read when it was sent (bodies cannot cross request contexts). */
export interface Sent {
  url: URL;
  headers: Headers;
  body: string;
}

/** Requests the Worker sent to stubbed hosts, in order. */
export interface Edge {
  sent: Sent[];
  to: (host: string) => Sent[];
}

const REDIRECTS = new Set([301, 302, 303, 307, 308]);
/** fetch's own limit on a chain of redirects. */
const MAX_REDIRECTS = 20;

/**
 * Routes fetches to the given hosts to their handlers; any other outgoing fetch fails the test.
 * Redirects are followed as fetch follows them (unless the request says `redirect: "manual"`),
 * so a test sees every request a real fetch would have made.
 */
export function stubNetwork(hosts: Record<string, Handler>): Edge {
  const sent: Sent[] = [];
  vi.spyOn(globalThis, "fetch").mockImplementation(async (input, init) => {
    let request = new Request(input, init);
    for (let hop = 0; hop <= MAX_REDIRECTS; hop++) {
      const url = new URL(request.url);
      const handler = hosts[url.host];
      if (!handler) throw new Error(`unexpected request to ${request.url}`);
      sent.push({ url, headers: request.headers, body: await bodyText(request) });
      const response = await handler(request);
      const location = response.headers.get("location");
      if (request.redirect === "manual" || !REDIRECTS.has(response.status) || !location) {
        return response;
      }
      // As the Fetch standard has it: a POST answered 301 or 302, and anything answered 303,
      // is asked again as a GET without its body; otherwise the request is repeated.
      const target = new URL(location, request.url);
      const asGet =
        response.status === 303 || (response.status <= 302 && request.method === "POST");
      request = asGet
        ? new Request(target, { method: "GET", headers: request.headers })
        : new Request(target, request);
    }
    throw new Error(`more than ${MAX_REDIRECTS} redirects`);
  });
  return { sent, to: (host) => sent.filter((r) => r.url.host === host) };
}

/** Turnstile's documented test secrets: always passes, always fails, token already spent. */
export const TURNSTILE = {
  host: "challenges.cloudflare.com",
  passes: "1x0000000000000000000000000000000AA",
  fails: "2x0000000000000000000000000000000AA",
  spent: "3x0000000000000000000000000000000AA",
  /** What the widget gets from Turnstile with a test sitekey. */
  dummyToken: "XXXX.DUMMY.TOKEN.XXXX",
};

/** siteverify as documented: the test secrets decide; no token is `missing-input-response`. */
export const turnstileSiteverify: Handler = async (request) => {
  const form = await formOf(request);
  const codes = !form.get("response")
    ? ["missing-input-response"]
    : form.get("secret") === TURNSTILE.passes
      ? []
      : form.get("secret") === TURNSTILE.spent
        ? ["timeout-or-duplicate"]
        : ["invalid-input-response"];
  return Response.json({ success: codes.length === 0, "error-codes": codes });
};

/** Akismet's documented trigger: this author name (or email) is always spam. */
export const AKISMET_SPAMMER = "akismet-guaranteed-spam";
export const AKISMET_KEY = "test-akismet-key";
export const akismetHost = `${AKISMET_KEY}.rest.akismet.com`;

/** comment-check answers "true" for the trigger, "false" otherwise; submit-* answer as Akismet does. */
export const akismet: Handler = async (request) => {
  const form = await formOf(request);
  if (new URL(request.url).pathname.endsWith("/comment-check")) {
    const trigger =
      form.get("comment_author") === AKISMET_SPAMMER ||
      form.get("comment_author_email") === `${AKISMET_SPAMMER}@example.com`;
    return new Response(trigger ? "true" : "false");
  }
  return new Response("Thanks for making the web a better place.");
};

/**
 * A request to the Worker the way the runtime makes it, with extra secrets (an Akismet key), and
 * returning only once the work it left for after the response (webhooks) has finished.
 */
export async function callWorker(
  method: string,
  path: string,
  body?: unknown,
  headers: Record<string, string> = {},
  secrets: Record<string, string> = {},
): Promise<Response> {
  const ctx = createExecutionContext();
  const init: RequestInit = { method, headers: { ...headers } };
  if (body !== undefined) {
    init.body = JSON.stringify(body);
    (init.headers as Record<string, string>)["content-type"] = "application/json";
  }
  const res = await worker.fetch(
    new Request(`http://parley.test${path}`, init),
    { ...env, ...secrets },
    ctx,
  );
  await waitOnExecutionContext(ctx);
  return res;
}
