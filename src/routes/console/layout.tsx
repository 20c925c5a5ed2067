import type { Context } from "hono";
import type { Child } from "hono/jsx";
import type { AppEnv } from "../../env";
import type { Viewer } from "../../services/console/sessions";
import { LocaleContext, localeOf, useLocale, useStrings } from "./locale";

/* The frame of every console page: one stylesheet of its own, a header, and the page's heading. */

interface PageProps {
  title: string;
  viewer?: Viewer;
  /** The site whose screens the page belongs to: its navigation is shown. */
  siteId?: string;
  children?: Child;
}

/** The screens of one site (and the operator's screens of it, for the operator). */
function SiteNav({ siteId, operator }: { siteId: string; operator: boolean }) {
  const base = `/admin/sites/${encodeURIComponent(siteId)}`;
  const t = useStrings();
  return (
    <nav aria-label={t.siteNav} class="site-nav">
      <a href={`${base}/overview`}>{t.navOverview}</a>
      <a href={`${base}/queue?tab=pending`}>{t.navQueue}</a>
      <a href={`${base}/pages`}>{t.navPages}</a>
      <a href={`${base}/blocks`}>{t.navBlocks}</a>
      <a href={`${base}/audit`}>{t.navAudit}</a>
      <a href={`${base}/privacy`}>{t.navPrivacy}</a>
      {operator && (
        <>
          <a href={`${base}/settings`}>{t.operator.navSettings}</a>
          <a href={`${base}/keys`}>{t.operator.navKeys}</a>
          <a href={`${base}/import`}>{t.operator.navImport}</a>
          <a href={`${base}/export`} download>
            {t.operator.navExport}
          </a>
        </>
      )}
    </nav>
  );
}

export function Page({ title, viewer, siteId, children }: PageProps) {
  const { lang, dir, strings: t } = useLocale();
  return (
    <html lang={lang} dir={dir}>
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <meta name="robots" content="noindex" />
        <title>{`${title} · ${t.product}`}</title>
        <link rel="stylesheet" href="/admin/console.css" />
        {/* Keyboard shortcuts, selection helpers, copy buttons (widget/console/): it only adds. */}
        <script src="/admin/console.js" defer></script>
      </head>
      <body>
        <header>
          <a href="/admin" class="brand">
            {t.product}
          </a>
          {viewer && (
            <form method="post" action="/admin/sign-out">
              <span>
                {t.signedInAs} <strong>{viewer.label}</strong>
              </span>{" "}
              <button type="submit">{t.signOut}</button>
            </form>
          )}
        </header>
        {viewer && siteId && <SiteNav siteId={siteId} operator={viewer.kind === "operator"} />}
        <main>
          <h1>{title}</h1>
          {children}
        </main>
        {/* Where the script says what it did ("Copied"), in the words this page gives it. */}
        <p
          id="console-live"
          class="visually-hidden"
          aria-live="polite"
          data-copied={t.keys.copied}
        />
      </body>
    </html>
  );
}

/**
 * Sends a page in the request's language (JSX escapes every value it is given: user text only
 * ever lands as text).
 */
export const render = (c: Context<AppEnv>, page: ReturnType<typeof Page>, status = 200) =>
  c.html(
    `<!doctype html>${<LocaleContext.Provider value={localeOf(c.var.language)}>{page}</LocaleContext.Provider>}`,
    status as 200,
  );

/** A column heading, or one only screen readers hear (a column of buttons). */
type Heading = string | { hidden: string };

/** The rows as a table under their column headings, or `empty` when there are none. */
export function Listing({
  headings,
  empty,
  rows,
}: {
  headings: Heading[];
  empty: string;
  rows: Child[];
}) {
  if (rows.length === 0) return <p>{empty}</p>;
  return (
    <table>
      <thead>
        <tr>
          {headings.map((heading) => (
            <th scope="col">
              {typeof heading === "string" ? (
                heading
              ) : (
                <span class="visually-hidden">{heading.hidden}</span>
              )}
            </th>
          ))}
        </tr>
      </thead>
      <tbody>{rows}</tbody>
    </table>
  );
}

/** A stored time, to the minute, UTC. */
export const When = ({ at }: { at: string }) => (
  <time datetime={at}>{at.slice(0, 16).replace("T", " ")}</time>
);

/** A table wider than a phone, scrolled sideways inside its box (by keyboard too: it takes focus). */
export const Scrolling = ({ label, children }: { label: string; children: Child }) => (
  <section class="scroll" aria-label={label} tabindex={0}>
    {children}
  </section>
);
