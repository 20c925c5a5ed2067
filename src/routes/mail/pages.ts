import { Hono } from "hono";
import { bodyLimit } from "hono/body-limit";
import { createMiddleware } from "hono/factory";
import { html } from "hono/html";
import type { AppEnv } from "../../env";
import { now } from "../../platform/clock";
import {
  confirmByLink,
  endAllByLink,
  moderateByLink,
  openConfirmation,
  openModeration,
  openSubscriptions,
  openUnsubscribe,
  unsubscribeByLink,
} from "../../services/notifications/links";
import { fill, type MailStrings, mailStrings } from "../../services/notifications/strings";
import { background } from "../context";

/*
 * The pages the links in mail open: /mail/confirm, /mail/unsubscribe, /mail/subscriptions and
 * /mail/moderate, each `?token=`. The token is the credential (services/notifications/links.ts
 * checks it); GET shows what the button will do and changes nothing, POST acts. A POST to the
 * unsubscribe link is also RFC 8058's one-click unsubscribe, which mail providers send with
 * `List-Unsubscribe=One-Click` as its body.
 *
 * The pages load nothing, run nothing and cannot be framed; their forms post only here; they
 * send no Referer (the token is in their address) and are not cached.
 */

const POLICY = "default-src 'none'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'";
/** A form's token, or RFC 8058's one word: nothing a page's POST needs is larger. */
const MAX_FORM_BYTES = 2048;

const pageHeaders = createMiddleware<AppEnv>(async (c, next) => {
  await next();
  c.header("Content-Security-Policy", POLICY);
  c.header("Referrer-Policy", "no-referrer");
  c.header("Cache-Control", "no-store");
});

function page(lang: string, title: string, content: unknown) {
  return html`<!doctype html>
<html lang="${lang}">
<head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="robots" content="noindex">
<title>${title}</title></head>
<body><main><h1>${title}</h1>${content}</main></body>
</html>`;
}

/** The button that acts: a form posting back to this very address (token included). */
const button = (label: string) =>
  html`<form method="post"><button type="submit">${label}</button></form>`;

const invalid = (t: MailStrings = mailStrings("en")) => page("en", t.pageInvalid, "");

export const mailPages = new Hono<AppEnv>();
mailPages.use("*", pageHeaders);
mailPages.post("*", bodyLimit({ maxSize: MAX_FORM_BYTES, onError: (c) => c.html(invalid(), 413) }));

const token = (c: { req: { query: (name: string) => string | undefined } }) =>
  c.req.query("token") ?? "";

mailPages.get("/confirm", async (c) => {
  const site = await openConfirmation(c.var.db, token(c));
  if (!site) return c.html(invalid(), 404);
  const t = mailStrings(site.locale);
  return c.html(page(site.locale, t.pageConfirmTitle, button(t.confirmAction)));
});

mailPages.post("/confirm", async (c) => {
  const site = await confirmByLink(c.var.db, token(c), now());
  if (!site) return c.html(invalid(), 404);
  const t = mailStrings(site.locale);
  return c.html(page(site.locale, t.pageConfirmTitle, html`<p>${t.pageConfirmDone}</p>`));
});

mailPages.get("/unsubscribe", async (c) => {
  const opened = await openUnsubscribe(c.var.db, token(c));
  if (!opened) return c.html(invalid(), 404);
  const t = mailStrings(opened.site.locale);
  const title = fill(t.pageUnsubscribeTitle, { title: opened.title });
  return c.html(page(opened.site.locale, title, button(t.pageUnsubscribeAction)));
});

mailPages.post("/unsubscribe", async (c) => {
  const done = await unsubscribeByLink(c.var.db, token(c));
  if (!done) return c.html(invalid(), 404);
  const t = mailStrings(done.site.locale);
  const title = fill(t.pageUnsubscribeTitle, { title: done.title });
  const said = fill(t.pageUnsubscribeDone, { title: done.title });
  return c.html(page(done.site.locale, title, html`<p>${said}</p>`));
});

mailPages.get("/subscriptions", async (c) => {
  const opened = await openSubscriptions(c.var.db, token(c));
  if (!opened) return c.html(invalid(), 404);
  const { site, subscriptions } = opened;
  const t = mailStrings(site.locale);
  const values = { site: site.name };
  const list =
    subscriptions.length === 0
      ? html`<p>${fill(t.pageManageEmpty, values)}</p>`
      : html`<ul>${subscriptions.map((s) => html`<li>${s.title}</li>`)}</ul>${button(fill(t.pageManageAction, values))}`;
  return c.html(page(site.locale, fill(t.pageManageTitle, values), list));
});

mailPages.post("/subscriptions", async (c) => {
  const site = await endAllByLink(c.var.db, token(c));
  if (!site) return c.html(invalid(), 404);
  const t = mailStrings(site.locale);
  const values = { site: site.name };
  return c.html(
    page(
      site.locale,
      fill(t.pageManageTitle, values),
      html`<p>${fill(t.pageManageDone, values)}</p>`,
    ),
  );
});

mailPages.get("/moderate", async (c) => {
  const opened = await openModeration(c.var.db, token(c), now());
  if (!opened) return c.html(invalid(), 404);
  const t = mailStrings(opened.site.locale);
  const label = t[opened.action];
  const title = fill(t.pageModerateTitle, { action: label, name: opened.author });
  return c.html(
    page(opened.site.locale, title, html`<blockquote>${opened.text}</blockquote>${button(label)}`),
  );
});

mailPages.post("/moderate", async (c) => {
  const site = await moderateByLink(c.var.db, token(c), now(), background(c));
  if (!site) return c.html(invalid(), 404);
  const t = mailStrings(site.locale);
  return c.html(page(site.locale, t.pageModerateDone, ""));
});
