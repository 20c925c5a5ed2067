import type { SiteRow } from "../../db/sites";
import { hmacHex } from "../../platform/crypto";

/**
 * The time-trap: the thread view hands out a form token naming when the form was drawn, for
 * which site and page, signed with the site's secret; a comment that comes back with it sooner
 * than a person could have written one (the site's `minSecondsToPost`) is held. Bots that post
 * straight to the API without a token skip this check (the other rules still apply), and a
 * forged or altered token, or one drawn for another page or site, is held.
 *
 * A token is good for MAX_AGE_MS. An older one says nothing either way, like no token at all:
 * it is not held (a reader may keep an article open for hours before replying, and fetching a
 * fresh token just before sending would itself look too fast), and keeping one gains a bot
 * nothing it would not get by sending none.
 */
export const FORM_TOKEN_MAX_AGE_MS = 2 * 3600 * 1000;

const sign = (site: SiteRow, pageKey: string, issuedAt: number) =>
  hmacHex(site.authorSalt, `form:${site.id}:${issuedAt}:${pageKey}`).then((h) => h.slice(0, 24));

export async function issueFormToken(site: SiteRow, pageKey: string, now: Date): Promise<string> {
  const issuedAt = now.getTime();
  return `${issuedAt}.${await sign(site, pageKey, issuedAt)}`;
}

export type FormTokenVerdict = "ok" | "too-fast" | "forged" | "expired";

export async function checkFormToken(
  site: SiteRow,
  pageKey: string,
  token: string,
  now: Date,
): Promise<FormTokenVerdict> {
  const [time, signature] = token.split(".");
  const issuedAt = Number(time);
  if (!Number.isSafeInteger(issuedAt) || signature !== (await sign(site, pageKey, issuedAt)))
    return "forged";
  const age = now.getTime() - issuedAt;
  if (age < 0) return "forged";
  if (age > FORM_TOKEN_MAX_AGE_MS) return "expired";
  return age < site.minSecondsToPost * 1000 ? "too-fast" : "ok";
}
