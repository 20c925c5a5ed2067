import type { Db } from "../db/client";
import { saltForDay } from "../db/salts";
import { hmacHex, randomToken } from "./crypto";

// Salts are immutable once chosen for a day, so an isolate may keep the current one in memory.
let cached: { day: string; salt: string } | undefined;

export function utcDay(now: Date): string {
  return now.toISOString().slice(0, 10);
}

/**
 * A reader's IP as a salted hash. The salt is random and changes every UTC day, so hashes from
 * different days do not link, and the IP itself is never stored. Used for votes, flags and rate
 * limits, which therefore reset daily: the privacy is worth it.
 */
export async function hashIp(db: Db, ip: string, now = new Date()): Promise<string> {
  const day = utcDay(now);
  if (cached?.day !== day) cached = { day, salt: await saltForDay(db, day, randomToken()) };
  return (await hmacHex(cached.salt, ip)).slice(0, 32);
}

/** The client IP Cloudflare saw; absent only in local tools, where all readers share one hash. */
export function clientIp(headers: Headers): string {
  return headers.get("cf-connecting-ip") ?? "local";
}
