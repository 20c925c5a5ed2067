/**
 * Strings and Intl formatting. Every locale, English included, is one static text file fetched
 * alongside the API request, one string a line; the build fills in from English what a
 * translation lacks.
 *
 * Strings are lines indexed by L.<key> (see scripts/build-widget.mjs), the plural forms of
 * its one counted phrase first, at 0–5: zero, one, two, few, many, other. widget.js's file has
 * "N Responses to “title”" there; count.js's file (i18n/count/) holds just "N Responses".
 */
const LOCALES = ["en", "es", "fr", "de", "pt", "ru", "zh", "ja", "ar"];
const CATS = ["zero", "one", "two", "few", "many", "other"];

/** The active strings. */
export let t: string[] = [];
/** The active locale, which also drives Intl formatting. */
export let lang = "en";

/** Primary subtag of a language tag, lower-cased: "pt-BR" → "pt". */
const primary = (tag = "") => tag.toLowerCase().split(/[-_]/)[0] as string;

/** Picks the locale for a language tag (unknown → en) and loads its strings from `dir`. */
export async function loadLocale(tag: string | undefined, dir: string) {
  lang = LOCALES.includes(primary(tag)) ? primary(tag) : "en";
  const r = await fetch(`${dir}/${lang}.txt`);
  // A missing file must fail like an unreachable one, not become labels.
  if (!r.ok) throw r;
  t = (await r.text()).split("\n");
}

/** Shows `text`, a locale file's worth of English strings, with English plurals and digits. */
export function useEnglish(text: string) {
  lang = "en";
  t = text.split("\n");
}

export const fmt = (s: string | undefined, v: Record<string, string | undefined>) =>
  `${s}`.replace(/\{(\w+)\}/g, (_, k: string) => v[k] ?? "");

/**
 * The zero form for 0 ("No Responses Yet"), else n's CLDR plural category ("one", "few", ...),
 * else the "other" form.
 */
export const plural = (n: number, v: Record<string, string> = {}) =>
  fmt(t[n && CATS.indexOf(new Intl.PluralRules(lang).select(n))] || t[5], {
    ...v,
    n: n.toLocaleString(lang),
  });
