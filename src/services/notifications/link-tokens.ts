import type { SiteRow } from "../../db/sites";
import { hmacHex, secretsEqual } from "../../platform/crypto";

/*
 * The links in readers' mail carry signed tokens, one purpose each: a confirm token cannot
 * unsubscribe, an unsubscribe token names one thread, a manage token lists the address's
 * subscriptions. They are stateless (nothing stored to steal) and signed with the site's
 * secret under a purpose prefix, like the form token. They name the address by its id, so a
 * link in a forwarded mail or a server log shows no address. Moderators' links are different:
 * one-time and expiring, so they are random and stored hashed (db/mail-actions.ts).
 */

export type LinkPurpose = "confirm" | "unsubscribe" | "manage";

/** What a reader's link speaks for: an address on a site, and for `unsubscribe` one thread. */
export interface LinkSubject {
  siteId: string;
  addressId: string;
  threadId?: string;
}

const signature = (salt: string, purpose: LinkPurpose, s: LinkSubject) =>
  hmacHex(salt, `mail:${purpose}:${s.siteId}:${s.addressId}:${s.threadId ?? ""}`).then((h) =>
    h.slice(0, 32),
  );

export async function signLink(
  site: Pick<SiteRow, "authorSalt">,
  purpose: LinkPurpose,
  subject: LinkSubject,
): Promise<string> {
  const sig = await signature(site.authorSalt, purpose, subject);
  return [subject.siteId, subject.addressId, subject.threadId ?? "", sig].join(".");
}

/** The token's parts, unverified: which site's secret checks it. */
export function readLink(token: string): (LinkSubject & { signature: string }) | undefined {
  const parts = token.split(".");
  if (parts.length !== 4) return undefined;
  const [siteId, addressId, threadId, sig] = parts as [string, string, string, string];
  if (!siteId || !addressId || !sig) return undefined;
  return { siteId, addressId, threadId: threadId || undefined, signature: sig };
}

export async function linkIsGenuine(
  site: Pick<SiteRow, "authorSalt">,
  purpose: LinkPurpose,
  link: LinkSubject & { signature: string },
): Promise<boolean> {
  return secretsEqual(link.signature, await signature(site.authorSalt, purpose, link));
}
