import { expect } from "vitest";
import { fetchWorker, type SiteFixture } from "./helpers";

/*
 * The moderators' console as a browser reaches it (console*.test.ts): a cookie of its own, a
 * network of its own, and forms sent from the console's own origin unless a test says otherwise.
 */

export const BASE = "http://parley.test";
export const SAME_ORIGIN = { origin: BASE, "sec-fetch-site": "same-origin" };

export interface Browser {
  cookie?: string;
  ip: string;
}

let networks = 0;
/** A browser of its own: its cookie, and a network no other test signs in from. */
export function browser(): Browser {
  networks += 1;
  return { ip: `2001:db8:${networks.toString(16)}::1` };
}

/** A request from `who`'s browser; `form` goes as a urlencoded body, as a form posts it. */
export function send(
  who: Browser,
  method: string,
  path: string,
  form?: Record<string, string | string[]>,
  headers: Record<string, string> = SAME_ORIGIN,
  bindings = {},
) {
  const body = new URLSearchParams();
  for (const [name, value] of Object.entries(form ?? {}))
    for (const one of [value].flat()) body.append(name, one);
  return fetchWorker(
    new Request(`${BASE}${path}`, {
      method,
      redirect: "manual",
      headers: {
        "cf-connecting-ip": who.ip,
        ...(who.cookie ? { cookie: who.cookie } : {}),
        ...(form ? { "content-type": "application/x-www-form-urlencoded" } : {}),
        ...headers,
      },
      body: form ? body : undefined,
    }),
    bindings,
  );
}

/** Signs the browser in with `secret`; returns the sign-in's response. */
export async function signIn(who: Browser, secret: string, bindings = {}) {
  const res = await send(who, "POST", "/admin/sign-in", { secret }, SAME_ORIGIN, bindings);
  const cookie = res.headers.get("set-cookie")?.split(";")[0];
  if (res.status === 303 && cookie) who.cookie = cookie;
  return res;
}

export async function signedInModerator(site: SiteFixture) {
  const who = browser();
  expect((await signIn(who, site.secret)).status).toBe(303);
  return who;
}
