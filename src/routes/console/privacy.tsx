import type { AppEnv } from "../../env";
import type { Viewer } from "../../services/console/sessions";
import type { authorData } from "../../services/moderation/queue";
import { Page } from "./layout";
import { useStrings } from "./locale";
import { fill } from "./strings";

/* Privacy requests by email: what the address wrote and agreed to, and erasing it, confirmed. */

type SiteRow = AppEnv["Variables"]["site"];
type Found = Awaited<ReturnType<typeof authorData>>;

const privacyBase = (site: SiteRow) => `/admin/sites/${encodeURIComponent(site.id)}/privacy`;

export function PrivacyPage(props: {
  viewer: Viewer;
  site: SiteRow;
  email?: string;
  found?: { count: number; data: Found };
  erased?: number;
}) {
  const { viewer, site, email, found, erased } = props;
  const base = privacyBase(site);
  const t = useStrings();
  return (
    <Page title={`${t.privacyTitle}: ${site.name}`} viewer={viewer} siteId={site.id}>
      <p>{t.privacyIntro}</p>
      {erased !== undefined && (
        <p role="status" class="notice">
          {fill(t.privacyErased, erased)}
        </p>
      )}
      <form method="get" action={base} class="filters">
        <label>
          {t.filterEmail} <input name="email" type="email" required value={email ?? ""} />
        </label>
        <button type="submit">{t.privacyFind}</button>
      </form>
      {email && found && (
        <section aria-label={email}>
          <p>{fill(t.privacyFound, found.count)}</p>
          <h2>{t.privacySubscriptions}</h2>
          {"subscriptions" in found.data && found.data.subscriptions.length > 0 ? (
            <ul>
              {found.data.subscriptions.map((subscription) => (
                <li>
                  {subscription.kind}: {subscription.page} · “{subscription.consentWording}” ·{" "}
                  {subscription.subscribedAt.slice(0, 10)} ·{" "}
                  {subscription.confirmedAt ? t.privacyConfirmed : t.privacyUnconfirmed}
                </li>
              ))}
            </ul>
          ) : (
            <p>{t.privacyNone}</p>
          )}
          {found.count > 0 && (
            <p>
              <a href={`${base}/erase?email=${encodeURIComponent(email)}`}>{t.privacyErase}</a>
            </p>
          )}
        </section>
      )}
    </Page>
  );
}

/** The confirmation step: how many comments go, and the one button that erases them. */
export function EraseConfirmPage(props: {
  viewer: Viewer;
  site: SiteRow;
  email: string;
  count: number;
}) {
  const { viewer, site, email, count } = props;
  const t = useStrings();
  return (
    <Page title={t.privacyConfirmTitle} viewer={viewer} siteId={site.id}>
      <p>
        <strong>{email}</strong>
      </p>
      <p>{fill(t.privacyConfirm, count)}</p>
      <form method="post" action={`${privacyBase(site)}/erase`}>
        <input type="hidden" name="email" value={email} />
        <button type="submit">{t.privacyConfirmButton}</button>
      </form>
    </Page>
  );
}
