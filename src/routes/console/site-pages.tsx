import type { AppEnv } from "../../env";
import { pageLink } from "../../services/comments/page-link";
import type { Viewer } from "../../services/console/sessions";
import type { auditTrail } from "../../services/moderation/audit";
import type { blocklistPage } from "../../services/moderation/blocks";
import type { pagesByActivity } from "../../services/moderation/threads";
import { BLOCK_KINDS } from "../../shared/vocabulary";
import { Listing, Page, When } from "./layout";
import { en } from "./strings";

/* A site's pages, its blocklist and its audit log. */

type SiteRow = AppEnv["Variables"]["site"];
type Blocklist = Awaited<ReturnType<typeof blocklistPage>>;

const siteBase = (site: SiteRow) => `/admin/sites/${encodeURIComponent(site.id)}`;

export function BlocksPage(props: { viewer: Viewer; site: SiteRow; listed: Blocklist }) {
  const { viewer, site, listed } = props;
  const base = `${siteBase(site)}/blocks`;
  return (
    <Page title={`${en.blocksTitle}: ${site.name}`} viewer={viewer} siteId={site.id}>
      <p>{en.blocksIntro}</p>
      <form method="post" action={base} class="filters">
        <label>
          {en.blockKind}
          <select name="kind">
            {BLOCK_KINDS.map((kind) => (
              <option value={kind}>{en.blockKinds[kind]}</option>
            ))}
          </select>
        </label>
        <label>
          {en.blockValue} <input name="value" required maxlength={500} />
        </label>
        <button type="submit">{en.blockAdd}</button>
      </form>
      <Listing
        headings={[en.blockKind, en.blockValue, { hidden: en.blockRemove }]}
        empty={en.noBlocks}
        rows={listed.blocks.map((block) => (
          <tr>
            <td>{en.blockKinds[block.kind]}</td>
            <td class="value">{block.value}</td>
            <td>
              <form method="post" action={`${base}/${encodeURIComponent(block.id)}/remove`}>
                <button type="submit" aria-label={`${en.blockRemove}: ${block.value}`}>
                  {en.blockRemove}
                </button>
              </form>
            </td>
          </tr>
        ))}
      />
      {listed.nextCursor && (
        <a href={`${base}?cursor=${encodeURIComponent(listed.nextCursor)}`}>{en.moreBlocks}</a>
      )}
    </Page>
  );
}

type Trail = Awaited<ReturnType<typeof auditTrail>>;

export function AuditPage(props: { viewer: Viewer; site: SiteRow; trail: Trail }) {
  const { viewer, site, trail } = props;
  return (
    <Page title={`${en.auditTitle}: ${site.name}`} viewer={viewer} siteId={site.id}>
      <Listing
        headings={[en.auditWhen, en.auditWho, en.auditWhat, en.auditTarget]}
        empty={en.noAudit}
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
          {en.next}
        </a>
      )}
    </Page>
  );
}

type Pages = Awaited<ReturnType<typeof pagesByActivity>>;

export function PagesPage(props: { viewer: Viewer; site: SiteRow; listed: Pages }) {
  const { viewer, site, listed } = props;
  const base = `${siteBase(site)}/pages`;
  return (
    <Page title={`${en.pagesTitle}: ${site.name}`} viewer={viewer} siteId={site.id}>
      <p>{en.pagesIntro}</p>
      <Listing
        headings={[en.pageTitle, en.pageCount, en.pageLast, { hidden: en.pageLock }]}
        empty={en.noPages}
        rows={listed.pages.map((page) => {
          const link = pageLink(site, page.page);
          const label = page.title || page.page;
          const action = page.locked ? en.pageUnlock : en.pageLock;
          return (
            <tr>
              <td class="value">
                {link ? <a href={link}>{label}</a> : label}
                {page.locked && <span class="count"> ({en.pageLocked})</span>}
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
        <a href={`${base}?cursor=${encodeURIComponent(listed.nextCursor)}`}>{en.morePages}</a>
      )}
    </Page>
  );
}
