import type { AppEnv } from "../../env";
import type { Viewer } from "../../services/console/sessions";
import type { authorData } from "../../services/moderation/queue";
import { Page } from "./layout";
import { en, fill } from "./strings";

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
  return (
    <Page title={`${en.privacyTitle}: ${site.name}`} viewer={viewer} siteId={site.id}>
      <p>{en.privacyIntro}</p>
      {erased !== undefined && (
        <p role="status" class="notice">
          {fill(en.privacyErased, erased)}
        </p>
      )}
      <form method="get" action={base} class="filters">
        <label>
          {en.filterEmail} <input name="email" type="email" required value={email ?? ""} />
        </label>
        <button type="submit">{en.privacyFind}</button>
      </form>
      {email && found && (
        <section aria-label={email}>
          <p>{fill(en.privacyFound, found.count)}</p>
          <h2>{en.privacySubscriptions}</h2>
          {"subscriptions" in found.data && found.data.subscriptions.length > 0 ? (
            <ul>
              {found.data.subscriptions.map((subscription) => (
                <li>
                  {subscription.kind}: {subscription.page} · “{subscription.consentWording}” ·{" "}
                  {subscription.subscribedAt.slice(0, 10)} ·{" "}
                  {subscription.confirmedAt ? en.privacyConfirmed : en.privacyUnconfirmed}
                </li>
              ))}
            </ul>
          ) : (
            <p>{en.privacyNone}</p>
          )}
          {found.count > 0 && (
            <p>
              <a href={`${base}/erase?email=${encodeURIComponent(email)}`}>{en.privacyErase}</a>
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
  return (
    <Page title={en.privacyConfirmTitle} viewer={viewer} siteId={site.id}>
      <p>
        <strong>{email}</strong>
      </p>
      <p>{fill(en.privacyConfirm, count)}</p>
      <form method="post" action={`${privacyBase(site)}/erase`}>
        <input type="hidden" name="email" value={email} />
        <button type="submit">{en.privacyConfirmButton}</button>
      </form>
    </Page>
  );
}
