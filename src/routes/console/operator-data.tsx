import { Hono } from "hono";
import type { AppEnv } from "../../env";
import { ApiError } from "../../errors";
import { limitImportBody } from "../../middleware/json-body";
import { sha256Hex } from "../../platform/crypto";
import type { Viewer } from "../../services/console/sessions";
import type { ImportReport } from "../../services/portability/import/importer";
import { IMPORT_FORMATS } from "../../services/portability/import/records";
import { importExport } from "../../services/portability/import/run";
import { LIMITS } from "../../shared/limits";
import { exportDownload } from "../export-download";
import { ImportQuerySchema } from "../schemas/operator";
import { actorOf, notFoundPage, operatorOnly, siteOf } from "./access";
import { check, described, type Problem, Problems } from "./form-problems";
import { Listing, Page, render, Scrolling } from "./layout";
import { stringsOf, useStrings } from "./locale";
import { fill } from "./strings";

/*
 * A site's data in and out, for the operator: importing a Disqus, WordPress or Parley export,
 * and downloading the site's export, through the same importer and export as the operator API.
 *
 * How the real import gets its file. The first submit of a file is always a dry run, and its
 * report offers "Import it". The console keeps no copy of the file between the two (no storage
 * to bound, clean up or leak): the report's form asks for the same file again, and carries the
 * SHA-256 of the file the operator saw the report of. The import writes only when the file sent
 * has that digest; any other file gets its own dry run first. The importer itself still reads
 * the whole file once before writing anything (services/portability/import/run.ts), so a bad
 * file writes nothing either way.
 */

type SiteRow = AppEnv["Variables"]["site"];
type Format = (typeof IMPORT_FORMATS)[number];

/** The upload, whose limit is the API's import limit instead of the console's form limit. */
export const IMPORT_PATH = "/sites/:site/import";
const importAddress = (site: SiteRow) => `/admin/sites/${encodeURIComponent(site.id)}/import`;
const FILE_TYPES = ".xml,.json,.gz,application/xml,text/xml,application/json,application/gzip";
const FormatCheck = ImportQuerySchema.pick({ format: true });

function FileField({ label, problems }: { label: string; problems: Problem[] }) {
  return (
    <div class="field">
      <label for="file">{label}</label>
      <input
        id="file"
        name="file"
        type="file"
        required
        accept={FILE_TYPES}
        {...described(problems, "file")}
      />
    </div>
  );
}

function ImportPage(props: {
  viewer: Viewer;
  site: SiteRow;
  format?: string;
  problems?: Problem[];
}) {
  const { viewer, site, format, problems = [] } = props;
  const t = useStrings();
  return (
    <Page title={`${t.operator.importTitle}: ${site.name}`} viewer={viewer} siteId={site.id}>
      <p>{t.operator.importIntro}</p>
      <Problems
        problems={problems}
        labelOf={(field) => (field === "format" ? t.operator.importFormat : t.operator.importFile)}
      />
      <form method="post" action={importAddress(site)} enctype="multipart/form-data" class="stack">
        <div class="field">
          <label for="format">{t.operator.importFormat}</label>
          <select id="format" name="format" {...described(problems, "format")}>
            {IMPORT_FORMATS.map((name) => (
              <option value={name} selected={name === format}>
                {t.operator.importFormats[name]}
              </option>
            ))}
          </select>
        </div>
        <FileField label={t.operator.importFile} problems={problems} />
        <div>
          <button type="submit">{t.operator.importCheck}</button>
        </div>
      </form>
    </Page>
  );
}

/** Records the import passed over or changed: the first ones, and how many in all. */
function Records(props: { title: string; listed: ImportReport["skipped"]; total: number }) {
  const { title, listed, total } = props;
  const t = useStrings();
  return (
    <section>
      <h2>
        {title}: {total}
      </h2>
      {total > listed.length && <p>{fill(t.operator.reportMore, total)}</p>}
      {listed.length > 0 && (
        <Scrolling label={title}>
          <Listing
            headings={[t.operator.reportPosition, t.operator.reportReason]}
            empty={t.operator.reportNone}
            rows={listed.map((record) => (
              <tr>
                <td class="value">{record.position}</td>
                <td class="value">{record.reason}</td>
              </tr>
            ))}
          />
        </Scrolling>
      )}
    </section>
  );
}

function ReportPage(props: {
  viewer: Viewer;
  site: SiteRow;
  report: ImportReport;
  format: Format;
  digest: string;
}) {
  const { viewer, site, report, format, digest } = props;
  const t = useStrings();
  const title = report.dryRun ? t.operator.reportTitle : t.operator.reportDoneTitle;
  return (
    <Page title={`${title}: ${site.name}`} viewer={viewer} siteId={site.id}>
      <dl class="report">
        <dt>{t.operator.importFormat}</dt>
        <dd>{t.operator.importFormats[format]}</dd>
        <dt>{t.operator.reportThreads}</dt>
        <dd>{report.threads}</dd>
        <dt>{t.operator.reportComments}</dt>
        <dd>{report.comments}</dd>
      </dl>
      <Records
        title={t.operator.reportSkipped}
        listed={report.skipped}
        total={report.skippedTotal}
      />
      <Records
        title={t.operator.reportWarnings}
        listed={report.warnings}
        total={report.warningsTotal}
      />
      {report.dryRun && (
        <section>
          <h2>{t.operator.importRun}</h2>
          <p>{t.operator.reportNothingWritten}</p>
          <form
            method="post"
            action={importAddress(site)}
            enctype="multipart/form-data"
            class="stack"
          >
            <input type="hidden" name="format" value={format} />
            <input type="hidden" name="reviewed" value={digest} />
            <FileField label={t.operator.importAgainFile} problems={[]} />
            <div>
              <button type="submit">{t.operator.importRun}</button>
            </div>
          </form>
        </section>
      )}
    </Page>
  );
}

export const operatorData = new Hono<AppEnv>();

operatorData.get(IMPORT_PATH, operatorOnly, async (c) => {
  const site = await siteOf(c);
  if (!site) return notFoundPage(c);
  return render(c, <ImportPage viewer={c.var.viewer} site={site} />);
});

operatorData.post(IMPORT_PATH, operatorOnly, limitImportBody, async (c) => {
  const site = await siteOf(c);
  if (!site) return notFoundPage(c);
  const form = await c.req.parseBody();
  const refuse = (problems: Problem[], status: 400 | 413 | 422) => {
    const format = typeof form.format === "string" ? form.format : undefined;
    const page = (
      <ImportPage viewer={c.var.viewer} site={site} format={format} problems={problems} />
    );
    return render(c, page, status);
  };
  const t = stringsOf(c);
  const checked = check(FormatCheck, { format: form.format }, t.operator.problems);
  if (!checked.ok) return refuse(checked.problems, 422);
  const { format } = checked.data;
  const file = form.file;
  if (!(file instanceof File) || file.size === 0) {
    return refuse([{ field: "file", message: t.operator.importNoFile }], 422);
  }
  const digest = await sha256Hex(await file.arrayBuffer());
  const reviewed = typeof form.reviewed === "string" ? form.reviewed : undefined;
  if (reviewed !== undefined && reviewed !== digest) {
    return refuse([{ field: "file", message: t.operator.importOtherFile }], 422);
  }
  const report = await importExport(c.var.db, site, {
    format,
    open: () => file.stream(),
    // Only the file whose report the operator has seen is written.
    dryRun: reviewed === undefined,
    maxBytes: LIMITS.importBodyBytes,
    actor: actorOf(c),
  }).catch((error: unknown) => {
    // Not an export, cut short, too big once gunzipped: said beside the form.
    if (error instanceof ApiError && (error.status === 400 || error.status === 413)) return error;
    throw error;
  });
  if (report instanceof ApiError) {
    return refuse([{ field: "file", message: report.message }], report.status as 400 | 413);
  }
  return render(
    c,
    <ReportPage
      viewer={c.var.viewer}
      site={site}
      report={report}
      format={format}
      digest={digest}
    />,
  );
});

operatorData.get("/sites/:site/export", operatorOnly, async (c) => {
  const site = await siteOf(c);
  if (!site) return notFoundPage(c);
  return exportDownload(c, site);
});
