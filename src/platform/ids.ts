import { nowMs } from "./clock";

// Crockford's base32, lower-cased: ids sort as strings in creation order and read unambiguously.
const ALPHABET = "0123456789abcdefghjkmnpqrstvwxyz";

function encodeTime(ms: number, length: number): string {
  let out = "";
  let rest = ms;
  for (let i = 0; i < length; i++) {
    out = ALPHABET[rest % 32] + out;
    rest = Math.floor(rest / 32);
  }
  return out;
}

function encodeBytes(bytes: Uint8Array): string {
  return Array.from(bytes, (b) => ALPHABET[b % 32]).join("");
}

/**
 * A ULID-shaped id (48-bit millisecond time, then 80 random bits) with a type prefix. Written
 * here rather than taken from a ULID package because we want the prefix and lower case, and the
 * whole thing is a dozen lines. Fixed length matters: comment paths sort by these ids.
 */
export function newId(
  prefix: "c" | "t" | "k" | "b" | "a" | "r" | "e" | "s" | "m",
  at = nowMs(),
): string {
  return `${prefix}_${encodeTime(at, 10)}${encodeBytes(crypto.getRandomValues(new Uint8Array(16)))}`;
}

/**
 * An id shaped like `newId`'s whose last 80 bits come from a hash of `seed` instead of chance:
 * the same seed and time always give the same id. Imports name each comment by its source and
 * external id this way, so importing a file again finds every comment already there.
 */
export async function derivedId(prefix: "c", ms: number, seed: string): Promise<string> {
  const digest = await crypto.subtle.digest("SHA-256", new TextEncoder().encode(seed));
  return `${prefix}_${encodeTime(ms, 10)}${encodeBytes(new Uint8Array(digest, 0, 16))}`;
}
