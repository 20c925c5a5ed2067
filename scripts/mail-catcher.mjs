// The local mail catcher: what `npm start` and the tests point the Worker's SMTP transport at.
// An SMTP server (nodemailer's smtp-server) on 127.0.0.1 that takes every message, without
// authentication or TLS, and stores each one as it arrived, in one RFC 5322 .eml file; and, beside
// it, a read-only web inbox of those files (mail-inbox.mjs). Nothing leaves the machine.
import { randomBytes } from "node:crypto";
import { mkdir, rename, writeFile } from "node:fs/promises";
import path from "node:path";
import { SMTPServer } from "smtp-server";
import { startMailInbox } from "./mail-inbox.mjs";

/** Larger messages are refused (552): Parley's mails are a few kilobytes. */
const MAX_MESSAGE_BYTES = 10 * 1024 * 1024;

/**
 * An SMTP error reply with `code`, as smtp-server sends it.
 * @param {number} code
 * @param {string} text
 */
const reply = (code, text) => Object.assign(new Error(text), { responseCode: code });

/**
 * @typedef {object} MailCatcher
 * @property {number} port the SMTP port, on 127.0.0.1
 * @property {string} dir where each message lands, as one .eml file; file names sort by arrival
 * @property {string} inbox the web inbox's address: an HTML list at `/`, JSON at `/messages`
 * @property {Record<string, string>} vars the Worker variables that send its mail here (SMTP)
 * @property {(recipient: string, times?: number) => void} refuse the next `times` (default 1)
 *   messages to `recipient` are refused with 451, a temporary failure the sender must retry
 * @property {() => Promise<void>} stop
 */

/**
 * Starts the catcher on `port` (a free one when 0 or unset) and its inbox on `inboxPort` (the
 * same), creating `dir` if needed.
 * @param {{ dir: string, port?: number, inboxPort?: number }} options
 * @returns {Promise<MailCatcher>}
 */
export async function startMailCatcher({ dir, port = 0, inboxPort = 0 }) {
  await mkdir(dir, { recursive: true });
  /** @type {Map<string, number>} refusals still to make, by lower-cased recipient */
  const refusals = new Map();
  let arrivals = 0;

  /**
   * A name that sorts by arrival (UTC time, then a count within this catcher) and is unique (a
   * random tail for two catchers on one folder). Written under a hidden name first, then renamed:
   * whoever watches the folder sees only whole messages.
   * @param {Buffer} raw
   */
  async function store(raw) {
    const time = new Date().toISOString().replace(/[-:.]/g, "");
    const count = String(++arrivals).padStart(6, "0");
    const name = `${time}-${count}-${randomBytes(3).toString("hex")}.eml`;
    const partial = path.join(dir, `.${name}.part`);
    await writeFile(partial, raw, { flag: "wx" });
    await rename(partial, path.join(dir, name));
  }

  const server = new SMTPServer({
    banner: "Parley mail catcher",
    authOptional: true,
    disabledCommands: ["AUTH", "STARTTLS"],
    disableReverseLookup: true,
    size: MAX_MESSAGE_BYTES,
    logger: false,
    // stop() waits this long at most for a client still connected.
    closeTimeout: 1_000,
    onRcptTo(address, _session, callback) {
      const recipient = address.address.toLowerCase();
      const left = refusals.get(recipient) ?? 0;
      if (left === 0) return callback();
      refusals.set(recipient, left - 1);
      callback(reply(451, "Refused on purpose by the mail catcher: try again later"));
    },
    // The stream is the message as sent, less SMTP's dot-stuffing and final dot: the .eml.
    onData(stream, _session, callback) {
      /** @type {Buffer[]} */
      const chunks = [];
      stream.on("data", (chunk) => chunks.push(chunk));
      stream.on("end", () => {
        if (stream.sizeExceeded) return callback(reply(552, "Message too large"));
        store(Buffer.concat(chunks)).then(() => callback(), callback);
      });
    },
  });
  // A client that goes away mid-conversation is its own affair; the catcher carries on.
  server.on("error", () => {});

  await new Promise((resolve, reject) => {
    server.server.once("error", reject);
    server.listen(port, "127.0.0.1", () => resolve(undefined));
  });
  const inbox = await startMailInbox({ dir, port: inboxPort }).catch(async (error) => {
    await new Promise((resolve) => server.close(() => resolve(undefined)));
    throw error;
  });

  const bound = /** @type {import("node:net").AddressInfo} */ (server.server.address()).port;
  return {
    port: bound,
    dir,
    inbox: inbox.url,
    vars: {
      MAIL_TRANSPORT: "smtp",
      SMTP_HOST: "127.0.0.1",
      SMTP_PORT: String(bound),
      SMTP_SECURITY: "none",
      MAIL_FROM: "Parley <comments@localhost>",
    },
    refuse(recipient, times = 1) {
      const key = recipient.toLowerCase();
      refusals.set(key, (refusals.get(key) ?? 0) + times);
    },
    async stop() {
      await Promise.all([
        inbox.stop(),
        new Promise((resolve) => server.close(() => resolve(undefined))),
      ]);
    },
  };
}
