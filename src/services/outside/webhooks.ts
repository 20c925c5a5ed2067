import type { SiteRow } from "../../db/sites";
import { now } from "../../platform/clock";
import { hmacHex } from "../../platform/crypto";
import { hasPublicHost } from "./public-host";

export type WebhookEvent =
  | "comment.published"
  | "comment.pending"
  | "comment.spam"
  | "comment.edited"
  | `moderation.${string}`;

export interface WebhookPayload {
  event: WebhookEvent;
  site: string;
  page?: string;
  commentId?: string;
  status?: string;
  affected?: number;
  /** The line Slack shows as the message, with `&`, `<`, `>` escaped as Slack asks. */
  text: string;
  /** The same line for Discord, on one line, with its markdown escaped. */
  content: string;
  /** Tells Discord to ping nobody, whatever "@everyone" a commenter wrote. */
  allowed_mentions: { parse: [] };
  at: string;
}

export const SIGNATURE_HEADER = "X-Parley-Signature";
const WEBHOOK_TIMEOUT_MS = 5_000;

/** What a caller says about an event; the envelope (site, time, Discord's copy) is added here. */
export type NewEvent = Omit<WebhookPayload, "site" | "content" | "allowed_mentions" | "at">;

// Slack reads "<!channel>" and "<https://x|y>" in `text` as commands and links.
const slackEscape = (s: string) =>
  s.replace(/[&<>]/g, (ch) => (ch === "&" ? "&amp;" : ch === "<" ? "&lt;" : "&gt;"));

/*
 * Discord reads markdown in `content`: a commenter's "[verify](https://evil.example)" would
 * show as a link named "verify", and "<@123>", "||…||" or "`…`" would format the line.
 * Discord shows any ASCII punctuation after a backslash as written, so every character that
 * opens its markdown gets one, and line breaks become spaces (headings, quotes, lists and code
 * blocks start a line, and Parley's line starts with its own words).
 * Bare http(s) URLs are left as they are: Discord reads no markdown inside one, and a
 * backslash there would break the link (the page's own URL is one). A run is matched as
 * Discord's link rule matches it (no space or "<", not ending in punctuation), and also ends
 * at ">", a double quote, backtick, backslash, bracket or "|", so it is never longer than
 * Discord's link and no masked link or spoiler can start inside what is left alone.
 * Not @discordjs/formatters' escapeMarkdown: it escapes syntax pair by pair and leaves "<…>"
 * forms and mentions as they are, so this function would be needed beside it anyway.
 */
const DISCORD_URL_OR_MARKUP =
  /(https?:\/\/[^\s<>"`\\[\]|]*[^\s<>"`\\[\]|.,:;')])|([\\*_~`|<>[\]()#@])/g;
const LINE_BREAKS = /[\r\n\u2028\u2029]+/g;

const discordEscape = (s: string) =>
  s
    .replace(LINE_BREAKS, " ")
    .replace(
      DISCORD_URL_OR_MARKUP,
      (_, url: string | undefined, markup: string) => url ?? `\\${markup}`,
    );

const excerpt = (text: string) => (text.length > 140 ? `${text.slice(0, 139)}…` : text);

/** What the comment events say of a comment. */
interface EventComment {
  id: string;
  status: string;
  authorName: string;
  bodySource: string;
}

function commentEvent(
  event: WebhookEvent,
  comment: EventComment,
  page: string,
  text: string,
): NewEvent {
  return { event, page, commentId: comment.id, status: comment.status, text };
}

/** The event for a new comment, whatever the defences decided about it. */
export function newCommentEvent(
  site: Pick<SiteRow, "name">,
  comment: EventComment,
  page: string,
): NewEvent {
  return commentEvent(
    `comment.${comment.status}` as WebhookEvent,
    comment,
    page,
    `New ${comment.status} comment by ${comment.authorName} on ${page} (${site.name}): ${excerpt(comment.bodySource)}`,
  );
}

/** The event for a comment its author edited; `status` is the one the edit left it in. */
export function editedCommentEvent(
  site: Pick<SiteRow, "name">,
  comment: EventComment,
  page: string,
): NewEvent {
  return commentEvent(
    "comment.edited",
    comment,
    page,
    `Comment by ${comment.authorName} edited on ${page} (${site.name}): ${excerpt(comment.bodySource)}`,
  );
}

async function deliver(url: string, body: string, signature: string, event: string) {
  const res = await fetch(url, {
    method: "POST",
    headers: {
      "content-type": "application/json",
      [SIGNATURE_HEADER]: `sha256=${signature}`,
      "X-Parley-Event": event,
    },
    body,
    // A redirect could lead anywhere, past the host check: any 3xx is a failure, not followed.
    redirect: "manual",
    // A hanging receiver must not hold the Worker past its waitUntil allowance.
    signal: AbortSignal.timeout(WEBHOOK_TIMEOUT_MS),
  });
  if (!res.ok) throw new Error(`webhook answered ${res.status}`);
}

/**
 * Posts the event to the site's webhook, signed with HMAC-SHA256 of the exact body. It runs
 * after the response (`waitUntil`), is retried once, and a failing receiver is only logged:
 * it never slows or breaks the reader's or moderator's request.
 */
export function sendWebhook(
  site: SiteRow,
  payload: NewEvent,
  waitUntil: (promise: Promise<unknown>) => void,
): void {
  const url = site.webhookUrl;
  const secret = site.webhookSecret;
  if (!url || !secret) return;
  // The settings API refuses such a URL; one stored before it did (or written by hand) is
  // skipped here, never sent.
  if (!hasPublicHost(url)) {
    console.warn(
      JSON.stringify({ level: "warn", msg: "webhook skipped: not a public host", site: site.id }),
    );
    return;
  }
  const body = JSON.stringify({
    ...payload,
    site: site.id,
    text: slackEscape(payload.text),
    content: discordEscape(payload.text),
    allowed_mentions: { parse: [] },
    at: now().toISOString(),
  });
  waitUntil(
    (async () => {
      const signature = await hmacHex(secret, body);
      for (let attempt = 1; attempt <= 2; attempt++) {
        try {
          return await deliver(url, body, signature, payload.event);
        } catch (error) {
          if (attempt === 2) {
            console.warn(
              JSON.stringify({
                level: "warn",
                msg: "webhook failed",
                site: site.id,
                error: `${error}`,
              }),
            );
          }
        }
      }
    })(),
  );
}
