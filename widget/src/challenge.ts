import { h } from "./dom";

/**
 * Cloudflare Turnstile, for sites that turn it on (the thread's `site.turnstileSiteKey`). Only
 * then is Cloudflare's script loaded, so other sites' readers make no third-party request. The
 * challenge is rendered explicitly into the post form and its token sent with the comment.
 */

/** The rendered challenge, once Turnstile has drawn it. */
let widgetId: string | undefined;

/** Draws the challenge into the post form; none for a site without a key (or a locked thread). */
export function challenge(siteKey: string | null | false, form: HTMLFormElement): void {
  // Each mount starts without one: an earlier mount's challenge went with its form.
  widgetId = undefined;
  if (!siteKey) return;
  const box = h("div");
  // Above the error line and the buttons: the last thing before posting.
  form.querySelector(".error")?.before(box);
  // Turnstile runs in the page, not in the shadow root: it needs a <script> element of its own.
  // A page that enforces Trusted Types refuses it (a script URL is a sink): the section then
  // works without the challenge, and the server keeps such comments for the moderators.
  // Each mount adds one (a remount loads it again, from the cache, as the README says: reusing
  // a loaded one cost 8 B of first paint the budget did not have).
  try {
    const script = h("script", {
      src: "https://challenges.cloudflare.com/turnstile/v0/api.js?render=explicit",
    });
    script.onload = () => {
      // Not into a section unmounted while the script loaded.
      if (box.isConnected) widgetId = window.turnstile?.render(box, { sitekey: siteKey });
    };
    document.head.append(script);
  } catch {}
}

/** The token to send with a comment: undefined without a challenge. */
export const challengeToken = () => widgetId && window.turnstile?.getResponse(widgetId);

/**
 * A fresh challenge: a token is good for one post, and moving the form (to reply) reloads the
 * challenge's frame, which Turnstile must then draw again.
 */
export const resetChallenge = () => widgetId && window.turnstile?.reset(widgetId);
