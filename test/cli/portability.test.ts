import { execFile } from "node:child_process";
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import { gzipSync } from "node:zlib";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

/*
 * `npm run import` / `npm run export` (scripts/portability.mjs) as an operator runs them: Node.js,
 * a local D1 under PERSIST_DIR (a temporary one here), a gzipped file on disk.
 */

const root = path.join(import.meta.dirname, "..", "..");
const run = promisify(execFile);
let folder: string;

function cli(...args: string[]) {
  return run(process.execPath, [path.join(root, "scripts/portability.mjs"), ...args], {
    cwd: root,
    env: { ...process.env, PERSIST_DIR: path.join(folder, "state") },
    maxBuffer: 64 * 1024 * 1024,
  });
}

const fixture = (name: string) => path.join(root, "test/fixtures/import", name);

beforeAll(async () => {
  folder = await mkdtemp(path.join(tmpdir(), "parley-cli-test-"));
  const xml = await readFile(fixture("disqus.xml"));
  await writeFile(path.join(folder, "disqus.xml.gz"), gzipSync(xml));
});

afterAll(async () => {
  await rm(folder, { recursive: true, force: true });
});

describe("the import and export CLI", () => {
  it("imports into a local database, idempotently, and exports it again", async () => {
    const gz = path.join(folder, "disqus.xml.gz");
    // On a fresh database: migrations are applied, and the missing site is named.
    await expect(cli("import", "--site", "news", "--format", "disqus", gz)).rejects.toMatchObject({
      stderr: expect.stringContaining('No site "news"'),
    });
    await run(
      process.execPath,
      [
        path.join(root, "scripts/wrangler.mjs"),
        "d1",
        "execute",
        "DB",
        "--local",
        "--persist-to",
        path.join(folder, "state"),
        "--command",
        "INSERT INTO sites (id, name, origins, author_salt, created_at, updated_at) VALUES ('news', 'News', '[]', 'salt', '2026-01-01T00:00:00Z', '2026-01-01T00:00:00Z')",
      ],
      { cwd: root },
    );

    const dry = JSON.parse(
      (
        await cli(
          "import",
          "--site",
          "news",
          "--format",
          "wxr",
          "--dry-run",
          fixture("wordpress.xml"),
        )
      ).stdout,
    );
    expect(dry).toMatchObject({ threads: 2, comments: 9, dryRun: true });

    const first = JSON.parse(
      (await cli("import", "--site", "news", "--format", "disqus", gz)).stdout,
    );
    expect(first).toMatchObject({ threads: 2, comments: 10, skippedTotal: 5, dryRun: false });
    const again = JSON.parse(
      (await cli("import", "--site", "news", "--format", "disqus", gz)).stdout,
    );
    expect(again).toMatchObject({ threads: 0, comments: 0 });

    const exported = JSON.parse((await cli("export", "--site", "news")).stdout);
    expect(exported).toMatchObject({ format: "parley", site: { id: "news" } });
    expect(exported.threads).toHaveLength(2);
    expect(exported.comments).toHaveLength(10);
    // Six runs of the CLI, each starting a workerd of its own (the first also wrangler's
    // `migrations apply`, which later runs skip on an up-to-date database): about 40 s on an idle
    // two-core machine, and up to three times that beside a second `npm test`. The bound only
    // says when to give up.
  }, 600_000);
});
