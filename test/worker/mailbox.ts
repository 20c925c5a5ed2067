import {
  createExecutionContext,
  createScheduledController,
  waitOnExecutionContext,
} from "cloudflare:test";
import { env } from "cloudflare:workers";
import { expect } from "vitest";
import worker from "../../src/index";
import { type Handler, stubNetwork } from "./network-edge";

/*
 * The mail API at the network edge: the worker tests' Worker sends mail through the http
 * transport (vitest.config.ts: MAIL_TRANSPORT "http" to mail.parley.test), and this stub takes
 * each message as the Resend-compatible API would, or refuses it when a test says so. Everything
 * else (the outbox, its triggers, delivery, the links) runs for real.
 */

export const MAIL_HOST = "mail.parley.test";

export interface Mail {
  from: string;
  to: string;
  subject: string;
  text: string;
  html: string;
  headers: Record<string, string>;
}

/** The stubbed mail API: what it accepted, and how many of the next messages it refuses. */
export function mailbox(other: Record<string, Handler> = {}) {
  const accepted: Mail[] = [];
  let refuse = 0;
  stubNetwork({
    ...other,
    [MAIL_HOST]: async (request) => {
      if (refuse > 0) {
        refuse--;
        return new Response("try later", { status: 503 });
      }
      const body = (await request.json()) as Omit<Mail, "to"> & { to: string[] };
      accepted.push({ ...body, to: body.to[0] ?? "" });
      return Response.json({ id: `sent-${accepted.length}` });
    },
  });
  return {
    /** What was sent to `address`, in order. */
    to: (address: string) => accepted.filter((m) => m.to === address),
    all: accepted,
    refuseNext(count: number) {
      refuse = count;
    },
  };
}

/** A reader's address no other test uses. */
export const address = (who = "reader") =>
  `${who}-${crypto.randomUUID().slice(0, 8)}@readers.example`;

/** The link in a mail's text that opens `path` (e.g. "/mail/confirm"), as a request path. */
export function linkIn(mail: Mail | undefined, path: string): string {
  const match = mail?.text.match(new RegExp(`https?://[^\\s]+${path}\\?token=[^\\s]+`));
  expect(match, `a ${path} link in ${mail?.text}`).not.toBeNull();
  const url = new URL(match?.[0] ?? "http://x");
  return `${url.pathname}${url.search}`;
}

/** The Cron Trigger, as Cloudflare runs it every minute; returns once its work is done. */
export async function runCron(): Promise<void> {
  const ctx = createExecutionContext();
  await worker.scheduled(createScheduledController(), env, ctx);
  await waitOnExecutionContext(ctx);
}
