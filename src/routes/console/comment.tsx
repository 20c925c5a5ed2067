import type { Child } from "hono/jsx";
import type { AppEnv } from "../../env";
import { pageLink } from "../../services/comments/page-link";
import type { Viewer } from "../../services/console/sessions";
import { CONTEXT_REPLIES, type commentInContext } from "../../services/moderation/context";
import { LIMITS } from "../../shared/limits";
import { Page, When } from "./layout";
import { useStrings } from "./locale";
import { commentAddress, HeldWhy, type QueueAction, queueAddress, ROW_ACTIONS } from "./queue";
import { fill } from "./strings";

/*
 * One comment in its context: its parent, the comment with everything a moderator may know of
 * it, its replies in every status, its author's other comments; the actions, pin, purge, and a
 * reply as staff.
 */

type SiteRow = AppEnv["Variables"]["site"];
type Context = Awaited<ReturnType<typeof commentInContext>>;
type Shown = Context["replies"][number];

/** A comment in a list: who, when, its status, its words, and the way to its own page. */
function Summary({ site, comment }: { site: SiteRow; comment: Shown }) {
  const { context: t, tabs } = useStrings();
  return (
    <li class="comment">
      <div class="content">
        <p class="meta">
          <strong>{comment.author.name || "—"}</strong>
          {comment.staff && <span class="badge"> {t.staff}</span>}
          {" · "}
          {tabs[comment.status]}
          {" · "}
          <When at={comment.createdAt} />
          {" · "}
          <a href={commentAddress(site.id, comment.id)}>{t.open}</a>
        </p>
        <p class="body">{comment.bodySource}</p>
      </div>
    </li>
  );
}

/** Comments as a list of summaries, or `empty` when there are none. */
function Summaries({ site, comments, empty }: { site: SiteRow; comments: Shown[]; empty: string }) {
  if (comments.length === 0) return <p>{empty}</p>;
  return (
    <ol class="queue">
      {comments.map((comment) => (
        <Summary site={site} comment={comment} />
      ))}
    </ol>
  );
}

/** Everything the console knows of the comment, as a list of terms. */
function Facts({ site, comment }: { site: SiteRow; comment: Context["comment"] }) {
  const link = pageLink(site, comment.page);
  const { context: t, tabs } = useStrings();
  const facts: [string, Child][] = [
    [t.status, tabs[comment.status]],
    [t.email, comment.author.email],
    [t.website, comment.author.website],
    [t.ipHash, comment.ipHash],
    [t.userAgent, comment.userAgent],
    [t.page, link ? <a href={link}>{comment.page}</a> : comment.page],
  ];
  return (
    <dl class="facts">
      {facts
        .filter(([, value]) => value)
        .map(([term, value]) => (
          <>
            <dt>{term}</dt>
            <dd>{value}</dd>
          </>
        ))}
    </dl>
  );
}

export interface CommentPageProps {
  viewer: Viewer;
  site: SiteRow;
  context: Context;
  notice?: string;
}

export function CommentPage({ viewer, site, context, notice }: CommentPageProps) {
  const { comment, parent, replies, byAuthor } = context;
  const here = commentAddress(site.id, comment.id);
  const actions: QueueAction[] = ROW_ACTIONS[comment.status];
  const pinnable = comment.depth === 0 && comment.status === "published";
  const displayName = viewer.kind === "moderator" ? viewer.key.displayName : null;
  const strings = useStrings();
  const t = strings.context;
  return (
    <Page title={t.title} viewer={viewer} siteId={site.id}>
      {notice && (
        <p role="status" class="notice">
          {notice}
        </p>
      )}
      {parent && (
        <section aria-labelledby="parent">
          <h2 id="parent">{t.parent}</h2>
          <ol class="queue">
            <Summary site={site} comment={parent} />
          </ol>
        </section>
      )}
      <section aria-labelledby="this">
        <h2 id="this">{t.this}</h2>
        <p class="meta">
          <strong>{comment.author.name || "—"}</strong>
          {comment.staff && <span class="badge"> {t.staff}</span>}
          {comment.pinned && <span class="badge"> {t.pinned}</span>}
          {" · "}
          <When at={comment.createdAt} />
        </p>
        <p class="body">{comment.bodySource}</p>
        <Facts site={site} comment={comment} />
        <HeldWhy comment={comment} />
        <form method="post" class="actions">
          <input type="hidden" name="back" value={here} />
          {actions.map((action) => (
            <button type="submit" formaction={`${here}/${action}`}>
              {strings[action]}
            </button>
          ))}
          {pinnable && !comment.pinned && (
            <button type="submit" formaction={`${here}/pin`}>
              {t.pin}
            </button>
          )}
          {comment.pinned && (
            <button type="submit" formaction={`${here}/unpin`}>
              {t.unpin}
            </button>
          )}
        </form>
        {/* Behind a disclosure: it cannot be undone, so it takes two deliberate clicks. */}
        <details class="purge">
          <summary>{t.purge}</summary>
          <p>{t.purgeExplain}</p>
          <form method="post" action={`${here}/purge`}>
            <input type="hidden" name="back" value={here} />
            <button type="submit">{t.purgeButton}</button>
          </form>
        </details>
      </section>
      {comment.status === "published" && (
        <section aria-labelledby="reply">
          <h2 id="reply">{t.reply}</h2>
          <form method="post" action={`${here}/reply`} class="stacked">
            <label>
              {t.replyName}
              <input
                name="name"
                value={displayName ?? ""}
                placeholder={site.name}
                maxlength={LIMITS.authorName}
              />
            </label>
            <label>
              {t.replyBody}
              <textarea name="body" required rows={5} maxlength={LIMITS.body} />
            </label>
            <button type="submit">{t.replyButton}</button>
          </form>
        </section>
      )}
      <section aria-labelledby="replies">
        <h2 id="replies">{t.replies}</h2>
        <Summaries site={site} comments={replies} empty={t.noReplies} />
        {replies.length === CONTEXT_REPLIES && <p>{fill(t.moreReplies, replies.length)}</p>}
      </section>
      <section aria-labelledby="by-author">
        <h2 id="by-author">{t.byAuthor}</h2>
        <Summaries site={site} comments={byAuthor} empty={t.noByAuthor} />
        {comment.author.email && (
          <p>
            <a href={queueAddress(site.id, "published", { email: comment.author.email })}>
              {t.allByEmail}
            </a>
          </p>
        )}
      </section>
    </Page>
  );
}
