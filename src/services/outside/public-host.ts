import ipaddr from "ipaddr.js";
import { httpUrl } from "../text/text-rules";

/*
 * Whether a URL names a host on the public internet, so that Parley can be pointed at it
 * (webhooks) without becoming a way to reach the operator's own machines: loopback, private
 * networks, the cloud metadata address (169.254.169.254) and the like.
 *
 * The host is read as the WHATWG URL parser reads it, which is also how fetch will read it:
 * "0x7f.1", "2130706433" and "0177.0.0.1" all become "127.0.0.1", and an IPv6 literal is
 * compressed, so only canonical forms reach the checks below. The address ranges are
 * ipaddr.js's named IANA special-purpose ranges, not CIDR maths of our own.
 *
 * Only the name is checked, never what it resolves to: a Worker has no DNS API, so a public
 * name whose DNS record points at 127.0.0.1 passes. Deployed, that is harmless, because fetch
 * from a Cloudflare Worker does not reach private networks; run locally (`npm start`), the
 * fetch comes from the developer's machine and could.
 */

/**
 * Names that never name a public host: localhost (RFC 6761), .local (mDNS, RFC 6762),
 * .home.arpa (RFC 8375) and .internal (reserved by ICANN for private use, 2024).
 */
const PRIVATE_NAMES = ["localhost", "local", "internal", "home.arpa"];

/**
 * IPv4-compatible IPv6 (::a.b.c.d), deprecated by RFC 4291 and absent from ipaddr.js's
 * ranges, which would call ::7f00:1 (::127.0.0.1) unicast.
 */
const IPV4_COMPATIBLE = ipaddr.IPv6.parseCIDR("::/96");

function isPublicName(hostname: string): boolean {
  // "localhost." is "localhost": a trailing dot only says the name is fully qualified.
  const name = hostname.endsWith(".") ? hostname.slice(0, -1) : hostname;
  const labels = name.split(".");
  // A single label ("intranet") is looked up in the local search domains, never publicly.
  if (labels.length < 2 || labels.includes("")) return false;
  return !PRIVATE_NAMES.some((suffix) => name === suffix || name.endsWith(`.${suffix}`));
}

/**
 * Only ipaddr.js's "unicast" (whatever no special-purpose range claims) is public. Among the
 * rest: private, loopback, link-local, carrier-grade NAT, 0.0.0.0/8, multicast, broadcast,
 * reserved (with the documentation ranges, which no real receiver uses), unique-local, and
 * every IPv6 form that carries an IPv4 (mapped, translated, NAT64, 6to4, Teredo), which a
 * webhook never needs and which could carry a private IPv4.
 */
function isPublicAddress(address: ipaddr.IPv4 | ipaddr.IPv6): boolean {
  if (address.kind() === "ipv6" && address.match(IPV4_COMPATIBLE)) return false;
  return address.range() === "unicast";
}

/** Whether the URL parses and its host is a public address or name. */
export function hasPublicHost(url: string): boolean {
  let hostname: string;
  try {
    hostname = new URL(url).hostname;
  } catch {
    return false;
  }
  // The parser brackets IPv6 hosts and writes every IPv4 host in dotted decimal.
  if (hostname.startsWith("[")) return isPublicAddress(ipaddr.IPv6.parse(hostname.slice(1, -1)));
  if (ipaddr.IPv4.isValidFourPartDecimal(hostname)) {
    return isPublicAddress(ipaddr.IPv4.parse(hostname));
  }
  return isPublicName(hostname);
}

/** An http(s) URL on a public host: where Parley may send requests a site's operator chose. */
export const publicHttpUrl = httpUrl.refine(hasPublicHost, {
  error:
    "Must be on a public host: local, private and special-use addresses and names are refused.",
  // A URL that is already refused as malformed or too long needs no second reason.
  when: (payload) => payload.issues.length === 0,
});
