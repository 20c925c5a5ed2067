/// <reference types="vite/types/importMeta.d.ts" />
import { describe, expect, it } from "vitest";
import { CONSOLE_LANGUAGES } from "../../src/routes/console/locale";
import { type ConsoleTranslation, en } from "../../src/routes/console/strings";
import { browser, SAME_ORIGIN, send, signedInModerator, signIn } from "./console-browser";
import { ADMIN_TOKEN, pageUrl, post } from "./helpers";
import { newSite } from "./moderation-fixtures";

/*
 * The console in the widget's languages (issue 15): the language a moderator's browser asks for
 * (Accept-Language, by its q-values), English for any other, every visible word from the locale
 * files, and those files keeping English's keys and placeholders. The words checked below are
 * the translations' own (i18n/<lang>.ts), written out so that a page in English fails them.
 */

const language = (tags: string) => ({ "accept-language": tags });

async function signInPage(tags?: string) {
  const res = await send(browser(), "GET", "/admin/sign-in", undefined, tags ? language(tags) : {});
  expect(res.status).toBe(200);
  return { res, html: await res.text() };
}

/** The `<html …>` tag of a page. */
const htmlTag = (html: string) => html.match(/<html[^>]*>/)?.[0];

describe("the language of the pages", () => {
  it("speaks German to a browser that asks for it: the sign-in page", async () => {
    const { res, html } = await signInPage("de-DE,de;q=0.9,en;q=0.5");
    expect(htmlTag(html)).toBe('<html lang="de" dir="ltr">');
    expect(html).toContain("<title>Anmelden · Parley</title>");
    expect(html).toContain("Moderationsschlüssel oder Betreiber-Token");
    // The pages differ by the header: a cache in between must know it (they are no-store too).
    expect(res.headers.get("vary")).toContain("Accept-Language");
  });

  it("speaks German in the queue: tabs, filters, actions, the shortcuts' help", async () => {
    const site = await newSite({ moderation: "all" });
    await post(site.id, pageUrl("i18n"), {});
    const who = await signedInModerator(site);
    const res = await send(
      who,
      "GET",
      `/admin/sites/${site.id}/queue?tab=pending`,
      undefined,
      language("de"),
    );
    expect(res.status).toBe(200);
    const html = await res.text();
    expect(htmlTag(html)).toBe('<html lang="de" dir="ltr">');
    for (const word of ["Ausstehend", "Gemeldet", "IP-Hash", "Filtern", "Freigeben", "Löschen"])
      expect(html).toContain(word);
    expect(html).toContain("Tastenkürzel");
    expect(html).toContain('data-count-text="{n} ausgewählt"');
    expect(html).toContain('data-copied="Kopiert"');
    expect(html).toContain("Abmelden");
    for (const word of ["Pending", "Approve", "Sign out", "Keyboard shortcuts"])
      expect(html).not.toContain(word);
  });

  it("lays out an Arabic page right to left", async () => {
    const { html } = await signInPage("ar-EG");
    expect(htmlTag(html)).toBe('<html lang="ar" dir="rtl">');
    expect(html).toContain("تسجيل الدخول");
  });

  it("takes the first language it speaks, by q-value: French after an unknown one", async () => {
    const { html } = await signInPage("xx, fr;q=0.5");
    expect(htmlTag(html)).toBe('<html lang="fr" dir="ltr">');
    expect(html).toContain("Clé de modération ou jeton d’opérateur");
    const byQuality = await signInPage("de;q=0.2, ja;q=0.8, *;q=0.1");
    expect(htmlTag(byQuality.html)).toBe('<html lang="ja" dir="ltr">');
  });

  it("speaks a language for its regions: pt-BR is Portuguese", async () => {
    const { html } = await signInPage("pt-BR");
    expect(htmlTag(html)).toBe('<html lang="pt" dir="ltr">');
    expect(html).toContain("Chave de moderação ou token de operador");
  });

  it("speaks English when asked for nothing, or only for languages it lacks", async () => {
    for (const tags of [undefined, "xx", "tlh, x-klingon;q=0.5", "*", "de;q=0"]) {
      const { html } = await signInPage(tags);
      expect(htmlTag(html)).toBe('<html lang="en" dir="ltr">');
      expect(html).toContain("Moderator key or operator token");
    }
  });

  it("words what a handler says in the request's language: a refusal, a 404, a wrong key", async () => {
    const site = await newSite();
    const who = await signedInModerator(site);
    const refused = await send(
      who,
      "POST",
      `/admin/sites/${site.id}/bulk`,
      {},
      {
        origin: "https://evil.example",
        "sec-fetch-site": "cross-site",
        ...language("es"),
      },
    );
    expect(refused.status).toBe(403);
    expect(await refused.text()).toContain("Este formulario se envió desde otro sitio");
    const missing = await send(who, "GET", "/admin/sites/no-such-site/queue", undefined, {
      ...language("ru"),
    });
    expect(missing.status).toBe(404);
    expect(await missing.text()).toContain("Такой страницы здесь нет");
    const wrong = await send(
      browser(),
      "POST",
      "/admin/sign-in",
      { secret: "nope" },
      {
        ...SAME_ORIGIN,
        ...language("zh-CN"),
      },
    );
    expect(wrong.status).toBe(401);
    expect(await wrong.text()).toContain("此密钥或令牌无法打开控制台");
  });

  it("tells a form's problems in the request's language", async () => {
    const site = await newSite();
    const who = browser();
    expect((await signIn(who, ADMIN_TOKEN)).status).toBe(303);
    const res = await send(
      who,
      "POST",
      `/admin/sites/${site.id}/settings`,
      { maxDepth: "99" },
      {
        ...SAME_ORIGIN,
        ...language("de"),
      },
    );
    expect(res.status).toBe(422);
    const html = await res.text();
    expect(html).toContain("Nichts wurde gespeichert:");
    expect(html).toContain("Antworttiefe: Höchstens 10.");
  });
});

/** The console's locale files (i18n/<lang>.ts), each exporting its translation. */
const localeModules = import.meta.glob<Record<string, ConsoleTranslation>>(
  "../../src/routes/console/i18n/*.ts",
  { eager: true },
);
const translations = Object.entries(localeModules).map(([file, module]) => {
  const lang = file.match(/([a-z]+)\.ts$/)?.[1] ?? "";
  return { lang, translation: module[lang] as ConsoleTranslation };
});
/** The widget's locale files, whose languages the console speaks. */
const widgetLocales = import.meta.glob<Record<string, unknown>>("../../widget/src/i18n/*.json", {
  eager: true,
  import: "default",
});

/** Every string of a (partial) tree of strings, by its dotted key. */
function leaves(tree: object, prefix = ""): [key: string, value: unknown][] {
  return Object.entries(tree).flatMap(([key, value]) =>
    typeof value === "object" && value !== null
      ? leaves(value, `${prefix}${key}.`)
      : [[`${prefix}${key}`, value] as [string, unknown]],
  );
}
const placeholders = (text: string) => (text.match(/\{\w+\}/g) ?? []).sort();

describe("the locale files", () => {
  it("are the widget's languages, every one", () => {
    const widget = Object.keys(widgetLocales).map((file) => file.match(/([a-z]+)\.json$/)?.[1]);
    expect(translations.map((t) => t.lang).sort()).toEqual(
      widget.filter((lang) => lang !== "en").sort(),
    );
    expect([...CONSOLE_LANGUAGES].sort()).toEqual([...widget].sort());
    for (const { lang, translation } of translations) expect(translation, lang).toBeDefined();
  });

  it("translate only English's keys, each a string with exactly English's placeholders", () => {
    const english = new Map(leaves(en));
    for (const { lang, translation } of translations) {
      const own = leaves(translation);
      expect(own.length, lang).toBeGreaterThan(0);
      for (const [key, text] of own) {
        expect(english.has(key), `${lang}: ${key} is not one of English's keys`).toBe(true);
        expect(typeof text, `${lang}: ${key}`).toBe("string");
        expect(placeholders(text as string), `${lang}: ${key}`).toEqual(
          placeholders(english.get(key) as string),
        );
      }
    }
  });

  it("use the widget's word where the widget says the same thing", () => {
    for (const { lang, translation } of translations) {
      const widget = widgetLocales[`../../widget/src/i18n/${lang}.json`] as {
        delete: string;
        staff: string;
        pinned: string;
        reasons: { spam: string };
      };
      expect(translation.delete, lang).toBe(widget.delete);
      expect(translation.spam, lang).toBe(widget.reasons.spam);
      expect(translation.tabs?.spam, lang).toBe(widget.reasons.spam);
      expect(translation.context?.staff, lang).toBe(widget.staff);
      expect(translation.context?.pinned, lang).toBe(widget.pinned);
    }
  });
});

/** The console's own modules, as text. */
const sources = import.meta.glob<string>("../../src/routes/console/*.{ts,tsx}", {
  query: "?raw",
  import: "default",
  eager: true,
});

describe("the console's modules", () => {
  // strings.ts holds English; locale.ts chooses among it and the translations.
  const choosers = ["strings.ts", "locale.ts"];

  it("take their words from the request's language, never from English directly", () => {
    const files = Object.entries(sources).filter(
      ([file]) => !choosers.some((name) => file.endsWith(`/${name}`)),
    );
    expect(files.map(([file]) => file)).toContain("../../src/routes/console/queue.tsx");
    for (const [file, text] of files) {
      expect(text, file).not.toMatch(/\ben\s*[.[]/);
      expect(text, file).not.toMatch(/import\s*\{[^}]*\ben\b[^}]*\}\s*from\s*"\.\/strings"/);
    }
  });
});
