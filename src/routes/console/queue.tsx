import type { AppEnv } from "../../env";
import { pageLink } from "../../services/comments/page-link";
import type { Viewer } from "../../services/console/sessions";
import {
  type moderationQueue,
  QUEUE_TABS,
  type QueueTab,
  TAB_COUNT_CAP,
} from "../../services/moderation/queue";
import { Page, When } from "./layout";
import { useStrings } from "./locale";
import { type ConsoleStrings, fill } from "./strings";

/* The queue: tabs with their counts, filters, and the comments with their actions. */

type SiteRow = AppEnv["Variables"]["site"];

export interface QueueFilters {
  page?: string;
  email?: string;
  ipHash?: string;
  q?: string;
}

type Listed = Awaited<ReturnType<typeof moderationQueue>>["comments"][number];

export type QueueAction = "approve" | "spam" | "delete" | "restore";

/** What each status can be given from the queue, in the order the buttons show. */
export const ROW_ACTIONS: Record<Listed["status"], QueueAction[]> = {
  pending: ["approve", "spam", "delete"],
  published: ["spam", "delete"],
  spam: ["approve", "delete"],
  deleted: ["restore"],
};

/**
 * The key that clicks each action's button in the current row (the console's script,
 * widget/console/, finds them by data-key), and the one that ticks its box.
 */
const ACTION_KEYS = { approve: "a", spam: "s", delete: "d", restore: "r" } as const;
const SELECT_KEY = "x";
/** The help's list: the script's own keys for moving and the help, and the rows' keys above. */
const SHORTCUTS: [key: string, what: keyof ConsoleStrings["keys"]][] = [
  ["j", "next"],
  ["k", "previous"],
  [ACTION_KEYS.approve, "approve"],
  [ACTION_KEYS.spam, "spam"],
  [ACTION_KEYS.delete, "delete"],
  [ACTION_KEYS.restore, "restore"],
  [SELECT_KEY, "select"],
  ["?", "showHelp"],
  ["Esc", "closeHelp"],
];

const countText = (n: number) => (n >= TAB_COUNT_CAP ? `${TAB_COUNT_CAP}+` : String(n));

export function queueAddress(siteId: string, tab: QueueTab, filters: QueueFilters = {}) {
  const query = new URLSearchParams({ tab });
  for (const [name, value] of Object.entries(filters)) if (value) query.set(name, value);
  return `/admin/sites/${encodeURIComponent(siteId)}/queue?${query}`;
}

/** Why a comment was held: the rules that caught it, and readers' flags with their notes. */
export function HeldWhy({ comment }: { comment: Pick<Listed, "spamReasons" | "flags"> }) {
  const t = useStrings();
  return (
    <>
      {comment.spamReasons.length > 0 && (
        <p class="reasons">
          {t.spamReasons}: {comment.spamReasons.join(", ")}
        </p>
      )}
      {comment.flags.length > 0 && (
        <ul class="flags" aria-label={t.flags}>
          {comment.flags.map((flag) => (
            <li>
              {flag.reason}
              {flag.note ? `: ${flag.note}` : ""}
            </li>
          ))}
        </ul>
      )}
    </>
  );
}

/** A comment's own page: its context, and where its actions post. */
export const commentAddress = (siteId: string, id: string) =>
  `/admin/sites/${encodeURIComponent(siteId)}/comments/${id}`;

function Row({ site, comment }: { site: SiteRow; comment: Listed }) {
  const link = pageLink(site, comment.page);
  const base = commentAddress(site.id, comment.id);
  const t = useStrings();
  return (
    // tabindex: the script focuses the current row, so that a screen reader reads it out.
    <li id={`c-${comment.id}`} class="comment" tabindex={-1}>
      <label class="pick">
        <input type="checkbox" name="ids" value={comment.id} data-key={SELECT_KEY} />
        <span class="visually-hidden">{t.select}</span>
      </label>
      <div class="content">
        <p class="meta">
          <strong>{comment.author.name || "—"}</strong>
          {comment.author.email && <span> &lt;{comment.author.email}&gt;</span>}
          {" · "}
          <When at={comment.createdAt} />
          {" · "}
          {link ? <a href={link}>{comment.page}</a> : <span>{comment.page}</span>}
          {" · "}
          <a href={base}>{t.context.open}</a>
        </p>
        <p class="body">{comment.bodySource}</p>
        <HeldWhy comment={comment} />
        <p class="actions">
          {ROW_ACTIONS[comment.status].map((action) => (
            <button
              type="submit"
              formaction={`${base}/${action}`}
              name="one"
              value={comment.id}
              data-key={ACTION_KEYS[action]}
            >
              {t[action]}
            </button>
          ))}
        </p>
      </div>
    </li>
  );
}

/**
 * The shortcuts' help, opened by "?" or by its button. The keys work only with the script, so the
 * button is rendered hidden and the script shows it (as everything marked data-scripted).
 */
function ShortcutsHelp() {
  const t = useStrings();
  return (
    <>
      <p class="help" hidden data-scripted>
        <button type="button" data-opens-help>
          {t.keys.help}
        </button>
      </p>
      <dialog id="keys-help" aria-labelledby="keys-help-title">
        <h2 id="keys-help-title">{t.keys.help}</h2>
        <p>{t.keys.helpIntro}</p>
        <dl class="shortcuts">
          {SHORTCUTS.map(([key, what]) => (
            <>
              <dt>
                <kbd>{key}</kbd>
              </dt>
              <dd>{t.keys[what]}</dd>
            </>
          ))}
        </dl>
        <p>{t.keys.typing}</p>
        <button type="button" data-closes-help>
          {t.keys.close}
        </button>
      </dialog>
    </>
  );
}

export interface QueueProps {
  viewer: Viewer;
  site: SiteRow;
  tab: QueueTab;
  filters: QueueFilters;
  counts: Record<QueueTab, number>;
  listed: Awaited<ReturnType<typeof moderationQueue>>;
  notice?: string;
}

export function QueuePage({ viewer, site, tab, filters, counts, listed, notice }: QueueProps) {
  const here = queueAddress(site.id, tab, filters);
  const bulk = `/admin/sites/${encodeURIComponent(site.id)}/bulk`;
  const t = useStrings();
  return (
    <Page title={`${t.queueTitle}: ${site.name}`} viewer={viewer} siteId={site.id}>
      <nav aria-label={t.queueTitle} class="tabs">
        {(Object.keys(QUEUE_TABS) as QueueTab[]).map((name) => (
          <a
            href={queueAddress(site.id, name, filters)}
            aria-current={name === tab ? "page" : undefined}
          >
            {t.tabs[name]} <span class="count">{countText(counts[name])}</span>
          </a>
        ))}
      </nav>
      <form method="get" class="filters">
        <input type="hidden" name="tab" value={tab} />
        <label>
          {t.filterPage} <input name="page" value={filters.page ?? ""} />
        </label>
        <label>
          {t.filterEmail} <input name="email" type="email" value={filters.email ?? ""} />
        </label>
        <label>
          {t.filterIp} <input name="ipHash" value={filters.ipHash ?? ""} />
        </label>
        <label>
          {t.filterText} <input name="q" value={filters.q ?? ""} />
        </label>
        <button type="submit">{t.filterButton}</button>
      </form>
      <ShortcutsHelp />
      {notice && (
        <p role="status" class="notice">
          {notice}
        </p>
      )}
      {listed.comments.length === 0 ? (
        <p>{t.empty}</p>
      ) : (
        <form method="post" action={bulk}>
          <fieldset class="bulk">
            <legend>{t.selected}</legend>
            <input type="hidden" name="back" value={here} />
            <label hidden data-scripted>
              <input type="checkbox" data-select-all /> {t.keys.selectAll}
            </label>
            {(["approve", "spam", "delete"] as const).map((action) => (
              <button type="submit" name="action" value={action}>
                {t[action]}
              </button>
            ))}
            <span hidden data-scripted data-count-text={t.keys.selected} aria-live="polite" />
          </fieldset>
          <ol class="queue">
            {listed.comments.map((comment) => (
              <Row site={site} comment={comment} />
            ))}
          </ol>
        </form>
      )}
      {listed.nextCursor && (
        <a href={`${here}&cursor=${encodeURIComponent(listed.nextCursor)}`}>{t.next}</a>
      )}
    </Page>
  );
}

/** The notice a redirect back asks for: a count of changed comments, or that none was picked. */
export function noticeText(t: ConsoleStrings, done: string | undefined): string | undefined {
  if (done === undefined) return undefined;
  const n = Number(done);
  if (!Number.isSafeInteger(n) || n < 0) return undefined;
  return n === 0 ? t.noticeNone : fill(t.noticeDone, n);
}
