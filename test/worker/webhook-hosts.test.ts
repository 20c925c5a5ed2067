import { describe, expect, it } from "vitest";
import { ADMIN, call, createSite, json, rows, uniqueId } from "./helpers";

/*
 * Bug (issue 12, outside tester): `webhookUrl` took any http(s) URL, so a site's operator could
 * point Parley's deliveries at the machines around it: http://127.0.0.1, the cloud metadata
 * address, http://localhost, and the same hosts spelt "0x7f.1" or "2130706433". The settings
 * API now refuses hosts that are not on the public internet (README "Webhooks").
 */

const REFUSED: [what: string, url: string][] = [
  ["IPv4 loopback", "http://127.0.0.1/hook"],
  ["loopback in hex", "http://0x7f.1/hook"],
  ["loopback as one number", "http://2130706433/hook"],
  ["loopback in octal", "http://0177.0.0.1/hook"],
  ["loopback, short form", "http://127.1:8080/hook"],
  ["IPv6 loopback", "http://[::1]/hook"],
  ["IPv4-mapped loopback", "http://[::ffff:127.0.0.1]/hook"],
  ["IPv4-mapped loopback, hex", "http://[::ffff:7f00:1]/hook"],
  ["IPv4-compatible loopback", "http://[::127.0.0.1]/hook"],
  ["IPv4-translated loopback", "http://[::ffff:0:7f00:1]/hook"],
  ["NAT64 of a private IPv4", "http://[64:ff9b::10.0.0.1]/hook"],
  ["RFC 1918 10/8", "https://10.1.2.3/hook"],
  ["RFC 1918 172.16/12", "https://172.16.0.1/hook"],
  ["RFC 1918 192.168/16", "https://192.168.1.1/hook"],
  ["link-local (cloud metadata)", "http://169.254.169.254/latest/meta-data/"],
  ["IPv6 link-local", "http://[fe80::1]/hook"],
  ["carrier-grade NAT", "http://100.64.0.1/hook"],
  ["0.0.0.0/8", "http://0.0.0.0/hook"],
  ["IPv4 multicast", "http://224.0.0.1/hook"],
  ["IPv6 multicast", "http://[ff02::1]/hook"],
  ["broadcast", "http://255.255.255.255/hook"],
  ["reserved 240/4", "http://240.0.0.1/hook"],
  ["IPv6 unique-local", "http://[fd12:3456::1]/hook"],
  ["IPv4 documentation range", "http://192.0.2.10/hook"],
  ["IPv6 documentation range", "http://[2001:db8::1]/hook"],
  ["localhost", "http://localhost:8787/hook"],
  ["localhost, fully qualified and upper case", "http://LOCALHOST./hook"],
  ["a name under localhost", "http://hooks.localhost/hook"],
  ["an mDNS name", "https://printer.local/hook"],
  ["a name under .internal", "http://metadata.google.internal/computeMetadata/v1/"],
  ["a name under home.arpa", "https://router.home.arpa/hook"],
  ["a single-label name", "http://intranet/hook"],
];

const ACCEPTED = [
  "https://hooks.slack.com/services/T000/B000/XXXX",
  "https://discord.com/api/webhooks/1/abc",
  "https://8.8.8.8/hook",
  "https://[2606:4700:4700::1111]/hook",
];

async function expectRefusedUrl(res: Response) {
  const body = await json<{ error: { code: string; details?: { path: string }[] } }>(res);
  expect({
    status: res.status,
    code: body.error.code,
    paths: body.error.details?.map((d) => d.path),
  }).toEqual({ status: 422, code: "validation_failed", paths: ["webhookUrl"] });
}

describe("webhook hosts", () => {
  it.each(REFUSED)(
    "refuses a webhook on a non-public host (%s) on create and update",
    async (_, url) => {
      const id = uniqueId("site");
      await expectRefusedUrl(
        await call(
          "POST",
          "/api/v1/sites",
          { id, name: "News", origins: ["https://news.example"], webhookUrl: url },
          ADMIN,
        ),
      );
      expect(await rows("SELECT id FROM sites WHERE id = ?", id)).toEqual([]);

      const site = await createSite();
      await expectRefusedUrl(
        await call("PATCH", `/api/v1/sites/${site.id}`, { webhookUrl: url }, ADMIN),
      );
      expect(await rows("SELECT webhook_url FROM sites WHERE id = ?", site.id)).toEqual([
        { webhook_url: null },
      ]);
    },
  );

  it.each(ACCEPTED)("accepts a webhook on a public host (%s)", async (url) => {
    const site = await createSite({ webhookUrl: url });
    const res = await call("GET", `/api/v1/sites/${site.id}`, undefined, ADMIN);
    expect((await json<{ site: { webhookUrl: string } }>(res)).site.webhookUrl).toBe(url);
    const other = await createSite();
    const patched = await call("PATCH", `/api/v1/sites/${other.id}`, { webhookUrl: url }, ADMIN);
    expect(patched.status).toBe(200);
  });

  it("still says only that the URL is malformed when it does not parse", async () => {
    const site = await createSite();
    await expectRefusedUrl(
      await call("PATCH", `/api/v1/sites/${site.id}`, { webhookUrl: "not a url" }, ADMIN),
    );
  });
});
