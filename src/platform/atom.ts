import { escapeUTF8 } from "entities";

/*
 * An Atom 1.0 document (RFC 4287), written out rather than built with an XML library: the
 * document is a handful of fixed elements, and what varies is only ever text, which `text`
 * below makes safe for XML. A builder would add a dependency for what is a template here.
 */

export interface AtomEntry {
  /** A permanent, unique IRI. */
  id: string;
  title: string;
  author: string;
  /** RFC 3339 times. */
  published: string;
  updated: string;
  /** The entry's page, when it has one a reader can open. */
  link: string | null;
  /** An HTML fragment, sent escaped as `type="html"` content. */
  html: string;
}

export interface AtomFeed {
  /** The feed's own address: its id and its `rel="self"` link. */
  self: string;
  title: string;
  /**
   * Named on the feed as well as on each entry: RFC 4287 requires a feed author unless every
   * entry has one, which an empty feed may be read not to satisfy.
   */
  author: string;
  updated: string;
  /** The page the feed is about, when it has one a reader can open. */
  alternate: string | null;
  entries: AtomEntry[];
}

/**
 * Characters XML 1.0 does not allow in a document, even as references (C0 controls other than
 * tab, line feed and carriage return; U+FFFE and U+FFFF), with the C1 controls it discourages.
 * Lone surrogates are mended by toWellFormed. Validation keeps all of these out of what readers
 * write; an import may not have.
 */
const NOT_XML = /(?![\t\n\r])[\p{Cc}\uFFFE\uFFFF]/gu;

/** Text as XML character data or an attribute value: well formed, then & < > " ' escaped. */
const text = (value: string) => escapeUTF8(value.toWellFormed().replace(NOT_XML, "\uFFFD"));

const link = (rel: string, type: string, href: string | null) =>
  href ? `<link rel="${rel}" type="${type}" href="${text(href)}"/>` : "";

function entry(e: AtomEntry): string {
  return [
    "<entry>",
    `<id>${text(e.id)}</id>`,
    `<title>${text(e.title)}</title>`,
    `<author><name>${text(e.author)}</name></author>`,
    `<published>${text(e.published)}</published>`,
    `<updated>${text(e.updated)}</updated>`,
    link("alternate", "text/html", e.link),
    `<content type="html">${text(e.html)}</content>`,
    "</entry>",
  ].join("");
}

export function atomDocument(feed: AtomFeed): string {
  return [
    '<?xml version="1.0" encoding="utf-8"?>\n',
    '<feed xmlns="http://www.w3.org/2005/Atom">',
    `<id>${text(feed.self)}</id>`,
    `<title>${text(feed.title)}</title>`,
    `<author><name>${text(feed.author)}</name></author>`,
    `<updated>${text(feed.updated)}</updated>`,
    link("self", "application/atom+xml", feed.self),
    link("alternate", "text/html", feed.alternate),
    "<generator>Parley</generator>",
    ...feed.entries.map(entry),
    "</feed>\n",
  ].join("");
}
