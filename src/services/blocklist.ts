/**
 * Blocked words and phrases match whole words, ignoring case and accents: "préstamo" blocks
 * "PRESTAMO" and "préstamos rápidos" but not "empréstamo". Text and phrases are folded the same
 * way (NFKD, marks removed, lower case) so the comparison is between like and like.
 */
export function fold(text: string): string {
  return text.normalize("NFKD").replace(/\p{M}/gu, "").toLowerCase();
}

const escapeRegExp = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");

/**
 * The first blocked phrase found in `text` as whole words, if any. Phrases are stored folded with
 * single spaces, so the text's runs of whitespace are made single spaces too.
 */
export function findBlockedPhrase(text: string, phrases: string[]): string | undefined {
  const folded = fold(text).replace(/\s+/g, " ");
  return phrases.find((phrase) =>
    new RegExp(`(?<![\\p{L}\\p{N}])${escapeRegExp(phrase)}(?![\\p{L}\\p{N}])`, "u").test(folded),
  );
}
