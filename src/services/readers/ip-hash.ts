import ipaddr from "ipaddr.js";
import type { Db } from "../../db/client";
import { saltForDay } from "../../db/salts";
import { now } from "../../platform/clock";
import { hmacHex, randomToken } from "../../platform/crypto";

// Salts are immutable once chosen for a day, so an isolate may keep the current one in memory.
let cached: { day: string; salt: string } | undefined;

export function utcDay(now: Date): string {
  return now.toISOString().slice(0, 10);
}

/**
 * The network a reader posts from, as one reader counts: an IPv4 address, or the /64 an IPv6
 * address belongs to (one household or phone is given a whole /64, and can pick any address in
 * it, so counting single IPv6 addresses would let one person vote thousands of times). IPv4 in
 * IPv6 clothing (::ffff:192.0.2.1) is the IPv4 address. Anything unparsable counts as itself.
 */
export function readerNetwork(ip: string): string {
  if (!ipaddr.isValid(ip)) return ip;
  const address = ipaddr.process(ip);
  if (address.kind() === "ipv4") return address.toString();
  return `${address.toNormalizedString().split(":").slice(0, 4).join(":")}::/64`;
}

/**
 * A reader's network (readerNetwork) as a salted hash, different on every site: an ip hash a
 * moderator sees on one site says nothing about readers of another. The salt is random and
 * changes every UTC day, so hashes from different days do not link, and the IP itself is never
 * stored. Used for votes, flags, rate limits and ip blocks, which therefore reset daily: the
 * privacy is worth it.
 */
export async function hashIp(db: Db, ip: string, siteId: string, at = now()): Promise<string> {
  const day = utcDay(at);
  if (cached?.day !== day) cached = { day, salt: await saltForDay(db, day, randomToken(), at) };
  return (await hmacHex(cached.salt, `${siteId}\n${readerNetwork(ip)}`)).slice(0, 32);
}

/** The client IP Cloudflare saw; absent only in local tools, where all readers share one hash. */
export function clientIp(headers: Headers): string {
  return headers.get("cf-connecting-ip") ?? "local";
}
