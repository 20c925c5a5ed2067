import { createMiddleware } from "hono/factory";

/** Nothing may load, run or frame it: right for JSON, which no browser should render as a page. */
const NOTHING = "default-src 'none'; frame-ancestors 'none'";

/**
 * The security headers of every response the Worker makes (the static assets get theirs from
 * public/_headers):
 * - `X-Content-Type-Options: nosniff`, so that no browser takes a response for another type than
 *   it says (JSON that quotes a reader's text read as HTML or script, say);
 * - `X-Frame-Options: DENY` and a Content-Security-Policy: an API response opened in a browser
 *   loads and runs nothing and cannot be framed. A page with a policy of its own (the demo)
 *   keeps it. None of these touch CORS: browsers apply them to documents, not to what fetch()
 *   reads.
 *
 * Written here rather than with hono's secureHeaders: that one is on by default for a dozen
 * headers meant for HTML apps (Strict-Transport-Security, Cross-Origin-Resource-Policy, ...),
 * which would be turned off one by one, and a new default in an upgrade would reach every
 * response unseen.
 */
export const securityHeaders = createMiddleware(async (c, next) => {
  await next();
  const headers = c.res.headers;
  headers.set("X-Content-Type-Options", "nosniff");
  headers.set("X-Frame-Options", "DENY");
  if (!headers.has("Content-Security-Policy")) headers.set("Content-Security-Policy", NOTHING);
});
