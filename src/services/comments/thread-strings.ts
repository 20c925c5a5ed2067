import ar from "../../../widget/src/i18n/ar.json";
import de from "../../../widget/src/i18n/de.json";
import en from "../../../widget/src/i18n/en.json";
import es from "../../../widget/src/i18n/es.json";
import fr from "../../../widget/src/i18n/fr.json";
import ja from "../../../widget/src/i18n/ja.json";
import pt from "../../../widget/src/i18n/pt.json";
import ru from "../../../widget/src/i18n/ru.json";
import zh from "../../../widget/src/i18n/zh.json";
import { textDirection, withEnglish } from "../../platform/locales";

/*
 * The words of the server-rendered thread (thread.html and the no-JavaScript form's answers):
 * the widget's own strings (widget/src/i18n/), imported rather than copied, so the section reads
 * the same before and after the widget takes it over. In the site's locale: the thread is the
 * site's page, not the reader's browser's.
 */

export type WidgetStrings = typeof en;
/** A counted phrase's forms by CLDR plural category, with the widget's "zero" for none at all. */
type PluralForms = Partial<Record<Intl.LDMLPluralRule | "zero", string>> & { other: string };

export interface ThreadStrings {
  lang: string;
  dir: "ltr" | "rtl";
  t: WidgetStrings;
  /** The heading's forms as the locale has them: its categories are not English's (ar has six). */
  responses: PluralForms;
}

const TRANSLATIONS: Record<string, object> = { en, ar, de, es, fr, ja, pt, ru, zh };

const LOCALES = new Map<string, ThreadStrings>(
  Object.entries(TRANSLATIONS).map(([lang, translated]) => [
    lang,
    {
      lang,
      dir: textDirection(lang),
      t: withEnglish(en, translated) as WidgetStrings,
      responses: { ...en.responses, ...(translated as WidgetStrings).responses },
    },
  ]),
);

/** The strings for a site's locale ("pt-BR" → pt); an unknown one reads English. */
export function threadStrings(locale: string): ThreadStrings {
  const primary = locale.toLowerCase().split(/[-_]/)[0] ?? "en";
  return LOCALES.get(primary) ?? (LOCALES.get("en") as ThreadStrings);
}

/** Fills `{name}` slots with text (the caller escapes the result for where it goes). */
export const fill = (text: string, values: Record<string, string>) =>
  text.replace(/\{(\w+)\}/g, (_, name: string) => values[name] ?? "");

/**
 * "N Responses to “title”" as the widget words it (widget/src/i18n.ts `plural`): its zero form
 * for none, else n's plural category in the locale, else the "other" form.
 */
export function responsesHeading(s: ThreadStrings, n: number, title: string): string {
  const form = n ? s.responses[new Intl.PluralRules(s.lang).select(n)] : s.responses.zero;
  return fill(form || s.responses.other, { title, n: n.toLocaleString(s.lang) });
}
