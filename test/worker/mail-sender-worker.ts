// A Worker that sends the messages it is given through the mail transport its variables choose.
// No route of Parley sends mail on request, so test/cli/mail-smtp.test.ts bundles this one to
// drive the SMTP transport inside workerd, against a real SMTP server.
import type { MailMessage } from "../../src/platform/mail/message";
import type { MailEnv } from "../../src/platform/mail/settings";
import { mailTransport } from "../../src/platform/mail/transports";

/** How each message went: sent, or the rejection's name and message. */
export type SendResult = { sent: true } | { sent: false; name: string; message: string };

const failed = (error: Error): SendResult => ({
  sent: false,
  name: error.name,
  message: error.message,
});

export default {
  async fetch(request: Request, env: MailEnv): Promise<Response> {
    // GET answers scripts/runtime.mjs's health check.
    if (request.method !== "POST") return new Response("ready");
    const transport = mailTransport(env);
    if (!transport) return new Response("no MAIL_TRANSPORT", { status: 500 });
    const messages = await request.json<MailMessage[]>();
    const results: SendResult[] = [];
    // POST /send-all: sendAll(), one connection for all; anything else: send() for each.
    if (new URL(request.url).pathname === "/send-all") {
      for (const result of await transport.sendAll(messages)) {
        results.push(result.status === "fulfilled" ? { sent: true } : failed(result.reason));
      }
    } else {
      for (const message of messages) {
        results.push(await transport.send(message).then(() => ({ sent: true }) as const, failed));
      }
    }
    return Response.json(results);
  },
};
