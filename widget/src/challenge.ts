import { h } from "./dom";

/**
 * Cloudflare Turnstile, for sites that turn it on (the thread's `site.turnstileSiteKey`). Only
 * then is Cloudflare's script loaded, so other sites' readers make no third-party request. The
 * challenge is rendered explicitly into the post form and its token sent with the comment.
 */

/** The rendered challenge, once Turnstile has drawn it. */
let id: string | undefined;

export function challenge(key: string | null, form: HTMLFormElement): void {
  if (!key) return;
  const box = h("div");
  // Above the error line and the buttons: the last thing before posting.
  form.querySelector(".err")?.before(box);
  // Turnstile runs in the page, not in the shadow root: it needs a <script> element of its own.
  // A page that enforces Trusted Types refuses it (a script URL is a sink): the section then
  // works without the challenge, and the server keeps such comments for the moderators.
  try {
    const s = h("script", {
      src: "https://challenges.cloudflare.com/turnstile/v0/api.js?render=explicit",
    });
    s.onload = () => {
      id = window.turnstile?.render(box, { sitekey: key });
    };
    document.head.append(s);
  } catch {}
}

/** The token to send with a comment: undefined without a challenge. */
export const token = () => id && window.turnstile?.getResponse(id);

/**
 * A fresh challenge: a token is good for one post, and moving the form (to reply) reloads the
 * challenge's frame, which Turnstile must then draw again.
 */
export const resetChallenge = () => id && window.turnstile?.reset(id);
