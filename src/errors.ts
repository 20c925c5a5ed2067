import type { Context } from "hono";
import { HTTPException } from "hono/http-exception";
import type { ContentfulStatusCode } from "hono/utils/http-status";

/** Stable error codes: part of the public API (see API.md "Conventions"). Messages are not. */
export type ErrorCode =
  | "invalid_json"
  | "invalid_export"
  | "bad_request"
  | "payload_too_large"
  | "unsupported_media_type"
  | "validation_failed"
  | "unauthorized"
  | "forbidden"
  | "edit_window_closed"
  | "not_found"
  | "site_not_found"
  | "comment_not_found"
  | "parent_not_found"
  | "key_not_found"
  | "mail_not_found"
  | "site_exists"
  | "conflict"
  | "thread_locked"
  | "rate_limited"
  | "internal_error";

export interface ErrorDetail {
  path: string;
  message: string;
}

export interface ErrorBody {
  error: { code: ErrorCode; message: string; details?: ErrorDetail[] };
}

/** An expected failure with its HTTP status and stable code; thrown anywhere, answered by `onError`. */
export class ApiError extends Error {
  constructor(
    readonly status: ContentfulStatusCode,
    readonly code: ErrorCode,
    message: string,
    readonly details?: ErrorDetail[],
    readonly headers?: Record<string, string>,
  ) {
    super(message);
    this.name = "ApiError";
  }
}

export const notFound = (what: "site" | "comment" | "parent" | "key" | "mail") =>
  new ApiError(404, `${what}_not_found`, `No such ${what}.`);

export function errorResponse(c: Context, error: ApiError): Response {
  const body: ErrorBody = { error: { code: error.code, message: error.message } };
  if (error.details) body.error.details = error.details;
  return c.json(body, error.status, error.headers);
}

/**
 * Hono's own HTTP errors (malformed JSON, the body limit, the OpenAPI routes' media-type gate)
 * answered with the code API.md documents for their status; a status without one of ours keeps
 * its status and a generic code rather than borrowing another status's.
 */
const HTTP_EXCEPTION_CODES: Partial<Record<number, [ErrorCode, string]>> = {
  400: ["invalid_json", "The request body is not valid JSON."],
  401: ["unauthorized", "Missing or invalid credentials."],
  404: ["not_found", "No such endpoint."],
  413: ["payload_too_large", "The request body is too large."],
  415: ["unsupported_media_type", "Send the body as application/json."],
};

function fromHttpException(e: HTTPException): ApiError {
  const [code, message] = HTTP_EXCEPTION_CODES[e.status] ?? ["bad_request", e.message];
  return new ApiError(e.status as ContentfulStatusCode, code, message);
}

/** The single error handler: known errors become API.md's JSON; anything else is logged and hidden. */
export function onError(err: Error, c: Context): Response {
  if (err instanceof ApiError) return errorResponse(c, err);
  if (err instanceof HTTPException) return errorResponse(c, fromHttpException(err));
  console.error(JSON.stringify({ level: "error", path: c.req.path, error: String(err) }));
  return errorResponse(c, new ApiError(500, "internal_error", "Something went wrong on our side."));
}
