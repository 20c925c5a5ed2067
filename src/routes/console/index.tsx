import { Hono } from "hono";
import { bodyLimit } from "hono/body-limit";
import { except } from "hono/combine";
import { HTTPException } from "hono/http-exception";
import { z } from "zod";
import type { AppEnv } from "../../env";
import { ApiError } from "../../errors";
import {
  consoleHeaders,
  endSession,
  ownFormPosts,
  sessionToken,
  signedIn,
  startSession,
} from "../../middleware/console";
import { now } from "../../platform/clock";
import { signIn, signOut } from "../../services/console/sessions";
import {
  bulkModerate,
  eraseAuthor,
  type ModerationAction,
  moderateComment,
} from "../../services/moderation/actions";
import { auditTrail } from "../../services/moderation/audit";
import { blocklistPage, blockValue, unblock } from "../../services/moderation/blocks";
import { commentInContext } from "../../services/moderation/context";
import { siteOverview } from "../../services/moderation/overview";
import {
  authorData,
  commentsOfAuthor,
  moderationQueue,
  QUEUE_TABS,
  type QueueTab,
  tabCounts,
} from "../../services/moderation/queue";
import { pinComment, replyAsStaff } from "../../services/moderation/staff";
import { lockThread, pagesByActivity } from "../../services/moderation/threads";
import { clientIp } from "../../services/readers/ip-hash";
import { sitesPage } from "../../services/sites/operator";
import { BLOCK_KINDS, COMMENT_ID_PATTERN } from "../../shared/vocabulary";
import { validationFailed } from "../audiences";
import { background } from "../context";
import { PageParam } from "../schemas/common";
import { StaffReplySchema } from "../schemas/moderators";
import { actorOf, notFoundPage, siteOf, unlessMissing } from "./access";
import { CommentPage } from "./comment";
import { Page, render } from "./layout";
import { chooseLanguage, stringsOf, useStrings } from "./locale";
import { IMPORT_PATH, operatorData } from "./operator-data";
import { operatorKeys } from "./operator-keys";
import { operatorSites, SitesPage } from "./operator-sites";
import { OverviewPage } from "./overview";
import { EraseConfirmPage, PrivacyPage } from "./privacy";
import { commentAddress, noticeText, QueuePage, queueAddress } from "./queue";
import { AuditPage, BlocksPage, PagesPage } from "./site-pages";
import { CONSOLE_CSS } from "./styles";

/*
 * The moderators' console at /admin: server-rendered pages whose forms work without JavaScript,
 * on the same services as the API (no rule is written twice). Every page is behind the session
 * cookie but the sign-in page; every POST is a form from this origin (middleware/console.ts).
 */

/** A form of the console is a few ids and words; an import file has its own limit. */
const MAX_FORM_BYTES = 16 * 1024;
const PAGE_SIZE = 50;
const ACTIONS = [
  "approve",
  "spam",
  "delete",
  "restore",
  "purge",
] as const satisfies ModerationAction[];
const PINS = { pin: true, unpin: false } as const;
const BULK_ACTIONS = ["approve", "spam", "delete"] as const;

/** Where a form asked to go back to: a console address, never another site. */
function back(value: unknown, fallback: string): string {
  return typeof value === "string" && /^\/admin\/[^/\\]/.test(value) ? value : fallback;
}

const withNotice = (address: string, n: number) =>
  `${address}${address.includes("?") ? "&" : "?"}done=${n}`;

export const consoleRoutes = new Hono<AppEnv>();

consoleRoutes.onError((error, c) => {
  const refused = error instanceof HTTPException && error.status === 403;
  const status = error instanceof ApiError || error instanceof HTTPException ? error.status : 500;
  const t = stringsOf(c);
  // An ApiError's own message comes from the services, in English, as the API answers it.
  const sentence = refused ? t.refused : error instanceof ApiError ? error.message : t.errorTitle;
  if (status === 500) console.error(error);
  const details = error instanceof ApiError ? (error.details ?? []) : [];
  return render(
    c,
    <Page title={t.errorTitle} viewer={c.var.viewer}>
      <p class="error" role="alert">
        {sentence}
      </p>
      {details.length > 0 && (
        <ul>
          {details.map((detail) => (
            <li>{detail.message}</li>
          ))}
        </ul>
      )}
    </Page>,
    status,
  );
});
// First, so that every answer (an error's, a refusal's) is in the moderator's language.
consoleRoutes.use("*", chooseLanguage);
consoleRoutes.use("*", consoleHeaders);
consoleRoutes.post(
  "*",
  // The import's upload is bounded by the API's import limit instead (operator-data.tsx).
  except(
    `/admin${IMPORT_PATH}`,
    bodyLimit({
      maxSize: MAX_FORM_BYTES,
      onError: () => {
        throw new ApiError(413, "payload_too_large", "That form is larger than the console takes.");
      },
    }),
  ),
  ownFormPosts,
);

consoleRoutes.get("/console.css", (c) => {
  c.header("Content-Type", "text/css; charset=utf-8");
  return c.body(CONSOLE_CSS);
});

consoleRoutes.get("/sign-in", (c) => render(c, <SignInPage />));

function SignInPage({ problem }: { problem?: string }) {
  const t = useStrings();
  return (
    <Page title={t.signInTitle}>
      {problem && (
        <p class="error" role="alert">
          {problem}
        </p>
      )}
      <form method="post" action="/admin/sign-in" class="sign-in">
        <label>
          {t.signInSecret}
          <input
            type="password"
            name="secret"
            autocomplete="current-password"
            required
            maxlength={200}
          />
        </label>
        <button type="submit">{t.signInButton}</button>
      </form>
    </Page>
  );
}

consoleRoutes.post("/sign-in", async (c) => {
  const form = await c.req.parseBody();
  const secret = typeof form.secret === "string" ? form.secret.trim() : "";
  const result = await signIn(c.var.db, {
    secret,
    adminToken: c.env.ADMIN_TOKEN,
    ip: clientIp(c.req.raw.headers),
    now: now(),
  });
  if (!result.ok) {
    const limited = result.reason === "limited";
    const t = stringsOf(c);
    return render(
      c,
      <SignInPage problem={limited ? t.signInLimited : t.signInWrong} />,
      limited ? 429 : 401,
    );
  }
  startSession(c, result.token, result.expiresAt);
  return c.redirect("/admin", 303);
});

consoleRoutes.post("/sign-out", async (c) => {
  await signOut(c.var.db, sessionToken(c));
  endSession(c);
  return c.redirect("/admin/sign-in", 303);
});

// Everything below is for the signed-in only.
consoleRoutes.use("*", signedIn);

consoleRoutes.get("/", (c) => {
  const viewer = c.var.viewer;
  return c.redirect(
    viewer.kind === "operator" ? "/admin/sites" : queueAddress(viewer.key.siteId, "pending"),
    303,
  );
});

consoleRoutes.get("/sites", async (c) => {
  const viewer = c.var.viewer;
  if (viewer.kind !== "operator")
    return c.redirect(queueAddress(viewer.key.siteId, "pending"), 303);
  const listed = await sitesPage(c.var.db, c.req.query("cursor")?.slice(0, 100));
  return render(c, <SitesPage viewer={viewer} listed={listed} />);
});

// The operator's screens (operator-*.tsx): each route behind operatorOnly.
for (const screens of [operatorSites, operatorKeys, operatorData])
  consoleRoutes.route("/", screens);

const isTab = (value: string | undefined): value is QueueTab =>
  value !== undefined && Object.hasOwn(QUEUE_TABS, value);
/** A filter's value as typed, bounded: the services take it as a literal. */
const filterValue = (value: string | undefined) => value?.trim().slice(0, 500) || undefined;

consoleRoutes.get("/sites/:site/queue", async (c) => {
  const site = await siteOf(c);
  if (!site) return notFoundPage(c);
  const query = c.req.query();
  const tab = isTab(query.tab) ? query.tab : "pending";
  const filters = {
    page: filterValue(query.page),
    email: filterValue(query.email),
    ipHash: filterValue(query.ipHash),
    q: filterValue(query.q),
  };
  const [counts, listed] = await Promise.all([
    tabCounts(c.var.db, site),
    moderationQueue(c.var.db, site, {
      ...QUEUE_TABS[tab],
      ...filters,
      cursor: COMMENT_ID_PATTERN.test(query.cursor ?? "") ? query.cursor : undefined,
      limit: PAGE_SIZE,
    }),
  ]);
  return render(
    c,
    <QueuePage
      viewer={c.var.viewer}
      site={site}
      tab={tab}
      filters={filters}
      counts={counts}
      listed={listed}
      notice={noticeText(stringsOf(c), query.done)}
    />,
  );
});

consoleRoutes.get("/sites/:site/comments/:id", async (c) => {
  const site = await siteOf(c);
  const id = c.req.param("id");
  if (!site || !COMMENT_ID_PATTERN.test(id)) return notFoundPage(c);
  const context = await unlessMissing(commentInContext(c.var.db, site, id));
  if (!context) return notFoundPage(c);
  const t = stringsOf(c);
  const notice = c.req.query("replied") ? t.context.replied : noticeText(t, c.req.query("done"));
  return render(
    c,
    <CommentPage viewer={c.var.viewer} site={site} context={context} notice={notice} />,
  );
});

consoleRoutes.post("/sites/:site/comments/:id/reply", async (c) => {
  const site = await siteOf(c);
  const id = c.req.param("id");
  if (!site || !COMMENT_ID_PATTERN.test(id)) return notFoundPage(c);
  const form = await c.req.parseBody();
  const name = typeof form.name === "string" && form.name.trim() ? form.name : undefined;
  const input = StaffReplySchema.safeParse({ body: form.body, name });
  if (!input.success) throw validationFailed(input.error.issues, "form");
  const viewer = c.var.viewer;
  const staff = { actor: actorOf(c), key: viewer.kind === "moderator" ? viewer.key : undefined };
  await replyAsStaff(c.var.db, site, id, input.data, staff, background(c));
  return c.redirect(`${commentAddress(site.id, id)}?replied=1`, 303);
});

consoleRoutes.post("/sites/:site/comments/:id/:action", async (c) => {
  const site = await siteOf(c);
  const { id, action } = c.req.param();
  const known = ACTIONS.find((name) => name === action);
  const pin = Object.hasOwn(PINS, action) ? PINS[action as keyof typeof PINS] : undefined;
  if (!site || (!known && pin === undefined) || !COMMENT_ID_PATTERN.test(id)) {
    return notFoundPage(c);
  }
  const form = await c.req.parseBody();
  if (known) await moderateComment(c.var.db, site, id, known, actorOf(c), background(c));
  else await pinComment(c.var.db, site, id, pin === true, actorOf(c));
  return c.redirect(withNotice(back(form.back, queueAddress(site.id, "pending")), 1), 303);
});

consoleRoutes.post("/sites/:site/bulk", async (c) => {
  const site = await siteOf(c);
  if (!site) return notFoundPage(c);
  const form = await c.req.parseBody({ all: true });
  const action = BULK_ACTIONS.find((name) => name === form.action);
  const ids = [form.ids ?? []].flat().filter((id): id is string => typeof id === "string");
  const address = back(form.back, queueAddress(site.id, "pending"));
  if (!action) return notFoundPage(c);
  const picked = ids.filter((id) => COMMENT_ID_PATTERN.test(id)).slice(0, PAGE_SIZE);
  if (picked.length === 0) return c.redirect(withNotice(address, 0), 303);
  const changed = await bulkModerate(
    c.var.db,
    site,
    action,
    { ids: picked },
    actorOf(c),
    background(c),
  );
  return c.redirect(withNotice(address, changed), 303);
});

consoleRoutes.get("/sites/:site/overview", async (c) => {
  const site = await siteOf(c);
  if (!site) return notFoundPage(c);
  const overview = await siteOverview(c.var.db, site, now());
  return render(c, <OverviewPage viewer={c.var.viewer} site={site} overview={overview} />);
});

consoleRoutes.get("/sites/:site/pages", async (c) => {
  const site = await siteOf(c);
  if (!site) return notFoundPage(c);
  const listed = await pagesByActivity(c.var.db, site, PAGE_SIZE, c.req.query("cursor"));
  return render(c, <PagesPage viewer={c.var.viewer} site={site} listed={listed} />);
});

/** The lock form: a page named as the API's lock takes one (the same rule), and which way. */
const LockForm = z.object({ page: PageParam, locked: z.enum(["0", "1"]) });

consoleRoutes.post("/sites/:site/pages/lock", async (c) => {
  const site = await siteOf(c);
  if (!site) return notFoundPage(c);
  const form = LockForm.safeParse(await c.req.parseBody());
  if (!form.success) {
    throw new ApiError(
      422,
      "validation_failed",
      "Name the page to lock or unlock.",
      form.error.issues.map((issue) => ({ path: issue.path.join("."), message: issue.message })),
    );
  }
  await lockThread(c.var.db, site, form.data.page, form.data.locked === "1", actorOf(c));
  return c.redirect(`/admin/sites/${encodeURIComponent(site.id)}/pages`, 303);
});

/** The address a privacy request names, as typed (trimmed, bounded); the services lower-case it. */
const emailOf = (value: unknown) =>
  typeof value === "string" && value.trim() !== "" ? value.trim().slice(0, 320) : undefined;

consoleRoutes.get("/sites/:site/privacy", async (c) => {
  const site = await siteOf(c);
  if (!site) return notFoundPage(c);
  const email = emailOf(c.req.query("email"));
  const found = email && {
    count: await commentsOfAuthor(c.var.db, site, email),
    data: await authorData(c.var.db, site, { email, limit: 1 }),
  };
  const erased = c.req.query("done");
  return render(
    c,
    <PrivacyPage
      viewer={c.var.viewer}
      site={site}
      email={email}
      found={found || undefined}
      erased={erased === undefined ? undefined : Number(erased) || 0}
    />,
  );
});

consoleRoutes.get("/sites/:site/privacy/erase", async (c) => {
  const site = await siteOf(c);
  const email = emailOf(c.req.query("email"));
  if (!site || !email) return notFoundPage(c);
  const count = await commentsOfAuthor(c.var.db, site, email);
  return render(
    c,
    <EraseConfirmPage viewer={c.var.viewer} site={site} email={email} count={count} />,
  );
});

consoleRoutes.post("/sites/:site/privacy/erase", async (c) => {
  const site = await siteOf(c);
  const email = emailOf((await c.req.parseBody()).email);
  if (!site || !email) return notFoundPage(c);
  const erased = await eraseAuthor(c.var.db, site, email, actorOf(c), background(c));
  return c.redirect(`/admin/sites/${encodeURIComponent(site.id)}/privacy?done=${erased}`, 303);
});

consoleRoutes.get("/sites/:site/blocks", async (c) => {
  const site = await siteOf(c);
  if (!site) return notFoundPage(c);
  const listed = await blocklistPage(c.var.db, site, PAGE_SIZE, c.req.query("cursor"));
  return render(c, <BlocksPage viewer={c.var.viewer} site={site} listed={listed} />);
});

consoleRoutes.post("/sites/:site/blocks", async (c) => {
  const site = await siteOf(c);
  if (!site) return notFoundPage(c);
  const form = await c.req.parseBody();
  const kind = BLOCK_KINDS.find((name) => name === form.kind);
  const value = typeof form.value === "string" ? form.value.slice(0, 500) : "";
  if (!kind || value.trim() === "") {
    throw new ApiError(422, "validation_failed", "Choose a kind and give a value to block.");
  }
  await blockValue(c.var.db, site, kind, value, actorOf(c));
  return c.redirect(`/admin/sites/${encodeURIComponent(site.id)}/blocks`, 303);
});

consoleRoutes.post("/sites/:site/blocks/:blockId/remove", async (c) => {
  const site = await siteOf(c);
  if (!site) return notFoundPage(c);
  await unblock(c.var.db, site, c.req.param("blockId"), actorOf(c));
  return c.redirect(`/admin/sites/${encodeURIComponent(site.id)}/blocks`, 303);
});

consoleRoutes.get("/sites/:site/audit", async (c) => {
  const site = await siteOf(c);
  if (!site) return notFoundPage(c);
  const cursor = c.req.query("cursor");
  const trail = await auditTrail(c.var.db, site, PAGE_SIZE, cursor?.slice(0, 100));
  return render(c, <AuditPage viewer={c.var.viewer} site={site} trail={trail} />);
});

consoleRoutes.all("*", (c) => notFoundPage(c));
