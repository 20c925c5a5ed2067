/*
 * Header safety, in one place for every transport. Subjects and display names carry readers'
 * words (page titles, author names), and worker-mailer writes headers as it is given them: a line
 * break in a subject would start a header of the writer's choosing (a Bcc), and one in an address
 * would add an SMTP command. So every message passes through cleanMessage() before any transport
 * sees it (src/platform/mail/transports.ts), and transports take only what it returns. Encoding
 * non-ASCII subjects and names (RFC 2047) is left to the library or service that writes the MIME.
 */
import type { MailAddress, MailMessage } from "./message";

declare const cleaned: unique symbol;

/** A message that went through cleanMessage(): the only kind a transport sends. */
export type CleanMessage = MailMessage & { readonly [cleaned]: true };

/** A message no retry can send (a malformed address or header): the outbox may give it up. */
export class UnsendableMail extends Error {
  override name = "UnsendableMail";
}

/** Control characters (C0 with CR, LF and TAB, DEL, C1) and Unicode's line separators. */
const CONTROLS = /[\p{Cc}\u2028\u2029]+/gu;

/** One line: each run of control characters becomes one space. */
const oneLine = (text: string) => text.replace(CONTROLS, " ").trim();

/**
 * A display name the transports can quote: worker-mailer and the HTTP transport put it between
 * double quotes without escaping, so a quote or backslash in it would end the quoted string and
 * let the rest read as more addresses.
 */
export const displayName = (name: string) =>
  oneLine(name).replaceAll('"', "'").replaceAll("\\", "");

/**
 * An address as every transport can carry it: a dot-atom local part and a host name, printable
 * ASCII with no spaces, quotes, brackets or separators (zod's `email()`, which the API uses, takes
 * no more than this). Quoted local parts and non-ASCII addresses are not sent.
 */
const ADDRESS =
  /^[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+(\.[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+)*@[A-Za-z0-9-]+(\.[A-Za-z0-9-]+)*$/;
const MAX_ADDRESS = 254;

export const isMailAddress = (email: string) => email.length <= MAX_ADDRESS && ADDRESS.test(email);

/**
 * Headers a transport writes itself, from the message's fields or as its library or service
 * requires (Cloudflare's Email Service refuses them in `headers`); a message may not set them.
 */
const RESERVED = new Set([
  "from",
  "to",
  "cc",
  "bcc",
  "subject",
  "reply-to",
  "sender",
  "date",
  "mime-version",
  "content-type",
  "content-transfer-encoding",
  "return-path",
  "received",
  "dkim-signature",
]);

/** Letters, digits, hyphens (and X-headers' underscores), as Cloudflare's Email Service takes them. */
const HEADER_NAME = /^[A-Za-z0-9_-]{1,100}$/;

/**
 * The spelling worker-mailer looks for: it adds a Message-ID of its own unless the headers hold
 * one spelled exactly so, and a "Message-Id" would make two.
 */
const CANONICAL: Record<string, string> = { "message-id": "Message-ID" };

/** RFC 5322's limit for a line; worker-mailer writes each header on one. */
const MAX_LINE = 998;

function cleanHeaders(headers: Record<string, string>): Record<string, string> {
  const clean: Record<string, string> = {};
  const seen = new Set<string>();
  for (const [name, raw] of Object.entries(headers)) {
    const lower = name.toLowerCase();
    if (!HEADER_NAME.test(name)) throw new UnsendableMail(`mail: "${name}" is not a header name`);
    if (RESERVED.has(lower)) throw new UnsendableMail(`mail: a message may not set ${name}`);
    if (seen.has(lower)) throw new UnsendableMail(`mail: ${name} is set twice`);
    seen.add(lower);
    const value = oneLine(raw);
    // Header values are machine-made (ids, URLs, keywords): ASCII, as SMTP without SMTPUTF8 and
    // Cloudflare's allowlisted headers carry them.
    if (!/^[\x20-\x7e]+$/.test(value)) {
      throw new UnsendableMail(`mail: ${name} must be printable ASCII and not empty`);
    }
    if (name.length + 2 + value.length > MAX_LINE) {
      throw new UnsendableMail(`mail: ${name} is longer than one header line may be`);
    }
    clean[CANONICAL[lower] ?? name] = value;
  }
  return clean;
}

/**
 * The message as it may be sent, from `sender`'s address: the operator's MAIL_FROM, the one
 * address its provider lets it send from. The message's `from.name`, when set, is shown instead
 * of the sender's name. Subjects and names lose their control characters; a malformed address
 * or header throws UnsendableMail (its message never names the address).
 */
export function cleanMessage(message: MailMessage, sender: MailAddress): CleanMessage {
  if (!isMailAddress(message.to)) throw new UnsendableMail("mail: the recipient is not an address");
  const from: MailAddress = {
    name: displayName(message.from.name) || sender.name,
    email: sender.email,
  };
  return {
    from,
    to: message.to,
    subject: oneLine(message.subject),
    text: message.text,
    html: message.html,
    headers: cleanHeaders(message.headers),
  } as CleanMessage;
}

/**
 * MAIL_FROM as an address: "Name <address>" or the address alone; undefined when it is neither.
 */
export function parseMailbox(value: string): MailAddress | undefined {
  const match = value.trim().match(/^(?:(.*?)\s*<([^<>]*)>|([^<>\s]+))$/s);
  const email = match?.[2] ?? match?.[3] ?? "";
  if (!isMailAddress(email)) return undefined;
  return { name: displayName((match?.[1] ?? "").replace(/^"(.*)"$/s, "$1")), email };
}

/**
 * An error's message with every address in it replaced: libraries and services name the
 * recipient in theirs (worker-mailer's "Invalid RCPT TO: <…>"), and the caller logs what a
 * transport rejects with, where no address may appear.
 */
export function redactedMessage(error: unknown): string {
  const text = error instanceof Error ? error.message : String(error);
  return text.replace(/[^\s<>"'(),;:[\]]+@[^\s<>"'(),;:[\]]+/g, "<address>");
}
