/**
 * Comment bodies: a markdown subset, parsed once at write time into the `Body` tree of
 * `src/shared/body.ts`, which the widget turns into DOM nodes (never HTML).
 *
 * Why mdast (`mdast-util-from-markdown` on micromark): it is a well-kept, spec-compliant
 * CommonMark parser whose constructs can be switched off by name, so syntax we do not support
 * (raw HTML, headings, thematic breaks, images, link reference definitions) stays literal text
 * instead of us maintaining a hand-written parser for hostile input.
 *
 * Why parse at write time: reads are hot and writes are rare, so the tree is computed once and
 * stored; the markdown source is stored alongside it for edits and for re-rendering if these
 * rules ever change.
 *
 * The conversion below is defensive: anything outside the subset becomes its text content,
 * links are kept only for http/https/mailto URLs, and nesting is capped so a hostile body
 * cannot produce a huge tree. What the parser itself is given is bounded before it runs
 * (markdown-limits.ts), so a hostile body cannot make it slow or blow its stack either.
 */
import type { Nodes } from "mdast";
import { fromMarkdown } from "mdast-util-from-markdown";
import { gfmAutolinkLiteralFromMarkdown } from "mdast-util-gfm-autolink-literal";
import { ApiError } from "../../errors";
import {
  type Block,
  type Body,
  type Inline,
  isAllowedLinkUrl,
  type ListItem,
} from "../../shared/body";
import { gfmAutolinkLiteral } from "./markdown-autolinks";
import { markdownProblem } from "./markdown-limits";

/** Deepest nesting of blockquotes/lists; content of deeper blocks is flattened into the last. */
export const MAX_BLOCK_DEPTH = 8;
/** Deepest nesting of emphasis/strong/link; deeper content is flattened into the last. */
export const MAX_INLINE_DEPTH = 8;

/**
 * micromark construct names (see micromark-core-commonmark) switched off, so their syntax is
 * parsed as plain text. Disabling `definition` also keeps reference links (`[x][y]`) as text,
 * since no reference can then resolve.
 */
const DISABLED_CONSTRUCTS = [
  "htmlFlow",
  "htmlText",
  "headingAtx",
  "setextUnderline",
  "thematicBreak",
  "labelStartImage",
  "definition",
];

const OPTIONS = {
  extensions: [gfmAutolinkLiteral(), { disable: { null: DISABLED_CONSTRUCTS } }],
  mdastExtensions: [gfmAutolinkLiteralFromMarkdown()],
};

/**
 * A body Parley will not parse: over one of markdown-limits.ts's caps, or (not expected within
 * them) one the parser failed on. The API answers it as 422 `validation_failed` on `body`; the
 * importer skips the comment with `reason`.
 */
export class UnparsableBody extends ApiError {
  constructor(
    readonly reason: string,
    options?: ErrorOptions,
  ) {
    super(422, "validation_failed", "The request did not pass validation.", [
      { path: "body", message: reason },
    ]);
    this.name = "UnparsableBody";
    if (options?.cause !== undefined) this.cause = options.cause;
  }
}

/**
 * Parses a comment body written in the supported markdown subset. Throws `UnparsableBody`, and
 * nothing else, for a body it will not take. Time grows linearly with the length of the source
 * once markdown-limits.ts has passed it, so callers must enforce the body length limit first.
 */
export function parseBody(source: string): Body {
  const problem = markdownProblem(source);
  if (problem) throw new UnparsableBody(problem);
  return plainParagraphs(source) ?? parseMarkdown(source);
}

/** The parser's reading of a body within markdown-limits.ts's caps. */
export function parseMarkdown(source: string): Body {
  const root = unparsableOnFailure(() => fromMarkdown(source, OPTIONS));
  return new Converter(source).blocks(root.children, 1);
}

/**
 * Letters, digits, single spaces, line ends and punctuation no construct we parse starts with or
 * reads: no emphasis, code, link, quote, escape, entity or autolink character (`@`, `/`), no tab,
 * no carriage return. `-`, `+` and digits only start a list at the start of a line.
 */
const PLAIN_TEXT = /^[\p{L}\p{N} \n,.;:?!'"()%+=-]*$/u;
const PLAIN_LINE = /^[^\s\d+=-](?:.*\S)?$/u;

/**
 * A body with nothing for the parser to read, as its plain paragraphs (lines within one kept as
 * the text's own line ends, as the parser keeps them); undefined for any other. Most comments are
 * such prose, and the parser costs one of them about 0.4 ms of workerd CPU, a third of a post's
 * own work (BENCHMARKS.md "Issue 17"), mostly setting itself up. Kept narrow on purpose: any line
 * with a space at either end, any `www.`, anything outside PLAIN_TEXT goes to the parser. A
 * differential test holds the two to the same tree (test/worker/markdown.test.ts).
 */
export function plainParagraphs(source: string): Body | undefined {
  if (!PLAIN_TEXT.test(source) || /www\./i.test(source)) return undefined;
  const text = source.replace(/^\n+|\n+$/g, "");
  if (text === "") return [];
  const paragraphs = text.split(/\n{2,}/);
  if (!paragraphs.every((p) => p.split("\n").every((line) => PLAIN_LINE.test(line)))) {
    return undefined;
  }
  return paragraphs.map((value) => ({ type: "paragraph", children: [{ type: "text", value }] }));
}

/**
 * A body kept as the plain text it is: paragraphs at blank lines, lines within them joined by
 * breaks, no markdown read. For old comments brought in by an import whose source the parser
 * will not take (over markdown-limits.ts's caps, which are made for what readers post): their
 * words are kept, only their formatting is lost.
 */
export function plainTextBody(source: string): Body {
  return source
    .split(/\r?\n(?:[ \t]*\r?\n)+/)
    .filter((paragraph) => paragraph.trim() !== "")
    .map((paragraph) => ({
      type: "paragraph",
      children: paragraph
        .split(/\r?\n/)
        .flatMap((line, i): Inline[] =>
          i === 0
            ? [{ type: "text", value: line }]
            : [{ type: "break" }, { type: "text", value: line }],
        ),
    }));
}

/**
 * Runs the parser, answering any failure inside it, an exception or a stack overflow
 * (RangeError), as UnparsableBody: the writer's body is at fault, not the server, so it is
 * answered like any body refused by the limits. None is known within them.
 */
export function unparsableOnFailure<T>(parse: () => T): T {
  try {
    return parse();
  } catch (error) {
    throw new UnparsableBody("The body could not be read as markdown.", { cause: error });
  }
}

class Converter {
  readonly source: string;

  constructor(source: string) {
    this.source = source;
  }

  /** Converts sibling blocks at `level` (top-level blocks are level 1). */
  blocks(nodes: readonly Nodes[], level: number): Block[] {
    const out: Block[] = [];
    for (const node of nodes) {
      if (node.type === "blockquote") {
        out.push({ type: "blockquote", children: this.nested(node.children, level) });
      } else if (node.type === "list") {
        const children: ListItem[] = node.children.map((item) => ({
          type: "listItem",
          children: this.nested(item.children, level),
        }));
        const ordered = node.ordered === true;
        const start = node.start;
        out.push(
          ordered && typeof start === "number" && start !== 1
            ? { type: "list", ordered, start, children }
            : { type: "list", ordered, children },
        );
      } else {
        this.leaf(node, out);
      }
    }
    return out;
  }

  /** Children of a container at `level`: nested normally, or flattened at the depth cap. */
  nested(children: readonly Nodes[], level: number): Block[] {
    return level < MAX_BLOCK_DEPTH ? this.blocks(children, level + 1) : this.flatBlocks(children);
  }

  /** The leaf blocks under `nodes`, in document order, without recursion. */
  flatBlocks(nodes: readonly Nodes[]): Block[] {
    const out: Block[] = [];
    const stack = [...nodes].reverse();
    for (let node = stack.pop(); node !== undefined; node = stack.pop()) {
      if (node.type === "blockquote" || node.type === "list" || node.type === "listItem") {
        for (let i = node.children.length - 1; i >= 0; i--) stack.push(node.children[i] as Nodes);
      } else {
        this.leaf(node, out);
      }
    }
    return out;
  }

  /** Paragraphs and code; anything else becomes a paragraph of its text. */
  leaf(node: Nodes, out: Block[]): void {
    let children: Inline[];
    if (node.type === "code") {
      out.push({ type: "code", value: node.value });
      return;
    }
    if (node.type === "paragraph") {
      children = this.inlines(node.children, 0);
    } else {
      children = [];
      pushText(children, this.text(node));
    }
    if (children.length > 0) out.push({ type: "paragraph", children });
  }

  /** Converts sibling inline nodes enclosed by `depth` inline containers. */
  inlines(nodes: readonly Nodes[], depth: number): Inline[] {
    const out: Inline[] = [];
    for (const node of nodes) {
      switch (node.type) {
        case "text":
          pushText(out, node.value);
          break;
        case "inlineCode":
          out.push({ type: "inlineCode", value: node.value });
          break;
        case "break":
          out.push({ type: "break" });
          break;
        case "emphasis":
        case "strong": {
          const children = this.inlineChildren(node.children, depth);
          if (children.length > 0) out.push({ type: node.type, children });
          break;
        }
        case "link": {
          const children = this.inlineChildren(node.children, depth);
          if (!isAllowedLinkUrl(node.url)) {
            // Not a safe link: keep its text, drop the link.
            for (const child of children) pushInline(out, child);
          } else {
            // An empty link would be invisible; show its URL instead.
            if (children.length === 0) children.push({ type: "text", value: node.url });
            out.push({ type: "link", url: node.url, children });
          }
          break;
        }
        default:
          pushText(out, this.text(node));
      }
    }
    return out;
  }

  /** Children of an inline container at `depth`: nested normally, or flattened at the cap. */
  inlineChildren(children: readonly Nodes[], depth: number): Inline[] {
    return depth < MAX_INLINE_DEPTH - 1
      ? this.inlines(children, depth + 1)
      : this.flatInlines(children);
  }

  /** Text, code and breaks under `nodes`, dropping emphasis/strong/links, without recursion. */
  flatInlines(nodes: readonly Nodes[]): Inline[] {
    const out: Inline[] = [];
    const stack = [...nodes].reverse();
    for (let node = stack.pop(); node !== undefined; node = stack.pop()) {
      if (node.type === "emphasis" || node.type === "strong" || node.type === "link") {
        for (let i = node.children.length - 1; i >= 0; i--) stack.push(node.children[i] as Nodes);
      } else if (node.type === "text") {
        pushText(out, node.value);
      } else if (node.type === "inlineCode") {
        out.push({ type: "inlineCode", value: node.value });
      } else if (node.type === "break") {
        out.push({ type: "break" });
      } else {
        pushText(out, this.text(node));
      }
    }
    return out;
  }

  /**
   * Text content of a node outside the subset (values, image alt text, breaks as newlines),
   * without recursion. A node with no text at all (e.g. a thematic break) falls back to its
   * source so nothing is dropped silently.
   */
  text(root: Nodes): string {
    let s = "";
    const stack: Nodes[] = [root];
    for (let node = stack.pop(); node !== undefined; node = stack.pop()) {
      if ("value" in node) s += node.value;
      else if (node.type === "image") s += node.alt ?? "";
      else if (node.type === "break") s += "\n";
      else if ("children" in node) {
        for (let i = node.children.length - 1; i >= 0; i--) stack.push(node.children[i] as Nodes);
      }
    }
    if (s !== "") return s;
    const start = root.position?.start.offset;
    const end = root.position?.end.offset;
    return start !== undefined && end !== undefined ? this.source.slice(start, end) : "";
  }
}

/** Appends text, merging with a preceding text node; empty text is dropped. */
function pushText(out: Inline[], value: string): void {
  if (value === "") return;
  const last = out[out.length - 1];
  if (last?.type === "text") last.value += value;
  else out.push({ type: "text", value });
}

function pushInline(out: Inline[], node: Inline): void {
  if (node.type === "text") pushText(out, node.value);
  else out.push(node);
}
