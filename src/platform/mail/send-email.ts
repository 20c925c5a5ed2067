/*
 * Cloudflare Email Service through the Worker's send_email binding: the service composes the
 * MIME from these fields, signs it (DKIM) and sets Message-ID and Date itself.
 */
import { type CleanMessage, redactedMessage } from "./clean";

export function sendEmailTransport(binding: SendEmail) {
  return {
    name: "send_email",
    async send(message: CleanMessage): Promise<void> {
      // The service refuses a Message-ID of ours (E_HEADER_NOT_ALLOWED) and makes its own; the
      // In-Reply-To and References of later mails still name ours (README "Mail").
      const { "Message-ID": _, ...headers } = message.headers;
      try {
        await binding.send({
          from: message.from.name ? message.from : message.from.email,
          to: message.to,
          subject: message.subject,
          text: message.text,
          html: message.html,
          headers,
        });
      } catch (error) {
        throw new Error(`send_email: ${redactedMessage(error)}`);
      }
    },
  };
}
