import { Parser } from "htmlparser2";
import { isAllowedLinkUrl } from "../../../shared/body";

/*
 * Imported comments arrive as HTML; Parley stores what an author would have written (the
 * markdown subset) and parses that into the body tree like every comment. So the HTML is read
 * (htmlparser2, entities decoded) and written back as markdown in which every character of the
 * text is literal: markup becomes paragraphs, line breaks, emphasis, code, quotes and links
 * (http, https and mailto only); every other tag is dropped and its text kept, and the contents
 * of script, style and other inert elements are dropped whole. The result then goes through
 * `parseBody`, which never emits HTML either, so no markup survives as markup even if this
 * conversion were wrong.
 */

/** Elements whose content is not text a reader saw. */
const DROPPED = new Set(["script", "style", "template", "iframe", "object", "noscript", "head"]);
const BLOCKS = new Set([
  "p",
  "div",
  "li",
  "ul",
  "ol",
  "dl",
  "dt",
  "dd",
  "h1",
  "h2",
  "h3",
  "h4",
  "h5",
  "h6",
  "table",
  "tr",
  "section",
  "article",
  "hr",
]);
const EMPHASIS: Record<string, string> = { strong: "**", b: "**", em: "*", i: "*" };

/** Characters that start markdown syntax anywhere in a line. */
const INLINE_SYNTAX = /[\\`*_[\]<>&~]/g;
/** What starts a block (quote, list, heading, setext line) at the start of a line. */
const LINE_START_MARK = /^[>#=+-]/;
const LINE_START_NUMBER = /^(\d+)([.)])/;

const escapeMarkdown = (text: string) => text.replace(INLINE_SYNTAX, "\\$&");

/** The shortest run of backticks that cannot close early on `text`. */
function fenceFor(text: string, least: number): string {
  const longest = Math.max(0, ...Array.from(text.matchAll(/`+/g), (m) => m[0].length));
  return "`".repeat(Math.max(least, longest + 1));
}

/** A link's destination in the `<…>` form: only characters a URL parser left percent-free. */
const destination = (url: string) =>
  new URL(url).href.replace(/[<>\\\s]/g, (c) => encodeURIComponent(c));

interface Open {
  name: string;
  /** Where this element's markdown starts, in which paragraph. */
  start: number;
  paragraph: number;
  href?: string;
}

class MarkdownWriter {
  private readonly blocks: string[] = [];
  private paragraph = "";
  /** Paragraphs ended so far: an element that spans a paragraph break wraps nothing. */
  private paragraphs = 0;
  /** Text not yet written: htmlparser2 may split one run of text (at entities, say). */
  private pending = "";
  private quoteDepth = 0;
  private dropping = 0;
  /** Raw text of the `<pre>` or `<code>` being read, written out as code when it closes. */
  private code: { block: boolean; text: string } | undefined;
  private readonly open: Open[] = [];

  constructor(private readonly lineBreaks: boolean) {}

  startTag(name: string, attributes: Record<string, string>): void {
    this.writePending();
    if (DROPPED.has(name) || this.dropping > 0) {
      if (DROPPED.has(name)) this.dropping += 1;
      return;
    }
    if (this.code) return;
    if (BLOCKS.has(name)) this.endParagraph();
    if (name === "blockquote") {
      this.endParagraph();
      this.quoteDepth += 1;
    } else if (name === "br") {
      this.lineBreak();
    } else if (name === "pre" || name === "code") {
      if (name === "pre") this.endParagraph();
      this.code = { block: name === "pre", text: "" };
    } else if (name === "img") {
      this.image(attributes);
    }
    this.open.push({
      name,
      start: this.paragraph.length,
      paragraph: this.paragraphs,
      href: attributes.href,
    });
  }

  endTag(name: string): void {
    this.writePending();
    if (this.dropping > 0) {
      if (DROPPED.has(name)) this.dropping -= 1;
      return;
    }
    if (this.code && name !== (this.code.block ? "pre" : "code")) return;
    const element = this.open.pop();
    if (!element) return;
    if (this.code) this.endCode(this.code);
    // Markup around a paragraph break cannot be written as markdown; its text stays.
    else if (element.paragraph === this.paragraphs) this.endInline(element);
    if (BLOCKS.has(name)) this.endParagraph();
    if (name === "blockquote") {
      this.endParagraph();
      this.quoteDepth = Math.max(0, this.quoteDepth - 1);
    }
  }

  text(text: string): void {
    if (this.dropping > 0) return;
    if (this.code) this.code.text += text;
    else this.pending += text;
  }

  private writePending(): void {
    const text = this.pending;
    this.pending = "";
    if (text === "") return;
    if (!this.lineBreaks) {
      this.paragraph += escapeMarkdown(text.replace(/\s+/g, " "));
      return;
    }
    // WordPress shows a blank line as a new paragraph and a single newline as a line break.
    const paragraphs = text.split(/[ \t]*\n[ \t]*\n\s*/);
    paragraphs.forEach((part, i) => {
      if (i > 0) this.endParagraph();
      part.split(/[ \t]*\n/).forEach((line, j) => {
        if (j > 0) this.lineBreak();
        this.paragraph += escapeMarkdown(line.replace(/\s+/g, " "));
      });
    });
  }

  markdown(): string {
    this.writePending();
    this.endParagraph();
    return this.blocks.join("\n\n");
  }

  private lineBreak(): void {
    if (this.paragraph.trim() !== "") this.paragraph += "\\\n";
  }

  private image(attributes: Record<string, string>): void {
    const src = attributes.src ?? "";
    if (!isAllowedLinkUrl(src)) return;
    const label = escapeMarkdown(attributes.alt?.trim() || src);
    this.paragraph += `[${label}](<${destination(src)}>)`;
  }

  private endInline(element: Open): void {
    const marker = EMPHASIS[element.name];
    if (element.name === "a") this.endLink(element);
    else if (marker) this.wrap(element.start, marker);
  }

  /** Emphasis around what was written since `start`, with its outer spaces left outside. */
  private wrap(start: number, marker: string): void {
    const inner = this.paragraph.slice(start);
    const trimmed = inner.trim();
    if (trimmed === "") return;
    const lead = inner.slice(0, inner.indexOf(trimmed));
    const trail = inner.slice(lead.length + trimmed.length);
    this.paragraph = `${this.paragraph.slice(0, start)}${lead}${marker}${trimmed}${marker}${trail}`;
  }

  private endLink(element: Open): void {
    const href = element.href?.trim() ?? "";
    const nested = this.open.some((o) => o.name === "a");
    if (nested || !isAllowedLinkUrl(href)) return;
    const label = this.paragraph.slice(element.start).trim() || escapeMarkdown(href);
    this.paragraph = `${this.paragraph.slice(0, element.start)}[${label}](<${destination(href)}>)`;
  }

  private endCode(code: { block: boolean; text: string }): void {
    this.code = undefined;
    if (code.block) {
      const value = code.text.replace(/^\n/, "").replace(/\s+$/, "");
      const fence = fenceFor(value, 3);
      if (value !== "") this.blocks.push(this.quoted(`${fence}\n${value}\n${fence}`));
      return;
    }
    const value = code.text.replace(/\s+/g, " ");
    if (value.trim() === "") return;
    const fence = fenceFor(value, 1);
    const pad = value.startsWith("`") || value.endsWith("`") ? " " : "";
    this.paragraph += `${fence}${pad}${value}${pad}${fence}`;
  }

  private endParagraph(): void {
    const text = this.paragraph.replace(/(\\\n)+$/, "").trim();
    this.paragraph = "";
    this.paragraphs += 1;
    if (text === "") return;
    const lines = text
      .split("\n")
      .map((line) =>
        line.trimStart().replace(LINE_START_MARK, "\\$&").replace(LINE_START_NUMBER, "$1\\$2"),
      );
    this.blocks.push(this.quoted(lines.join("\n")));
  }

  private quoted(block: string): string {
    if (this.quoteDepth === 0) return block;
    const prefix = "> ".repeat(this.quoteDepth);
    return block
      .split("\n")
      .map((line) => prefix + line)
      .join("\n");
  }
}

/**
 * An imported HTML body as Parley markdown. `lineBreaks`: newlines in the text are paragraph
 * and line breaks (WordPress stores comments so), rather than spaces (HTML's own rule).
 */
export function htmlToMarkdown(html: string, { lineBreaks }: { lineBreaks: boolean }): string {
  const writer = new MarkdownWriter(lineBreaks);
  const parser = new Parser(
    {
      onopentag: (name, attributes) => writer.startTag(name, attributes),
      onclosetag: (name) => writer.endTag(name),
      ontext: (text) => writer.text(text),
    },
    { decodeEntities: true },
  );
  parser.end(html);
  return writer.markdown();
}
