import type { Db } from "../../../db/client";
import type { SiteRow } from "../../../db/sites";
import { type Actor, recordAction } from "../../moderation/audit";
import { readDisqus } from "./disqus";
import { Importer, type ImportReport } from "./importer";
import { exportText } from "./input";
import { readParley } from "./parley-json";
import type { ImportFormat, ImportRecord } from "./records";
import { readWxr } from "./wxr";

const READERS: Record<ImportFormat, (text: AsyncIterable<string>) => AsyncIterable<ImportRecord>> =
  {
    disqus: readDisqus,
    wxr: readWxr,
    parley: readParley,
  };

export interface ImportRequest {
  format: ImportFormat;
  /** Opens the export from its start; it is read twice, a check and then the import. */
  open: () => ReadableStream<Uint8Array>;
  dryRun: boolean;
  /** Bytes of (gunzipped) text accepted. */
  maxBytes: number;
  actor: Actor;
}

async function pass(db: Db, site: SiteRow, request: ImportRequest, dryRun: boolean) {
  const importer = new Importer(db, site, request.format, dryRun);
  const records = READERS[request.format](exportText(request.open(), request.maxBytes));
  for await (const record of records) await importer.add(record);
  return importer.finish();
}

/**
 * Imports an export into a site: the one importer behind both front doors (the operator
 * endpoint and the CLI). The whole file is read once as a dry run first, so an export that is
 * cut short or malformed anywhere is refused before anything is written; only then is it read
 * again and written. Each import is in the site's audit log.
 */
export async function importExport(
  db: Db,
  site: SiteRow,
  request: ImportRequest,
): Promise<ImportReport> {
  const check = await pass(db, site, request, true);
  if (request.dryRun) return check;
  const report = await pass(db, site, request, false);
  await recordAction(db, site, request.actor, "import", site.id, {
    format: request.format,
    threads: report.threads,
    comments: report.comments,
    skipped: report.skippedTotal,
  });
  return report;
}
