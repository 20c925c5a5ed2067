import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { createDb } from "../../src/db/client";
import { D1Meter } from "../../src/platform/d1";
import { verifyModeratorKey } from "../../src/services/sites/keys";
import { ADMIN, call, createSite, json } from "./helpers";

const db = () => createDb(env.DB, new D1Meter());

describe("moderator key verification", () => {
  it("accepts a site's own key", async () => {
    const site = await createSite();
    const check = await verifyModeratorKey(db(), site.id, site.secret);
    expect(check.ok && check.key.siteId).toBe(site.id);
  });

  it("tells another site's valid key apart from an invalid one", async () => {
    const a = await createSite();
    const b = await createSite();
    expect(await verifyModeratorKey(db(), b.id, a.secret)).toEqual({
      ok: false,
      reason: "other-site",
    });
  });

  it("refuses a key with one character changed, a malformed key and an empty one", async () => {
    const site = await createSite();
    const last = site.secret.at(-1) === "A" ? "B" : "A";
    const tampered = `${site.secret.slice(0, -1)}${last}`;
    for (const secret of [tampered, "pk_nonsense", "", site.secret.toUpperCase()]) {
      expect(await verifyModeratorKey(db(), site.id, secret)).toEqual({
        ok: false,
        reason: "invalid",
      });
    }
  });

  it("refuses a revoked key at once", async () => {
    const site = await createSite();
    const issued = await json<{ key: { id: string }; secret: string }>(
      await call("POST", `/api/v1/sites/${site.id}/keys`, { label: "night shift" }, ADMIN),
    );
    expect((await verifyModeratorKey(db(), site.id, issued.secret)).ok).toBe(true);
    expect(
      (await call("DELETE", `/api/v1/sites/${site.id}/keys/${issued.key.id}`, undefined, ADMIN))
        .status,
    ).toBe(204);
    expect(await verifyModeratorKey(db(), site.id, issued.secret)).toEqual({
      ok: false,
      reason: "revoked",
    });
  });
});
