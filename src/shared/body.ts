/**
 * The structured form of a comment body, shared by the server (which produces it in
 * `src/services/markdown.ts`) and the browser widget (which turns it into DOM nodes with
 * `createElement`/`textContent`, never HTML).
 *
 * This is public API: keep it small and explicit. No imports from server code or packages here;
 * only types and tiny pure helpers that run the same in workerd and the browser.
 */

export type Inline =
  | { type: "text"; value: string }
  | { type: "emphasis"; children: Inline[] }
  | { type: "strong"; children: Inline[] }
  | { type: "inlineCode"; value: string }
  | { type: "link"; url: string; children: Inline[] }
  | { type: "break" };

export type Block =
  | { type: "paragraph"; children: Inline[] }
  /** A fenced or indented code block; the fence's info string is not kept. */
  | { type: "code"; value: string }
  | { type: "blockquote"; children: Block[] }
  /** `start` is present only for ordered lists that do not start at 1. */
  | { type: "list"; ordered: boolean; start?: number; children: ListItem[] };

export type ListItem = { type: "listItem"; children: Block[] };

/** A comment body: a list of blocks. */
export type Body = Block[];

export const ALLOWED_LINK_PROTOCOLS = ["http:", "https:", "mailto:"] as const;

/**
 * True only for absolute URLs whose scheme is http, https or mailto. Relative URLs do not parse
 * without a base and are rejected. The WHATWG parser lower-cases the scheme and strips leading
 * spaces and control characters, so `JAVASCRIPT:` and `  javascript:` are rejected too.
 */
export function isAllowedLinkUrl(url: string): boolean {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return false;
  }
  return (ALLOWED_LINK_PROTOCOLS as readonly string[]).includes(parsed.protocol);
}

function countInlineLinks(nodes: Inline[]): number {
  let n = 0;
  for (const node of nodes) {
    if (node.type === "link") n += 1 + countInlineLinks(node.children);
    else if (node.type === "emphasis" || node.type === "strong")
      n += countInlineLinks(node.children);
  }
  return n;
}

/** Number of link nodes in the body. */
export function countLinks(body: Body): number {
  let n = 0;
  for (const block of body) {
    if (block.type === "paragraph") n += countInlineLinks(block.children);
    else if (block.type === "blockquote") n += countLinks(block.children);
    else if (block.type === "list")
      for (const item of block.children) n += countLinks(item.children);
  }
  return n;
}

function inlineText(nodes: Inline[]): string {
  let s = "";
  for (const node of nodes) {
    if (node.type === "text" || node.type === "inlineCode") s += node.value;
    else if (node.type === "break") s += "\n";
    else s += inlineText(node.children);
  }
  return s;
}

function collectBlockTexts(body: Body, out: string[]): void {
  for (const block of body) {
    if (block.type === "paragraph") out.push(inlineText(block.children));
    else if (block.type === "code") out.push(block.value);
    else if (block.type === "blockquote") collectBlockTexts(block.children, out);
    else for (const item of block.children) collectBlockTexts(item.children, out);
  }
}

/**
 * The text content of the body, for excerpts and notifications: every paragraph and code block
 * in document order, separated by blank lines; hard breaks become newlines.
 */
export function plainText(body: Body): string {
  const parts: string[] = [];
  collectBlockTexts(body, parts);
  return parts.filter((part) => part !== "").join("\n\n");
}

/**
 * The body's text on one line, at most `max` characters (code points, so no emoji is cut in
 * half), ending in "…" when cut: what lists of comments show of each (feeds, recent comments).
 */
export function excerpt(body: Body, max: number): string {
  const text = plainText(body).replace(/\s+/g, " ").trim();
  const chars = [...text];
  if (chars.length <= max) return text;
  return `${chars
    .slice(0, max - 1)
    .join("")
    .trimEnd()}…`;
}
