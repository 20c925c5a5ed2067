import { createRoute, z } from "@hono/zod-openapi";
import type { Context } from "hono";
import { html } from "hono/html";
import type { ContentfulStatusCode } from "hono/utils/http-status";
import type { AppEnv } from "../../env";
import { ApiError } from "../../errors";
import { limitBody, requireForm } from "../../middleware/json-body";
import { now } from "../../platform/clock";
import { commentUrl, pageLink } from "../../services/comments/page-link";
import { postComment } from "../../services/comments/posting";
import { fill, type ThreadStrings, threadStrings } from "../../services/comments/thread-strings";
import { originAllowed } from "../../services/sites/sites";
import { type Audience, validationFailed } from "../audiences";
import { postingServices, requester } from "../context";
import { SiteIdParam } from "../schemas/common";
import { PostCommentSchema } from "../schemas/readers";
import { errors } from "../schemas/responses";

/*
 * The post form of thread.html, for readers without JavaScript: the browser posts the plain
 * form (application/x-www-form-urlencoded) and gets back either a redirect to the comment on its
 * page or a small page that says what happened. The comment goes through the same validation
 * (PostCommentSchema) and the same posting service as the widget's JSON post, so every defence
 * applies: rate limits, the honeypot, the time-trap (the form carries the view's `issuedAt`),
 * Akismet, the moderation mode. A site with Turnstile needs the widget to solve its challenge:
 * a plain form sends no token, so its comment is held (kept as spam for the moderators) and the
 * reader reads that it awaits moderation.
 *
 * A plain form is a request any page can make a browser send (no CORS preflight guards it, as
 * the JSON body does the JSON post), so the form only takes posts whose Origin is one of the
 * site's own: the article that shows the form. And it redirects only to the page's own address
 * when that is on one of the site's origins, never to wherever a sender names.
 */

const FIELDS = [
  "page",
  "title",
  "parentId",
  "name",
  "email",
  "website",
  "body",
  "hp",
  "issuedAt",
] as const;

const FormCommentSchema = z
  .object(
    Object.fromEntries(FIELDS.map((f) => [f, z.string().optional()])) as Record<
      (typeof FIELDS)[number],
      z.ZodOptional<z.ZodString>
    >,
  )
  .openapi("NewCommentForm", {
    description:
      "The fields of thread.html's form, checked as `NewComment` is (`name`, `email` and `website` are its `author`); blank optional fields count as absent.",
  });

/** An answer that is a short page for the reader. */
const page = (description: string) => ({
  description,
  content: { "text/html": { schema: z.string() } },
});

const formRoute = createRoute({
  method: "post",
  path: "/api/v1/sites/{site}/comments/form",
  tags: ["Public"],
  summary: "Post a comment from thread.html's plain form (no JavaScript)",
  description:
    "For browsers without JavaScript. The same checks and defences as `POST …/comments`; only from a page on one of the site's origins (its `Origin`, else 403). Published: 303 to `<page>#comment-<id>` when the page is a web address on one of the site's origins, else a 201 page. Every other answer is a short HTML page in the site's locale: held for moderation 202, a problem with the fields 422 (each named), locked 423, too fast 429 (Retry-After), unknown parent 404, a foreign Origin 403. A body that is not a form, or larger than 64 KB, gets the API's JSON error (415, 413).",
  request: {
    params: z.object({ site: SiteIdParam }),
    body: {
      content: { "application/x-www-form-urlencoded": { schema: FormCommentSchema } },
      required: true,
    },
  },
  responses: {
    ...errors(413, 415),
    201: page("Published, on a page that is not a web address on the site's origins."),
    202: page("Held for moderation."),
    303: { description: "Published: to `<page>#comment-<id>`." },
    403: page("Not sent from a page on one of the site's origins."),
    404: page("Unknown parent. (An unknown site gets the API's JSON `site_not_found`.)"),
    422: page("A field is missing or wrong: each one named."),
    423: page("Comments are closed."),
    429: page("Too many posts; Retry-After."),
  },
});

type Form = z.infer<typeof FormCommentSchema>;

/** The form's flat fields in the JSON post's shape, for the one schema that checks both. */
const asNewComment = (f: Form) => ({
  page: f.page,
  title: f.title,
  parentId: f.parentId,
  author: { name: f.name, email: f.email, website: f.website },
  body: f.body,
  hp: f.hp,
  issuedAt: f.issuedAt,
});

/** Each schema path's field as the form labels it. */
const label = (s: ThreadStrings, path: string) =>
  ({
    "author.name": s.t.name,
    "author.email": s.t.email,
    "author.website": s.t.website,
    body: s.t.comment,
  })[path] ?? path;

/** No script, no style, nothing loaded, no framing: the page only says what happened. */
const POLICY = "default-src 'none'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

async function answerPage(
  c: Context<AppEnv>,
  s: ThreadStrings,
  status: ContentfulStatusCode,
  message: string,
  back: { href: string; title: string } | null,
  more: unknown = "",
) {
  c.header("Content-Security-Policy", POLICY);
  c.header("Cache-Control", "no-store");
  c.header("Content-Type", "text/html; charset=utf-8");
  const document = await html`<!doctype html>
<html lang="${s.lang}" dir="${s.dir}">
<head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="robots" content="noindex">
<title>${message}</title></head>
<body><main><p>${message}</p>${more}${back ? html`<p><a href="${back.href}">${back.title}</a></p>` : ""}</main></body>
</html>`;
  return c.body(document.toString(), status);
}

/** What an expected failure reads as, in the widget's own words where it has them. */
function failure(
  c: Context<AppEnv>,
  s: ThreadStrings,
  e: ApiError,
  back: Parameters<typeof answerPage>[4],
) {
  for (const [name, value] of Object.entries(e.headers ?? {})) c.header(name, value);
  if (e.code === "validation_failed") {
    const details = e.details ?? [];
    const fields = [...new Set(details.map((d) => label(s, d.path)))];
    const list = html`<ul>${details.map((d) => html`<li>${label(s, d.path)}: ${d.message}</li>`)}</ul>`;
    return answerPage(c, s, 422, fill(s.t.pleaseCheck, { list: fields.join(", ") }), back, list);
  }
  const words: Partial<Record<string, string>> = {
    thread_locked: s.t.closed,
    rate_limited: s.t.tooFast,
    parent_not_found: s.t.noLongerPossible,
  };
  return answerPage(c, s, e.status, words[e.code] ?? s.t.error, back);
}

export const commentFormRoutes = (readers: Audience) =>
  readers.route(
    formRoute,
    async (c) => {
      const site = c.var.site;
      const s = threadStrings(site.locale);
      const form = c.req.valid("form");
      const input = PostCommentSchema.safeParse(asNewComment(form));
      const link = input.success ? pageLink(site, input.data.page) : null;
      const back = link ? { href: link, title: input.data?.title ?? link } : null;
      try {
        const origin = c.req.header("origin");
        if (!origin || !originAllowed(site, origin)) {
          throw new ApiError(403, "forbidden", "Post the form from one of the site's pages.");
        }
        if (!input.success) throw validationFailed(input.error.issues, "form");
        const posted = await postComment(
          c.var.db,
          site,
          input.data,
          await requester(c, now()),
          postingServices(c),
        );
        if (posted.status === "pending") return answerPage(c, s, 202, s.t.held, back);
        const anchor = commentUrl(site, input.data.page, posted.comment.id);
        return anchor ? c.redirect(anchor, 303) : answerPage(c, s, 201, s.t.published, back);
      } catch (e) {
        if (e instanceof ApiError) return failure(c, s, e, back);
        throw e;
      }
    },
    // Posting reads the site's current rules in its own batch (services/comments/posting.ts).
    { site: "recent", body: [limitBody, requireForm] },
  );
