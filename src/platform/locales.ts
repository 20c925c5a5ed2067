/*
 * What the server's two sets of words (the console's, and thread.html's, which are the widget's)
 * share: English under every translation, and which way each language is written.
 */

/** The languages written right to left, of those Parley has words for (widget/src/i18n/). */
const RIGHT_TO_LEFT = new Set(["ar"]);

/** The direction for `dir` on what is written in `lang`. */
export const textDirection = (lang: string): "ltr" | "rtl" =>
  RIGHT_TO_LEFT.has(lang) ? "rtl" : "ltr";

/**
 * English with a translation's strings over it: any string the translation lacks stays English,
 * as the widget's build fills in its locales. Two objects of strings, nested: a few lines here
 * rather than a deep-merge library and its rules for arrays and prototypes.
 */
export function withEnglish(english: object, translated: object): object {
  return Object.fromEntries(
    Object.entries(english).map(([key, value]) => {
      const own: unknown = (translated as Record<string, unknown>)[key];
      if (typeof value === "string") return [key, typeof own === "string" ? own : value];
      return [key, withEnglish(value, typeof own === "object" && own !== null ? own : {})];
    }),
  );
}
