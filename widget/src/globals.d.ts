/** The minified widget/src/styles.css, inlined by scripts/build-widget.mjs. */
declare const __PARLEY_CSS__: string;

/**
 * The key paths of the script's locale file, one per line of it, space-separated ("sort.label",
 * "reasons.spam", ...): inlined by the build, which writes the files in this order (i18n.ts).
 */
declare const __PARLEY_STRING_KEYS__: string;

/** count.js's strings in English, the text of i18n/count/en.txt, inlined by the build. */
declare const __PARLEY_COUNT_EN__: string;

/**
 * recent.js's one string ("{author} on “{title}”: {excerpt}") in every locale, by primary
 * language subtag, inlined by the build; a language without a locale reads English.
 */
declare const __PARLEY_RECENT__: { en: string; [lang: string]: string | undefined };

interface Window {
  /**
   * widget.js's API for single-page apps (README "Embedding"); set by the first copy that runs
   * on a page, so that a second copy does nothing.
   */
  Parley?: {
    mount(host: Element, options: import("./index").Options): void;
    unmount(host: Element): void;
  };
  /** Cloudflare Turnstile's API, once its script has loaded (see challenge.ts). */
  turnstile?: {
    render(container: Element, options: { sitekey: string }): string | undefined;
    reset(id: string): void;
    getResponse(id: string): string | undefined;
  };
}
