import { mkdtemp, readdir, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { build } from "esbuild";
import PostalMime, { type Email } from "postal-mime";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type MailCatcher, startMailCatcher } from "../../scripts/mail-catcher.mjs";
import { startRuntime } from "../../scripts/runtime.mjs";

/*
 * The SMTP transport for real (issue 14). It runs inside workerd, in a Worker bundled from
 * test/worker/mail-sender-worker.ts and run by scripts/runtime.mjs as the browser tests' server
 * runs Parley, and speaks SMTP over cloudflare:sockets to the local mail catcher
 * (scripts/mail-catcher.mjs), which stores what arrives as .eml files; postal-mime reads them as
 * a mail program would. A Node.js test rather than a worker test: the catcher is a Node.js
 * server, which a test inside workerd cannot start.
 */

const root = path.join(import.meta.dirname, "..", "..");

/** MailMessage (src/platform/mail/message.ts), as JSON to the sending Worker. */
interface Message {
  from: { name: string; email: string };
  to: string;
  subject: string;
  text: string;
  html: string;
  headers: Record<string, string>;
}

/** The sending Worker's answer for each message (test/worker/mail-sender-worker.ts). */
type SendResult = { sent: true } | { sent: false; name: string; message: string };

let folder: string;
let catcher: MailCatcher;
let runtime: Awaited<ReturnType<typeof startRuntime>>;

beforeAll(async () => {
  folder = await mkdtemp(path.join(tmpdir(), "parley-mail-test-"));
  catcher = await startMailCatcher({ dir: path.join(folder, "mailbox") });
  const scriptPath = path.join(folder, "mail-sender.mjs");
  await build({
    entryPoints: [path.join(root, "test/worker/mail-sender-worker.ts")],
    bundle: true,
    format: "esm",
    platform: "neutral",
    mainFields: ["module", "main"],
    external: ["cloudflare:*"],
    outfile: scriptPath,
    logLevel: "error",
  });
  runtime = await startRuntime({
    scriptPath,
    persistDir: path.join(folder, "state"),
    adminToken: "unused",
    vars: catcher.vars,
    logFile: path.join(folder, "workerd.log"),
  });
}, 120_000);

afterAll(async () => {
  await runtime?.stop();
  await catcher?.stop();
  await rm(folder, { recursive: true, force: true });
});

const message = (to: string, overrides: Partial<Message> = {}): Message => ({
  from: { name: "", email: "" },
  to,
  subject: "New reply on “An article”",
  text: "Someone replied.\nRead it at https://news.example/article#comment-2",
  html: '<p>Someone replied. <a href="https://news.example/article#comment-2">Read it</a></p>',
  headers: {
    "Message-ID": "<reply-2@parley.test>",
    "In-Reply-To": "<comment-1@parley.test>",
    References: "<thread-1@parley.test> <comment-1@parley.test>",
    "List-Unsubscribe": "<https://news.example/unsubscribe/t0ken>",
    "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
    "Auto-Submitted": "auto-generated",
  },
  ...overrides,
});

/** Sends through the Worker: `/send` (send() for each) or `/send-all` (sendAll()). */
async function send(messages: Message[], how = "/send"): Promise<SendResult[]> {
  const res = await fetch(`${runtime.base}${how}`, {
    method: "POST",
    body: JSON.stringify(messages),
  });
  expect(res.status).toBe(200);
  return (await res.json()) as SendResult[];
}

/**
 * The .eml files in the mailbox addressed to `to`, read. The catcher writes a file before it
 * accepts the message, so whatever was sent is there once the send has returned.
 */
async function mailbox(to: string): Promise<{ raw: string; email: Email }[]> {
  const files = (await readdir(catcher.dir)).filter((f) => f.endsWith(".eml")).sort();
  const all = await Promise.all(
    files.map(async (file) => {
      const raw = await readFile(path.join(catcher.dir, file), "utf8");
      return { raw, email: await PostalMime.parse(raw) };
    }),
  );
  return all.filter(({ email }) => email.to?.some((a) => "address" in a && a.address === to));
}

const header = (email: Email, name: string) =>
  email.headers.filter((h) => h.key === name).map((h) => h.value);

describe("the smtp transport inside workerd", () => {
  it("delivers a message as one .eml with its sender, headers and both parts", async () => {
    expect(await send([message("first@parley.test")])).toEqual([{ sent: true }]);
    const [delivered, ...more] = await mailbox("first@parley.test");
    expect(more).toEqual([]);
    const email = delivered?.email as Email;
    expect(email.from).toEqual({ name: "Parley", address: "comments@localhost" });
    expect(email.subject).toBe("New reply on “An article”");
    expect(email.messageId).toBe("<reply-2@parley.test>");
    expect(email.inReplyTo).toBe("<comment-1@parley.test>");
    expect(email.references).toBe("<thread-1@parley.test> <comment-1@parley.test>");
    expect(header(email, "list-unsubscribe")).toEqual(["<https://news.example/unsubscribe/t0ken>"]);
    expect(header(email, "list-unsubscribe-post")).toEqual(["List-Unsubscribe=One-Click"]);
    expect(header(email, "auto-submitted")).toEqual(["auto-generated"]);
    expect(email.text?.trim()).toBe(message("").text);
    expect(email.html?.trim()).toBe(message("").html);
  });

  it("encodes a non-ASCII subject and sender name so that they read back as written", async () => {
    const subject = "Ответ на «Статья» — 日本語のタイトル";
    const from = { name: "Журнал Ñúñez", email: "" };
    expect(await send([message("unicode@parley.test", { subject, from })])).toEqual([
      { sent: true },
    ]);
    const [delivered] = await mailbox("unicode@parley.test");
    expect(delivered?.email.subject).toBe(subject);
    expect(delivered?.email.from).toEqual({ name: from.name, address: "comments@localhost" });
    // Headers are 7-bit on the wire: the library encoded them (RFC 2047).
    const head = delivered?.raw.slice(0, delivered.raw.indexOf("\r\n\r\n")) ?? "";
    expect(head).toMatch(/^[\x20-\x7e\r\n\t]*$/);
  });

  it("keeps a line break in a subject, name or header value from adding a header", async () => {
    const injection = "\r\nBcc: victim@evil.example";
    const hostile = message("hostile@parley.test", {
      from: { name: `Ana${injection}`, email: "" },
      // ASCII: worker-mailer writes an ASCII subject as it is (a non-ASCII one it encodes).
      subject: `New reply on 'A title${injection}'`,
      headers: {
        // Spelled otherwise than worker-mailer looks for: still one Message-ID, ours.
        "message-id": "<reply-3@parley.test>",
        References: `<comment-1@parley.test>${injection}`,
      },
    });
    expect(await send([hostile])).toEqual([{ sent: true }]);
    const [delivered, ...more] = await mailbox("hostile@parley.test");
    expect(more).toEqual([]);
    const email = delivered?.email as Email;
    expect(header(email, "bcc")).toEqual([]);
    expect(delivered?.raw).not.toMatch(/^bcc:/im);
    expect(email.subject).toBe("New reply on 'A title Bcc: victim@evil.example'");
    expect(email.from).toEqual({
      name: "Ana Bcc: victim@evil.example",
      address: "comments@localhost",
    });
    expect(email.references).toBe("<comment-1@parley.test> Bcc: victim@evil.example");
    expect(header(email, "message-id")).toEqual(["<reply-3@parley.test>"]);
  });

  it("rejects a mail the server refuses for now (451) without naming the address, and delivers it when tried again", async () => {
    catcher.refuse("retry@parley.test");
    const [refused] = await send([message("retry@parley.test")]);
    expect(refused).toMatchObject({ sent: false, message: expect.stringContaining("451") });
    expect(refused).not.toMatchObject({ message: expect.stringContaining("retry@parley.test") });
    expect(await mailbox("retry@parley.test")).toEqual([]);

    expect(await send([message("retry@parley.test")])).toEqual([{ sent: true }]);
    expect(await mailbox("retry@parley.test")).toHaveLength(1);
  });

  it("sends a batch with sendAll, past a message the server refuses", async () => {
    catcher.refuse("batch-2@parley.test");
    const batch = ["batch-1@parley.test", "batch-2@parley.test", "batch-3@parley.test"];
    const results = await send(
      batch.map((to) => message(to)),
      "/send-all",
    );
    expect(results.map((r) => r.sent)).toEqual([true, false, true]);
    expect(await mailbox("batch-1@parley.test")).toHaveLength(1);
    expect(await mailbox("batch-2@parley.test")).toEqual([]);
    expect(await mailbox("batch-3@parley.test")).toHaveLength(1);
  });

  it("refuses a recipient that is not one plain address before any SMTP is spoken", async () => {
    const [result] = await send([message("a@parley.test>\r\nRCPT TO:<victim@evil.example")]);
    expect(result).toMatchObject({ sent: false, name: "UnsendableMail" });
    expect(await mailbox("victim@evil.example")).toEqual([]);
  });
});
