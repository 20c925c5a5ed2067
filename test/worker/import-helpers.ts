import { ADMIN, call, fetchWorker, json, rows } from "./helpers";

export interface Report {
  threads: number;
  comments: number;
  skipped: Array<{ position: string; reason: string }>;
  skippedTotal: number;
  warnings: Array<{ position: string; reason: string }>;
  warningsTotal: number;
  dryRun: boolean;
}

/** POSTs an export to the import endpoint as the operator. */
export function importRaw(
  site: string,
  query: string,
  body: BodyInit,
  headers: Record<string, string> = {},
): Promise<Response> {
  // Not through `call`, which sends bodies as JSON: an export goes as the bytes it is.
  return fetchWorker(
    new Request(`http://parley.test/api/v1/sites/${site}/import?${query}`, {
      method: "POST",
      body,
      headers: { ...ADMIN, "content-type": "application/xml", ...headers },
    }),
  );
}

export async function importOk(site: string, query: string, body: BodyInit): Promise<Report> {
  const res = await importRaw(site, query, body);
  if (res.status !== 200) throw new Error(`import answered ${res.status}: ${await res.text()}`);
  return json<Report>(res);
}

/** The text gzipped, as `gzip` would write it. */
export async function gzip(text: string): Promise<Uint8Array> {
  const stream = new Blob([text]).stream().pipeThrough(new CompressionStream("gzip"));
  return new Uint8Array(await new Response(stream).arrayBuffer());
}

/** The stored comments of a site in display order, as [depth, status, text], for tree checks. */
export async function storedTree(site: string): Promise<string[]> {
  const found = await rows(
    "SELECT c.depth, c.status, c.body_source FROM comments c JOIN threads t ON t.id = c.thread_id WHERE c.site_id = ? ORDER BY t.page_key, c.root_id, c.path",
    site,
  );
  return found.map((r) => `${"  ".repeat(Number(r.depth))}${r.status}: ${r.body_source}`);
}

export async function countsOf(site: string, pages: string[]): Promise<Record<string, number>> {
  const query = pages.map((p) => `page=${encodeURIComponent(p)}`).join("&");
  const res = await call("GET", `/api/v1/sites/${site}/counts?${query}`);
  return (await json<{ counts: Record<string, number> }>(res)).counts;
}

/** Counters recomputed from the rows, to compare with what the triggers kept. */
export async function recountedThreads(site: string) {
  return rows(
    `SELECT t.page_key, t.count, t.version,
       (SELECT count(*) FROM comments c WHERE c.thread_id = t.id AND c.status = 'published') AS published
     FROM threads t WHERE t.site_id = ? ORDER BY t.page_key`,
    site,
  );
}
