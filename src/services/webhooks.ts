import type { SiteRow } from "../db/sites";
import { hmacHex } from "./crypto";

export type WebhookEvent =
  | "comment.published"
  | "comment.pending"
  | "comment.spam"
  | `moderation.${string}`;

export interface WebhookPayload {
  event: WebhookEvent;
  site: string;
  page?: string;
  commentId?: string;
  status?: string;
  affected?: number;
  /** A line Slack (`text`) and Discord (`content`) show as the message. */
  text: string;
  content: string;
  at: string;
}

export const SIGNATURE_HEADER = "X-Parley-Signature";

async function deliver(url: string, body: string, signature: string, event: string) {
  const res = await fetch(url, {
    method: "POST",
    headers: {
      "content-type": "application/json",
      [SIGNATURE_HEADER]: `sha256=${signature}`,
      "X-Parley-Event": event,
    },
    body,
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
  payload: Omit<WebhookPayload, "site" | "content" | "at">,
  waitUntil: (promise: Promise<unknown>) => void,
): void {
  const url = site.webhookUrl;
  const secret = site.webhookSecret;
  if (!url || !secret) return;
  const body = JSON.stringify({
    ...payload,
    site: site.id,
    content: payload.text,
    at: new Date().toISOString(),
  });
  waitUntil(
    (async () => {
      const signature = await hmacHex(secret, body);
      try {
        await deliver(url, body, signature, payload.event);
      } catch {
        try {
          await deliver(url, body, signature, payload.event);
        } catch (error) {
          console.warn(
            JSON.stringify({
              level: "warn",
              msg: "webhook failed",
              site: site.id,
              error: String(error),
            }),
          );
        }
      }
    })(),
  );
}
