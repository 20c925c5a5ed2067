import { Parser } from "htmlparser2";
import { unreadable } from "./input";
import type { ImportRecord } from "./records";

/*
 * Streaming XML for the export formats, on htmlparser2 in xmlMode: it takes the document in
 * chunks of any size and calls back per tag and text run, so only the element being read is in
 * memory. It is forgiving by design, so the completeness checks (the right root element, closed
 * at the end) are ours. Elements are matched by their qualified names (`dsq:id`, `wp:comment`):
 * Disqus and WordPress always write these prefixes, and htmlparser2 does not resolve namespaces.
 */

/**
 * A format's reader: sees each element close with its text and the attributes it opened with,
 * and queues the records it completes in `done`.
 */
export abstract class XmlReader {
  /** Names of the open elements, outermost first. */
  protected readonly stack: string[] = [];
  private readonly attributes: Record<string, string>[] = [];
  private text = "";
  private closedRoot = false;
  /** Set once the input is over: htmlparser2 then closes whatever is still open, by itself. */
  private inputEnded = false;
  readonly done: ImportRecord[] = [];

  constructor(
    private readonly root: string,
    private readonly formatName: string,
  ) {}

  /** An element closed: `path` is its place ("disqus/post/author/name"), with its own text. */
  protected abstract element(path: string, text: string, attributes: Record<string, string>): void;

  /** An element opened, for readers that start a record there. */
  protected opened(_path: string): void {}

  open(name: string, attributes: Record<string, string>): void {
    if (this.stack.length === 0 && (name !== this.root || this.closedRoot)) {
      throw unreadable(`this is not a ${this.formatName} export (no <${this.root}> element)`);
    }
    this.stack.push(name);
    this.attributes.push(attributes);
    this.text = "";
    this.opened(this.stack.join("/"));
  }

  characters(text: string): void {
    if (this.stack.length > 0) this.text += text;
  }

  close(): void {
    if (this.inputEnded) {
      throw unreadable(`the ${this.formatName} export ends before its </${this.stack.at(-1)}>`);
    }
    const path = this.stack.join("/");
    const attributes = this.attributes.pop() ?? {};
    this.element(path, this.text.trim(), attributes);
    this.stack.pop();
    this.text = "";
    if (this.stack.length === 0) this.closedRoot = true;
  }

  /** The input is over; what is still open stays unclosed. */
  endOfInput(): void {
    this.inputEnded = true;
  }

  end(): void {
    if (!this.closedRoot) {
      throw unreadable(`the ${this.formatName} export ends before its </${this.root}>`);
    }
  }
}

/** Feeds the text chunks to `reader`, yielding its records as each chunk completes them. */
export async function* readXml(
  chunks: AsyncIterable<string>,
  reader: XmlReader,
): AsyncGenerator<ImportRecord> {
  const parser = new Parser(
    {
      onopentag: (name, attributes) => reader.open(name, attributes),
      ontext: (text) => reader.characters(text),
      onclosetag: () => reader.close(),
    },
    { xmlMode: true },
  );
  for await (const chunk of chunks) {
    parser.write(chunk);
    yield* reader.done.splice(0);
  }
  reader.endOfInput();
  parser.end();
  reader.end();
  yield* reader.done.splice(0);
}
