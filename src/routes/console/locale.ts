import type { Context } from "hono";
import { createMiddleware } from "hono/factory";
import { createContext, useContext } from "hono/jsx";
import { languageDetector } from "hono/language";
import type { AppEnv } from "../../env";
import { textDirection, withEnglish } from "../../platform/locales";
import { ar } from "./i18n/ar";
import { de } from "./i18n/de";
import { es } from "./i18n/es";
import { fr } from "./i18n/fr";
import { ja } from "./i18n/ja";
import { pt } from "./i18n/pt";
import { ru } from "./i18n/ru";
import { zh } from "./i18n/zh";
import { type ConsoleStrings, type ConsoleTranslation, en } from "./strings";

/*
 * The console's language: the widget's languages (widget/src/i18n/), chosen once per request
 * from Accept-Language, and handed to every component of the page through a JSX context, so no
 * component needs its words passed down. The moderator's browser says what they read; the
 * site's own `locale` is the readers' language, not necessarily theirs.
 */

/** Each language's translation; English is the reference itself. */
const TRANSLATIONS: Record<string, ConsoleTranslation> = { en: {}, ar, de, es, fr, ja, pt, ru, zh };
export const CONSOLE_LANGUAGES = Object.keys(TRANSLATIONS);

export interface ConsoleLocale {
  lang: string;
  dir: "ltr" | "rtl";
  strings: ConsoleStrings;
}

/** Every language's words, merged once when the Worker starts. */
const LOCALES = new Map<string, ConsoleLocale>(
  Object.entries(TRANSLATIONS).map(([lang, translated]) => [
    lang,
    {
      lang,
      dir: textDirection(lang),
      strings: withEnglish(en, translated) as ConsoleStrings,
    },
  ]),
);
const ENGLISH = LOCALES.get("en") as ConsoleLocale;

/** The words of a language the console speaks, or English. */
export const localeOf = (lang: string | undefined): ConsoleLocale =>
  LOCALES.get(lang ?? "") ?? ENGLISH;

/**
 * Hono's detector reads Accept-Language by its q-values and takes the first language the console
 * speaks, a region matching its language ("pt-BR" → pt); anything else is English. From the
 * header only: no cookie of its own, no query parameter.
 */
const detect = languageDetector({
  order: ["header"],
  caches: false,
  supportedLanguages: CONSOLE_LANGUAGES,
  fallbackLanguage: "en",
});

/** Sets `language` for the request, and says that the answer depends on it. */
export const chooseLanguage = createMiddleware<AppEnv>(async (c, next) => {
  await detect(c, next);
  // The pages are no-store anyway (middleware/console.ts); a cache in between is told even so.
  c.header("Vary", "Accept-Language", { append: true });
});

/** The request's words, for a route handler (a notice, a problem, an error's sentence). */
export const stringsOf = (c: Context<AppEnv>): ConsoleStrings => localeOf(c.var.language).strings;

/** What render() (layout.tsx) provides to the page being rendered: English until it does. */
export const LocaleContext = createContext<ConsoleLocale>(ENGLISH);

/** The page's language and direction, for <html>. */
export const useLocale = (): ConsoleLocale => useContext(LocaleContext);

/** The page's words, for a component. */
export const useStrings = (): ConsoleStrings => useLocale().strings;
