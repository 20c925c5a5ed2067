import { z } from "@hono/zod-openapi";
import { BIDI, CONTROL, CONTROL_OR_NEWLINE, VISIBLE } from "../../services/text/text-rules";
import { LIMITS } from "../../shared/limits";
import { COMMENT_ID_PATTERN, SITE_ID_PATTERN } from "../../shared/vocabulary";

/*
 * The zod schemas that validate requests and describe responses. The OpenAPI document is
 * generated from these, so the contract the docs show is the one the code enforces.
 */

export function cleanText(max: number, { multiline = false } = {}) {
  return z
    .string()
    .trim()
    .min(1, { error: "Must not be empty.", abort: true })
    .max(max, `At most ${max} characters.`)
    .refine((s) => s.isWellFormed(), "Contains an unpaired surrogate.")
    .refine(
      (s) => !(multiline ? CONTROL : CONTROL_OR_NEWLINE).test(s),
      "Contains control characters.",
    )
    .refine((s) => !BIDI.test(s), "Contains bidirectional control characters.")
    .refine((s) => VISIBLE.test(s), "Must contain visible characters.");
}

/** Optional fields the widget may send as "" when left blank. */
export const blankAsAbsent = <T extends z.ZodType>(schema: T) =>
  z.preprocess((v) => (v === "" || v === null ? undefined : v), schema.optional());

export const SiteIdParam = z
  .string()
  .regex(SITE_ID_PATTERN, "Site ids are 2–63 lower-case letters, digits and dashes.")
  .openapi({ param: { name: "site", in: "path" }, example: "news" });

export const CommentIdParam = z
  .string()
  .regex(COMMENT_ID_PATTERN, "Not a comment id.")
  .openapi({ param: { name: "id", in: "path" }, example: "c_01jd2x3y4z5a6b7c8d9e0f1g2h" });

export const PageParam = cleanText(LIMITS.page).openapi({
  description:
    "The page's canonical URL or an explicit page id; URLs are normalised (scheme and host case, default port, fragment, tracking parameters, trailing /index.html and slash), so two spellings of one page are one thread.",
  example: "https://news.example/2023/11/article",
});

export const ErrorSchema = z
  .object({
    error: z.object({
      code: z.string().openapi({ example: "validation_failed" }),
      message: z.string(),
      details: z.array(z.object({ path: z.string(), message: z.string() })).optional(),
    }),
  })
  .openapi("Error");

// ---- bodies -----------------------------------------------------------------------------

// Typed loosely on purpose: the tree's exact type is src/shared/body.ts; this schema documents it.
export const BodyNodeSchema: z.ZodType<unknown> = z
  .lazy(() =>
    z.object({
      type: z.enum([
        "paragraph",
        "code",
        "blockquote",
        "list",
        "listItem",
        "text",
        "emphasis",
        "strong",
        "inlineCode",
        "link",
        "break",
      ]),
      value: z.string().optional(),
      url: z.string().optional(),
      ordered: z.boolean().optional(),
      start: z.number().int().optional(),
      children: z.array(BodyNodeSchema).optional(),
    }),
  )
  .openapi("BodyNode", {
    description:
      "A node of the structured body (src/shared/body.ts). Never HTML: clients build DOM nodes from it.",
  });
