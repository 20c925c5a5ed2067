import { escapeUTF8 } from "entities";
import {
  type Block,
  type Body,
  type Inline,
  isAllowedLinkUrl,
  type ListItem,
} from "../../shared/body";

/*
 * A comment body (the tree of src/shared/body.ts) as HTML, for what is read outside the widget:
 * feeds, mail, a server-rendered thread. Nothing a commenter wrote is ever passed on as markup:
 * the tree has no HTML in it, every text and attribute value is escaped here (entities' escapeUTF8:
 * & < > " '), and only the elements the tree has are written. A link keeps its href only for
 * http, https and mailto (isAllowedLinkUrl, the rule the parser applied when it was stored) and
 * says `rel="nofollow ugc"`, as the widget's links do; any other node keeps only its text.
 */

/** The elements the tree's simple nodes become. */
const TAGS = {
  paragraph: "p",
  emphasis: "em",
  strong: "strong",
  blockquote: "blockquote",
  listItem: "li",
} as const;

type Node = Block | Inline | ListItem;

const element = (tag: string, inner: string, attributes = "") =>
  `<${tag}${attributes}>${inner}</${tag}>`;

/**
 * One node. The tree was built by the parser, but a stored body may come from an older version
 * or an import: a node this version does not know keeps its text (or its children's), as in the
 * widget, so nothing is dropped and nothing unexpected is written.
 */
function node(n: Node): string {
  switch (n.type) {
    case "text":
      return escapeUTF8(n.value);
    case "break":
      return "<br>";
    case "inlineCode":
      return element("code", escapeUTF8(n.value));
    case "code":
      return element("pre", element("code", escapeUTF8(n.value)));
    case "link":
      return isAllowedLinkUrl(n.url)
        ? element("a", nodes(n.children), ` href="${escapeUTF8(n.url)}" rel="nofollow ugc"`)
        : nodes(n.children);
    case "list": {
      const start = n.ordered && Number.isInteger(n.start) ? ` start="${n.start}"` : "";
      return element(n.ordered ? "ol" : "ul", nodes(n.children), start);
    }
    case "paragraph":
    case "emphasis":
    case "strong":
    case "blockquote":
    case "listItem":
      return element(TAGS[n.type], nodes(n.children));
    default:
      return unknownNode(n);
  }
}

function unknownNode(n: unknown): string {
  const loose = n as { value?: unknown; children?: unknown };
  if (typeof loose.value === "string") return escapeUTF8(loose.value);
  return Array.isArray(loose.children) ? nodes(loose.children as Node[]) : "";
}

function nodes(list: readonly Node[]): string {
  return list.map(node).join("");
}

/** The body as an HTML fragment: escaped text in the tree's own elements, nothing else. */
export function bodyToHtml(body: Body): string {
  return nodes(body);
}
