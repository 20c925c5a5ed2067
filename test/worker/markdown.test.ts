import { describe, expect, it } from "vitest";
import {
  MAX_BLOCK_DEPTH,
  MAX_INLINE_DEPTH,
  parseBody,
  parseMarkdown,
  plainParagraphs,
  UnparsableBody,
} from "../../src/services/text/markdown";
import { MARKDOWN_LIMITS } from "../../src/services/text/markdown-limits";
import {
  type Block,
  type Body,
  countLinks,
  type Inline,
  isAllowedLinkUrl,
  type ListItem,
  plainText,
} from "../../src/shared/body";

const text = (value: string): Inline => ({ type: "text", value });
const para = (...children: Inline[]): Block => ({ type: "paragraph", children });
const link = (url: string, ...children: Inline[]): Inline => ({ type: "link", url, children });
const item = (...children: Block[]): ListItem => ({ type: "listItem", children });

type AnyNode = Block | ListItem | Inline;

function childrenOf(node: AnyNode): AnyNode[] {
  return "children" in node ? node.children : [];
}

/** Every node of the body, without recursion (so a broken cap fails an assertion, not the stack). */
function allNodes(body: Body): AnyNode[] {
  const out: AnyNode[] = [];
  const stack: AnyNode[] = [...body];
  for (let node = stack.pop(); node !== undefined; node = stack.pop()) {
    out.push(node);
    stack.push(...childrenOf(node));
  }
  return out;
}

/** Greatest number of nested nodes of the `counted` types on any path, without recursion. */
function nestingDepth(body: Body, counted: ReadonlySet<string>): number {
  let max = 0;
  const stack: [AnyNode, number][] = body.map((node) => [node, 0]);
  for (let entry = stack.pop(); entry !== undefined; entry = stack.pop()) {
    const [node, above] = entry;
    const depth = above + (counted.has(node.type) ? 1 : 0);
    max = Math.max(max, depth);
    for (const child of childrenOf(node)) stack.push([child, depth]);
  }
  return max;
}

const blockDepth = (body: Body) => nestingDepth(body, new Set(["blockquote", "list"]));
const inlineDepth = (body: Body) => nestingDepth(body, new Set(["emphasis", "strong", "link"]));

describe("parseBody", () => {
  it("parses a plain line as one paragraph of text", () => {
    expect(parseBody("Hello, world.")).toEqual([para(text("Hello, world."))]);
  });

  it("returns no blocks for an empty or blank body", () => {
    expect(parseBody("")).toEqual([]);
    expect(parseBody("  \n\n \n")).toEqual([]);
  });

  it("separates paragraphs on blank lines and keeps soft line breaks as newlines", () => {
    expect(parseBody("one\ntwo\n\nthree")).toEqual([para(text("one\ntwo")), para(text("three"))]);
  });

  it("parses emphasis, strong and their nesting", () => {
    expect(parseBody("*a* _b_ **c** __d__ ***e*** *f **g** h*")).toEqual([
      para(
        { type: "emphasis", children: [text("a")] },
        text(" "),
        { type: "emphasis", children: [text("b")] },
        text(" "),
        { type: "strong", children: [text("c")] },
        text(" "),
        { type: "strong", children: [text("d")] },
        text(" "),
        { type: "emphasis", children: [{ type: "strong", children: [text("e")] }] },
        text(" "),
        {
          type: "emphasis",
          children: [text("f "), { type: "strong", children: [text("g")] }, text(" h")],
        },
      ),
    ]);
  });

  it("keeps markup inside inline code as literal code text", () => {
    expect(parseBody("use `<b>bold</b>` here")).toEqual([
      para(text("use "), { type: "inlineCode", value: "<b>bold</b>" }, text(" here")),
    ]);
  });

  it("drops the language of a fenced code block", () => {
    expect(parseBody("```js\nconst a = '<b>';\n```")).toEqual([
      { type: "code", value: "const a = '<b>';" },
    ]);
    expect(parseBody("~~~\nplain\n~~~")).toEqual([{ type: "code", value: "plain" }]);
  });

  it("parses an indented code block", () => {
    expect(parseBody("text\n\n    code line 1\n    code line 2")).toEqual([
      para(text("text")),
      { type: "code", value: "code line 1\ncode line 2" },
    ]);
  });

  it("parses a blockquote containing a list", () => {
    expect(parseBody("> quoted\n>\n> - a\n> - b")).toEqual([
      {
        type: "blockquote",
        children: [
          para(text("quoted")),
          {
            type: "list",
            ordered: false,
            children: [item(para(text("a"))), item(para(text("b")))],
          },
        ],
      },
    ]);
  });

  it("keeps the start of an ordered list that does not start at 1", () => {
    expect(parseBody("3. three\n4. four")).toEqual([
      {
        type: "list",
        ordered: true,
        start: 3,
        children: [item(para(text("three"))), item(para(text("four")))],
      },
    ]);
  });

  it("omits start for an ordered list starting at 1", () => {
    expect(parseBody("1. one\n2. two")).toEqual([
      {
        type: "list",
        ordered: true,
        children: [item(para(text("one"))), item(para(text("two")))],
      },
    ]);
  });

  it("parses a bullet list with any marker", () => {
    const expected: Body = [
      { type: "list", ordered: false, children: [item(para(text("a"))), item(para(text("b")))] },
    ];
    expect(parseBody("- a\n- b")).toEqual(expected);
    expect(parseBody("* a\n* b")).toEqual(expected);
    expect(parseBody("+ a\n+ b")).toEqual(expected);
  });

  it("keeps http, https and mailto links", () => {
    expect(
      parseBody("[a](http://a.example/x) [b](https://b.example/?q=1#f) [c](mailto:c@c.example)"),
    ).toEqual([
      para(
        link("http://a.example/x", text("a")),
        text(" "),
        link("https://b.example/?q=1#f", text("b")),
        text(" "),
        link("mailto:c@c.example", text("c")),
      ),
    ]);
  });

  it("keeps the formatting inside link text and drops the title", () => {
    expect(parseBody('[*a* b](https://a.example "title")')).toEqual([
      para(link("https://a.example", { type: "emphasis", children: [text("a")] }, text(" b"))),
    ]);
  });

  it("replaces a javascript: link by its text", () => {
    expect(parseBody("[x](javascript:alert(1))")).toEqual([para(text("x"))]);
    expect(parseBody("a [x](JavaScript:alert(1)) b")).toEqual([para(text("a x b"))]);
  });

  it("replaces data:, vbscript:, relative and other non-http links by their text", () => {
    expect(parseBody("[x](data:text/html,<script>alert(1)</script>)")).toEqual([para(text("x"))]);
    expect(parseBody("[x](<data:text/html,a b>)")).toEqual([para(text("x"))]);
    expect(parseBody("[x](vbscript:msgbox)")).toEqual([para(text("x"))]);
    expect(parseBody("[x](/relative)")).toEqual([para(text("x"))]);
    expect(parseBody("[x](relative/path)")).toEqual([para(text("x"))]);
    expect(parseBody("[x](//evil.example)")).toEqual([para(text("x"))]);
    expect(parseBody("[x](ftp://files.example)")).toEqual([para(text("x"))]);
    expect(parseBody("[**x**](javascript:alert(1))")).toEqual([
      para({ type: "strong", children: [text("x")] }),
    ]);
  });

  it("shows the URL as the text of a link with empty text", () => {
    expect(parseBody("[](https://a.example)")).toEqual([
      para(link("https://a.example", text("https://a.example"))),
    ]);
  });

  it("parses an angle-bracket autolink and drops an unsafe one", () => {
    expect(parseBody("see <https://a.example>")).toEqual([
      para(text("see "), link("https://a.example", text("https://a.example"))),
    ]);
    expect(parseBody("<javascript:alert(1)>")).toEqual([para(text("javascript:alert(1)"))]);
  });

  it("links bare www., http(s) URLs and email addresses", () => {
    expect(
      parseBody("go to www.example.com or https://example.com/path, or mail a@b.example"),
    ).toEqual([
      para(
        text("go to "),
        link("http://www.example.com", text("www.example.com")),
        text(" or "),
        link("https://example.com/path", text("https://example.com/path")),
        text(", or mail "),
        link("mailto:a@b.example", text("a@b.example")),
      ),
    ]);
  });

  it("keeps a raw HTML block as literal text", () => {
    expect(parseBody("<script>alert(1)</script>")).toEqual([
      para(text("<script>alert(1)</script>")),
    ]);
    expect(parseBody("<div>\n*hi*\n</div>")).toEqual([
      para(text("<div>\n"), { type: "emphasis", children: [text("hi")] }, text("\n</div>")),
    ]);
  });

  it("keeps inline HTML as literal text", () => {
    expect(parseBody("a <img src=x onerror=alert(1)> b")).toEqual([
      para(text("a <img src=x onerror=alert(1)> b")),
    ]);
    expect(parseBody("<!-- c --> <?php x ?>")).toEqual([para(text("<!-- c --> <?php x ?>"))]);
  });

  it("keeps heading syntax as literal text", () => {
    expect(parseBody("# heading")).toEqual([para(text("# heading"))]);
    expect(parseBody("### heading ###")).toEqual([para(text("### heading ###"))]);
    expect(parseBody("title\n=====")).toEqual([para(text("title\n====="))]);
  });

  it("keeps thematic breaks as literal text", () => {
    expect(parseBody("---")).toEqual([para(text("---"))]);
    expect(parseBody("above\n---")).toEqual([para(text("above\n---"))]);
    expect(parseBody("___")).toEqual([para(text("___"))]);
  });

  it("does not produce images: the image syntax becomes ! and a link", () => {
    expect(parseBody("![alt](http://x/y.png)")).toEqual([
      para(text("!"), link("http://x/y.png", text("alt"))),
    ]);
    expect(parseBody("![alt](javascript:alert(1))")).toEqual([para(text("!alt"))]);
  });

  it("keeps reference links and definitions as text", () => {
    expect(parseBody("[a][ref] and [ref]\n\n[ref]: /target")).toEqual([
      para(text("[a][ref] and [ref]")),
      para(text("[ref]: /target")),
    ]);
  });

  it("parses hard breaks from two trailing spaces and from a backslash", () => {
    expect(parseBody("a  \nb\\\nc")).toEqual([
      para(text("a"), { type: "break" }, text("b"), { type: "break" }, text("c")),
    ]);
  });

  it("decodes character references and escapes to text", () => {
    expect(parseBody("&lt;b&gt; &amp; &#65; &copy; \\*x\\*")).toEqual([
      para(text("<b> & A © *x*")),
    ]);
  });

  it("caps 16 nested blockquotes (the most one line may open) at the maximum depth, keeping the content", () => {
    const body = parseBody(`${">".repeat(MARKDOWN_LIMITS.nesting)} deep`);
    expect(blockDepth(body)).toBe(MAX_BLOCK_DEPTH);
    expect(MAX_BLOCK_DEPTH).toBeLessThanOrEqual(8);
    expect(plainText(body)).toBe("deep");

    let expected: Block = { type: "blockquote", children: [para(text("deep"))] };
    for (let i = 1; i < MAX_BLOCK_DEPTH; i++)
      expected = { type: "blockquote", children: [expected] };
    expect(body).toEqual([expected]);
  });

  it("caps lists nested 16 deep on one line, or 60 deep by indentation, at the maximum depth", () => {
    const body = parseBody(`${"- ".repeat(MARKDOWN_LIMITS.nesting)}x\n\ny`);
    expect(blockDepth(body)).toBe(MAX_BLOCK_DEPTH);
    expect(plainText(body)).toBe("x\n\ny");

    const indented = Array.from({ length: 60 }, (_, i) => `${"  ".repeat(i)}- l${i}`).join("\n");
    const staircase = parseBody(indented);
    expect(blockDepth(staircase)).toBe(MAX_BLOCK_DEPTH);
    expect(plainText(staircase)).toBe(Array.from({ length: 60 }, (_, i) => `l${i}`).join("\n\n"));
  });

  it("flattens deeper blocks in order into the deepest allowed container", () => {
    const lines = Array.from(
      { length: 12 },
      (_, i) => `${">".repeat(i + 1)} l${i}\n${">".repeat(i + 1)}`,
    );
    const body = parseBody(lines.join("\n"));
    expect(blockDepth(body)).toBe(MAX_BLOCK_DEPTH);
    expect(plainText(body)).toBe(Array.from({ length: 12 }, (_, i) => `l${i}`).join("\n\n"));
  });

  it("caps inline nesting and keeps the text", () => {
    const body = parseBody(`${"*a ".repeat(50)}x${" b*".repeat(50)}`);
    expect(inlineDepth(body)).toBe(MAX_INLINE_DEPTH);
    expect(plainText(body)).toBe(`${"a ".repeat(50)}x${" b".repeat(50)}`);

    // The deepest allowed emphasis holds everything below it as one merged text node.
    const paragraph = body[0];
    let inline: Inline | undefined =
      paragraph?.type === "paragraph" ? paragraph.children[0] : undefined;
    for (let level = 1; level < MAX_INLINE_DEPTH; level++) {
      expect(inline?.type).toBe("emphasis");
      inline = inline?.type === "emphasis" ? inline.children[1] : undefined;
    }
    expect(inline).toEqual({
      type: "emphasis",
      children: [text(`${"a ".repeat(43)}x${" b".repeat(43)}`)],
    });

    const stars = parseBody(`${"*".repeat(50)}x${"*".repeat(50)}`);
    expect(inlineDepth(stars)).toBeLessThanOrEqual(MAX_INLINE_DEPTH);
    expect(plainText(stars)).toBe("x");
  });

  it("parses 100 asterisks and refuses 5000 (too many emphasis marks, issue 12)", () => {
    expect(plainText(parseBody("*".repeat(100)))).toBe("*".repeat(100));
    expect(() => parseBody("*".repeat(5000))).toThrow(UnparsableBody);
  });

  it("produces plain JSON: no positions or undefined fields, stable across runs", () => {
    const source = "> *a* [b](https://b.example)\n\n3. `c`\n\n```x\nd\n```";
    const body = parseBody(source);
    expect(JSON.parse(JSON.stringify(body))).toEqual(body);
    expect(JSON.stringify(body)).toBe(JSON.stringify(parseBody(source)));
    expect(JSON.stringify(body)).not.toContain("position");
  });
});

describe("isAllowedLinkUrl", () => {
  it("allows http, https and mailto URLs", () => {
    expect(isAllowedLinkUrl("http://a.example")).toBe(true);
    expect(isAllowedLinkUrl("https://a.example/p?q#f")).toBe(true);
    expect(isAllowedLinkUrl("HTTPS://A.EXAMPLE")).toBe(true);
    expect(isAllowedLinkUrl("mailto:a@b.example")).toBe(true);
  });

  it("rejects script, data and other schemes whatever their case or leading space", () => {
    expect(isAllowedLinkUrl("javascript:alert(1)")).toBe(false);
    expect(isAllowedLinkUrl("JAVASCRIPT:alert(1)")).toBe(false);
    expect(isAllowedLinkUrl("  javascript:alert(1)")).toBe(false);
    expect(isAllowedLinkUrl("\tjava\nscript:alert(1)")).toBe(false);
    expect(isAllowedLinkUrl("data:text/html,<b>")).toBe(false);
    expect(isAllowedLinkUrl("vbscript:x")).toBe(false);
    expect(isAllowedLinkUrl("ftp://files.example")).toBe(false);
  });

  it("rejects relative and unparsable URLs", () => {
    expect(isAllowedLinkUrl("/relative")).toBe(false);
    expect(isAllowedLinkUrl("relative")).toBe(false);
    expect(isAllowedLinkUrl("//host.example")).toBe(false);
    expect(isAllowedLinkUrl("")).toBe(false);
    expect(isAllowedLinkUrl("http://")).toBe(false);
  });
});

describe("countLinks", () => {
  it("counts link nodes at any depth and ignores unsafe links", () => {
    const body = parseBody(
      "[a](https://a.example) www.b.example\n\n> - *[c](mailto:c@c.example)*\n\n[d](javascript:x)",
    );
    expect(countLinks(body)).toBe(3);
    expect(countLinks([])).toBe(0);
  });
});

describe("plainText", () => {
  it("joins block text with blank lines and turns breaks into newlines", () => {
    const body = parseBody(
      "Hello *there* [link](https://a.example)  \nnext\n\n> quote\n\n- one\n- `two`\n\n```\ncode\n```",
    );
    expect(plainText(body)).toBe("Hello there link\nnext\n\nquote\n\none\n\ntwo\n\ncode");
    expect(plainText([])).toBe("");
  });
});

/** mulberry32: a small deterministic PRNG. */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const PIECES = [
  ..."<>*_[]()!#`-~&;:/",
  ..."abcxyz",
  " ",
  " ",
  "\n",
  "\n\n",
  "    ",
  "1. ",
  "> ",
  "- ",
  "http://",
  "https://a.example",
  "javascript:",
  "data:",
  "mailto:",
  "www.",
  ".",
  "@",
  "&lt;",
  "&amp;",
  "<script>",
  "```",
  "](",
  "**",
  "__",
];

const INLINE_KEYS: Record<string, string[]> = {
  text: ["type", "value"],
  emphasis: ["children", "type"],
  strong: ["children", "type"],
  inlineCode: ["type", "value"],
  link: ["children", "type", "url"],
  break: ["type"],
};

function assertWellFormedBlocks(blocks: Block[]): void {
  for (const block of blocks) {
    switch (block.type) {
      case "paragraph":
        expect(Object.keys(block).sort()).toEqual(["children", "type"]);
        expect(block.children.length).toBeGreaterThan(0);
        assertWellFormedInlines(block.children);
        break;
      case "code":
        expect(Object.keys(block).sort()).toEqual(["type", "value"]);
        expect(typeof block.value).toBe("string");
        break;
      case "blockquote":
        expect(Object.keys(block).sort()).toEqual(["children", "type"]);
        assertWellFormedBlocks(block.children);
        break;
      case "list":
        expect(Object.keys(block).sort()).toEqual(
          block.ordered && block.start !== undefined
            ? ["children", "ordered", "start", "type"]
            : ["children", "ordered", "type"],
        );
        expect(block.start).not.toBe(1);
        for (const child of block.children) {
          expect(Object.keys(child).sort()).toEqual(["children", "type"]);
          expect(child.type).toBe("listItem");
          assertWellFormedBlocks(child.children);
        }
        break;
      default:
        throw new Error(`unexpected block ${JSON.stringify(block)}`);
    }
  }
}

function assertWellFormedInlines(inlines: Inline[]): void {
  let previous: Inline | undefined;
  for (const node of inlines) {
    const keys = INLINE_KEYS[node.type];
    if (keys === undefined) throw new Error(`unexpected inline ${JSON.stringify(node)}`);
    expect(Object.keys(node).sort()).toEqual(keys);
    if (node.type === "text") {
      expect(node.value).not.toBe("");
      expect(previous?.type).not.toBe("text");
    }
    if (node.type === "link") expect(isAllowedLinkUrl(node.url)).toBe(true);
    if ("children" in node) assertWellFormedInlines(node.children);
    previous = node;
  }
}

describe("parseBody on random input", () => {
  it("never throws and only produces the allowed, well-formed node types", () => {
    const random = prng(20240611);
    const seen = new Set<string>();
    for (let run = 0; run < 200; run++) {
      const length = 1 + Math.floor(random() * 120);
      let source = "";
      for (let i = 0; i < length; i++) {
        source += PIECES[Math.floor(random() * PIECES.length)];
      }
      let body: Body = [];
      expect(() => {
        body = parseBody(source);
      }, source).not.toThrow();
      assertWellFormedBlocks(body);
      for (const node of allNodes(body)) {
        seen.add(node.type);
        if (node.type === "link") expect(isAllowedLinkUrl(node.url), source).toBe(true);
      }
      expect(JSON.parse(JSON.stringify(body))).toEqual(body);
      expect(blockDepth(body)).toBeLessThanOrEqual(MAX_BLOCK_DEPTH);
      expect(inlineDepth(body)).toBeLessThanOrEqual(MAX_INLINE_DEPTH);
    }
    // The generated input is varied enough to reach every node type.
    expect([...seen].sort()).toEqual(
      [...Object.keys(INLINE_KEYS), "paragraph", "code", "blockquote", "list", "listItem"].sort(),
    );
  });
});

describe("plain paragraphs, read without the parser", () => {
  /** A small seeded generator (mulberry32), so a failing case is the same on every run. */
  function random(seed: number) {
    let a = seed;
    return () => {
      a = (a + 0x6d2b79f5) | 0;
      let t = Math.imul(a ^ (a >>> 15), 1 | a);
      t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
      return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
    };
  }
  // Mostly what plain prose is made of, and now and then something the parser reads.
  const PLAIN = [
    "a",
    "Zo",
    "é",
    "日本",
    "7",
    "42",
    " ",
    " ",
    "\n",
    "\n\n",
    ",",
    ".",
    ";",
    ":",
    "?",
  ];
  const MORE = ["!", "'", '"', "(", ")", "%", "-", "+", "=", "1.", "2)", "www.", "  ", "\t"];
  const MARKUP = ["*", "_", "`", "[", "]", "<", ">", "&", "#", "\\", "\r", "/", "@", "~", "|"];

  it("are read exactly as the parser reads them, and are most of ordinary prose", () => {
    const next = random(20261207);
    const pick = (from: string[]) => from[Math.floor(next() * from.length)] ?? "";
    let plain = 0;
    for (let n = 0; n < 10_000; n++) {
      let source = "";
      const length = 1 + Math.floor(next() * 40);
      for (let i = 0; i < length; i++) {
        const roll = next();
        source += pick(roll < 0.8 ? PLAIN : roll < 0.97 ? MORE : MARKUP);
      }
      const fast = plainParagraphs(source);
      if (fast === undefined) continue;
      plain++;
      expect(fast, JSON.stringify(source)).toEqual(parseMarkdown(source));
    }
    // The comparison above must have had cases to compare.
    expect(plain).toBeGreaterThan(1000);
  });

  it("leave to the parser whatever it could read", () => {
    for (const source of [
      "- item",
      "1. item",
      "2) item",
      "+ item",
      "    code",
      "line  \nbreak",
      "see www.example.org",
      "mail a@b.example",
      "https://example.org",
      "*em*",
      "a\tb",
      "a\r\nb",
      "trailing ",
      " leading",
    ]) {
      expect(plainParagraphs(source), source).toBeUndefined();
    }
    expect(plainParagraphs("Hello there.\nSecond line.\n\n\nNext (one), 100% sure!")).toEqual([
      para(text("Hello there.\nSecond line.")),
      para(text("Next (one), 100% sure!")),
    ]);
  });
});
