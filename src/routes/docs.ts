import { SwaggerUI } from "@hono/swagger-ui";
import { Hono } from "hono";
import { html, raw } from "hono/html";
import type { AppEnv } from "../env";
import { sha256Base64 } from "../platform/crypto";

/*
 * The API reference page: Swagger UI rendering /api/v1/openapi.json, all from this origin.
 * @hono/swagger-ui writes the markup; its files are not the CDN's it names by default but the
 * copies scripts/build-docs.mjs puts in public/docs/swagger-ui-dist/, served as static assets.
 * Swagger UI rather than Scalar: it renders under the policy below as it is, where Scalar's
 * bundle needs 'unsafe-eval' and inline styles, and asks Scalar's servers for more unless told
 * not to; it is also about half the size (README "The API").
 */

/** Swagger UI's markup: its stylesheet, its bundle, and the inline script that starts it. */
const swaggerUi = SwaggerUI({
  baseUrl: "/docs",
  url: "/api/v1/openapi.json",
  // No validator badge: its image would come from validator.swagger.io.
  validatorUrl: "none",
  deepLinking: true,
});

/**
 * The page's Content-Security-Policy: scripts, styles and requests from this origin only; the
 * one inline script, Swagger UI's start-up from the markup above, allowed by its hash (taken
 * from the markup itself, so an upgrade that changes it changes the hash too); the favicon a
 * data: URL; no framing. Swagger UI needs neither 'unsafe-inline' nor 'unsafe-eval'. Made on
 * first use: the hash is computed with WebCrypto, which is asynchronous.
 */
let policy: Promise<string> | undefined;
const docsPolicy = () =>
  (policy ??= sha256Base64(startupScript(swaggerUi)).then((hash) =>
    [
      "default-src 'none'",
      `script-src 'self' 'sha256-${hash}'`,
      "style-src 'self'",
      "connect-src 'self'",
      "img-src data:",
      "base-uri 'none'",
      "form-action 'none'",
      "frame-ancestors 'none'",
    ].join("; "),
  ));

function startupScript(markup: string): string {
  const script = /<script>([\s\S]*?)<\/script>/.exec(markup)?.[1];
  if (script === undefined) throw new Error("@hono/swagger-ui's markup has no inline script");
  return script;
}

const page = html`<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Parley API reference</title>
<link rel="icon" href="data:,">
</head>
<body>
${raw(swaggerUi)}
</body>
</html>`;

export const docsRoutes = new Hono<AppEnv>().get("/api/v1/docs", async (c) =>
  c.html(page, 200, { "Content-Security-Policy": await docsPolicy() }),
);
