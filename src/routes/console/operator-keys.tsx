import { Hono } from "hono";
import type { AppEnv } from "../../env";
import type { Viewer } from "../../services/console/sessions";
import { issueKey, keysPage, revokeModeratorKey } from "../../services/sites/operator";
import { LIMITS } from "../../shared/limits";
import { CreateKeySchema } from "../schemas/operator";
import { actorOf, notFoundPage, operatorOnly, siteOf } from "./access";
import { check, described, type Problem, Problems } from "./form-problems";
import { Listing, Page, render, Scrolling, When } from "./layout";
import { stringsOf, useStrings } from "./locale";

/*
 * A site's moderator keys, for the operator: the list (labels and dates, never secrets), issuing
 * one (its secret shown once), and revoking one, on the same services as the operator API.
 */

type SiteRow = AppEnv["Variables"]["site"];
type KeyView = Awaited<ReturnType<typeof keysPage>>["keys"][number];

const keysBase = (site: SiteRow) => `/admin/sites/${encodeURIComponent(site.id)}/keys`;
/** What a key id can be: anything longer is no key of ours (the API's bound). */
const MAX_KEY_ID = 64;

/**
 * A secret the page shows once, in a read-only field to select by hand. The Copy button waits
 * hidden for the console's script (/admin/console.js), which shows it and wires `data-copy`.
 */
export function SecretOnce({ secret }: { secret: string }) {
  const t = useStrings();
  return (
    <div class="field secret">
      <label for="new-secret">{t.operator.secretField}</label>
      <input id="new-secret" value={secret} readonly autocomplete="off" spellcheck={false} />
      <button type="button" data-copy="new-secret" hidden>
        {t.operator.copy}
      </button>
    </div>
  );
}

function KeysPage(props: {
  viewer: Viewer;
  site: SiteRow;
  listed: { keys: KeyView[]; nextCursor: string | null };
  revoked?: boolean;
  label?: string;
  problems?: Problem[];
}) {
  const { viewer, site, listed, revoked, label = "", problems = [] } = props;
  const { keys, nextCursor } = listed;
  const base = keysBase(site);
  const t = useStrings();
  return (
    <Page title={`${t.operator.keysTitle}: ${site.name}`} viewer={viewer} siteId={site.id}>
      <p>{t.operator.keysIntro}</p>
      {revoked && (
        <p role="status" class="notice">
          {t.operator.keyRevokedNotice}
        </p>
      )}
      <Scrolling label={t.operator.keysTitle}>
        <Listing
          headings={[
            t.operator.keyLabel,
            t.operator.keyCreated,
            t.operator.keyState,
            { hidden: t.operator.keyRevoke },
          ]}
          empty={t.operator.noKeys}
          rows={keys.map((key) => (
            <tr>
              <td class="value">{key.label}</td>
              <td>
                <When at={key.createdAt} />
              </td>
              <td>
                {key.revokedAt ? (
                  <>
                    {t.operator.keyRevoked} <When at={key.revokedAt} />
                  </>
                ) : (
                  t.operator.keyActive
                )}
              </td>
              <td>
                {!key.revokedAt && (
                  <form method="post" action={`${base}/${encodeURIComponent(key.id)}/revoke`}>
                    <button
                      type="submit"
                      aria-label={t.operator.keyRevokeNamed.replace("{label}", key.label)}
                    >
                      {t.operator.keyRevoke}
                    </button>
                  </form>
                )}
              </td>
            </tr>
          ))}
        />
      </Scrolling>
      {nextCursor && (
        <a href={`${base}?cursor=${encodeURIComponent(nextCursor)}`}>{t.operator.moreKeys}</a>
      )}
      <h2>{t.operator.keyIssue}</h2>
      <Problems problems={problems} labelOf={() => t.operator.keyLabel} />
      <form method="post" action={base} class="filters">
        <label for="label">{t.operator.keyLabel}</label>
        <input
          id="label"
          name="label"
          required
          maxlength={LIMITS.keyLabel}
          value={label}
          {...described(problems, "label")}
        />
        <button type="submit">{t.operator.keyIssue}</button>
      </form>
    </Page>
  );
}

export const operatorKeys = new Hono<AppEnv>();

operatorKeys.get("/sites/:site/keys", operatorOnly, async (c) => {
  const site = await siteOf(c);
  if (!site) return notFoundPage(c);
  const listed = await keysPage(c.var.db, site.id, c.req.query("cursor")?.slice(0, 100));
  const revoked = c.req.query("revoked") === "1";
  return render(
    c,
    <KeysPage viewer={c.var.viewer} site={site} listed={listed} revoked={revoked} />,
  );
});

operatorKeys.post("/sites/:site/keys", operatorOnly, async (c) => {
  const site = await siteOf(c);
  if (!site) return notFoundPage(c);
  const label = (await c.req.parseBody()).label;
  const t = stringsOf(c);
  const checked = check(CreateKeySchema, { label }, t.operator.problems);
  if (!checked.ok) {
    const listed = await keysPage(c.var.db, site.id);
    const page = (
      <KeysPage
        viewer={c.var.viewer}
        site={site}
        listed={listed}
        label={typeof label === "string" ? label : ""}
        problems={checked.problems}
      />
    );
    return render(c, page, 422);
  }
  const issued = await issueKey(c.var.db, site.id, checked.data.label, actorOf(c));
  return render(
    c,
    <Page title={t.operator.issuedTitle} viewer={c.var.viewer} siteId={site.id}>
      <p>{t.operator.issuedIntro}</p>
      <p>
        {t.operator.keyLabel}: <strong class="value">{issued.key.label}</strong>
      </p>
      <SecretOnce secret={issued.secret} />
      <p>
        <a href={keysBase(site)}>{t.operator.backToKeys}</a>
      </p>
    </Page>,
    201,
  );
});

operatorKeys.post("/sites/:site/keys/:keyId/revoke", operatorOnly, async (c) => {
  const site = await siteOf(c);
  const keyId = c.req.param("keyId");
  if (!site || keyId.length > MAX_KEY_ID) return notFoundPage(c);
  // Its sessions end with it: a session is looked up only through an unrevoked key.
  await revokeModeratorKey(c.var.db, site.id, keyId, actorOf(c));
  return c.redirect(`${keysBase(site)}?revoked=1`, 303);
});
