// The moderators' console (issue 15) in Chromium, through the real `npm start`: an editor signs
// in with a key of the demo site, clears the demo article's advertising from the queue (and it
// is gone from the widget), and signs out; a moderator works a site of their own end to end, and
// the operator creates a site, issues and revokes a key and imports a file; the keyboard; axe
// finds nothing on any screen, light or dark, and every screen fits a 390 px phone. Articles
// with the widget are on the articles' own origin, as on a real site.
import path from "node:path";
import type { Page } from "playwright-core";
import { beforeAll, describe, expect, it } from "vitest";
import { axeViolations } from "./axe";
import {
  article,
  embed,
  expectNoErrors,
  fill,
  hostPage,
  mainForm,
  useBrowser,
  waitReady,
} from "./browser";
import { npmStart, npmStartArticles, npmStartClient, untilServing } from "./npm-start";

const s = useBrowser();
const ADVERT = "GANA DINERO DESDE CASA";
/** axe served under /admin/, so that the console's own policy lets it run. */
const CONSOLE_AXE = "/admin/axe.min.js";
const admin = (path: string) => `${npmStart.baseUrl}/admin${path}`;

beforeAll(untilServing, 180_000);

/** The demo site's screens, as a moderator opens them. */
const SCREENS = [
  "/sites/demo/queue?tab=published",
  "/sites/demo/overview",
  "/sites/demo/pages",
  "/sites/demo/blocks",
  "/sites/demo/audit",
  "/sites/demo/privacy?email=reader%40example.com",
];
/** The screens only the operator opens. */
const OPERATOR_SCREENS = [
  "/sites",
  "/sites/demo/settings",
  "/sites/demo/keys",
  "/sites/demo/import",
];

/** A new moderator key of the demo site, as the operator issues one. */
async function demoKey(): Promise<string> {
  const res = await npmStartClient.call(
    "POST",
    "/api/v1/sites/demo/keys",
    { label: "desk" },
    npmStartClient.admin,
  );
  expect(res.status).toBe(201);
  return ((await res.json()) as { secret: string }).secret;
}

/** Signs in; a moderator lands on the queue, the operator on the sites. */
async function signIn(page: Page, secret: string, landing: RegExp | string = /^Comments: /) {
  await page.goto(admin("/sign-in"));
  await page.getByLabel("Moderator key or operator token").fill(secret);
  await page.getByRole("button", { name: "Sign in" }).click();
  await page.getByRole("heading", { name: landing }).waitFor();
}

describe("the console, through npm start", () => {
  it("marks the demo's advertising as spam: gone from the widget; signing out ends the session", async () => {
    await s.page.goto(`${npmStart.baseUrl}/demo`);
    expect(await waitReady(s.page)).toBe("ready");
    await expect.poll(() => s.page.getByText(ADVERT).count()).toBeGreaterThan(0);

    await signIn(s.page, await demoKey());
    await s.page.getByRole("link", { name: /^Published/ }).click();
    await s.page.getByLabel("Text").fill("GANA DINERO");
    await s.page.getByRole("button", { name: "Filter" }).click();
    const advert = s.page.locator("li.comment", { hasText: ADVERT });
    await expect.poll(() => advert.count()).toBe(1);
    await advert.getByRole("button", { name: "Spam" }).click();
    await expect.poll(() => s.page.getByRole("status").textContent()).toContain("Done: 1");
    expect(await advert.count()).toBe(0);

    await s.page.goto(`${npmStart.baseUrl}/demo`);
    expect(await waitReady(s.page)).toBe("ready");
    expect(await s.page.getByText(ADVERT).count()).toBe(0);

    await s.page.goto(admin("/"));
    await s.page.getByRole("button", { name: "Sign out" }).click();
    await s.page.getByRole("heading", { name: "Sign in" }).waitFor();
    await s.page.goto(admin("/sites/demo/queue?tab=pending"));
    expect(new URL(s.page.url()).pathname).toBe("/admin/sign-in");
  });

  it("has nothing for axe to find on any screen, light and dark", async () => {
    const secret = await demoKey();
    /** axe on the screen as it is, in the light scheme and then the dark one (no reload). */
    const inBothSchemes = async (screen: string) => {
      for (const colorScheme of ["light", "dark"] as const) {
        await s.page.emulateMedia({ colorScheme });
        expect([screen, colorScheme, await axeViolations(s.page, CONSOLE_AXE)]).toEqual([
          screen,
          colorScheme,
          [],
        ]);
      }
    };
    await s.page.goto(admin("/sign-in"));
    await inBothSchemes("/sign-in");
    await signIn(s.page, secret);
    for (const screen of SCREENS) {
      await s.page.goto(admin(screen));
      await inBothSchemes(screen);
    }
    // A comment in its context, opened from the queue.
    await s.page.goto(admin("/sites/demo/queue?tab=published"));
    await s.page.getByRole("link", { name: "Open" }).first().click();
    await s.page.getByRole("heading", { name: "A comment in its context" }).waitFor();
    await inBothSchemes("comment");
    // The shortcuts' help, open over the queue.
    await s.page.goto(admin("/sites/demo/queue?tab=published"));
    await s.page.getByRole("button", { name: "Keyboard shortcuts" }).waitFor();
    await s.page.keyboard.press("?");
    await s.page.getByRole("dialog", { name: "Keyboard shortcuts" }).waitFor();
    await inBothSchemes("help");
    await s.page.keyboard.press("Escape");
    await s.page.getByRole("button", { name: "Sign out" }).click();
    // The operator's screens.
    await signIn(s.page, npmStart.adminToken, "Sites");
    for (const screen of OPERATOR_SCREENS) {
      await s.page.goto(admin(screen));
      await inBothSchemes(screen);
    }
  });

  it("fits every screen on a 390 px wide phone, without scrolling sideways", async () => {
    await signIn(s.page, await demoKey());
    await s.page.setViewportSize({ width: 390, height: 844 });
    await s.page.goto(admin("/sites/demo/queue?tab=published"));
    const comment = await s.page.getByRole("link", { name: "Open" }).first().getAttribute("href");
    const fits = async (screens: string[]) => {
      for (const screen of screens) {
        await s.page.goto(admin(screen));
        const width = await s.page.evaluate(() => document.documentElement.scrollWidth);
        expect([screen, width]).toEqual([screen, 390]);
      }
    };
    await fits([...SCREENS, comment?.replace(/^\/admin/, "") ?? "", "/sign-in"]);
    await signIn(s.page, npmStart.adminToken, "Sites");
    await fits(OPERATOR_SCREENS);
  });

  it("works the queue from the keyboard (j/k, x, ?, s), never while typing; copy buttons copy", async () => {
    // The console's script is its own static file, and the console never answers CORS.
    const asset = (file: string) =>
      fetch(`${npmStart.baseUrl}/${file}`, { headers: { origin: "https://news.example" } });
    const script = await asset("admin/console.js");
    expect([
      script.status,
      script.headers.get("content-type"),
      script.headers.get("access-control-allow-origin"),
      script.headers.get("x-content-type-options"),
    ]).toEqual([200, expect.stringMatching(/javascript/), null, "nosniff"]);
    expect((await asset("widget.js")).headers.get("access-control-allow-origin")).toBe("*");

    const site = await npmStartClient.createSite();
    const article = npmStartClient.pageUrl();
    for (let i = 0; i < 3; i++) await npmStartClient.post(site.id, article);
    await signIn(s.page, site.secret);
    await s.page.goto(admin(`/sites/${site.id}/queue?tab=published`));
    // The help's button is the script's, shown once it runs.
    const helpButton = s.page.getByRole("button", { name: "Keyboard shortcuts" });
    await helpButton.waitFor();
    const rows = s.page.locator(".queue > li");
    const [first, second, third] = await rows.evaluateAll((list) => list.map((row) => row.id));
    expect([first, second, third].every(Boolean)).toBe(true);
    const focusedRow = () => s.page.evaluate(() => document.activeElement?.id);
    const press = (key: string) => s.page.keyboard.press(key);

    await press("j");
    await expect.poll(focusedRow).toBe(first);
    for (const key of ["j", "j", "j"]) await press(key);
    await expect.poll(focusedRow).toBe(third);
    await press("k");
    await expect.poll(focusedRow).toBe(second);
    expect(await s.page.locator(`#${second}`).getAttribute("aria-current")).toBe("true");

    const picked = s.page.locator("[data-count-text]");
    await press("x");
    await expect.poll(() => s.page.locator(`#${second} [name=ids]`).isChecked()).toBe(true);
    await expect.poll(() => picked.textContent()).toBe("1 selected");
    const all = s.page.getByLabel("Select all on this page");
    await all.check();
    await expect.poll(() => picked.textContent()).toBe("3 selected");
    await all.uncheck();
    await expect.poll(() => picked.textContent()).toBe("0 selected");

    const help = s.page.getByRole("dialog", { name: "Keyboard shortcuts" });
    await press("?");
    await help.waitFor();
    await press("Escape");
    await help.waitFor({ state: "hidden" });
    await helpButton.click();
    await help.getByRole("button", { name: "Close" }).click();
    await help.waitFor({ state: "hidden" });

    // "s" typed in a filter is a letter of the filter, not "spam" for the current row.
    const filter = s.page.getByLabel("Text");
    await filter.click();
    await press("s");
    await expect.poll(() => filter.inputValue()).toBe("s");

    await s.page.getByRole("heading", { level: 1 }).click();
    await press("j");
    await expect.poll(focusedRow).toBe(third);
    await press("s");
    await expect.poll(() => s.page.getByRole("status").textContent()).toContain("Done: 1");
    // The last row went: the one before it is current on the page that came back.
    await expect.poll(focusedRow).toBe(second);
    expect(await rows.count()).toBe(2);
    await s.page.getByRole("link", { name: /^Spam/ }).click();
    await expect.poll(() => rows.evaluateAll((list) => list.map((row) => row.id))).toEqual([third]);

    // A copy button (the operator's key screen shows one beside a new secret).
    await s.context.grantPermissions(["clipboard-read", "clipboard-write"], {
      origin: npmStart.baseUrl,
    });
    await s.page
      .locator("main")
      .evaluate((main) =>
        main.insertAdjacentHTML(
          "beforeend",
          '<input id="probe" aria-label="Secret" value="pk_copied" readonly>' +
            '<button type="button" data-copy="probe">Copy</button>',
        ),
      );
    await s.page.getByRole("button", { name: "Copy" }).click();
    await expect.poll(() => s.page.locator("#console-live").textContent()).toBe("Copied");
    expect(await s.page.evaluate(() => navigator.clipboard.readText())).toBe("pk_copied");
    expectNoErrors(s);
  });

  it("moderates a site end to end: approve, bulk delete, staff reply, pin, phrase block, erasure, lock", async () => {
    const site = await npmStartClient.createSite({ moderation: "all" });
    const page = npmStartClient.pageUrl();
    const base = `/sites/${site.id}`;
    const held = async (body: string, author: Record<string, string> = { name: "Reader" }) =>
      (await npmStartClient.post(site.id, page, { body, author })).comment.id;
    // The article with the widget, on the articles' own origin, as a real site serves it.
    const widgetShows = async (sort?: string) => {
      const url = await hostPage(
        s.page,
        new URL(page).pathname,
        article({
          title: "A story",
          body: embed({ site: site.id, page, sort, src: `${npmStart.baseUrl}/widget.js` }),
        }),
        {},
        npmStartArticles(),
      );
      await s.page.goto(url);
      expect(await waitReady(s.page)).toBe("ready");
      return s.page.locator("#comments");
    };
    const row = (text: string) => s.page.locator(".queue > li", { hasText: text });
    const done = () => s.page.getByRole("status").textContent();

    const ids = {
      welcome: await held("Welcome aboard"),
      a: await held("Spam A"),
      b: await held("Spam B"),
    };
    await held("Write to me", { name: "Erin", email: "erin@example.com" });
    await signIn(s.page, site.secret);

    // Approve a held comment: it appears in the widget.
    await row("Welcome aboard").getByRole("button", { name: "Approve" }).click();
    await expect.poll(done).toContain("Done: 1");
    // Bulk: select two, delete them in one action.
    for (const text of ["Spam A", "Spam B"]) await row(text).getByRole("checkbox").check();
    await s.page
      .getByRole("group", { name: /selected/ })
      .getByRole("button", { name: "Delete" })
      .click();
    await expect.poll(done).toContain("Done: 2");
    await row("Write to me").getByRole("button", { name: "Approve" }).click();
    await expect.poll(done).toContain("Done: 1");
    let widget = await widgetShows();
    await expect.poll(() => widget.getByText("Welcome aboard").count()).toBe(1);
    expect(await widget.getByText(/Spam [AB]/).count()).toBe(0);

    // Reply as staff, then pin the comment: the widget shows the badge, and the pin first.
    await s.page.goto(admin(`${base}/comments/${ids.welcome}`));
    await s.page.getByLabel("Your name, as readers see it").fill("Ana from the desk");
    await s.page.getByLabel("Your reply").fill("Glad to have you.");
    await s.page.getByRole("button", { name: "Publish reply" }).click();
    await expect.poll(done).toContain("Your reply is published");
    await s.page.getByRole("button", { name: "Pin to the top of the page" }).click();
    await s.page.getByRole("button", { name: "Unpin" }).waitFor();
    widget = await widgetShows();
    const reply = widget.locator("li", { hasText: "Glad to have you." }).last();
    await expect.poll(() => reply.locator(".badge").textContent()).toBe("Staff");
    const first = widget.locator("ol > li").first();
    await expect.poll(() => first.getAttribute("id")).toBe(`comment-${ids.welcome}`);
    expect(await first.locator("header .badge").first().textContent()).toBe("Pinned");
    // Newest first, a reader's new comment goes right below the pinned one.
    widget = await widgetShows("newest");
    const form = mainForm(s.page);
    await fill(form, { name: "Late reader", body: "Just arrived" });
    await form.getByRole("button", { name: "Post Comment" }).click();
    // The top-level comments, in the order shown (replies are list items too, one level down).
    const tops = () =>
      widget.locator("li[id]").evaluateAll((items) =>
        items
          .filter((li) => !li.parentElement?.closest("li"))
          .slice(0, 2)
          .map((li) => [li.id, li.querySelector("article")?.textContent?.includes("Just arrived")]),
      );
    await expect.poll(tops).toEqual([
      [`comment-${ids.welcome}`, false],
      [expect.stringMatching(/^comment-c_/), true],
    ]);

    // A phrase block: a new post holding it lands in Spam.
    await s.page.goto(admin(`${base}/blocks`));
    await s.page.getByLabel("Kind").selectOption("phrase");
    await s.page.getByLabel("Value").fill("cheap pills");
    await s.page.getByRole("button", { name: "Add block" }).click();
    await s.page.locator("td", { hasText: "cheap pills" }).waitFor();
    await held("Buy CHEAP pills now");
    await s.page.goto(admin(`${base}/queue?tab=spam`));
    await expect.poll(() => row("Buy CHEAP pills now").count()).toBe(1);

    // Erase an author by email, after the confirmation that names the count.
    await s.page.goto(admin(`${base}/privacy`));
    await s.page.getByLabel("Email").fill("erin@example.com");
    await s.page.getByRole("button", { name: "Find" }).click();
    await s.page.getByRole("link", { name: "Erase this author" }).click();
    await s.page.getByText(/1 comment\(s\) by this address/).waitFor();
    await s.page.getByRole("button", { name: "Yes, erase them" }).click();
    await expect.poll(() => s.page.getByRole("status").textContent()).toContain("Erased: 1");
    widget = await widgetShows();
    await expect.poll(() => widget.getByText("Welcome aboard").count()).toBe(1);
    expect(await widget.getByText("Write to me").count()).toBe(0);

    // Lock the page: the widget says comments are closed.
    await s.page.goto(admin(`${base}/pages`));
    await s.page.getByRole("button", { name: "Lock" }).click();
    await s.page.getByRole("button", { name: "Unlock" }).waitFor();
    widget = await widgetShows();
    await expect.poll(() => widget.getByText("Comments are closed.").count()).toBe(1);
    expectNoErrors(s);
  });

  it("runs a site as the operator: create it, issue a key and revoke it (its session ends), check and run an import", async () => {
    await signIn(s.page, npmStart.adminToken, "Sites");
    const id = `ops-${Date.now().toString(36)}`;
    await s.page.getByLabel("Id", { exact: true }).fill(id);
    await s.page.getByLabel("Name", { exact: true }).fill("Operations desk");
    await s.page.getByLabel("Origins, one a line").fill(npmStartArticles());
    await s.page.getByRole("button", { name: "Create the site" }).click();
    await s.page.getByRole("heading", { name: /^Site created/ }).waitFor();
    expect(await s.page.getByLabel("Moderator key").inputValue()).toMatch(/^pk_/);

    // A new key, shown once; a moderator signs in with it in a browser of their own.
    await s.page.goto(admin(`/sites/${id}/keys`));
    await s.page.getByLabel("Label").fill("night desk");
    await s.page.getByRole("button", { name: "Issue a key" }).click();
    const secret = await s.page.getByLabel("Moderator key").inputValue();
    expect(await s.page.getByRole("button", { name: "Copy" }).isVisible()).toBe(true);
    const moderator = await s.browser.newContext({ ignoreHTTPSErrors: true });
    try {
      const desk = await moderator.newPage();
      await signIn(desk, secret);
      await s.page.goto(admin(`/sites/${id}/keys`));
      await s.page.getByRole("button", { name: "Revoke the key “night desk”" }).click();
      await expect.poll(() => s.page.getByRole("status").textContent()).toContain("revoked");
      await desk.reload();
      expect(new URL(desk.url()).pathname).toBe("/admin/sign-in");
    } finally {
      await moderator.close();
    }

    // An import: the check writes nothing, then the same file is imported.
    const wxr = path.join(import.meta.dirname, "../fixtures/import/wordpress.xml");
    const cafe = "https://blog.example/2020/01/cafe/";
    const count = async () =>
      (
        (await (
          await npmStartClient.call(
            "GET",
            `/api/v1/sites/${id}/counts?page=${encodeURIComponent(cafe)}`,
          )
        ).json()) as { counts: Record<string, number> }
      ).counts[cafe] ?? 0;
    await s.page.goto(admin(`/sites/${id}/import`));
    await s.page.getByLabel("Format").selectOption("wxr");
    await s.page.getByLabel("Export file").setInputFiles(wxr);
    await s.page.getByRole("button", { name: "Check the file" }).click();
    await s.page.getByRole("heading", { name: /^What the import would do/ }).waitFor();
    expect(await count()).toBe(0);
    await s.page.getByLabel("The same file again").setInputFiles(wxr);
    await s.page.getByRole("button", { name: "Import it" }).click();
    await s.page.getByRole("heading", { name: /^Imported/ }).waitFor();
    expect(await count()).toBeGreaterThan(0);
    expectNoErrors(s);
  });
});
