// The moderators' console (issue 15) in Chromium, through the real `npm start`: an editor signs
// in with a key of the demo site, clears the demo article's advertising from the queue (and it
// is gone from the widget), and signs out; axe finds nothing on its screens, light or dark.
import { createRequire } from "node:module";
import type { Page } from "playwright-core";
import { beforeAll, describe, expect, it } from "vitest";
import { useBrowser, waitReady } from "./browser";
import { npmStart, npmStartClient, untilServing } from "./npm-start";

const s = useBrowser();
const AXE = createRequire(import.meta.url).resolve("axe-core/axe.min.js");
const ADVERT = "GANA DINERO DESDE CASA";
const admin = (path: string) => `${npmStart.baseUrl}/admin${path}`;

beforeAll(untilServing, 180_000);

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

async function signIn(page: Page, secret: string): Promise<void> {
  await page.goto(admin("/sign-in"));
  await page.getByLabel("Moderator key or operator token").fill(secret);
  await page.getByRole("button", { name: "Sign in" }).click();
  await page.getByRole("heading", { name: /^Comments: / }).waitFor();
}

/** axe-core's findings on the page, served from the console's own origin as its policy wants. */
async function axeViolations(page: Page): Promise<string[]> {
  const src = `${new URL(page.url()).origin}/admin/axe.min.js`;
  await page.route(src, (route) => route.fulfill({ path: AXE, contentType: "text/javascript" }));
  await page.addScriptTag({ url: src });
  return page.evaluate(async () => {
    type Axe = { run(context: Document): Promise<{ violations: Array<{ id: string }> }> };
    const { violations } = await (window as unknown as { axe: Axe }).axe.run(document);
    return violations.map((v) => v.id);
  });
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

  it("has nothing for axe to find on its sign-in and queue screens, light and dark", async () => {
    const secret = await demoKey();
    for (const colorScheme of ["light", "dark"] as const) {
      await s.page.emulateMedia({ colorScheme });
      await s.page.goto(admin("/sign-in"));
      expect(await axeViolations(s.page)).toEqual([]);
      await signIn(s.page, secret);
      for (const screen of [
        "/sites/demo/queue?tab=published",
        "/sites/demo/overview",
        "/sites/demo/pages",
        "/sites/demo/blocks",
        "/sites/demo/audit",
        "/sites/demo/privacy?email=reader%40example.com",
      ]) {
        await s.page.goto(admin(screen));
        expect([screen, colorScheme, await axeViolations(s.page)]).toEqual([
          screen,
          colorScheme,
          [],
        ]);
      }
      await s.page.getByRole("button", { name: "Sign out" }).click();
    }
  });
});
