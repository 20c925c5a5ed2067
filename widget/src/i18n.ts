/**
 * Strings and Intl formatting. Every locale, English included, is one static text file fetched
 * alongside the API request; the build fills in from English what a translation lacks.
 *
 * The code names strings by their key in en.json (`t.leaveReply`, `t.sort.oldest`,
 * `t.reasons[reason]`), typed from that file. On the wire a locale is one string a line, without
 * its keys (they were a third of each file's gzip size): the build serves the lines in one order
 * and gives each script that order as its list of key paths (`__PARLEY_STRING_KEYS__`, e.g.
 * "responses.zero … sort.label sort.oldest …"), from which `useStrings` puts the keys back.
 */
import type en from "./i18n/en.json";

/** Every string of widget.js, by the keys of en.json. */
export type Strings = typeof en;
/** The forms of a counted phrase, by CLDR plural category; the build supplies all six keys. */
export type PluralForms = Partial<Record<Intl.LDMLPluralRule, string>> & { other: string };

const LOCALES = ["en", "es", "fr", "de", "pt", "ru", "zh", "ja", "ar"];

/**
 * The active strings. count.js's file holds only `count`; the other keys are widget.js's.
 * Typed as the whole of en.json because each script reads only the keys its file has.
 */
export let t = {} as Strings;
/** The active locale, which also drives Intl formatting. */
export let lang = "en";

/** Primary subtag of a language tag, lower-cased: "pt-BR" → "pt". */
const primary = (tag = "") => tag.toLowerCase().split(/[-_]/)[0] as string;

/** Puts a locale file's lines (`text`) under their keys, as the build ordered them. */
export function useStrings(text: string, locale: string): void {
  const lines = text.split("\n");
  // biome-ignore lint/suspicious/noExplicitAny: filled key by key into the shape of Strings
  const strings: any = {};
  __PARLEY_STRING_KEYS__.split(" ").forEach((path, line) => {
    const [key, name] = path.split(".") as [string, string?];
    if (!name) strings[key] = lines[line];
    else {
      strings[key] ??= {};
      strings[key][name] = lines[line];
    }
  });
  t = strings;
  lang = locale;
}

/** Picks the locale for a language tag (unknown → en) and loads its strings from `dir`. */
export async function loadLocale(tag: string | undefined, dir: string): Promise<void> {
  const locale = LOCALES.includes(primary(tag)) ? primary(tag) : "en";
  // Set before the file arrives: index.ts builds its date formatter while the file is on the way.
  lang = locale;
  const response = await fetch(`${dir}/${locale}.txt`);
  // A missing file must fail like an unreachable one, not become labels.
  if (!response.ok) throw response;
  const text = await response.text();
  // Only the locale asked for last: a mount's file arriving after a remount asked for another
  // must not change the strings of the section now shown.
  if (lang === locale) useStrings(text, locale);
}

/** Fills `{name}` placeholders from `values` (an unknown one becomes empty). */
export const format = (text: string, values: Record<string, string | undefined>) =>
  text.replace(/\{(\w+)\}/g, (_, name: string) => values[name] ?? "");

/**
 * The zero form for 0 ("No Responses Yet"), else n's CLDR plural category ("one", "few", ...);
 * a form the locale lacks (an empty line) falls back to its "other" form.
 */
export const plural = (forms: PluralForms, n: number, values: Record<string, string> = {}) =>
  format((n ? forms[new Intl.PluralRules(lang).select(n)] : forms.zero) || forms.other, {
    ...values,
    n: n.toLocaleString(lang),
  });
