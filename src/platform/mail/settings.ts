/*
 * The Worker variables, secrets and binding that choose and configure the mail transport
 * (README "Mail"), read into settings once, with an error an operator can act on for each
 * mistake. Nothing here sends.
 */
import { parseMailbox } from "./clean";
import type { MailAddress } from "./message";

export interface MailEnv {
  /** "smtp", "send_email" or "http"; unset, mail stays queued. */
  MAIL_TRANSPORT?: string;
  /** The sender of every mail, "Name <address>" or an address, one the provider sends from. */
  MAIL_FROM?: string;
  /** smtp: the submission server. */
  SMTP_HOST?: string;
  /** smtp: its port; 465 for `tls`, 587 for `starttls`, 25 for `none` unless set. */
  SMTP_PORT?: string;
  /** smtp: `tls` (the default), `starttls` or `none`. */
  SMTP_SECURITY?: string;
  /** smtp, secret: the login; no authentication when unset. */
  SMTP_USER?: string;
  /** smtp, secret: its password. */
  SMTP_PASSWORD?: string;
  /** send_email: Cloudflare's binding (wrangler.toml `[[send_email]] name = "SEND_EMAIL"`). */
  SEND_EMAIL?: SendEmail;
  /** http: the endpoint a Resend-compatible API takes a message at. */
  MAIL_HTTP_URL?: string;
  /** http, secret: its API key, sent as a bearer token. */
  MAIL_HTTP_TOKEN?: string;
}

export const SMTP_SECURITY = ["tls", "starttls", "none"] as const;
export type SmtpSecurity = (typeof SMTP_SECURITY)[number];

export interface SmtpSettings {
  host: string;
  port: number;
  security: SmtpSecurity;
  credentials?: { username: string; password: string };
}

export interface HttpSettings {
  url: string;
  token: string;
}

export type MailSettings = { from: MailAddress } & (
  | { transport: "smtp"; smtp: SmtpSettings }
  | { transport: "send_email"; binding: SendEmail }
  | { transport: "http"; http: HttpSettings }
);

const DEFAULT_PORT: Record<SmtpSecurity, number> = { tls: 465, starttls: 587, none: 25 };

/** A configuration mistake: the message says which setting to fix, never a secret's value. */
const misconfigured = (what: string) => new Error(`mail: ${what} (README "Mail")`);

const isSecurity = (value: string): value is SmtpSecurity =>
  (SMTP_SECURITY as readonly string[]).includes(value);

function smtpSettings(env: MailEnv): SmtpSettings {
  const host = env.SMTP_HOST?.trim();
  if (!host) throw misconfigured("MAIL_TRANSPORT is smtp but SMTP_HOST is not set");
  const security = env.SMTP_SECURITY?.trim() || "tls";
  if (!isSecurity(security)) {
    throw misconfigured(`SMTP_SECURITY must be tls, starttls or none, not "${security}"`);
  }
  const port = env.SMTP_PORT ? Number(env.SMTP_PORT) : DEFAULT_PORT[security];
  if (!Number.isInteger(port) || port < 1 || port > 65_535) {
    throw misconfigured(`SMTP_PORT must be a port number, not "${env.SMTP_PORT}"`);
  }
  const { SMTP_USER: username, SMTP_PASSWORD: password } = env;
  if (!username !== !password) {
    throw misconfigured("SMTP_USER and SMTP_PASSWORD are set together or not at all");
  }
  return {
    host,
    port,
    security,
    ...(username && password ? { credentials: { username, password } } : {}),
  };
}

function httpSettings(env: MailEnv): HttpSettings {
  const raw = env.MAIL_HTTP_URL ?? "";
  const url = URL.canParse(raw) ? new URL(raw) : undefined;
  // The token goes with every request: never over plain HTTP.
  if (url?.protocol !== "https:") {
    throw misconfigured("MAIL_TRANSPORT is http but MAIL_HTTP_URL is not an https:// URL");
  }
  if (!env.MAIL_HTTP_TOKEN) {
    throw misconfigured("MAIL_TRANSPORT is http but the MAIL_HTTP_TOKEN secret is not set");
  }
  return { url: url.href, token: env.MAIL_HTTP_TOKEN };
}

/**
 * The transport the Worker's configuration asks for, or undefined when MAIL_TRANSPORT is unset.
 * Throws an Error saying what to fix when a setting is missing or malformed.
 */
export function mailSettings(env: MailEnv): MailSettings | undefined {
  const transport = env.MAIL_TRANSPORT?.trim();
  if (!transport) return undefined;
  const from = parseMailbox(env.MAIL_FROM ?? "");
  if (!from) {
    throw misconfigured(
      `MAIL_TRANSPORT is ${transport} but MAIL_FROM is not an address or "Name <address>"`,
    );
  }
  switch (transport) {
    case "smtp":
      return { transport, from, smtp: smtpSettings(env) };
    case "send_email":
      if (!env.SEND_EMAIL) {
        throw misconfigured(
          'MAIL_TRANSPORT is send_email but there is no send_email binding named "SEND_EMAIL"',
        );
      }
      return { transport, from, binding: env.SEND_EMAIL };
    case "http":
      return { transport, from, http: httpSettings(env) };
    default:
      throw misconfigured(`MAIL_TRANSPORT must be smtp, send_email or http, not "${transport}"`);
  }
}
