/*
 * What Parley sends, in the shape every transport takes: Cloudflare's send_email binding
 * (EmailMessageBuilder), SMTP submission (worker-mailer) and the HTTP mail API all compose the
 * MIME themselves from these fields, so no transport's mail differs from another's and nothing
 * of ours writes MIME by hand.
 */

export interface MailAddress {
  name: string;
  email: string;
}

export interface MailMessage {
  /**
   * The transport sends from its configured address (MAIL_FROM, the one its provider sends for)
   * whatever `from.email` says; `from.name`, when not empty, is shown instead of MAIL_FROM's name.
   */
  from: MailAddress;
  /** One recipient: every mail is personal (its unsubscribe link is the recipient's own). */
  to: string;
  subject: string;
  text: string;
  html: string;
  /**
   * Headers beyond From/To/Subject: Message-ID, In-Reply-To, References, List-Unsubscribe,
   * List-Unsubscribe-Post, Auto-Submitted. Values are checked by the transport layer: no line
   * breaks or other control characters reach a header.
   */
  headers: Record<string, string>;
}

/** Sends one message; rejects when the mail was not accepted (the outbox tries again later). */
export interface MailTransport {
  /** "smtp", "send_email" or "http", for the operator's view of failed mail. */
  readonly name: string;
  send(message: MailMessage): Promise<void>;
}
