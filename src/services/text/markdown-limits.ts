/**
 * What a body's markdown may hold, checked in one pass over the source before it is parsed.
 *
 * Why: micromark (under mdast-util-from-markdown) is correct on any input, but several of its
 * steps cost time that grows with the square of some count, so a 5,000-character body built
 * for them took up to seconds of CPU in workerd, or overflowed its stack (BENCHMARKS.md,
 * "Hostile bodies"):
 *
 * - each list item after the first, and each line that ends or lazily continues a quote or a
 *   list, copies or rescans the events of the whole document so far: the cost grows with
 *   (list items + quote and list markers) × lines;
 * - markers opened on one line (`- - - …`, `>>>…`) nest the tree that deep, and the tree walk
 *   after parsing recurses once per level: 2,500 levels overflow workerd's stack;
 * - each emphasis delimiter (`*`, `_`) and each `]` looks back through its paragraph (for an
 *   opener, for its `[`) and splices the paragraph's events; every link also starts two small
 *   parsers of its own (1,000 links took 43 ms);
 * - a bare URL (`www.`, `://`) that turns out not to be one is searched for again from the next
 *   one, each time to the end of the run of characters without a space (`_www._www._www.…`).
 *
 * So these counts are capped, far above what people write; a body over a cap is refused (422)
 * instead of parsed. Counting is rough only in the safe direction: markers inside code count
 * too, and a paragraph is taken to end only where it surely does, since knowing more would
 * take the parse this pass stands in front of. Written by hand because it must itself be
 * linear: one pass, no regular expression that could backtrack.
 */

export const MARKDOWN_LIMITS = {
  /** Lines, blank ones included. */
  lines: 500,
  /** Quote (`>`) and list markers at the start of one line: how deep one line may nest. */
  nesting: 16,
  /** Quote and list markers at the starts of all lines. */
  markers: 500,
  /** List items (list markers at the start of a line). */
  listItems: 200,
  /** `*`, `_` (but between letters or digits) and `]` (after a `[`) in one paragraph… */
  marksPerParagraph: 100,
  /** …and in the whole body. */
  marks: 500,
  /** `www.` and `://` in one run of characters without a space. */
  urlsPerWord: 10,
} as const;

const TAB = 0x09;
const LF = 0x0a;
const CR = 0x0d;
const SPACE = 0x20;
const STAR = 0x2a;
const GREATER_THAN = 0x3e;
const OPEN_BRACKET = 0x5b;
const BACKSLASH = 0x5c;
const CLOSE_BRACKET = 0x5d;
const UNDERSCORE = 0x5f;

const isLineEnd = (c: number) => c === LF || c === CR;
const isSpace = (c: number) => c === SPACE || c === TAB;
const isDigit = (c: number) => c >= 0x30 && c <= 0x39;
const isAsciiAlphanumeric = (c: number) =>
  isDigit(c) || (c >= 0x41 && c <= 0x5a) || (c >= 0x61 && c <= 0x7a);
/** ASCII punctuation: what a backslash escapes in CommonMark. */
const isAsciiPunctuation = (c: number) =>
  (c >= 0x21 && c <= 0x2f) ||
  (c >= 0x3a && c <= 0x40) ||
  (c >= 0x5b && c <= 0x60) ||
  (c >= 0x7b && c <= 0x7e);
const isW = (c: number) => c === 0x77 || c === 0x57;

interface LineStart {
  /** Where the text after the markers begins. */
  end: number;
  /** Quote and list markers. */
  markers: number;
  /** List markers. */
  items: number;
  /** Whether the line surely starts a paragraph: it opens a list item that may interrupt one. */
  newParagraph: boolean;
}

/**
 * The quote and list markers at the start of the line at `start`, with any spaces around them.
 * Counted generously (a marker after four spaces may be code); `newParagraph` only when sure:
 * a bullet or a `1.` with text after it, at most three spaces in, interrupts any paragraph
 * (CommonMark 5.2), wherever the line stands.
 */
function lineStart(s: string, start: number): LineStart {
  const line: LineStart = { end: start, markers: 0, items: 0, newParagraph: false };
  let i = start;
  let afterQuote = false;
  for (;;) {
    let spaces = 0;
    let tabs = false;
    for (; i < s.length && isSpace(s.charCodeAt(i)); i++) {
      spaces++;
      tabs ||= s.charCodeAt(i) === TAB;
    }
    // After a `>`, one space belongs to the marker.
    const shallow = !tabs && spaces - (afterQuote ? 1 : 0) <= 3;
    const c = s.charCodeAt(i);
    if (c === GREATER_THAN) {
      line.markers++;
      i++;
      afterQuote = true;
      continue;
    }
    let after = -1;
    let interrupts = false;
    if (c === 0x2d /* - */ || c === 0x2b /* + */ || c === STAR) {
      after = i + 1;
      interrupts = true;
    } else if (isDigit(c)) {
      let j = i;
      while (j < s.length && j - i < 9 && isDigit(s.charCodeAt(j))) j++;
      const d = s.charCodeAt(j);
      if (d === 0x2e /* . */ || d === 0x29 /* ) */) after = j + 1;
      // Only a list starting at 1 may interrupt a paragraph.
      interrupts = Number(s.slice(i, j)) === 1;
    }
    // A list marker is followed by a space, a tab or the end of its line.
    const next = after < 0 ? -1 : after < s.length ? s.charCodeAt(after) : LF;
    if (!(isSpace(next) || isLineEnd(next))) break;
    line.markers++;
    line.items++;
    let text = after;
    while (text < s.length && isSpace(s.charCodeAt(text))) text++;
    // An empty item may not interrupt a paragraph either.
    if (interrupts && shallow && text < s.length && !isLineEnd(s.charCodeAt(text))) {
      line.newParagraph = true;
    }
    i = after;
    afterQuote = false;
  }
  line.end = i;
  return line;
}

/** Why the body's markdown is refused (a sentence for the API's `details`), or undefined. */
export function markdownProblem(s: string): string | undefined {
  const L = MARKDOWN_LIMITS;
  let lines = 0;
  let markers = 0;
  let items = 0;
  let marks = 0;
  let paragraphMarks = 0;
  let bracketOpen = false;
  let i = 0;
  while (i <= s.length) {
    lines++;
    if (lines > L.lines) return `At most ${L.lines} lines.`;
    const start = lineStart(s, i);
    if (start.markers > L.nesting) {
      return `At most ${L.nesting} quote and list markers at the start of a line.`;
    }
    markers += start.markers;
    if (markers > L.markers) return `At most ${L.markers} quote and list markers in all.`;
    items += start.items;
    if (items > L.listItems) return `At most ${L.listItems} list items.`;
    if (start.newParagraph) {
      paragraphMarks = 0;
      bracketOpen = false;
    }
    let blank = start.markers === 0;
    let urls = 0;
    for (i = start.end; i < s.length && !isLineEnd(s.charCodeAt(i)); i++) {
      const c = s.charCodeAt(i);
      if (isSpace(c)) {
        urls = 0;
        continue;
      }
      blank = false;
      let found = 0;
      if (c === BACKSLASH && isAsciiPunctuation(s.charCodeAt(i + 1))) {
        i++; // an escaped character is text
      } else if (c === STAR || c === UNDERSCORE) {
        let end = i + 1;
        while (s.charCodeAt(end) === c) end++;
        // `_` between letters or digits can neither open nor close emphasis.
        const intraword =
          c === UNDERSCORE &&
          isAsciiAlphanumeric(s.charCodeAt(i - 1)) &&
          isAsciiAlphanumeric(s.charCodeAt(end));
        if (!intraword) found = end - i;
        i = end - 1;
      } else if (c === OPEN_BRACKET) {
        bracketOpen = true;
      } else if (c === CLOSE_BRACKET && bracketOpen) {
        found = 1;
      } else if (
        (c === 0x2e /* . */ &&
          isW(s.charCodeAt(i - 1)) &&
          isW(s.charCodeAt(i - 2)) &&
          isW(s.charCodeAt(i - 3))) ||
        (c === 0x3a /* : */ && s.startsWith("//", i + 1))
      ) {
        urls++;
        if (urls > L.urlsPerWord) {
          return `At most ${L.urlsPerWord} web addresses run together without a space.`;
        }
      }
      if (found > 0) {
        marks += found;
        paragraphMarks += found;
        if (paragraphMarks > L.marksPerParagraph) {
          return `At most ${L.marksPerParagraph} emphasis and link marks (*, _, ]) in one paragraph.`;
        }
        if (marks > L.marks) return `At most ${L.marks} emphasis and link marks (*, _, ]) in all.`;
      }
    }
    // A blank line ends every paragraph.
    if (blank) {
      paragraphMarks = 0;
      bracketOpen = false;
    }
    // Past the line ending (CR LF is one).
    if (s.charCodeAt(i) === CR && s.charCodeAt(i + 1) === LF) i++;
    i++;
  }
  return undefined;
}
