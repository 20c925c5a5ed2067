import type { z } from "@hono/zod-openapi";
import { ErrorSchema } from "./common";

/** Request body in OpenAPI form: JSON, required (a missing body fails validation, not a guess). */
export function jsonBody<T extends z.ZodType>(schema: T, description?: string) {
  return { content: { "application/json": { schema } }, required: true, description };
}

export function jsonResponse<T extends z.ZodType>(schema: T, description: string) {
  return { content: { "application/json": { schema } }, description };
}

const ERROR_DESCRIPTIONS = {
  400: "Malformed JSON (`invalid_json`).",
  401: "Missing or invalid credentials (`unauthorized`).",
  403: "Credentials valid but not for this resource (`forbidden`, `edit_window_closed`).",
  404: "Unknown site, comment, parent or key (`site_not_found`, `comment_not_found`, `parent_not_found`, `key_not_found`, `not_found`).",
  409: "Conflict (`site_exists`).",
  413: "Body larger than 64 KB (`payload_too_large`).",
  415: "Body is not application/json (`unsupported_media_type`).",
  422: "Failed validation (`validation_failed`, with `details`).",
  423: "The thread is locked (`thread_locked`).",
  429: "Rate limited (`rate_limited`), with Retry-After.",
} as const;

type ErrorStatus = keyof typeof ERROR_DESCRIPTIONS;

/** The documented error responses of a route, all in the one error shape. */
export function errors(...statuses: ErrorStatus[]) {
  return Object.fromEntries(
    statuses.map((status) => [status, jsonResponse(ErrorSchema, ERROR_DESCRIPTIONS[status])]),
  ) as Record<ErrorStatus, ReturnType<typeof jsonResponse<typeof ErrorSchema>>>;
}

/** Errors any JSON-bodied route can answer. */
export const BODY_ERRORS = [400, 413, 415, 422] as const;
