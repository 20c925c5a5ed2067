import type { Context } from "hono";
import { deleteCookie, getCookie, setCookie } from "hono/cookie";
import { csrf } from "hono/csrf";
import { createMiddleware } from "hono/factory";
import type { AppEnv } from "../env";
import { ApiError } from "../errors";
import { now } from "../platform/clock";
import { viewerOfSession } from "../services/console/sessions";

/*
 * The guards of the moderators' console (src/routes/console/): its headers, the same-origin rule
 * for every POST, and the session cookie.
 */

/**
 * The session cookie. `__Host-` makes browsers keep it only when it is Secure, for this host and
 * path /, so no other subdomain can set or read it; HttpOnly keeps it from scripts; SameSite=Strict
 * leaves it off every request another site starts.
 */
export const SESSION_COOKIE = "__Host-parley_console";

/** Only the console's own stylesheet and script; nothing framed, no form posting elsewhere. */
const POLICY =
  "default-src 'none'; style-src 'self'; script-src 'self'; img-src 'self'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'";

export const consoleHeaders = createMiddleware<AppEnv>(async (c, next) => {
  await next();
  c.header("Content-Security-Policy", POLICY);
  c.header("Cache-Control", "no-store");
  c.header("Referrer-Policy", "same-origin");
});

const FORM = /^(application\/x-www-form-urlencoded|multipart\/form-data)\b/i;

/**
 * A state change comes from the console's own pages: a form post (anything else is 415, so no
 * JSON sneaks past the check below) from this origin, by Sec-Fetch-Site or Origin (Hono's csrf).
 * SameSite=Strict already keeps the cookie off other sites' requests; this refuses them even so.
 */
const sameOrigin = csrf();
export const ownFormPosts = createMiddleware<AppEnv>(async (c, next) => {
  if (c.req.method !== "POST") return next();
  if (!FORM.test(c.req.header("content-type") ?? "")) {
    throw new ApiError(415, "unsupported_media_type", "The console takes its own forms only.");
  }
  return sameOrigin(c, next);
});

export function startSession(c: Context<AppEnv>, token: string, expires: Date): void {
  setCookie(c, SESSION_COOKIE, token, {
    path: "/",
    secure: true,
    httpOnly: true,
    sameSite: "Strict",
    expires,
  });
}

export function endSession(c: Context<AppEnv>): void {
  deleteCookie(c, SESSION_COOKIE, { path: "/", secure: true });
}

export const sessionToken = (c: Context<AppEnv>): string => getCookie(c, SESSION_COOKIE) ?? "";

/** The signed-in viewer, or the sign-in page for anyone else. */
export const signedIn = createMiddleware<AppEnv>(async (c, next) => {
  const token = sessionToken(c);
  const viewer = token
    ? await viewerOfSession(c.var.db, token, c.env.ADMIN_TOKEN, now())
    : undefined;
  if (!viewer) return c.redirect("/admin/sign-in", 303);
  c.set("viewer", viewer);
  await next();
});
