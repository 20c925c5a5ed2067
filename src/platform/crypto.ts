const encoder = new TextEncoder();

function toHex(buffer: ArrayBuffer): string {
  return Array.from(new Uint8Array(buffer), (b) => b.toString(16).padStart(2, "0")).join("");
}

function toBase64Url(bytes: Uint8Array): string {
  return btoa(String.fromCharCode(...bytes))
    .replaceAll("+", "-")
    .replaceAll("/", "_")
    .replace(/=+$/, "");
}

export async function sha256Hex(value: string | ArrayBuffer): Promise<string> {
  const bytes = typeof value === "string" ? encoder.encode(value) : value;
  return toHex(await crypto.subtle.digest("SHA-256", bytes));
}

/** Base64 SHA-256, as a Content-Security-Policy hash source names it ('sha256-<base64>'). */
export async function sha256Base64(value: string): Promise<string> {
  const digest = await crypto.subtle.digest("SHA-256", encoder.encode(value));
  return btoa(String.fromCharCode(...new Uint8Array(digest)));
}

/**
 * HMAC keys as imported by this isolate, by their secret: importing one costs more than the
 * signature it makes (a thread view signs a form token on every request). The secrets are few
 * (a salt per site, the day's IP salt, the mail-link and webhook secrets) and already in the
 * isolate's memory; past MAX_KEYS the map starts again, so it stays bounded.
 */
const MAX_KEYS = 64;
const hmacKeys = new Map<string, Promise<CryptoKey>>();

function hmacKey(secret: string): Promise<CryptoKey> {
  let key = hmacKeys.get(secret);
  if (!key) {
    if (hmacKeys.size >= MAX_KEYS) hmacKeys.clear();
    key = crypto.subtle.importKey(
      "raw",
      encoder.encode(secret),
      { name: "HMAC", hash: "SHA-256" },
      false,
      ["sign"],
    );
    // A failed import is not kept: the next call tries again.
    key.catch(() => hmacKeys.delete(secret));
    hmacKeys.set(secret, key);
  }
  return key;
}

export async function hmacHex(secret: string, value: string): Promise<string> {
  const key = await hmacKey(secret);
  return toHex(await crypto.subtle.sign("HMAC", key, encoder.encode(value)));
}

/** A URL-safe random secret with `bytes` bytes of entropy. */
export function randomToken(bytes = 32): string {
  return toBase64Url(crypto.getRandomValues(new Uint8Array(bytes)));
}

/** Compares two secrets without leaking, through timing, how much of them matched. */
export async function secretsEqual(a: string, b: string): Promise<boolean> {
  // Hashing first gives equal-length inputs, which timingSafeEqual requires.
  const [ha, hb] = await Promise.all([
    crypto.subtle.digest("SHA-256", encoder.encode(a)),
    crypto.subtle.digest("SHA-256", encoder.encode(b)),
  ]);
  return crypto.subtle.timingSafeEqual(ha, hb);
}

/** Constant-time comparison of a presented secret against a stored SHA-256 hex digest. */
export async function matchesHash(secret: string, storedHex: string): Promise<boolean> {
  const presented = await sha256Hex(secret);
  const a = encoder.encode(presented);
  const b = encoder.encode(storedHex);
  return a.byteLength === b.byteLength && crypto.subtle.timingSafeEqual(a, b);
}
