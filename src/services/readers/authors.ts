import type { SiteRow } from "../../db/sites";
import { hmacHex, randomToken } from "../../platform/crypto";
import { fold } from "../text/blocklist";

/*
 * Who wrote a comment, as far as a comments system without accounts can tell.
 *
 * Every author holds an author token: a random secret the widget keeps per site in the reader's
 * browser and sends with each post (the server makes one for a post that brings none, and
 * returns it). The public avatar seed and the first-time match both come from it, keyed with the
 * site's secret. Nothing an outsider can type leads to them: posting with someone's email and
 * name gives neither their avatar (which would tell the outsider that the address wrote a public
 * comment) nor their approved standing under first-time moderation (which would publish the
 * outsider, and with its 201 confirm the address).
 */

/** An author token the client may send: what `newAuthorToken` makes, give or take its length. */
export const AUTHOR_TOKEN_PATTERN = /^[A-Za-z0-9_-]{20,100}$/;

export const newAuthorToken = () => randomToken();

/** The public avatar seed: same browser, same picture; unrelated to any address or name. */
export async function avatarSeed(site: Pick<SiteRow, "authorSalt">, token: string) {
  return (await hmacHex(site.authorSalt, `avatar:${token}`)).slice(0, 16);
}

/**
 * How first-time moderation recognises an author whose comment a moderator approved: the same
 * author token, email and name (case and accents aside). Without an email an author is never
 * recognised, as before. A speed bump against drive-by spam, not authentication: whoever holds
 * the token (the author's browser) is recognised.
 */
export async function authorHash(
  site: Pick<SiteRow, "authorSalt">,
  token: string,
  author: { name: string; email?: string | null },
) {
  const identity = `author:${token}\n${author.email ?? ""}\n${fold(author.name.trim())}`;
  return (await hmacHex(site.authorSalt, identity)).slice(0, 32);
}
