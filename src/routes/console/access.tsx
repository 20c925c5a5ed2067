import type { Context } from "hono";
import { createMiddleware } from "hono/factory";
import type { AppEnv } from "../../env";
import { ApiError } from "../../errors";
import { now } from "../../platform/clock";
import { opens } from "../../services/console/sessions";
import { siteById } from "../../services/sites/operator";
import { Page, render } from "./layout";
import { stringsOf } from "./locale";

/*
 * What every screen of the console asks first: which site the path names, whether the
 * signed-in viewer may open it (or an operator's screen at all), and who acts on it.
 */

type ConsoleContext = Context<AppEnv>;

/** The page for an unknown site and for one the viewer may not open alike: they look the same. */
export function notFoundPage(c: ConsoleContext) {
  const t = stringsOf(c);
  return render(
    c,
    <Page title={t.notFoundTitle} viewer={c.var.viewer}>
      <p>{t.notFound}</p>
    </Page>,
    404,
  );
}

/**
 * What the services found, or undefined where they found nothing (their 404), which the console
 * answers with its 404 page; a failing database stays the error it is.
 */
export function unlessMissing<T>(work: Promise<T>): Promise<T | undefined> {
  return work.catch((error: unknown) => {
    if (error instanceof ApiError && error.status === 404) return undefined;
    throw error;
  });
}

/** The site of the path, if the signed-in viewer may open it; unknown and not-yours look alike. */
export async function siteOf(c: ConsoleContext) {
  const id = c.req.param("site") ?? "";
  if (!opens(c.var.viewer, id)) return undefined;
  return unlessMissing(siteById(c.var.db, id));
}

/**
 * In front of each of the operator's screens and actions: a moderator's session gets the page
 * an unknown site gets, before anything is read (a body above all), so it learns nothing.
 */
export const operatorOnly = createMiddleware<AppEnv>(async (c, next) => {
  if (c.var.viewer.kind !== "operator") return notFoundPage(c);
  await next();
});

/** Who acts, for the audit log: the key's label, or "operator". */
export const actorOf = (c: ConsoleContext) => ({ label: c.var.viewer.label, now: now() });
