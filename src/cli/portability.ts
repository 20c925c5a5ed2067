import { createDb } from "../db/client";
import { getSite } from "../db/sites";
import { ApiError } from "../errors";
import { now } from "../platform/clock";
import { D1Meter } from "../platform/d1";
import { exportSite } from "../services/portability/export";
import type { ImportFormat } from "../services/portability/import/records";
import { importExport } from "../services/portability/import/run";

/*
 * The CLI's side of import and export (scripts/portability.mjs runs it under Node.js, bundled
 * by esbuild): the same importer and exporter as the operator endpoints, on a D1 binding that
 * the script opens, local or remote. Nothing here touches the file system or the process.
 */

type D1 = Pick<D1Database, "prepare" | "batch">;

/** Actions from the CLI are the operator's, like those through the operator API. */
const operator = () => ({ label: "operator", now: now() });

async function siteOf(d1: D1, id: string) {
  const db = createDb(d1, new D1Meter());
  const site = await getSite(db, id);
  if (!site) {
    throw new ApiError(
      404,
      "site_not_found",
      `No site "${id}": create it first (POST /api/v1/sites).`,
    );
  }
  return { db, site };
}

export async function importFile(
  d1: D1,
  options: {
    site: string;
    format: ImportFormat;
    open: () => ReadableStream<Uint8Array>;
    dryRun: boolean;
  },
) {
  const { db, site } = await siteOf(d1, options.site);
  // No size bound: the file is streamed, and only the request path must fit a Worker.
  return importExport(db, site, {
    ...options,
    maxBytes: Number.POSITIVE_INFINITY,
    actor: operator(),
  });
}

export async function* exportJson(d1: D1, siteId: string): AsyncGenerator<string> {
  const { db, site } = await siteOf(d1, siteId);
  yield* exportSite(db, site, now());
}
