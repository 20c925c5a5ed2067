// The widget's static files (public/, served by the assets binding with the headers of
// public/_headers): pages on every origin load them, and each is served with one value of each
// header it needs.
import { readdir } from "node:fs/promises";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { baseUrl, createSite, post, uniqueId } from "./api";
import {
  article,
  embed,
  expectNoErrors,
  hostPage,
  otherOrigin,
  useBrowser,
  WIDGET_ASSET,
  waitReady,
} from "./browser";

const s = useBrowser();
const PUBLIC = path.resolve(import.meta.dirname, "../../public");

/** Every value a response gives the header, however the server spread them over lines. */
const values = (headers: Array<{ name: string; value: string }>, name: string) =>
  headers
    .filter((h) => h.name.toLowerCase() === name)
    .flatMap((h) => h.value.split(","))
    .map((v) => v.trim());

describe("static assets", () => {
  // Regression: /i18n/count/<lang>.txt matched two rules of public/_headers and was served with
  // "Access-Control-Allow-Origin: *, *", which browsers refuse; and no asset carried nosniff.
  it("loads every file the widget fetches into a page on another origin, each header once", async () => {
    const site = (await createSite()).id;
    const page = `${baseUrl()}/news/${uniqueId("p")}`;
    await post(site, page);
    // A count link on the article page makes widget.js load count.js, which loads its own strings.
    const url = await hostPage(
      s.page,
      `/article-${uniqueId("a")}`,
      article({
        body: `<p><a href="${page}" data-comments-count>Comments</a></p>${embed({ site, page })}`,
      }),
      {},
      otherOrigin(),
    );
    await s.page.goto(url);
    expect(await waitReady(s.page)).toBe("ready");
    await expect
      .poll(() => s.page.locator("[data-comments-count]").textContent())
      .toBe("1 Response");
    await s.page.waitForLoadState("networkidle");

    const assets = await Promise.all(
      s.requests
        .filter((r) => r.url().startsWith(`${baseUrl()}/`))
        .filter((r) => WIDGET_ASSET.test(new URL(r.url()).pathname))
        .map(async (r) => {
          const res = await r.response();
          const headers = (await res?.headersArray()) ?? [];
          return {
            path: new URL(r.url()).pathname,
            status: res?.status(),
            allowOrigin: values(headers, "access-control-allow-origin"),
            nosniff: values(headers, "x-content-type-options"),
          };
        }),
    );
    const served = (p: string) => ({
      path: p,
      status: 200,
      allowOrigin: ["*"],
      nosniff: ["nosniff"],
    });
    expect(assets.sort((a, b) => a.path.localeCompare(b.path))).toEqual(
      ["/count.js", "/i18n/count/en.txt", "/i18n/en.txt", "/widget.js"].map(served),
    );
    expectNoErrors(s);
  });

  // The console's script (public/admin/) is the exception: the console never answers CORS.
  it("serves every file of public/ with nosniff and one Access-Control-Allow-Origin: *, but the console's without", async () => {
    const files = (await readdir(PUBLIC, { recursive: true, withFileTypes: true }))
      .filter((e) => e.isFile() && e.name !== "_headers")
      .map((e) => path.relative(PUBLIC, path.join(e.parentPath, e.name)).split(path.sep).join("/"));
    expect(files).toEqual(
      expect.arrayContaining([
        "widget.js",
        "count.js",
        "i18n/en.txt",
        "i18n/count/en.txt",
        "admin/console.js",
      ]),
    );

    for (const file of files) {
      const res = await fetch(`${baseUrl()}/${file}`, {
        headers: { origin: "https://news.example" },
      });
      await res.arrayBuffer();
      // fetch joins repeated headers into one comma-separated value, so "*, *" shows here.
      expect({
        file,
        status: res.status,
        allowOrigin: res.headers.get("access-control-allow-origin"),
        nosniff: res.headers.get("x-content-type-options"),
      }).toEqual({
        file,
        status: 200,
        allowOrigin: file.startsWith("admin/") ? null : "*",
        nosniff: "nosniff",
      });
    }
  });
});
