/**
 * Strings and Intl formatting. English ships inside the script; another locale is one static
 * JSON file, fetched only when it is the page's language, alongside the API request.
 *
 * Strings are an array indexed by L.<key> (see scripts/build-widget.mjs): the plural forms of
 * "responses" at 0–5 and of "count" at 6–11, each as zero, one, two, few, many, other.
 */
const LOCALES = ["en", "es", "fr", "de", "pt", "ru", "zh", "ja", "ar"];
const CATS = ["zero", "one", "two", "few", "many", "other"];
export const RESPONSES = 0;
export const COUNT = 6;

/** The active strings. */
export let t: string[] = [];
/** The active locale's file as fetched: widget-ui.js takes the strings only it uses from here. */
export let raw: (string | 0)[] = [];
/** The active locale, which also drives Intl formatting. */
export let lang = "en";

/** Primary subtag of a language tag, lower-cased: "pt-BR" → "pt". */
export const primary = (tag = "") => tag.toLowerCase().split(/[-_]/)[0] as string;

/** Picks the locale for a language tag (unknown → en) and loads its strings; never rejects. */
export async function loadLocale(tag: string | undefined, base: string, en: (string | 0)[]) {
  t = en as string[];
  lang = LOCALES.includes(primary(tag)) ? primary(tag) : "en";
  if (lang !== "en")
    try {
      raw = await (await fetch(`${base}/i18n/${lang}.json`)).json();
      t = complete(en, []);
    } catch {
      // English it is.
    }
}

/**
 * Fills `into` with the active locale's strings where `en` has a slot: a string the locale lacks
 * (0) stays English, and where neither has one (a 0 in both) `into` keeps what it had.
 */
export const complete = (en: (string | 0)[], into: string[]) => {
  en.map((s, i) => (into[i] = (raw[i] || s || into[i]) as string));
  return into;
};

export const fmt = (s: string | undefined, v: Record<string, string | undefined>) =>
  `${s}`.replace(/\{(\w+)\}/g, (_, k: string) => v[k] ?? "");

/**
 * The zero form for 0 ("No Responses Yet"), else n's CLDR plural category ("one", "few", ...),
 * else the "other" form.
 */
export const plural = (base: number, n: number, v: Record<string, string> = {}) =>
  fmt(t[base + (n && CATS.indexOf(new Intl.PluralRules(lang).select(n)))] || t[base + 5], {
    ...v,
    n: n.toLocaleString(lang),
  });
