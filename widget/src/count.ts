import { fillCounts } from "./fill-counts";
import { loadLocale, useStrings } from "./i18n";

/*
 * count.js: index pages. Kept apart from widget.js so a front page listing fifty articles loads
 * about a kilobyte, not the whole comments section. The strings come from the page's locale
 * file (i18n/count/), fetched alongside the counts; when it cannot be loaded, from the English
 * copy the build put in the script: a count in English beats no count.
 */

const script = (document.currentScript ??
  [...document.querySelectorAll<HTMLScriptElement>("script[data-site]")]
    .filter((tag) => /count\.js([?#]|$)/.test(tag.src))
    .pop()) as HTMLScriptElement | undefined;

const go = () => {
  try {
    const site = script?.dataset.site;
    if (!script || !site) return;
    const base = new URL(script.src).origin;
    const strings = loadLocale(
      script.dataset.lang || document.documentElement.lang,
      `${base}/i18n/count`,
    ).catch(() => useStrings(__PARLEY_COUNT_EN__, "en"));
    fillCounts(`${base}/api/v1/sites/${encodeURIComponent(site)}`, strings);
  } catch {
    // Never break the host page.
  }
};
if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", go);
else go();
