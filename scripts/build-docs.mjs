#!/usr/bin/env node
// Puts the API reference page's renderer into public/docs/swagger-ui-dist/, where wrangler serves
// it as static assets from Parley's own origin: the page (src/routes/docs.ts, GET /api/v1/docs)
// loads nothing from anywhere else. Swagger UI's files (swagger-ui-dist, Apache-2.0) are copied
// as published, with its licence and notice and the licences of what its bundle holds. They are
// not the widget's: scripts/check-size.mjs counts only the files at the top of public/.
import { copyFile, mkdir, rename } from "node:fs/promises";
import { createRequire } from "node:module";
import path from "node:path";

const FILES = [
  "swagger-ui-bundle.js",
  "swagger-ui-bundle.js.LICENSE.txt",
  "swagger-ui.css",
  "LICENSE",
  "NOTICE",
];
const from = path.dirname(createRequire(import.meta.url).resolve("swagger-ui-dist/package.json"));
// @hono/swagger-ui names its files <baseUrl>/swagger-ui-dist/<file>; the route's baseUrl is /docs.
const to = path.join(import.meta.dirname, "..", "public", "docs", "swagger-ui-dist");

await mkdir(to, { recursive: true });
// Copied under a temporary name and renamed, as build-widget.mjs writes: a second build at the
// same moment never leaves a half-copied file to be served.
await Promise.all(
  FILES.map(async (file) => {
    const temporary = path.join(to, `${file}.${process.pid}.building`);
    await copyFile(path.join(from, file), temporary);
    await rename(temporary, path.join(to, file));
  }),
);
console.log("API reference assets copied into public/docs/");
