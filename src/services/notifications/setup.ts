import type { MailEnv } from "../../platform/mail/settings";
import { mailTransport } from "../../platform/mail/transports";
import type { MailSetup } from "./delivery";

/** The Worker's settings for mail: the transport (README "Mail") and its own public origin. */
export type NotificationEnv = MailEnv & {
  /** This deployment's origin (`https://comments.example.com`), for the links in mail. */
  PUBLIC_URL?: string;
};

/**
 * Whether the deployment is set to send mail: a transport named and a PUBLIC_URL. Cheap enough for
 * every request, which runs a delivery after a write only where one could send something; a
 * transport's own settings are checked, and reported, by the delivery.
 */
export function mailConfigured(env: NotificationEnv): boolean {
  return Boolean(env.MAIL_TRANSPORT?.trim() && env.PUBLIC_URL?.trim());
}

/**
 * How mail is sent here, or undefined while it cannot be: no transport configured, or no
 * PUBLIC_URL for its links. Mail then waits in the outbox, where the operator sees it, until the
 * configuration is complete. A configuration that is wrong (a transport without its settings)
 * throws, with the setting to fix.
 */
export function mailSetup(env: NotificationEnv): MailSetup | undefined {
  const transport = mailTransport(env);
  const publicUrl = env.PUBLIC_URL?.replace(/\/+$/, "");
  if (!transport || !publicUrl) return undefined;
  return { transport, publicUrl };
}
