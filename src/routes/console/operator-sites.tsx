import { Hono } from "hono";
import type { AppEnv } from "../../env";
import { ApiError } from "../../errors";
import type { Viewer } from "../../services/console/sessions";
import { changeSite, createSite, sitesPage } from "../../services/sites/operator";
import { CreateSiteSchema, UpdateSiteSchema } from "../schemas/operator";
import { actorOf, notFoundPage, operatorOnly, siteOf } from "./access";
import { check, described, type Problem, Problems } from "./form-problems";
import { Page, render } from "./layout";
import { stringsOf, useStrings } from "./locale";
import { SecretOnce } from "./operator-keys";
import { queueAddress } from "./queue";
import {
  changedSettings,
  type FormValues,
  formStrings,
  formValues,
  labelOf,
  SETTINGS,
  SettingField,
  type SettingName,
  settingsOf,
} from "./settings-form";
import type { ConsoleStrings } from "./strings";

/*
 * The operator's sites: the list with a form to create one (its first key shown once), and a
 * site's settings, every one the operator API's PATCH takes, checked by the API's own schemas
 * and saved by the same services.
 */

type SiteRow = AppEnv["Variables"]["site"];
type SiteView = Awaited<ReturnType<typeof sitesPage>>["sites"][number];

const settingsAddress = (siteId: string) => `/admin/sites/${encodeURIComponent(siteId)}/settings`;
/** What a new site is given on the form; every other setting starts at its default. */
const NEW_SITE_SETTINGS = ["name", "origins"] as const satisfies SettingName[];
const siteLabelOf = (t: ConsoleStrings, field: string) =>
  field === "id" ? t.operator.siteId : labelOf(t, field);

export function SitesPage(props: {
  viewer: Viewer;
  listed: { sites: SiteView[]; nextCursor: string | null };
  values?: FormValues;
  problems?: Problem[];
}) {
  const { viewer, listed, values = {}, problems = [] } = props;
  const { sites, nextCursor } = listed;
  const t = useStrings();
  return (
    <Page title={t.sitesTitle} viewer={viewer}>
      {sites.length === 0 ? (
        <p>{t.noSites}</p>
      ) : (
        <ul>
          {sites.map((site) => (
            <li>
              <a href={queueAddress(site.id, "pending")}>{site.name}</a> ({site.id}) ·{" "}
              <a href={settingsAddress(site.id)}>
                {t.operator.navSettings}
                <span class="visually-hidden"> {site.name}</span>
              </a>
            </li>
          ))}
        </ul>
      )}
      {nextCursor && (
        <a href={`/admin/sites?cursor=${encodeURIComponent(nextCursor)}`}>{t.operator.moreSites}</a>
      )}
      <h2>{t.operator.createTitle}</h2>
      <Problems problems={problems} labelOf={(field) => siteLabelOf(t, field)} />
      <form method="post" action="/admin/sites" class="stack">
        <div class="field">
          <label for="id">{t.operator.siteId}</label>
          <input
            id="id"
            name="id"
            required
            autocapitalize="none"
            spellcheck={false}
            value={values.id ?? ""}
            {...described(problems, "id", "id-hint")}
          />
          <p id="id-hint" class="hint">
            {t.operator.siteIdHint}
          </p>
        </div>
        {NEW_SITE_SETTINGS.map((name) => (
          <SettingField name={name} values={values} problems={problems} />
        ))}
        <div>
          <button type="submit">{t.operator.createButton}</button>
        </div>
      </form>
    </Page>
  );
}

function SettingsPage(props: {
  viewer: Viewer;
  site: SiteRow;
  values: FormValues;
  problems?: Problem[];
  saved?: string;
}) {
  const { viewer, site, values, problems = [], saved } = props;
  const t = useStrings();
  return (
    <Page title={`${t.operator.settingsTitle}: ${site.name}`} viewer={viewer} siteId={site.id}>
      {saved !== undefined && (
        <p role="status" class="notice">
          {saved === "1" ? t.operator.settingsSaved : t.operator.settingsUnchanged}
        </p>
      )}
      <Problems problems={problems} labelOf={(field) => labelOf(t, field)} />
      <form method="post" action={settingsAddress(site.id)} class="stack">
        {(Object.keys(SETTINGS) as SettingName[]).map((name) => (
          <SettingField
            name={name}
            values={values}
            problems={problems}
            secretSet={site.turnstileSecretKey !== null}
          />
        ))}
        {site.webhookSecret && (
          <div class="field">
            <label for="webhook-secret">{t.operator.webhookSecret}</label>
            <input
              id="webhook-secret"
              value={site.webhookSecret}
              readonly
              aria-describedby="webhook-secret-hint"
            />
            <p id="webhook-secret-hint" class="hint">
              {t.operator.webhookSecretHint}
            </p>
          </div>
        )}
        <div>
          <button type="submit">{t.operator.settingsSave}</button>
        </div>
      </form>
    </Page>
  );
}

export const operatorSites = new Hono<AppEnv>();

operatorSites.post("/sites", operatorOnly, async (c) => {
  const values = formStrings(await c.req.parseBody());
  const input = { id: values.id ?? "", ...settingsOf(values, NEW_SITE_SETTINGS) };
  const refuse = async (problems: Problem[], status: 409 | 422) => {
    const listed = await sitesPage(c.var.db);
    const page = (
      <SitesPage viewer={c.var.viewer} listed={listed} values={values} problems={problems} />
    );
    return render(c, page, status);
  };
  const t = stringsOf(c);
  const checked = check(CreateSiteSchema, input, t.operator.problems);
  if (!checked.ok) return refuse(checked.problems, 422);
  const created = await createSite(c.var.db, checked.data, actorOf(c)).catch((error: unknown) => {
    // A taken id is a problem with the form's id; anything else is the error it is.
    if (error instanceof ApiError && error.status === 409) return error;
    throw error;
  });
  if (created instanceof ApiError) return refuse([{ field: "id", message: created.message }], 409);
  const { site, secret } = created;
  return render(
    c,
    <Page title={`${t.operator.createdTitle}: ${site.name}`} viewer={c.var.viewer} siteId={site.id}>
      <p>{t.operator.createdIntro}</p>
      <SecretOnce secret={secret} />
    </Page>,
    201,
  );
});

operatorSites.get("/sites/:site/settings", operatorOnly, async (c) => {
  const site = await siteOf(c);
  if (!site) return notFoundPage(c);
  const page = (
    <SettingsPage
      viewer={c.var.viewer}
      site={site}
      values={formValues(site)}
      saved={c.req.query("saved")}
    />
  );
  return render(c, page);
});

operatorSites.post("/sites/:site/settings", operatorOnly, async (c) => {
  const site = await siteOf(c);
  if (!site) return notFoundPage(c);
  const values = formStrings(await c.req.parseBody());
  const checked = check(UpdateSiteSchema, settingsOf(values), stringsOf(c).operator.problems);
  if (!checked.ok) {
    // What was typed, over what is stored for any field the form did not send.
    const shown = { ...formValues(site), ...values };
    const page = (
      <SettingsPage viewer={c.var.viewer} site={site} values={shown} problems={checked.problems} />
    );
    return render(c, page, 422);
  }
  const changes = changedSettings(checked.data, site);
  const changed = Object.keys(changes).length > 0;
  if (changed) await changeSite(c.var.db, site.id, changes, actorOf(c));
  return c.redirect(`${settingsAddress(site.id)}?saved=${changed ? 1 : 0}`, 303);
});
