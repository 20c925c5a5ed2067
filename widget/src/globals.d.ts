/** The minified widget/src/styles.css, inlined by scripts/build-widget.mjs. */
declare const __PARLEY_CSS__: string;

/** count.js's strings in English, the text of i18n/count/en.txt, inlined by the build. */
declare const __PARLEY_COUNT_EN__: string;

/** Index of each string in a locale's array, by its en.json key; the build inlines the numbers. */
declare const L: Record<
  Exclude<keyof typeof import("./i18n/en.json"), `${string}.${string}`>,
  number
>;

interface Window {
  /** Set by the first widget.js that runs on a page, so that a second copy does nothing. */
  parley?: true;
  /** Cloudflare Turnstile's API, once its script has loaded (see challenge.ts). */
  turnstile?: {
    render(container: Element, options: { sitekey: string }): string | undefined;
    reset(id: string): void;
    getResponse(id: string): string | undefined;
  };
}
