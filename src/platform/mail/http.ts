/*
 * An HTTP mail API in Resend's shape (Resend's own, and the services that copy it): one JSON
 * message per POST, the API key as a bearer token. The service composes the MIME.
 */
import type { CleanMessage } from "./clean";
import type { MailAddress } from "./message";
import type { HttpSettings } from "./settings";

/** A mail API that has not answered by then is counted as failed; the outbox tries again. */
export const HTTP_TIMEOUT_MS = 10_000;

/** RFC 5322's specials: a display name with one is sent quoted. */
const SPECIALS = /[()<>[\]:;@\\,."]/;

/** "Name <address>", the one string Resend's `from` takes (cleanMessage keeps quotes out of names). */
function mailbox({ name, email }: MailAddress): string {
  if (!name) return email;
  return `${SPECIALS.test(name) ? `"${name}"` : name} <${email}>`;
}

export function httpTransport({ url, token }: HttpSettings) {
  return {
    name: "http",
    async send(message: CleanMessage): Promise<void> {
      // A timer rather than AbortSignal.timeout(): tests move timers, not AbortSignal's clock.
      const controller = new AbortController();
      const timer = setTimeout(() => controller.abort(), HTTP_TIMEOUT_MS);
      let response: Response;
      try {
        response = await fetch(url, {
          method: "POST",
          headers: { authorization: `Bearer ${token}`, "content-type": "application/json" },
          body: JSON.stringify({
            from: mailbox(message.from),
            to: [message.to],
            subject: message.subject,
            text: message.text,
            html: message.html,
            headers: message.headers,
          }),
          // A redirect is an answer that is not 2xx, not a reason to send the key elsewhere.
          redirect: "manual",
          signal: controller.signal,
        });
      } catch {
        throw new Error(
          controller.signal.aborted
            ? `http: the mail API did not answer within ${HTTP_TIMEOUT_MS / 1000} s`
            : "http: the mail API could not be reached",
        );
      } finally {
        clearTimeout(timer);
      }
      await response.body?.cancel();
      if (!response.ok) throw new Error(`http: the mail API answered ${response.status}`);
    },
  };
}
