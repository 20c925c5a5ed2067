import { LIMITS } from "../../../shared/limits";
import { BIDI, CONTROL, emailAddress, httpUrl, VISIBLE } from "../../text/text-rules";

/*
 * What an export says about a comment, cleaned the way a posted comment is validated
 * (routes/schemas.ts), but forgiving where old data is merely untidy: a missing name gets a
 * stand-in, an address that is not one is dropped, an over-long title is shortened. Only what
 * cannot be stored at all (a page that is no page) refuses the record.
 */

/** What `line` removes: the characters the API refuses in text. */
const UNSAFE = new RegExp(`${CONTROL.source}|${BIDI.source}`, "gu");

/** A name for comments whose author left none (Disqus guests, WordPress anonymous). */
const ANONYMOUS = "Anonymous";

/** One line of text: control characters removed, whitespace collapsed, at most `max` long. */
export function line(text: string | undefined, max: number): string {
  const clean = (text ?? "").toWellFormed().replace(UNSAFE, "").replace(/\s+/g, " ").trim();
  return [...clean].slice(0, max).join("").trim();
}

export const hasVisibleText = (text: string) => VISIBLE.test(text);

export function authorName(name: string | undefined): string {
  const clean = line(name, LIMITS.authorName);
  return hasVisibleText(clean) ? clean : ANONYMOUS;
}

export function authorEmail(address: string | undefined): string | null {
  const clean = address?.trim().toLowerCase() ?? "";
  return emailAddress.safeParse(clean).success ? clean : null;
}

export function authorWebsite(url: string | undefined): string | null {
  const clean = url?.trim() ?? "";
  return httpUrl.safeParse(clean).success ? clean : null;
}

/** The page as given, if it can be one: not empty, not too long, no control characters. */
export function page(text: string): string | undefined {
  const clean = text.trim();
  const ok =
    clean.length <= LIMITS.page &&
    hasVisibleText(clean) &&
    !CONTROL.test(clean) &&
    !BIDI.test(clean);
  return ok ? clean : undefined;
}

/** An instant as ISO 8601 UTC, if the text is one Parley's ids can carry (1970 to 10889). */
export function instant(text: string | null | undefined): string | undefined {
  const ms = Date.parse(text ?? "");
  return Number.isFinite(ms) && ms >= 0 && ms < 2 ** 48 ? new Date(ms).toISOString() : undefined;
}
