#!/usr/bin/env node
// The CLI's memory on a big Disqus export (issue 6: "a 50 MB export imports with bounded
// memory, measured"). Writes a Disqus XML file of about SIZE_MB megabytes (default 50) to a
// temporary folder, makes a fresh local database with one site, runs
// `npm run import -- --site bench --format disqus <file>` as an operator would, and samples the
// peak resident memory (VmHWM) of the CLI's Node.js process and of the workerd process that
// holds the local D1. Then the same with the CLI's V8 heap capped (--max-old-space-size): an
// import that completes under a cap its file could not fit in holds bounded memory, whatever
// V8 would otherwise let the heap grow to. Prints one JSON line a run; not part of CI (it
// takes minutes).
//
//   node scripts/bench/import-memory.mjs [SIZE_MB [HEAP_CAP_MB]]     (defaults: 50, 160)
import { execFile, spawn } from "node:child_process";
import { once } from "node:events";
import { createWriteStream } from "node:fs";
import { mkdtemp, readFile, rm, stat } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import { descendants } from "./servers.mjs";

const root = path.join(import.meta.dirname, "..", "..");
const run = promisify(execFile);
const SAMPLE_MS = 50;

const paragraph = (/** @type {number} */ n) =>
  `<p>Comment ${n}: the council's figures &amp; the road budget don't add up. Repairs fell by a third while <b>consultancy fees</b> doubled; see <a href="https://example.org/reports/${n}" rel="nofollow">the report</a>.</p><p>Second paragraph, with a line<br>break and an entity: caf&eacute;.</p>`;

/**
 * A Disqus export: threads of 50 posts, each post a reply to an earlier one half the time.
 * @param {string} file
 * @param {number} bytes
 */
async function writeExport(file, bytes) {
  const out = createWriteStream(file);
  const write = (/** @type {string} */ text) => (out.write(text) ? undefined : once(out, "drain"));
  let written = 0;
  const emit = async (/** @type {string} */ text) => {
    written += Buffer.byteLength(text);
    await write(text);
  };
  await emit(
    '<?xml version="1.0" encoding="utf-8"?>\n<disqus xmlns="http://disqus.com" xmlns:dsq="http://disqus.com/disqus-internals">\n',
  );
  const threads = Math.ceil(bytes / 50 / 1000);
  for (let t = 0; t < threads; t++) {
    await emit(
      `<thread dsq:id="${t}"><link>https://news.example/${t}/article</link><title>Article ${t}</title><createdAt>2020-01-01T00:00:00Z</createdAt><isDeleted>false</isDeleted></thread>\n`,
    );
  }
  let n = 0;
  while (written < bytes) {
    const thread = n % threads;
    const parent = n >= threads * 2 && n % 2 ? `<parent dsq:id="${n - threads}"/>` : "";
    const at = new Date(Date.UTC(2020, 0, 1) + n * 60_000).toISOString();
    await emit(
      `<post dsq:id="${n}"><id/><message><![CDATA[${paragraph(n)}]]></message><createdAt>${at}</createdAt><isDeleted>false</isDeleted><isSpam>false</isSpam><author><email>reader${n % 997}@example.com</email><name>Reader ${n % 997}</name><isAnonymous>false</isAnonymous></author><ipAddress>192.0.2.1</ipAddress><thread dsq:id="${thread}"/>${parent}</post>\n`,
    );
    n += 1;
  }
  await emit("</disqus>\n");
  await new Promise((resolve) => out.end(resolve));
  return { posts: n, threads };
}

/**
 * Peak resident set (VmHWM) of a process in KiB, or 0 once it is gone.
 * @param {number} pid
 */
async function peakKiB(pid) {
  try {
    const status = await readFile(`/proc/${pid}/status`, "utf8");
    return Number(status.match(/VmHWM:\s+(\d+)/)?.[1] ?? 0);
  } catch {
    return 0;
  }
}

/**
 * @param {number} sizeMb
 * @param {number} [heapCapMb]
 */
async function measure(sizeMb, heapCapMb) {
  const folder = await mkdtemp(path.join(tmpdir(), "parley-import-bench-"));
  try {
    const file = path.join(folder, "disqus.xml");
    const made = await writeExport(file, sizeMb * 1024 * 1024);
    const persistDir = path.join(folder, "state");
    const env = { ...process.env, PERSIST_DIR: persistDir };
    const cli = path.join(root, "scripts/portability.mjs");
    // Applies the migrations (and says the site is missing), then the site is made.
    await run(process.execPath, [cli, "import", "--site", "bench", "--format", "disqus", file], {
      cwd: root,
      env,
    }).catch(() => {});
    await run(
      process.execPath,
      [
        path.join(root, "scripts/wrangler.mjs"),
        ...["d1", "execute", "DB", "--local", "--persist-to", persistDir, "--command"],
        "INSERT INTO sites (id, name, origins, author_salt, created_at, updated_at) VALUES ('bench', 'Bench', '[]', 'salt', '2026-01-01T00:00:00Z', '2026-01-01T00:00:00Z')",
      ],
      { cwd: root },
    );

    const started = Date.now();
    const heap = heapCapMb ? [`--max-old-space-size=${heapCapMb}`] : [];
    const child = spawn(
      process.execPath,
      [...heap, cli, "import", "--site", "bench", "--format", "disqus", file],
      { cwd: root, env, stdio: ["ignore", "pipe", "inherit"] },
    );
    const { pid } = child;
    if (pid === undefined) throw new Error("the import did not start");
    let stdout = "";
    child.stdout.on("data", (chunk) => {
      stdout += chunk;
    });
    const peaks = { cli: 0, workerd: 0 };
    const sampler = setInterval(async () => {
      peaks.cli = Math.max(peaks.cli, await peakKiB(pid));
      for (const p of descendants(pid).filter((d) => /workerd/.test(d.cmd))) {
        peaks.workerd = Math.max(peaks.workerd, await peakKiB(p.pid));
      }
    }, SAMPLE_MS);
    const code = await new Promise((resolve) => child.on("exit", resolve));
    clearInterval(sampler);
    if (code !== 0) throw new Error(`the import exited with ${code}`);
    const report = JSON.parse(stdout);
    return {
      heapCapMiB: heapCapMb ?? null,
      fileMiB: Number(((await stat(file)).size / 1024 / 1024).toFixed(1)),
      posts: made.posts,
      threads: made.threads,
      imported: report.comments,
      seconds: Math.round((Date.now() - started) / 1000),
      peakRssMiB: { cli: Math.round(peaks.cli / 1024), workerd: Math.round(peaks.workerd / 1024) },
    };
  } finally {
    await rm(folder, { recursive: true, force: true });
  }
}

const [size = 50, cap = 160] = process.argv.slice(2).map(Number);
for (const heapCap of [undefined, cap]) console.log(JSON.stringify(await measure(size, heapCap)));
