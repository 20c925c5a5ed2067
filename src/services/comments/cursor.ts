import { z } from "@hono/zod-openapi";
import type { RootPosition } from "../../db/comments";
import { ApiError } from "../../errors";
import { SORTS, type Sort } from "../../shared/vocabulary";

/*
 * Cursors are opaque to clients but plain keyset positions to us: base64url JSON naming where the
 * previous page ended. Keyset (not offset) paging is what keeps pages free of duplicates and gaps
 * while comments arrive. A cursor also names its thread (or subtree) and sort, so one used
 * elsewhere is refused instead of silently paging something else.
 */

const RootCursor = z.object({
  v: z.literal(1),
  t: z.string().max(64),
  s: z.enum(SORTS),
  id: z.string().max(64),
  sc: z.number().int().optional(),
  /** Published comments the pages so far covered (roots and their replies): see viewThread. */
  n: z.number().int().min(0).optional(),
});

const ReplyCursor = z.object({
  v: z.literal(1),
  r: z.string().max(64),
  p: z.string().max(2048),
});

function encode(value: unknown): string {
  const bytes = new TextEncoder().encode(JSON.stringify(value));
  return btoa(String.fromCharCode(...bytes))
    .replaceAll("+", "-")
    .replaceAll("/", "_")
    .replace(/=+$/, "");
}

function decode<T>(schema: z.ZodType<T>, cursor: string): T {
  try {
    const binary = atob(cursor.replaceAll("-", "+").replaceAll("_", "/"));
    const text = new TextDecoder().decode(Uint8Array.from(binary, (ch) => ch.charCodeAt(0)));
    return schema.parse(JSON.parse(text));
  } catch {
    throw invalidCursor("This cursor is not one we issued.");
  }
}

export function invalidCursor(message: string): ApiError {
  return new ApiError(422, "validation_failed", "The cursor is invalid.", [
    { path: "cursor", message },
  ]);
}

/** Where the next page of top-level comments starts, and how much the pages so far covered. */
export interface RootCursorState {
  after: RootPosition;
  covered: number;
}

export function encodeRootCursor(
  threadId: string,
  sort: Sort,
  last: RootPosition,
  covered: number,
): string {
  return encode({
    v: 1,
    t: threadId,
    s: sort,
    id: last.id,
    sc: sort === "top" ? last.score : undefined,
    n: covered,
  });
}

export function decodeRootCursor(cursor: string, threadId: string, sort: Sort): RootCursorState {
  const c = decode(RootCursor, cursor);
  if (c.t !== threadId) throw invalidCursor("This cursor belongs to another page.");
  if (c.s !== sort) throw invalidCursor("This cursor was issued for another sort order.");
  return { after: { id: c.id, score: c.sc }, covered: c.n ?? 0 };
}

export function encodeReplyCursor(subtreeId: string, afterPath: string): string {
  return encode({ v: 1, r: subtreeId, p: afterPath });
}

/** The path after which the next replies of `subtreeId` start. */
export function decodeReplyCursor(cursor: string, subtreeId: string): string {
  const c = decode(ReplyCursor, cursor);
  if (c.r !== subtreeId) throw invalidCursor("This cursor belongs to another comment.");
  return c.p;
}
