// The widget lives on other people's pages: strict CSPs, hostile stylesheets, every way of
// loading a script, double embeds, and servers that are missing or broken.
import type { Page } from "playwright-core";
import { describe, expect, it } from "vitest";
import { baseUrl, createSite, newThread, post, thread, uniqueId } from "./api";
import {
  announcements,
  article,
  embed,
  expectNoErrors,
  fill,
  hostPage,
  mainForm,
  openWidget,
  otherOrigin,
  scriptTag,
  useBrowser,
  waitReady,
} from "./browser";

const s = useBrowser();

const STRICT_CSP =
  "default-src 'self'; script-src 'self'; style-src 'self'; connect-src 'self'; img-src 'self' data:";

/** An external script (inline ones would break the CSP under test) that records violations. */
const PROBE = `window.__violations = [];
document.addEventListener("securitypolicyviolation", (e) => {
  window.__violations.push(e.violatedDirective + " " + e.blockedURI + " " + e.sourceFile + ":" + e.lineNumber);
}, true);`;

async function serveProbe(page: Page): Promise<string> {
  await page.route(`${baseUrl()}/csp-probe.js`, (route) =>
    route.fulfill({ status: 200, contentType: "text/javascript", body: PROBE }),
  );
  return `<script src="${baseUrl()}/csp-probe.js"></script>`;
}

const violations = () =>
  s.page.evaluate(() => (window as unknown as { __violations: string[] }).__violations);

/** Posts through the main form and waits for the published announcement. */
async function postThroughForm(body: string) {
  const form = mainForm(s.page);
  await fill(form, { name: "Iso", body });
  await form.getByRole("button", { name: "Post Comment" }).click();
  await s.page.locator("#comments li").filter({ hasText: body }).first().waitFor();
  await expect.poll(() => announcements(s.page)).toContain("Your comment was published.");
}

/** The visible text of the widget: what a reader sees when something went wrong. */
const widgetText = (page: Page, target = "#comments") =>
  page.evaluate(
    (t) => (document.querySelector(t)?.shadowRoot?.textContent ?? "").replace(/\s+/g, " ").trim(),
    target,
  );

describe("content security policy", () => {
  it("renders and posts under a strict CSP without a single violation", async () => {
    const { site, path, page } = await newThread({ section: "host" });
    await post(site, page, { body: "Some **markdown** with a [link](https://example.com)" });
    const probe = await serveProbe(s.page);
    const url = await hostPage(s.page, path, article({ head: probe, body: embed({ site }) }), {
      "content-security-policy": STRICT_CSP,
    });
    await s.page.goto(url);
    expect(await waitReady(s.page)).toBe("ready");
    await postThroughForm("Posted under CSP");

    expect(await violations()).toEqual([]);
    expectNoErrors(s);
  });

  it("never turns strings into HTML (Trusted Types enforced)", async () => {
    const { site, path, page } = await newThread({ section: "host" });
    const root = await post(site, page, { body: "> quoted\n\n*emphasis* and `code`" });
    await post(site, page, { body: "- a\n- b", parentId: root.comment.id });
    const probe = await serveProbe(s.page);
    const url = await hostPage(s.page, path, article({ head: probe, body: embed({ site }) }), {
      "content-security-policy": `${STRICT_CSP}; require-trusted-types-for 'script'; trusted-types 'none'`,
    });
    await s.page.goto(url);
    expect(await waitReady(s.page)).toBe("ready");
    await postThroughForm("Posted under Trusted Types");

    expect(await violations()).toEqual([]);
    expectNoErrors(s);
  });
});

describe("the demo pages' own policy", () => {
  it("runs the widget and count.js under it without a single violation", async () => {
    // The probe as an init script: the demo's policy lets in no script but its own files.
    await s.page.addInitScript(PROBE);
    const articlePage = await s.page.goto(`${baseUrl()}/demo`);
    expect(articlePage?.headers()["content-security-policy"]).toContain("script-src 'self'");
    expect(await waitReady(s.page)).toBe("ready");
    expect(await s.page.locator('#comments li[id^="comment-"]').count()).toBeGreaterThan(0);
    expect(await violations()).toEqual([]);

    const index = await s.page.goto(`${baseUrl()}/demo/index`);
    expect(index?.headers()["content-security-policy"]).toContain("script-src 'self'");
    const counts = s.page.locator("[data-comments-count]");
    await expect
      .poll(async () => (await counts.allTextContents()).filter((t) => t === "Comments"))
      .toEqual([]);
    expect(await violations()).toEqual([]);
    expectNoErrors(s);
  });
});

describe("host page styles", () => {
  const HOSTILE = `<style>
  * { all: unset !important; }
  ol, h2, form, input, textarea, button, li, article { display: none !important; color: red !important; font-size: 3px !important; }
  section { visibility: hidden !important; }
  </style>`;

  it("stays visible, readable and usable under a hostile stylesheet", async () => {
    const { site, path, page } = await newThread({ section: "host" });
    await post(site, page, { body: "Still readable" });
    await openWidget(s, { site, path, head: HOSTILE });

    const looks = (selector: string) =>
      s.page
        .locator(selector)
        .first()
        .evaluate((el) => {
          const style = getComputedStyle(el);
          const box = el.getBoundingClientRect();
          return {
            visible:
              style.display !== "none" &&
              style.visibility === "visible" &&
              Number(style.opacity) > 0,
            sized: box.width > 0 && box.height > 0,
            readable: Number.parseFloat(style.fontSize) >= 10,
          };
        });
    const ok = { visible: true, sized: true, readable: true };
    expect(await looks("#comments h2")).toEqual(ok);
    expect(await looks('#comments li[id^="comment-"]')).toEqual(ok);
    const form = mainForm(s.page);
    expect(await looks("#comments form textarea")).toEqual(ok);
    expect(await looks("#comments form input:not([type=hidden]):not([name=hp])")).toEqual(ok);
    expect(
      (await form.getByRole("button", { name: "Post Comment" }).boundingBox())?.height,
    ).toBeGreaterThan(0);

    await postThroughForm("Posted despite the page's CSS");
    expectNoErrors(s);
  });

  /** Relative luminance (0 black … 1 white) of a CSS rgb()/rgba() colour. */
  function luminance(css: string): number {
    const [r = 0, g = 0, b = 0] = (css.match(/[\d.]+/g) ?? []).map(Number);
    return (0.2126 * r + 0.7152 * g + 0.0722 * b) / 255;
  }

  /** The section's text colour and the first opaque background behind it. */
  const colours = () =>
    s.page.locator("#comments section").evaluate((section) => {
      let el: Element | null = section;
      let background = "rgb(255, 255, 255)";
      while (el) {
        const bg = getComputedStyle(el).backgroundColor;
        if (bg !== "transparent" && !/rgba\(.*,\s*0\)$/.test(bg)) {
          background = bg;
          break;
        }
        el = el.parentElement ?? ((el.getRootNode() as ShadowRoot).host || null);
      }
      return { text: getComputedStyle(section).color, background };
    });

  it("follows data-theme: dark and light differ, auto follows the reader's preference", async () => {
    const { site, path } = await newThread({ section: "host" });
    await openWidget(s, { site, path, theme: "light" });
    const light = await colours();
    await openWidget(s, { site, path, theme: "dark" });
    const dark = await colours();

    expect(luminance(light.text)).toBeLessThan(luminance(light.background));
    expect(dark).not.toEqual(light);
    expect(luminance(dark.text) > 0.5 || luminance(dark.background) < 0.5).toBe(true);
    expect(luminance(dark.text)).toBeGreaterThan(luminance(dark.background));

    await s.page.emulateMedia({ colorScheme: "dark" });
    await openWidget(s, { site, path, theme: "auto" });
    expect(await colours()).toEqual(dark);
    await s.page.emulateMedia({ colorScheme: "light" });
    await openWidget(s, { site, path, theme: "auto" });
    expect(await colours()).toEqual(light);
    expectNoErrors(s);
  });
});

describe("loading", () => {
  const injectAfterLoad = (site: string) => `<div id="comments"></div>
<script>
window.addEventListener("load", () => {
  const script = document.createElement("script");
  script.src = ${JSON.stringify(`${baseUrl()}/widget.js`)};
  script.dataset.site = ${JSON.stringify(site)};
  script.async = true;
  document.body.append(script);
});
</script>`;

  it.each([
    ["async", (site: string) => embed({ site, loading: "async" })],
    ["defer", (site: string) => embed({ site, loading: "defer" })],
    ["a plain script tag", (site: string) => embed({ site, loading: "sync" })],
    ["a script injected after the load event", injectAfterLoad],
  ])("mounts when loaded with %s", async (_how, snippet) => {
    const { site, path, page } = await newThread({ section: "host" });
    await post(site, page, { body: "Hello from the API" });
    const url = await hostPage(s.page, path, article({ body: snippet(site) }));
    await s.page.goto(url);
    expect(await waitReady(s.page)).toBe("ready");
    expect(await s.page.getByText("Hello from the API").count()).toBe(1);
    expectNoErrors(s);
  });

  it("mounts right after its script without a #comments element, or in data-target", async () => {
    const { site, path } = await newThread({ section: "host" });
    const url = await hostPage(
      s.page,
      path,
      article({ body: `<div id="before"></div>${scriptTag({ site })}<div id="after"></div>` }),
    );
    await s.page.goto(url);
    expect(await waitReady(s.page, "")).toBe("ready");
    const placed = await s.page.evaluate(() => {
      const host = document.querySelector("[data-parley-state]");
      return {
        hosts: document.querySelectorAll("[data-parley-state]").length,
        shadow: Boolean(host?.shadowRoot),
        afterScript: host?.previousElementSibling?.tagName === "SCRIPT",
        beforeAfter: host?.nextElementSibling?.id === "after",
      };
    });
    expect(placed).toEqual({ hosts: 1, shadow: true, afterScript: true, beforeAfter: true });

    const targeted = await hostPage(
      s.page,
      `${path}-targeted`,
      article({ body: `<aside id="talk"></aside>${scriptTag({ site, target: "#talk" })}` }),
    );
    await s.page.goto(targeted);
    expect(await waitReady(s.page, "#talk")).toBe("ready");
    expect(await s.page.locator("#talk section h2").count()).toBe(1);
    expectNoErrors(s);
  });

  it("mounts once when the script is included twice", async () => {
    const { site, path } = await newThread({ section: "host" });
    const url = await hostPage(
      s.page,
      path,
      article({
        body: embed({ site }) + scriptTag({ site }) + scriptTag({ site, loading: "defer" }),
      }),
    );
    await s.page.goto(url);
    expect(await waitReady(s.page)).toBe("ready");
    await s.page.waitForLoadState("networkidle");
    const mounted = await s.page.evaluate(() => ({
      hosts: document.querySelectorAll("[data-parley-state]").length,
      sections: document.querySelector("#comments")?.shadowRoot?.querySelectorAll("section").length,
      forms: document.querySelector("#comments")?.shadowRoot?.querySelectorAll("form").length,
    }));
    expect(mounted).toEqual({ hosts: 1, sections: 1, forms: 1 });
    const threadRequests = s.requests.filter((r) => r.url().includes("/thread?"));
    expect(threadRequests).toHaveLength(1);
    expectNoErrors(s);
  });
});

describe("cross-origin embedding", () => {
  it("loads and posts from another origin the site allows (CORS)", async () => {
    const { site, path, page } = await newThread({ section: "host" });
    await post(site, page, { body: "Seen across origins" });
    const url = await hostPage(
      s.page,
      path,
      article({ body: embed({ site, page }) }),
      {},
      otherOrigin(),
    );
    await s.page.goto(url);
    expect(await waitReady(s.page)).toBe("ready");
    expect(await s.page.getByText("Seen across origins").count()).toBe(1);
    await postThroughForm("Posted across origins");
    expect((await thread(site, page)).thread.count).toBe(2);
    expectNoErrors(s);
  });

  it("shows a short message on an origin the site does not allow", async () => {
    const site = (await createSite({ origins: ["https://news.example"] })).id;
    const path = `/host/${uniqueId("p")}`;
    const url = await hostPage(s.page, path, article({ body: embed({ site }) }), {}, otherOrigin());
    await s.page.goto(url);
    expect(await waitReady(s.page)).toBe("error");
    const text = await widgetText(s.page);
    expect(text.length).toBeGreaterThan(0);
    expect(text.length).toBeLessThan(200);
    expect(s.pageErrors).toEqual([]);
  });
});

describe("when the service fails", () => {
  /** A short, human sentence: no stack, no JSON, no "undefined". */
  function expectShortMessage(text: string) {
    expect(text.length).toBeGreaterThan(0);
    expect(text.length).toBeLessThan(200);
    expect(text).not.toMatch(/undefined|null|\[object|\{|at \w+ \(|SyntaxError|TypeError/);
  }

  it("shows a short message for an unknown site", async () => {
    const { path } = await newThread({ section: "host" });
    const url = await hostPage(
      s.page,
      path,
      article({ body: embed({ site: "no-such-site-here" }) }),
    );
    await s.page.goto(url);
    expect(await waitReady(s.page)).toBe("error");
    expectShortMessage(await widgetText(s.page));
    expectNoErrors(s, { allowFailedLoads: true });
  });

  it("shows a short message when the API cannot be reached", async () => {
    const { site, path } = await newThread({ section: "host" });
    await s.page.route(`${baseUrl()}/api/**`, (route) => route.abort("connectionrefused"));
    const url = await hostPage(s.page, path, article({ body: embed({ site }) }));
    await s.page.goto(url);
    expect(await waitReady(s.page)).toBe("error");
    expectShortMessage(await widgetText(s.page));
    expectNoErrors(s, { allowFailedLoads: true });
  });

  it("stops in the error state, showing no stray text, when its locale file is missing", async () => {
    const { site, path, page } = await newThread({ section: "host" });
    await post(site, page);
    await s.page.route(`${baseUrl()}/i18n/*.txt`, (route) =>
      route.fulfill({ status: 404, contentType: "text/html", body: "<h1>Not Found</h1>\nGone" }),
    );
    const url = await hostPage(s.page, path, article({ body: embed({ site }) }));
    await s.page.goto(url);
    expect(await waitReady(s.page)).toBe("error");
    expect(await widgetText(s.page)).not.toMatch(/Not Found|Gone|</);
    expectNoErrors(s, { allowFailedLoads: true });
  });

  it("shows a short message when the thread is not valid JSON", async () => {
    const { site, path, page } = await newThread({ section: "host" });
    await post(site, page);
    await s.page.route(`${baseUrl()}/api/v1/sites/${site}/thread?**`, (route) =>
      route.fulfill({ status: 200, contentType: "application/json", body: "{nope" }),
    );
    const url = await hostPage(s.page, path, article({ body: embed({ site }) }));
    await s.page.goto(url);
    expect(await waitReady(s.page)).toBe("error");
    expectShortMessage(await widgetText(s.page));
    expect((await thread(site, page)).thread.count).toBe(1);
    expectNoErrors(s, { allowFailedLoads: true });
  });
});
