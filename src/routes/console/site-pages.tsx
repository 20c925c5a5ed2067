import type { AppEnv } from "../../env";
import { pageLink } from "../../services/comments/page-link";
import type { Viewer } from "../../services/console/sessions";
import type { auditTrail } from "../../services/moderation/audit";
import type { blocksOf } from "../../services/moderation/blocks";
import type { pagesByActivity } from "../../services/moderation/threads";
import { BLOCK_KINDS } from "../../shared/vocabulary";
import { Page } from "./layout";
import { en } from "./strings";

/* A site's pages, its blocklist and its audit log. */

type SiteRow = AppEnv["Variables"]["site"];
type BlockRow = Awaited<ReturnType<typeof blocksOf>>[number];

const siteBase = (site: SiteRow) => `/admin/sites/${encodeURIComponent(site.id)}`;

export function BlocksPage(props: { viewer: Viewer; site: SiteRow; blocks: BlockRow[] }) {
  const { viewer, site, blocks } = props;
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
      {blocks.length === 0 ? (
        <p>{en.noBlocks}</p>
      ) : (
        <table>
          <thead>
            <tr>
              <th scope="col">{en.blockKind}</th>
              <th scope="col">{en.blockValue}</th>
              <th scope="col">
                <span class="visually-hidden">{en.blockRemove}</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {blocks.map((block) => (
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
          </tbody>
        </table>
      )}
    </Page>
  );
}

type Trail = Awaited<ReturnType<typeof auditTrail>>;

export function AuditPage(props: { viewer: Viewer; site: SiteRow; trail: Trail }) {
  const { viewer, site, trail } = props;
  return (
    <Page title={`${en.auditTitle}: ${site.name}`} viewer={viewer} siteId={site.id}>
      {trail.entries.length === 0 ? (
        <p>{en.noAudit}</p>
      ) : (
        <table>
          <thead>
            <tr>
              <th scope="col">{en.auditWhen}</th>
              <th scope="col">{en.auditWho}</th>
              <th scope="col">{en.auditWhat}</th>
              <th scope="col">{en.auditTarget}</th>
            </tr>
          </thead>
          <tbody>
            {trail.entries.map((entry) => (
              <tr>
                <td>
                  <time datetime={entry.createdAt}>
                    {entry.createdAt.slice(0, 16).replace("T", " ")}
                  </time>
                </td>
                <td>{entry.actor}</td>
                <td>
                  {entry.action}
                  {entry.before && entry.after ? ` (${entry.before} → ${entry.after})` : ""}
                </td>
                <td class="value">{entry.target}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
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
      {listed.pages.length === 0 ? (
        <p>{en.noPages}</p>
      ) : (
        <table>
          <thead>
            <tr>
              <th scope="col">{en.pageTitle}</th>
              <th scope="col">{en.pageCount}</th>
              <th scope="col">{en.pageLast}</th>
              <th scope="col">
                <span class="visually-hidden">{en.pageLock}</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {listed.pages.map((page) => {
              const link = pageLink(site, page.page);
              const label = page.title || page.page;
              return (
                <tr>
                  <td class="value">
                    {link ? <a href={link}>{label}</a> : label}
                    {page.locked && <span class="count"> ({en.pageLocked})</span>}
                  </td>
                  <td>{page.count}</td>
                  <td>
                    <time datetime={page.lastCommentAt}>
                      {page.lastCommentAt.slice(0, 16).replace("T", " ")}
                    </time>
                  </td>
                  <td>
                    <form method="post" action={`${base}/lock`}>
                      <input type="hidden" name="page" value={page.page} />
                      <input type="hidden" name="locked" value={page.locked ? "0" : "1"} />
                      <button
                        type="submit"
                        aria-label={`${page.locked ? en.pageUnlock : en.pageLock}: ${label}`}
                      >
                        {page.locked ? en.pageUnlock : en.pageLock}
                      </button>
                    </form>
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
      )}
      {listed.nextCursor && (
        <a href={`${base}?cursor=${encodeURIComponent(listed.nextCursor)}`}>{en.morePages}</a>
      )}
    </Page>
  );
}
