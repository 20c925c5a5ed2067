import { env } from "cloudflare:workers";
import { afterEach, describe, expect, it, vi } from "vitest";
import { UnsendableMail } from "../../src/platform/mail/clean";
import { HTTP_TIMEOUT_MS } from "../../src/platform/mail/http";
import type { MailMessage } from "../../src/platform/mail/message";
import type { MailEnv } from "../../src/platform/mail/settings";
import { mailTransport } from "../../src/platform/mail/transports";
import { stubNetwork } from "./network-edge";

/*
 * The mail transports (issue 14): chosen by MAIL_TRANSPORT, sending from MAIL_FROM, and one
 * header-safety rule for all of them. The HTTP mail API is stubbed at the network edge; the
 * send_email binding is Miniflare's own (vitest.config.ts); SMTP inside workerd, against a real
 * SMTP server, is test/cli/mail-smtp.test.ts.
 */

const MAIL_HOST = "mail.parley.test";
const INJECTION = "\r\nBcc: victim@evil.example";

afterEach(() => {
  vi.restoreAllMocks();
  vi.useRealTimers();
});

const message = (overrides: Partial<MailMessage> = {}): MailMessage => ({
  from: { name: "", email: "ignored@parley.test" },
  to: "reader@parley.test",
  subject: "New reply on “An article”",
  text: "Someone replied.",
  html: "<p>Someone replied.</p>",
  headers: {
    "Message-ID": "<reply-1@parley.test>",
    "In-Reply-To": "<comment-1@parley.test>",
    References: "<comment-1@parley.test>",
    "List-Unsubscribe": "<https://parley.test/unsubscribe/t0ken>",
    "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
  },
  ...overrides,
});

/** The worker project's settings (vitest.config.ts): the HTTP transport to mail.parley.test. */
function transport(overrides: Partial<MailEnv> = {}) {
  const sending = mailTransport({ ...env, ...overrides });
  if (!sending) throw new Error("no transport configured");
  return sending;
}

interface ApiRequest {
  from: string;
  to: string[];
  subject: string;
  text: string;
  html: string;
  headers: Record<string, string>;
}

/** The mail API answering as Resend does; what it was sent, parsed. */
function mailApi(answer: () => Response = () => Response.json({ id: "sent-1" })) {
  const edge = stubNetwork({ [MAIL_HOST]: answer });
  return {
    edge,
    requests: () => edge.to(MAIL_HOST).map((r) => JSON.parse(r.body) as ApiRequest),
  };
}

/** Every header-like string a transport was handed, to check none can start a line. */
const headerStrings = (request: ApiRequest) => [
  request.from,
  request.subject,
  ...request.to,
  ...Object.keys(request.headers),
  ...Object.values(request.headers),
];

describe("choosing the transport", () => {
  it("has none while MAIL_TRANSPORT is unset, so mail stays queued", () => {
    expect(mailTransport({ MAIL_FROM: "comments@parley.test" })).toBeUndefined();
    expect(
      mailTransport({ MAIL_TRANSPORT: " ", MAIL_FROM: "comments@parley.test" }),
    ).toBeUndefined();
  });

  it("names the transport MAIL_TRANSPORT chooses", () => {
    expect(transport().name).toBe("http");
    expect(transport({ MAIL_TRANSPORT: "send_email" }).name).toBe("send_email");
    expect(transport({ MAIL_TRANSPORT: "smtp", SMTP_HOST: "smtp.parley.test" }).name).toBe("smtp");
  });

  it.each(["http", "send_email", "smtp"])(
    "reports %s without a valid MAIL_FROM as a configuration error naming MAIL_FROM",
    (kind) => {
      for (const from of [
        undefined,
        "",
        "Parley",
        "Parley <>",
        "Parley <a b@x>",
        "a@x\r\nBcc: b@y",
      ]) {
        expect(() =>
          mailTransport({
            ...env,
            MAIL_TRANSPORT: kind,
            SMTP_HOST: "smtp.parley.test",
            MAIL_FROM: from,
          }),
        ).toThrow(/MAIL_FROM/);
      }
    },
  );

  it.each<[string, Partial<MailEnv>, RegExp]>([
    ["an unknown transport", { MAIL_TRANSPORT: "carrier-pigeon" }, /MAIL_TRANSPORT/],
    ["smtp without a host", { MAIL_TRANSPORT: "smtp" }, /SMTP_HOST/],
    [
      "an unknown SMTP security",
      { MAIL_TRANSPORT: "smtp", SMTP_HOST: "h", SMTP_SECURITY: "ssl" },
      /SMTP_SECURITY/,
    ],
    [
      "a port that is no port",
      { MAIL_TRANSPORT: "smtp", SMTP_HOST: "h", SMTP_PORT: "70000" },
      /SMTP_PORT/,
    ],
    [
      "a user without a password",
      { MAIL_TRANSPORT: "smtp", SMTP_HOST: "h", SMTP_USER: "u" },
      /SMTP_PASSWORD/,
    ],
    [
      "an API over plain HTTP",
      { MAIL_HTTP_URL: "http://mail.parley.test/emails" },
      /MAIL_HTTP_URL/,
    ],
    ["an API without its key", { MAIL_HTTP_TOKEN: undefined }, /MAIL_HTTP_TOKEN/],
    [
      "send_email without the binding",
      { MAIL_TRANSPORT: "send_email", SEND_EMAIL: undefined },
      /SEND_EMAIL/,
    ],
  ])("reports %s as a configuration error naming the setting", (_, settings, setting) => {
    expect(() => mailTransport({ ...env, ...settings })).toThrow(setting);
  });
});

describe("the http transport", () => {
  it("posts the message as a Resend-compatible API takes it, with the key as a bearer token", async () => {
    const api = mailApi();
    await transport().send(message());
    const [sent] = api.edge.to(MAIL_HOST);
    expect(sent?.url.href).toBe("https://mail.parley.test/emails");
    expect(sent?.headers.get("authorization")).toBe("Bearer test-mail-token");
    expect(sent?.headers.get("content-type")).toBe("application/json");
    expect(api.requests()).toEqual([
      {
        from: "Parley <comments@parley.test>",
        to: ["reader@parley.test"],
        subject: "New reply on “An article”",
        text: "Someone replied.",
        html: "<p>Someone replied.</p>",
        headers: message().headers,
      },
    ]);
  });

  it("sends from MAIL_FROM's address, with the message's name when it has one", async () => {
    const api = mailApi();
    const sending = transport({ MAIL_FROM: "comments@parley.test" });
    await sending.send(message());
    await sending.send(message({ from: { name: "Example News", email: "other@elsewhere.test" } }));
    await sending.send(message({ from: { name: "Doe, Jane", email: "" } }));
    // A quote would end the quoted name and let the rest read as another address.
    await sending.send(message({ from: { name: 'Ana" <boss@parley.test>, "x', email: "" } }));
    expect(api.requests().map((r) => r.from)).toEqual([
      "comments@parley.test",
      "Example News <comments@parley.test>",
      '"Doe, Jane" <comments@parley.test>',
      `"Ana' <boss@parley.test>, 'x" <comments@parley.test>`,
    ]);
  });

  it.each([401, 422, 500, 307])(
    "rejects an answer %i with its status, never the key",
    async (status) => {
      const api = mailApi(
        () =>
          new Response("test-mail-token reader@parley.test", {
            status,
            headers: { location: "https://elsewhere.test/emails" },
          }),
      );
      const failure = await transport()
        .send(message())
        .catch((error: Error) => error);
      expect(failure).toBeInstanceOf(Error);
      expect((failure as Error).message).toContain(String(status));
      expect((failure as Error).message).not.toContain("test-mail-token");
      // A redirect is not followed: the key goes nowhere else.
      expect(api.edge.sent).toHaveLength(1);
    },
  );

  it("gives up on an API that has not answered after 10 s", async () => {
    vi.useFakeTimers({ toFake: ["setTimeout", "clearTimeout"] });
    // An API that never answers: the request ends only when the transport aborts it.
    const fetching = vi.spyOn(globalThis, "fetch").mockImplementation(
      (_, init) =>
        new Promise((_resolve, reject) => {
          init?.signal?.addEventListener("abort", () => reject(init.signal?.reason));
        }),
    );
    let settled = false;
    const failure = transport()
      .send(message())
      .catch((error: Error) => error)
      .finally(() => {
        settled = true;
      });
    await vi.advanceTimersByTimeAsync(HTTP_TIMEOUT_MS - 1);
    expect(settled).toBe(false);
    await vi.advanceTimersByTimeAsync(1);
    expect(await failure).toBeInstanceOf(Error);
    expect(fetching).toHaveBeenCalledOnce();
  });
});

describe("header safety, for every transport", () => {
  const hostile = message({
    from: { name: `Ana${INJECTION}`, email: "ignored@parley.test" },
    subject: `New reply on “A title${INJECTION}”`,
    headers: { ...message().headers, References: `<comment-1@parley.test>${INJECTION}` },
  });

  it("http: no subject, name or header value can add a header", async () => {
    const api = mailApi();
    await transport().send(hostile);
    const [request] = api.requests();
    if (!request) throw new Error("nothing sent");
    for (const value of headerStrings(request)) expect(value).not.toMatch(/[\r\n]/);
    expect(Object.keys(request.headers).map((h) => h.toLowerCase())).not.toContain("bcc");
    expect(request.subject).toBe("New reply on “A title Bcc: victim@evil.example”");
    expect(request.from).toBe('"Ana Bcc: victim@evil.example" <comments@parley.test>');
  });

  it("send_email: no subject, name or header value can add a header", async () => {
    const sent: EmailMessageBuilder[] = [];
    const SEND_EMAIL = {
      send: async (builder: EmailMessageBuilder) => {
        sent.push(builder);
        return { messageId: "<x@parley.test>" };
      },
    } as SendEmail;
    await transport({ MAIL_TRANSPORT: "send_email", SEND_EMAIL }).send(hostile);
    const [builder] = sent;
    expect(builder?.from).toEqual({
      name: "Ana Bcc: victim@evil.example",
      email: "comments@parley.test",
    });
    expect(builder?.subject).toBe("New reply on “A title Bcc: victim@evil.example”");
    for (const value of Object.values(builder?.headers ?? {})) expect(value).not.toMatch(/[\r\n]/);
    expect(builder?.to).toBe("reader@parley.test");
  });

  it("refuses a recipient that is not one plain address, naming no address", async () => {
    const api = mailApi();
    for (const to of [
      "reader@parley.test\r\nRCPT TO:<victim@evil.example>",
      "Ana <reader@parley.test>",
      "reader",
    ]) {
      const failure = await transport()
        .send(message({ to }))
        .catch((error: Error) => error);
      expect(failure).toBeInstanceOf(UnsendableMail);
      expect((failure as Error).message).not.toMatch(/@/);
    }
    expect(api.requests()).toEqual([]);
  });

  it("refuses headers a transport writes itself, malformed names and non-ASCII values", async () => {
    const api = mailApi();
    for (const headers of <Record<string, string>[]>[
      { Bcc: "victim@evil.example" },
      { subject: "Another subject" },
      { "X-Bad: Bcc": "victim@evil.example" },
      { "X-Parley": "naïve" },
      { "X-Parley": "\r\n" },
      { "Message-Id": "<a@parley.test>", "message-id": "<b@parley.test>" },
    ]) {
      await expect(transport().send(message({ headers }))).rejects.toBeInstanceOf(UnsendableMail);
    }
    expect(api.requests()).toEqual([]);
  });
});

describe("the send_email transport", () => {
  it("hands Miniflare's binding a message it accepts, without the Message-ID the service sets", async () => {
    const sent: EmailMessageBuilder[] = [];
    const binding = env.SEND_EMAIL;
    const SEND_EMAIL = {
      send: (builder: EmailMessageBuilder) => {
        sent.push(builder);
        return binding.send(builder);
      },
    } as SendEmail;
    await transport({ MAIL_TRANSPORT: "send_email", SEND_EMAIL }).send(
      message({ from: { name: "Example News", email: "" } }),
    );
    expect(sent).toEqual([
      {
        from: { name: "Example News", email: "comments@parley.test" },
        to: "reader@parley.test",
        subject: "New reply on “An article”",
        text: "Someone replied.",
        html: "<p>Someone replied.</p>",
        headers: {
          "In-Reply-To": "<comment-1@parley.test>",
          References: "<comment-1@parley.test>",
          "List-Unsubscribe": "<https://parley.test/unsubscribe/t0ken>",
          "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
        },
      },
    ]);
  });

  it("rejects what the binding refuses, without the address the binding's error names", async () => {
    const SEND_EMAIL = {
      send: async () => {
        throw new Error("email to reader@parley.test not allowed");
      },
    } as unknown as SendEmail;
    const failure = await transport({ MAIL_TRANSPORT: "send_email", SEND_EMAIL })
      .send(message())
      .catch((error: Error) => error);
    expect(failure).toBeInstanceOf(Error);
    expect((failure as Error).message).not.toContain("reader@parley.test");
  });
});

describe("sending a batch", () => {
  it("settles each message in order, sending the good ones past a bad one", async () => {
    const api = mailApi();
    const results = await transport().sendAll([
      message({ subject: "first" }),
      message({ to: "not an address" }),
      message({ subject: "third" }),
    ]);
    expect(results.map((r) => r.status)).toEqual(["fulfilled", "rejected", "fulfilled"]);
    expect(api.requests().map((r) => r.subject)).toEqual(["first", "third"]);
  });
});
