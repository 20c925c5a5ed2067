/*
 * The mail transport the Worker's configuration chooses (README "Mail"): SMTP submission,
 * Cloudflare's send_email binding, or an HTTP mail API. Each composes the MIME with its library
 * or service; every message goes through cleanMessage() first, whichever it is.
 */
import { type CleanMessage, cleanMessage } from "./clean";
import { httpTransport } from "./http";
import type { MailAddress, MailMessage, MailTransport } from "./message";
import { sendEmailTransport } from "./send-email";
import { type MailEnv, mailSettings } from "./settings";
import { smtpTransport } from "./smtp";

export interface BatchMailTransport extends MailTransport {
  /**
   * Sends each message and settles for each, in order. SMTP sends them all over one connection;
   * the others send one after another.
   */
  sendAll(messages: MailMessage[]): Promise<PromiseSettledResult<void>[]>;
}

/** What a transport module makes: it sends messages cleanMessage() has made safe. */
interface CleanTransport {
  name: string;
  send(message: CleanMessage): Promise<void>;
  sendAll?(messages: CleanMessage[]): Promise<PromiseSettledResult<void>[]>;
}

async function oneByOne(transport: CleanTransport, messages: CleanMessage[]) {
  const results: PromiseSettledResult<void>[] = [];
  for (const message of messages) {
    try {
      await transport.send(message);
      results.push({ status: "fulfilled", value: undefined });
    } catch (reason) {
      results.push({ status: "rejected", reason });
    }
  }
  return results;
}

/** The one way into a transport: every message is cleaned, from the configured sender. */
function cleaning(transport: CleanTransport, sender: MailAddress): BatchMailTransport {
  return {
    name: transport.name,
    send: async (message) => transport.send(cleanMessage(message, sender)),
    async sendAll(messages) {
      const results: PromiseSettledResult<void>[] = [];
      const sendable: { at: number; message: CleanMessage }[] = [];
      messages.forEach((message, at) => {
        try {
          sendable.push({ at, message: cleanMessage(message, sender) });
        } catch (reason) {
          results[at] = { status: "rejected", reason };
        }
      });
      const clean = sendable.map((s) => s.message);
      const sent = await (transport.sendAll?.(clean) ?? oneByOne(transport, clean));
      sent.forEach((result, i) => {
        results[sendable[i]?.at ?? i] = result;
      });
      return results;
    },
  };
}

/**
 * The transport MAIL_TRANSPORT names, sending from MAIL_FROM; undefined when MAIL_TRANSPORT is
 * unset (mail stays queued). Throws an Error naming the setting to fix when the configuration is
 * incomplete or malformed. A message it rejects carries no address in its error; one that can
 * never be sent (a malformed recipient or header) is rejected with UnsendableMail.
 */
export function mailTransport(env: MailEnv): BatchMailTransport | undefined {
  const settings = mailSettings(env);
  if (!settings) return undefined;
  switch (settings.transport) {
    case "smtp":
      return cleaning(smtpTransport(settings.smtp), settings.from);
    case "send_email":
      return cleaning(sendEmailTransport(settings.binding), settings.from);
    case "http":
      return cleaning(httpTransport(settings.http), settings.from);
  }
}
