import { describe, expect, it } from "vitest";
import disqus from "../fixtures/import/disqus.xml?raw";
import { ADMIN, call, createSite, expectError, pageUrl, post, rows } from "./helpers";
import { gzip, importOk, importRaw, recountedThreads } from "./import-helpers";

/*
 * Parley JSON back in (the round trip of issue 6), and the import endpoint's answers to bad
 * requests: documented JSON errors, never a 500, and nothing written.
 */

interface Export {
  threads: Array<Record<string, unknown>>;
  comments: Array<Record<string, unknown> & { id: string; parentId: string | null }>;
}

const exportText = async (site: string) =>
  (await call("GET", `/api/v1/sites/${site}/export`, undefined, ADMIN)).text();

/** A site with a bit of everything an export carries. */
async function discussion() {
  const site = await createSite();
  const [a, b] = [pageUrl(), pageUrl()];
  const root = await post(site.id, a, {
    title: "Ünïcode title — 討論",
    author: { name: "Ana", email: "ana@example.com", website: "https://ana.example" },
    body: "Root with *emphasis*, `code` and a [link](https://example.org).\n\n> quoted",
  });
  const reply = await post(site.id, a, { parentId: root.comment.id, body: "A reply" });
  await post(site.id, a, { parentId: reply.comment.id, body: "A reply to the reply" });
  const gone = await post(site.id, a, { body: "Withdrawn by its author" });
  await post(site.id, a, { parentId: gone.comment.id, body: "Still here below it" });
  await call("DELETE", `/api/v1/sites/${site.id}/comments/${gone.comment.id}`, undefined, {
    authorization: `Bearer ${gone.editToken}`,
  });
  const edited = await post(site.id, b, { body: "Before the edit" });
  await call(
    "PATCH",
    `/api/v1/sites/${site.id}/comments/${edited.comment.id}`,
    { body: "After the edit" },
    { authorization: `Bearer ${edited.editToken}` },
  );
  await post(site.id, b, { body: "Caught", hp: "bot" });
  await call(
    "POST",
    `/api/v1/sites/${site.id}/moderation/comments/${root.comment.id}/reply`,
    { body: "From the desk", name: "Ana at the desk" },
    { authorization: `Bearer ${site.secret}` },
  );
  await call(
    "PATCH",
    `/api/v1/sites/${site.id}/moderation/threads?page=${encodeURIComponent(b)}`,
    { locked: true },
    { authorization: `Bearer ${site.secret}` },
  );
  return site;
}

/** An export with ids replaced by their order, so exports of two sites can be compared. */
function comparable(text: string) {
  const data = JSON.parse(text) as Export;
  const order = new Map(data.comments.map((c, i) => [c.id, i]));
  return {
    threads: data.threads,
    comments: data.comments.map((c) => ({
      ...c,
      id: order.get(c.id),
      parentId: c.parentId === null ? null : order.get(c.parentId),
    })),
  };
}

describe("importing a Parley export", () => {
  it("round trip: export → import into an empty site → export gives the same threads and comments", async () => {
    const source = await discussion();
    const first = await exportText(source.id);
    const target = await createSite();
    const report = await importOk(target.id, "format=parley", first);
    expect(report).toMatchObject({ threads: 2, comments: 8, skippedTotal: 0, warningsTotal: 0 });
    expect(comparable(await exportText(target.id))).toEqual(comparable(first));
    expect(await recountedThreads(target.id)).toEqual(
      (await recountedThreads(source.id)).map((t) => expect.objectContaining({ count: t.count })),
    );
  });

  it("restores a site into its own empty place with the very same ids (permalinks survive)", async () => {
    const site = await discussion();
    const first = await exportText(site.id);
    const settings = JSON.parse(first).site;
    expect((await call("DELETE", `/api/v1/sites/${site.id}`, undefined, ADMIN)).status).toBe(204);
    expect((await call("POST", "/api/v1/sites", settings, ADMIN)).status).toBe(201);
    await importOk(site.id, "format=parley", first);
    const again = await exportText(site.id);
    const withoutTime = (text: string) => ({ ...JSON.parse(text), exportedAt: undefined });
    expect(withoutTime(again)).toEqual(withoutTime(first));
  });

  it("adds nothing when imported twice, and a gzipped export reads the same", async () => {
    const source = await discussion();
    const target = await createSite();
    const text = await exportText(source.id);
    await importOk(target.id, "format=parley", await gzip(text));
    expect(await importOk(target.id, "format=parley", text)).toMatchObject({
      threads: 0,
      comments: 0,
    });
  });
});

describe("POST /sites/{site}/import refuses bad requests with documented errors", () => {
  it("422 for a missing or unknown format or dryRun value", async () => {
    const site = await createSite();
    await expectError(await importRaw(site.id, "", disqus), 422, "validation_failed");
    await expectError(await importRaw(site.id, "format=blogger", disqus), 422, "validation_failed");
    await expectError(
      await importRaw(site.id, "format=disqus&dryRun=maybe", disqus),
      422,
      "validation_failed",
    );
  });

  it("415 for a form upload instead of the file itself", async () => {
    const site = await createSite();
    for (const type of ["application/x-www-form-urlencoded", "multipart/form-data; boundary=x"]) {
      await expectError(
        await importRaw(site.id, "format=disqus", disqus, { "content-type": type }),
        415,
        "unsupported_media_type",
      );
    }
  });

  it("401 without the operator token, 404 for an unknown site", async () => {
    const site = await createSite();
    await expectError(
      await importRaw(site.id, "format=disqus", disqus, { authorization: `Bearer ${site.secret}` }),
      401,
      "unauthorized",
    );
    await expectError(
      await importRaw("no-such-site", "format=disqus", disqus),
      404,
      "site_not_found",
    );
  });

  it("400 invalid_export for a body that is not that format, and writes nothing", async () => {
    const site = await createSite();
    const json = await exportText((await createSite()).id);
    for (const [format, body] of [
      ["disqus", "hello, this is not XML"],
      ["disqus", json],
      ["wxr", disqus],
      ["parley", disqus],
      ["parley", '{"format": "parley", "version": 2, "threads": [], "comments": []}'],
      ["parley", '{"format": "parley", "version": 1, "threads": [], "comments": [{"id": '],
      ["disqus", ""],
    ]) {
      await expectError(
        await importRaw(site.id, `format=${format}`, body ?? ""),
        400,
        "invalid_export",
      );
    }
    expect(await rows("SELECT id FROM comments WHERE site_id = ?", site.id)).toEqual([]);
  });

  it("400 for a cut-short export, plain or gzipped, and writes none of what came before", async () => {
    const site = await createSite();
    const half = disqus.slice(0, Math.floor(disqus.length * 0.8));
    await expectError(await importRaw(site.id, "format=disqus", half), 400, "invalid_export");
    const zipped = await gzip(disqus);
    const truncated = zipped.slice(0, zipped.length - 20);
    await expectError(await importRaw(site.id, "format=disqus", truncated), 400, "invalid_export");
    expect(await rows("SELECT id FROM comments WHERE site_id = ?", site.id)).toEqual([]);
  });

  it("413 for a body over 10 MB, and for gzip that inflates past it", async () => {
    const site = await createSite();
    const big = `<disqus>${" ".repeat(10 * 1024 * 1024)}</disqus>`;
    await expectError(await importRaw(site.id, "format=disqus", big), 413, "payload_too_large");
    await expectError(
      await importRaw(site.id, "format=disqus", await gzip(big)),
      413,
      "payload_too_large",
    );
  });
});
