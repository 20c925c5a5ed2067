import { z } from "zod";
import { LIMITS } from "../../shared/limits";

/*
 * What text and links Parley stores, in one place: the API refuses requests that break these
 * rules (routes/schemas.ts), and the importer cleans old data by them (services/import/fields.ts).
 */

/** Control characters, but for tab and line breaks (where text may span lines). */
export const CONTROL = /(?![\t\n\r])\p{Cc}/u;
export const CONTROL_OR_NEWLINE = /[\p{Cc}\u2028\u2029]/u;
/** The bidi embedding, override and isolate characters that make text display other than it reads. */
export const BIDI = /[\u202a-\u202e\u2066-\u2069]/u;
/** Something a reader can see: not only spaces, zero-width or direction marks. */
export const VISIBLE = /[\p{L}\p{N}\p{P}\p{S}]/u;

export const httpUrl = z
  .url({ protocol: /^https?$/, error: "Must be an http(s) URL." })
  .max(LIMITS.url, `At most ${LIMITS.url} characters.`);

export const emailAddress = z.email("Must be an email address.").max(LIMITS.email);
