import type { AppEnv } from "../../env";
import { pageLink } from "../../services/comments/page-link";
import type { Viewer } from "../../services/console/sessions";
import type { auditTrail } from "../../services/moderation/audit";
import type { blocklistPage } from "../../services/moderation/blocks";
import type { pagesByActivity } from "../../services/moderation/threads";
import { BLOCK_KINDS } from "../../shared/vocabulary";
import { Listing, Page, When } from "./layout";
import { useStrings } from "./locale";

/* A site's pages, its blocklist and its audit log. */

type SiteRow = AppEnv["Variables"]["site"];
type Blocklist = Awaited<ReturnType<typeof blocklistPage>>;

const siteBase = (site: SiteRow) => `/admin/sites/${encodeURIComponent(site.id)}`;

export function BlocksPage(props: { viewer: Viewer; site: SiteRow; listed: Blocklist }) {
  const { viewer, site, listed } = props;
  const base = `${siteBase(site)}/blocks`;
  const t = useStrings();
  return (
    <Page title={`${t.blocksTitle}: ${site.name}`} viewer={viewer} siteId={site.id}>
      <p>{t.blocksIntro}</p>
      <form method="post" action={base} class="filters">
        <label>
          {t.blockKind}
          <select name="kind">
            {BLOCK_KINDS.map((kind) => (
              <option value={kind}>{t.blockKinds[kind]}</option>
            ))}
          </select>
        </label>
        <label>
          {t.blockValue} <input name="value" required maxlength={500} />
        </label>
        <button type="submit">{t.blockAdd}</button>
      </form>
      <Listing
        headings={[t.blockKind, t.blockValue, { hidden: t.blockRemove }]}
        empty={t.noBlocks}
        rows={listed.blocks.map((block) => (
          <tr>
            <td>{t.blockKinds[block.kind]}</td>
            <td class="value">{block.value}</td>
            <td>
              <form method="post" action={`${base}/${encodeURIComponent(block.id)}/remove`}>
                <button type="submit" aria-label={`${t.blockRemove}: ${block.value}`}>
                  {t.blockRemove}
                </button>
              </form>
            </td>
          </tr>
        ))}
      />
      {listed.nextCursor && (
        <a href={`${base}?cursor=${encodeURIComponent(listed.nextCursor)}`}>{t.moreBlocks}</a>
      )}
    </Page>
  );
}

type Trail = Awaited<ReturnType<typeof auditTrail>>;

export function AuditPage(props: { viewer: Viewer; site: SiteRow; trail: Trail }) {
  const { viewer, site, trail } = props;
  const t = useStrings();
  return (
    <Page title={`${t.auditTitle}: ${site.name}`} viewer={viewer} siteId={site.id}>
      <Listing
        headings={[t.auditWhen, t.auditWho, t.auditWhat, t.auditTarget]}
        empty={t.noAudit}
        rows={trail.entries.map((entry) => (
          <tr>
            <td>
              <When at={entry.createdAt} />
            </td>
            <td>{entry.actor}</td>
            <td>
              {entry.action}
              {entry.before && entry.after ? ` (${entry.before} → ${entry.after})` : ""}
            </td>
            <td class="value">{entry.target}</td>
          </tr>
        ))}
      />
      {trail.nextCursor && (
        <a href={`${siteBase(site)}/audit?cursor=${encodeURIComponent(trail.nextCursor)}`}>
          {t.next}
        </a>
      )}
    </Page>
  );
}

type Pages = Awaited<ReturnType<typeof pagesByActivity>>;

export function PagesPage(props: { viewer: Viewer; site: SiteRow; listed: Pages }) {
  const { viewer, site, listed } = props;
  const base = `${siteBase(site)}/pages`;
  const t = useStrings();
  return (
    <Page title={`${t.pagesTitle}: ${site.name}`} viewer={viewer} siteId={site.id}>
      <p>{t.pagesIntro}</p>
      <Listing
        headings={[t.pageTitle, t.pageCount, t.pageLast, { hidden: t.pageLock }]}
        empty={t.noPages}
        rows={listed.pages.map((page) => {
          const link = pageLink(site, page.page);
          const label = page.title || page.page;
          const action = page.locked ? t.pageUnlock : t.pageLock;
          return (
            <tr>
              <td class="value">
                {link ? <a href={link}>{label}</a> : label}
                {page.locked && <span class="count"> ({t.pageLocked})</span>}
              </td>
              <td>{page.count}</td>
              <td>
                <When at={page.lastCommentAt} />
              </td>
              <td>
                <form method="post" action={`${base}/lock`}>
                  <input type="hidden" name="page" value={page.page} />
                  <input type="hidden" name="locked" value={page.locked ? "0" : "1"} />
                  <button type="submit" aria-label={`${action}: ${label}`}>
                    {action}
                  </button>
                </form>
              </td>
            </tr>
          );
        })}
      />
      {listed.nextCursor && (
        <a href={`${base}?cursor=${encodeURIComponent(listed.nextCursor)}`}>{t.morePages}</a>
      )}
    </Page>
  );
}
