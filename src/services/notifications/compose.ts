import { html, raw } from "hono/html";
import type { CommentRow } from "../../db/comments";
import type { NewMailAction, OutboxRow } from "../../db/outbox";
import type { SiteRow } from "../../db/sites";
import type { ThreadRow } from "../../db/threads";
import { randomToken, sha256Hex } from "../../platform/crypto";
import type { MailAddress, MailMessage } from "../../platform/mail/message";
import { type Body, plainText } from "../../shared/body";
import { commentUrl } from "../comments/page-link";
import { bodyToHtml } from "../text/body-html";
import { signLink } from "./link-tokens";
import { fill, mailStrings } from "./strings";

/*
 * Each outbox row as the mail it is: a confirmation, a notification (one comment or a digest of
 * several), or a moderator's alert. Plain text and HTML say the same; the HTML is built from the
 * comments' body trees with every text escaped (services/text/body-html.ts) and nothing of a
 * reader's written as markup. Links go to pages of ours whose buttons act (routes/mail/).
 */

/** How long a moderator's one-time links work. */
export const ACTION_LINK_DAYS = 7;
const DAY_MS = 24 * 3600 * 1000;

/** What a mail is composed from: the row, and what it speaks of, read for the whole batch. */
export interface MailFacts {
  row: OutboxRow;
  site: SiteRow;
  thread: ThreadRow | undefined;
  /** The row's comments, as they are now. */
  comments: CommentRow[];
  /** The recipient's address id on the site (readers' mail). */
  addressId: string | undefined;
}

export interface Composed {
  message: MailMessage;
  /** One-time moderation links to store (hashed) once the mail is sent. */
  actions: NewMailAction[];
}

const bodyOf = (c: CommentRow): Body => JSON.parse(c.bodyJson) as Body;

/**
 * A title short enough for a subject line: the transports write a subject on one line, and a
 * long title (up to 300 characters, more once encoded) would pass the 998 a line may have.
 */
const SUBJECT_TITLE = 80;
const subjectTitle = (title: string) =>
  title.length > SUBJECT_TITLE ? `${title.slice(0, SUBJECT_TITLE - 1)}…` : title;

/** A mail's HTML: a short document with the given (already escaped) content. */
const document = (lang: string, content: unknown) =>
  String(html`<!doctype html>
<html lang="${lang}"><head><meta charset="utf-8"></head>
<body style="font-family: sans-serif; line-height: 1.5">${content}</body></html>`);

const linkLine = (url: string, label: string) => html`<p><a href="${url}">${label}</a></p>`;

/**
 * Message-ID and threading: every mail about a thread refers to one made-up root message, so
 * mail clients show a thread's notifications together.
 */
function threading(publicUrl: string, row: OutboxRow): Record<string, string> {
  const host = new URL(publicUrl).host;
  const headers: Record<string, string> = {
    "Message-ID": `<${row.id}@${host}>`,
    "Auto-Submitted": "auto-generated",
  };
  if (row.threadId) {
    const root = `<thread.${row.threadId}@${host}>`;
    headers["In-Reply-To"] = root;
    headers.References = root;
  }
  return headers;
}

function confirmation(f: MailFacts, from: MailAddress, publicUrl: string, link: string): Composed {
  const t = mailStrings(f.site.locale);
  const values = { site: f.site.name, title: f.thread?.title ?? "" };
  const url = `${publicUrl}/mail/confirm?token=${link}`;
  return {
    message: {
      from,
      to: f.row.recipient,
      subject: fill(t.confirmSubject, { ...values, title: subjectTitle(values.title) }),
      text: [fill(t.confirmIntro, values), `${t.confirmAction}: ${url}`, t.confirmIgnore].join(
        "\n\n",
      ),
      html: document(
        f.site.locale,
        html`<p>${fill(t.confirmIntro, values)}</p>${linkLine(url, t.confirmAction)}<p>${t.confirmIgnore}</p>`,
      ),
      headers: threading(publicUrl, f.row),
    },
    actions: [],
  };
}

async function notification(
  f: MailFacts,
  from: MailAddress,
  publicUrl: string,
): Promise<Composed | undefined> {
  const thread = f.thread;
  const shown = f.comments.filter((c) => c.status === "published");
  if (!thread || !f.addressId || shown.length === 0) return undefined;
  const t = mailStrings(f.site.locale);
  const subject = { siteId: f.site.id, addressId: f.addressId };
  const [unsubscribe, manage] = await Promise.all([
    signLink(f.site, "unsubscribe", { ...subject, threadId: thread.id }),
    signLink(f.site, "manage", subject),
  ]);
  const unsubscribeUrl = `${publicUrl}/mail/unsubscribe?token=${unsubscribe}`;
  const manageUrl = `${publicUrl}/mail/subscriptions?token=${manage}`;
  const values = { title: thread.title, site: f.site.name, count: shown.length };
  const texts = shown.map((c) => {
    const url = commentUrl(f.site, thread.pageKey, c.id);
    return [
      fill(t.wrote, { name: c.authorName }),
      plainText(bodyOf(c)),
      url ? `${t.readOnPage}: ${url}` : "",
    ]
      .filter(Boolean)
      .join("\n\n");
  });
  const htmls = shown.map((c) => {
    const url = commentUrl(f.site, thread.pageKey, c.id);
    return html`<hr><p><strong>${fill(t.wrote, { name: c.authorName })}</strong></p>
<div>${raw(bodyToHtml(bodyOf(c)))}</div>${url ? linkLine(url, t.readOnPage) : ""}`;
  });
  const footer = [`${t.unsubscribe}: ${unsubscribeUrl}`, `${fill(t.manage, values)}: ${manageUrl}`];
  return {
    message: {
      from,
      to: f.row.recipient,
      subject: fill(shown.length === 1 ? t.replySubject : t.digestSubject, {
        ...values,
        title: subjectTitle(thread.title),
      }),
      text: [fill(t.notifyIntro, values), ...texts, "--", ...footer].join("\n\n"),
      html: document(
        f.site.locale,
        html`<p>${fill(t.notifyIntro, values)}</p>${htmls}<hr>${linkLine(unsubscribeUrl, t.unsubscribe)}${linkLine(manageUrl, fill(t.manage, values))}`,
      ),
      headers: {
        ...threading(publicUrl, f.row),
        "List-Unsubscribe": `<${unsubscribeUrl}>`,
        "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
      },
    },
    actions: [],
  };
}

async function alert(
  f: MailFacts,
  from: MailAddress,
  publicUrl: string,
  now: Date,
): Promise<Composed | undefined> {
  const [comment] = f.comments;
  if (!comment || (comment.status !== "pending" && comment.status !== "published"))
    return undefined;
  const t = mailStrings(f.site.locale);
  const held = comment.status === "pending";
  const values = { site: f.site.name, title: f.thread?.title ?? "", name: comment.authorName };
  const expiresAt = new Date(now.getTime() + ACTION_LINK_DAYS * DAY_MS).toISOString();
  const choices = held ? (["approve", "spam", "delete"] as const) : (["spam", "delete"] as const);
  const links = await Promise.all(
    choices.map(async (action) => {
      const token = `${f.site.id}.${randomToken()}`;
      return {
        action,
        url: `${publicUrl}/mail/moderate?token=${token}`,
        row: {
          tokenHash: await sha256Hex(token),
          siteId: f.site.id,
          commentId: comment.id,
          action,
          recipient: f.row.recipient,
          expiresAt,
        },
      };
    }),
  );
  const author = fill(t.alertAuthor, {
    name: comment.authorName,
    email: comment.authorEmail ?? "",
  });
  const reasons = comment.spamReasons?.length
    ? fill(t.alertReasons, { reasons: comment.spamReasons.join(", ") })
    : "";
  const page = f.thread
    ? (commentUrl(f.site, f.thread.pageKey, comment.id) ?? f.thread.pageKey)
    : "";
  const intro = held ? t.alertPendingIntro : t.alertPublishedIntro;
  return {
    message: {
      from,
      to: f.row.recipient,
      subject: fill(held ? t.alertPendingSubject : t.alertPublishedSubject, {
        ...values,
        title: subjectTitle(values.title),
      }),
      text: [
        intro,
        author,
        reasons,
        page,
        plainText(bodyOf(comment)),
        t.alertLinks,
        ...links.map((l) => `${t[l.action]}: ${l.url}`),
      ]
        .filter(Boolean)
        .join("\n\n"),
      html: document(
        f.site.locale,
        html`<p>${intro}</p><p>${author}</p>${reasons ? html`<p>${reasons}</p>` : ""}<p>${page}</p>
<div>${raw(bodyToHtml(bodyOf(comment)))}</div><hr><p>${t.alertLinks}</p>${links.map((l) => linkLine(l.url, t[l.action]))}`,
      ),
      headers: threading(publicUrl, f.row),
    },
    actions: links.map((l) => l.row),
  };
}

/** The mail an outbox row stands for now; undefined when nothing is left to say. */
export async function compose(
  f: MailFacts,
  from: MailAddress,
  publicUrl: string,
  now: Date,
): Promise<Composed | undefined> {
  switch (f.row.kind) {
    case "confirm": {
      if (!f.addressId) return undefined;
      const link = await signLink(f.site, "confirm", { siteId: f.site.id, addressId: f.addressId });
      return confirmation(f, from, publicUrl, link);
    }
    case "notify":
      return notification(f, from, publicUrl);
    case "alert":
      return alert(f, from, publicUrl, now);
  }
}
