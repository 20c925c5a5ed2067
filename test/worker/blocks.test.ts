import { describe, expect, it } from "vitest";
import { json, pageUrl, post } from "./helpers";
import {
  addBlock,
  asModerator,
  countOf,
  idsOf,
  listBlocks,
  newSite,
  statuses,
} from "./moderation-fixtures";

/*
 * Blocks (API.md "Moderators"): emails, ip hashes and phrases a site's moderators block, and
 * what happens to a post that matches one.
 *
 * A bug found here and fixed, pinned by the test after its mark:
 * BUG 6 (blocks are not applied to new posts): POST .../comments never consults the blocklist;
 *   a blocked email or phrase is published (API.md: "Blocked posts are held as spam").
 */

describe("blocks", () => {
  it("adds a block of each kind (201 {block}) and lists them", async () => {
    const site = await newSite();
    const email = await addBlock(site, "email", "troll@example.com");
    const ip = await addBlock(site, "ip", "0123456789abcdef0123456789abcdef");
    const phrase = await addBlock(site, "phrase", "casino");
    expect([email, ip, phrase]).toEqual([
      {
        id: expect.any(String),
        kind: "email",
        value: "troll@example.com",
        createdAt: expect.any(String),
      },
      {
        id: expect.any(String),
        kind: "ip",
        value: "0123456789abcdef0123456789abcdef",
        createdAt: expect.any(String),
      },
      { id: expect.any(String), kind: "phrase", value: "casino", createdAt: expect.any(String) },
    ]);
    const listed = await listBlocks(site);
    expect(idsOf(listed).sort()).toEqual(idsOf([email, ip, phrase]).sort());
  });

  it("removes a block: 204, then 404 for the same id again", async () => {
    const site = await newSite();
    const kept = await addBlock(site, "phrase", "lottery");
    const gone = await addBlock(site, "email", "gone@example.com");
    expect((await asModerator(site, "DELETE", `/blocks/${gone.id}`)).status).toBe(204);
    const again = await asModerator(site, "DELETE", `/blocks/${gone.id}`);
    expect(again.status).toBe(404);
    expect((await json<{ error: { code: string } }>(again)).error.code).toEqual(expect.any(String));
    expect(idsOf(await listBlocks(site))).toEqual([kept.id]);
  });

  it("answers 404 for another site's block and keeps it", async () => {
    const [mine, theirs] = await Promise.all([newSite(), newSite()]);
    const block = await addBlock(theirs, "phrase", "crypto");
    expect((await asModerator(mine, "DELETE", `/blocks/${block.id}`)).status).toBe(404);
    expect(idsOf(await listBlocks(theirs))).toEqual([block.id]);
    expect(await listBlocks(mine)).toEqual([]);
  });

  it("stores phrases folded: lower case, accents removed", async () => {
    const site = await newSite();
    const block = await addBlock(site, "phrase", "Préstamos RÁPIDOS");
    expect(block.value).toBe("prestamos rapidos");
    expect((await listBlocks(site)).map((b) => b.value)).toEqual(["prestamos rapidos"]);
  });

  it("answers a duplicate with the block already there", async () => {
    const site = await newSite();
    const phrase = await addBlock(site, "phrase", "Crédito fácil");
    expect((await addBlock(site, "phrase", "credito facil")).id).toBe(phrase.id);
    const ip = await addBlock(site, "ip", "fedcba9876543210fedcba9876543210");
    expect((await addBlock(site, "ip", "fedcba9876543210fedcba9876543210")).id).toBe(ip.id);
    expect((await listBlocks(site)).length).toBe(2);
  });

  // BUG 6 (blocks are not applied to new posts): see the list at the top of this file.

  it("keeps a post that matches a block as spam: hidden, never lost", async () => {
    const site = await newSite();
    const page = pageUrl();
    await addBlock(site, "email", "troll@example.com");
    await addBlock(site, "phrase", "casino");
    const byEmail = await post(site.id, page, {
      author: { name: "Troll", email: "troll@example.com" },
      body: "Nothing suspicious in the words",
    });
    const byPhrase = await post(site.id, page, { body: "Best CASINO bonus here" });
    expect(await statuses(byEmail.comment.id, byPhrase.comment.id)).toEqual(["spam", "spam"]);
    expect(await countOf(site, page)).toBe(0);
  });
});
