/*
 * SMTP submission from the Worker (cloudflare:sockets) with worker-mailer, which composes the
 * MIME (multipart/alternative, quoted-printable bodies, RFC 2047 for non-ASCII subjects and names)
 * and speaks the protocol. It writes headers exactly as given: cleanMessage() has made them safe.
 *
 * A known fault of worker-mailer 1.2.1: when the server closes the connection before a whole
 * reply, its read loop never ends and keeps the isolate busy (no timer fires, so no timeout here
 * can end it); deployed, the CPU limit ends the invocation, locally nothing does. A server that
 * answers, even with an error, is handled.
 */
import { type EmailOptions, LogLevel, WorkerMailer, type WorkerMailerOptions } from "worker-mailer";
import { type CleanMessage, redactedMessage } from "./clean";
import type { SmtpSettings } from "./settings";

/** How long to wait for the connection and for each reply of the server. */
const SMTP_TIMEOUT_MS = 10_000;

function mailerOptions({ host, port, security, credentials }: SmtpSettings): WorkerMailerOptions {
  return {
    host,
    port,
    secure: security === "tls",
    // worker-mailer upgrades when the server offers STARTTLS and carries on in the clear when it
    // does not, so `tls` is the default (README "Mail").
    startTls: security === "starttls",
    ...(credentials ? { credentials } : {}),
    // Whatever the server offers; worker-mailer tries none unless told which.
    authType: ["plain", "login", "cram-md5"],
    // Its log lines name the recipient.
    logLevel: LogLevel.NONE,
    // worker-mailer 1.2 takes its reply timeout from socketTimeoutMs; both are set.
    socketTimeoutMs: SMTP_TIMEOUT_MS,
    responseTimeoutMs: SMTP_TIMEOUT_MS,
  };
}

const email = (message: CleanMessage): EmailOptions => ({
  from: message.from,
  to: message.to,
  subject: message.subject,
  text: message.text,
  html: message.html,
  // A copy: worker-mailer writes From, To, Subject, Date and Message-ID into the object it gets.
  headers: { ...message.headers },
});

const failed = (error: unknown) => new Error(`smtp: ${redactedMessage(error)}`);

async function connect(settings: SmtpSettings): Promise<WorkerMailer> {
  try {
    return await WorkerMailer.connect(mailerOptions(settings));
  } catch (error) {
    throw failed(error);
  }
}

/**
 * Every message over one connection, in order: a refused one (worker-mailer resets the session
 * and goes on) does not stop the rest. When no connection can be made, all are rejected.
 */
async function sendAll(
  settings: SmtpSettings,
  messages: CleanMessage[],
): Promise<PromiseSettledResult<void>[]> {
  const mailer = await connect(settings).catch((error: Error) => error);
  if (mailer instanceof Error) return messages.map(() => ({ status: "rejected", reason: mailer }));
  try {
    const results = await Promise.allSettled(messages.map((m) => mailer.send(email(m))));
    return results.map((r) => (r.status === "rejected" ? { ...r, reason: failed(r.reason) } : r));
  } finally {
    await mailer.close();
  }
}

export function smtpTransport(settings: SmtpSettings) {
  return {
    name: "smtp",
    // One connection per message, closed however it went (WorkerMailer.send leaves it open when
    // the mail is refused).
    async send(message: CleanMessage): Promise<void> {
      const [result] = await sendAll(settings, [message]);
      if (result?.status === "rejected") throw result.reason;
    },
    sendAll: (messages: CleanMessage[]) => sendAll(settings, messages),
  };
}
