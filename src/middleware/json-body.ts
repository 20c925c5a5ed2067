import { createMiddleware } from "hono/factory";
import type { AppEnv } from "../env";
import { ApiError } from "../errors";
import { LIMITS } from "../shared/limits";
import { limitBodyTo } from "./body-limit";

/** Refuses oversized bodies before anything parses them (by Content-Length, else while streaming). */
export const limitBody = limitBodyTo(
  LIMITS.requestBodyBytes,
  () => new ApiError(413, "payload_too_large", "The request body is larger than 64 KB."),
);

/** An export sent to the import endpoint: bounded like any body, at its own size. */
export const limitImportBody = limitBodyTo(
  LIMITS.importBodyBytes,
  () =>
    new ApiError(
      413,
      "payload_too_large",
      'The export is larger than 10 MB; import it with the CLI (README "Import").',
    ),
);

/**
 * What an export may be sent as. Anything else, a form upload above all (`curl -F`, or
 * `--data` without a type), would reach the reader wrapped or re-encoded: 415 says so plainly.
 */
const EXPORT_TYPES =
  /^(application\/(xml|rss\+xml|gzip|x-gzip|json|octet-stream)|text\/(xml|plain))\s*(;|$)/i;

export const requireExportType = createMiddleware<AppEnv>(async (c, next) => {
  const type = c.req.header("content-type");
  if (type !== undefined && !EXPORT_TYPES.test(type)) {
    throw new ApiError(
      415,
      "unsupported_media_type",
      "Send the export file itself (application/xml, application/gzip or application/json).",
    );
  }
  await next();
});

/**
 * Whether the request carries a body. Its Content-Length says so when there is one; a body
 * streamed without it (chunked) shows no Transfer-Encoding inside workerd, only a body stream.
 */
function hasBody(req: Request): boolean {
  const length = req.headers.get("content-length");
  return length === null ? req.body !== null : Number(length) > 0;
}

/** A request that carries a body must say it is JSON; anything else gets 415, not a guess. */
export const requireJson = createMiddleware<AppEnv>(async (c, next) => {
  const type = c.req.header("content-type") ?? "";
  if (hasBody(c.req.raw) && !/^application\/json\s*(;|$)/i.test(type)) {
    throw new ApiError(415, "unsupported_media_type", "Send the body as application/json.");
  }
  await next();
});

/**
 * thread.html's plain form (routes/readers/comment-form.ts) posts as browsers do by default;
 * a body sent any other way (multipart, JSON) gets 415 rather than a guess.
 */
export const requireForm = createMiddleware<AppEnv>(async (c, next) => {
  const type = c.req.header("content-type") ?? "";
  if (hasBody(c.req.raw) && !/^application\/x-www-form-urlencoded\s*(;|$)/i.test(type)) {
    throw new ApiError(
      415,
      "unsupported_media_type",
      "Send the form as application/x-www-form-urlencoded.",
    );
  }
  await next();
});
