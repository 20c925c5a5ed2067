import type { SiteRow } from "../db/sites";
import { hmacHex } from "./crypto";

/**
 * The time-trap: the thread view hands out a form token naming when the form was drawn, signed
 * with the site's secret; a comment that comes back with it sooner than a person could have
 * written one (the site's `minSecondsToPost`) is held. Bots that post straight to the API without
 * a token skip this check (the other rules still apply), and a forged or altered token is held.
 */
/** Older tokens still sign a valid form, but no longer say anything about speed. */
const MAX_AGE_MS = 7 * 24 * 3600 * 1000;

const sign = (site: SiteRow, issuedAt: number) =>
  hmacHex(site.authorSalt, `form:${site.id}:${issuedAt}`).then((h) => h.slice(0, 24));

export async function issueFormToken(site: SiteRow, now: Date): Promise<string> {
  const issuedAt = now.getTime();
  return `${issuedAt}.${await sign(site, issuedAt)}`;
}

export type FormTokenVerdict = "ok" | "too-fast" | "forged";

export async function checkFormToken(
  site: SiteRow,
  token: string,
  now: Date,
): Promise<FormTokenVerdict> {
  const [time, signature] = token.split(".");
  const issuedAt = Number(time);
  if (!Number.isSafeInteger(issuedAt) || signature !== (await sign(site, issuedAt)))
    return "forged";
  const age = now.getTime() - issuedAt;
  if (age < 0 || age > MAX_AGE_MS) return "forged";
  return age < site.minSecondsToPost * 1000 ? "too-fast" : "ok";
}
