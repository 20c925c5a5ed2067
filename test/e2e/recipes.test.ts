// The embed recipes of widget/recipes/, each built as a site would build it and its page opened
// in Chromium on the site's own origin: the Hugo partial through Hugo, the WordPress template
// part through PHP (WordPress's few functions it calls stood in for by recipes/wordpress.php),
// and the React component bundled by esbuild with React into a single-page app
// (recipes/react-app.ts). Hugo and PHP are Debian's (`apt-get install hugo php-cli php-curl`, as
// .ci/run does).
import { execFile } from "node:child_process";
import { copyFile, mkdir, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import { build } from "esbuild";
import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { baseUrl, createSite, post, uniqueId } from "./api";
import { apiCalls, expectNoErrors, otherOrigin, useBrowser, waitReady } from "./browser";

const s = useBrowser();
const run = promisify(execFile);
const RECIPES = path.join(import.meta.dirname, "../../widget/recipes");
/** A title with everything a template must escape in an attribute. */
const TITLE = `Quotes "and" <tags> & 'more'`;

let work = "";
let site = "";
beforeAll(async () => {
  work = await mkdtemp(path.join(tmpdir(), "parley-recipes-"));
  site = (await createSite()).id;
});
afterAll(() => rm(work, { recursive: true, force: true }));

/** Serves `html` as the article at `url`, on its own origin. */
async function serve(reader: Page, url: string, html: string): Promise<void> {
  await reader.route(
    (asked) => asked.href.split("#")[0] === url,
    (route) => route.fulfill({ contentType: "text/html; charset=utf-8", body: html }),
  );
}

/** The widget's own section (in the host's shadow root), not a server's. */
const widget = (reader: Page) => reader.locator("#comments section:not([data-parley-thread])");

/** A recipe as a site owner sets it up: its example origin and site replaced by theirs. */
async function configured(recipe: string): Promise<string> {
  const text = (await readFile(path.join(RECIPES, recipe), "utf8"))
    .replaceAll("https://comments.example.com", baseUrl())
    .replace(/'news'/, `'${site}'`);
  const file = path.join(work, path.basename(recipe));
  await writeFile(file, text);
  return file;
}

describe("the Hugo partial", () => {
  it("builds with Hugo into a page whose widget shows the permalink's thread, and a no-script link to it", async () => {
    const root = path.join(work, "hugo");
    const permalink = `${otherOrigin()}/posts/hostile/`;
    await mkdir(path.join(root, "layouts/partials"), { recursive: true });
    await mkdir(path.join(root, "layouts/_default"), { recursive: true });
    await mkdir(path.join(root, "content/posts"), { recursive: true });
    await writeFile(
      path.join(root, "hugo.toml"),
      [
        `baseURL = "${otherOrigin()}/"`,
        'languageCode = "en"',
        'disableKinds = ["taxonomy", "term", "RSS", "sitemap", "robotsTXT", "404"]',
        "[params.parley]",
        `origin = "${baseUrl()}"`,
        `site = "${site}"`,
      ].join("\n"),
    );
    await writeFile(
      path.join(root, "layouts/_default/single.html"),
      '<!doctype html><html lang="{{ .Language.Lang }}"><head><meta charset="utf-8"><title>{{ .Title }}</title></head><body><main><h1>{{ .Title }}</h1>{{ .Content }}{{ partial "parley-comments.html" . }}</main></body></html>',
    );
    await writeFile(
      path.join(root, "content/posts/hostile.md"),
      `---\ntitle: ${JSON.stringify(TITLE)}\n---\nThe article.\n`,
    );
    await copyFile(
      path.join(RECIPES, "hugo/layouts/partials/parley-comments.html"),
      path.join(root, "layouts/partials/parley-comments.html"),
    );
    await run("hugo", ["--source", root, "--destination", path.join(root, "public"), "--quiet"]);
    const html = await readFile(path.join(root, "public/posts/hostile/index.html"), "utf8");

    // Without JavaScript: a link to the permalink's thread as HTML.
    const link = /<noscript>\s*<a href="([^"]+)"/.exec(html)?.[1]?.replaceAll("&amp;", "&");
    expect(link).toBeDefined();
    const noscript = new URL(link as string);
    expect(noscript.origin + noscript.pathname).toBe(
      `${baseUrl()}/api/v1/sites/${site}/thread.html`,
    );
    expect(noscript.searchParams.get("page")).toBe(permalink);

    const { comment } = await post(site, permalink, { body: "Under the Hugo page" });
    await serve(s.page, permalink, html);
    await s.page.goto(permalink);
    expect(await waitReady(s.page)).toBe("ready");
    await widget(s.page)
      .locator(`#comment-${comment.id}`)
      .getByText("Under the Hugo page")
      .waitFor();
    // The page's own title and key reached the widget whole, whatever they hold.
    expect(
      await s.page.evaluate(() => {
        const tag = document.querySelector<HTMLScriptElement>("script[data-site]");
        return { ...tag?.dataset };
      }),
    ).toEqual({ site, page: permalink, title: TITLE, lang: "en" });
    expectNoErrors(s);
  });
});

describe("the WordPress template part", () => {
  const permalink = () => `${otherOrigin()}/2026/12/${uniqueId("post")}/`;
  const render = async (template: string, page: string, replyTo?: string) =>
    (
      await run("php", [
        path.join(import.meta.dirname, "recipes/wordpress.php"),
        template,
        page,
        TITLE,
        ...(replyTo === undefined ? [] : [replyTo]),
      ])
    ).stdout;
  /** The rendered part in a theme's page, below the post (the comments below the fold). */
  const themed = (part: string) =>
    `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Post</title></head><body><main>${"<p>The post's text.</p>".repeat(40)}${part}</main></body></html>`;

  it("puts the comments into the page's HTML, which the widget takes over without an API request", async () => {
    const page = permalink();
    const { comment } = await post(site, page, { body: "Under the WordPress post" });
    const part = await render(await configured("wordpress/parley-comments.php"), page);
    // Server-rendered: in the HTML as PHP printed it, before any script runs.
    expect(part).toContain(`id="comment-${comment.id}"`);
    expect(part).toContain("Under the WordPress post");
    // WordPress's title attribute: its tags stripped, the rest escaped and read back whole.
    const title = TITLE.replace("<tags>", "");

    await serve(s.page, page, themed(part));
    await s.page.goto(page);
    expect(await waitReady(s.page)).toBe("ready");
    await widget(s.page).locator(`#comment-${comment.id}`).waitFor();
    expect(apiCalls(s)).toEqual([]);
    expect(
      await s.page.evaluate(
        () => document.querySelector<HTMLScriptElement>("script[data-site]")?.dataset.title,
      ),
    ).toBe(title);
    expectNoErrors(s);
  });

  it("passes a reader's Reply choice on only when it is a comment id", async () => {
    const page = permalink();
    const { comment } = await post(site, page, { body: "Reply to me" });
    const template = await configured("wordpress/parley-comments.php");
    const parentOf = (part: string) => /name="parentId" value="([^"]*)"/.exec(part)?.[1];
    expect(parentOf(await render(template, page, comment.id))).toBe(comment.id);
    // Anything else is not sent to Parley (which would refuse it, leaving the page without
    // its comments): the section comes, answering no one.
    const hostile = await render(template, page, `${comment.id}" autofocus onfocus="alert(1)`);
    expect(hostile).toContain(`id="comment-${comment.id}"`);
    expect(parentOf(hostile)).toBe("");
  });

  it("without an answer from Parley, goes out without the section, with the no-script link", async () => {
    const template = (await readFile(await configured("wordpress/parley-comments.php"), "utf8"))
      // Nothing listens on port 9 of this machine: the request is refused at once.
      .replace(`$parley_origin = '${baseUrl()}'`, "$parley_origin = 'http://127.0.0.1:9'");
    const file = path.join(work, "unreachable.php");
    await writeFile(file, template);
    const part = await render(file, permalink());
    expect(part).not.toContain("data-parley-thread");
    expect(part).toMatch(
      /<noscript>\s*<a href="http:\/\/127\.0\.0\.1:9\/api\/v1\/sites\/[^"]+\/thread\.html\?page=/,
    );
  });
});

describe("the React component", () => {
  it("shows each article's thread across client-side route changes, under StrictMode", async () => {
    const first = `${otherOrigin()}/spa/${uniqueId("one")}`;
    const second = `${otherOrigin()}/spa/${uniqueId("two")}`;
    const pages = [first, second];
    const one = (await post(site, first, { body: "On article 1" })).comment.id;
    const two = (await post(site, second, { body: "On article 2" })).comment.id;
    // The app as a site would bundle it, the recipe's example origin set to this Parley's.
    const [app] =
      (
        await build({
          entryPoints: [path.join(import.meta.dirname, "recipes/react-app.ts")],
          bundle: true,
          write: false,
          format: "iife",
          define: { "process.env.NODE_ENV": '"production"' },
          logLevel: "warning",
          plugins: [
            {
              name: "origin",
              setup(bundler) {
                bundler.onLoad(
                  { filter: /recipes\/react\/parley-comments\.ts$/ },
                  async (file) => ({
                    contents: (await readFile(file.path, "utf8")).replace(
                      "https://comments.example.com",
                      baseUrl(),
                    ),
                    loader: "ts",
                  }),
                );
              },
            },
          ],
        })
      ).outputFiles ?? [];
    const script = `${otherOrigin()}/spa/app.js`;
    await s.page.route(script, (route) =>
      route.fulfill({ contentType: "text/javascript", body: app?.text ?? "" }),
    );
    for (const page of pages)
      await serve(
        s.page,
        page,
        `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>App</title></head><body><div id="app"></div><script>window.parleyTest = ${JSON.stringify({ site, pages })}</script><script src="${script}"></script></body></html>`,
      );

    const section = s.page.locator("[data-parley-state=ready] section");
    const shows = async (id: string, other: string) => {
      await section.locator(`#comment-${id}`).waitFor();
      expect(await section.locator(`#comment-${other}`).count()).toBe(0);
      // One section: StrictMode's first mount of the effect was cleaned up before it drew one.
      expect(await s.page.locator("[data-parley]").count()).toBe(1);
    };
    await s.page.goto(first);
    await shows(one, two);
    const next = s.page.getByRole("button", { name: "Next article" });
    await next.click();
    await shows(two, one);
    expect(s.page.url()).toBe(second);
    await next.click();
    await shows(one, two);
    // Each route asked for its own thread once.
    expect(apiCalls(s).filter((call) => call.startsWith("GET "))).toEqual(
      Array(3).fill(`GET /api/v1/sites/${site}/thread`),
    );
    expectNoErrors(s);
  });
});
