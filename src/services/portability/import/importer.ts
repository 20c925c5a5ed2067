import type { Db } from "../../../db/client";
import type { NewThreadRow } from "../../../db/comments";
import { findStored, type ImportedCommentRow, insertImported } from "../../../db/import";
import type { SiteRow } from "../../../db/sites";
import { derivedId, newId } from "../../../platform/ids";
import type { Body } from "../../../shared/body";
import { LIMITS } from "../../../shared/limits";
import { COMMENT_ID_PATTERN } from "../../../shared/vocabulary";
import { pageKey } from "../../comments/page-key";
import { bodyHash, placement } from "../../comments/posting";
import { authorHash, avatarSeed, newAuthorToken } from "../../readers/authors";
import { parseBody, plainTextBody, UnparsableBody } from "../../text/markdown";
import {
  authorEmail,
  authorName,
  authorWebsite,
  hasVisibleText,
  instant,
  line,
  page,
} from "./fields";
import { htmlToMarkdown } from "./html-body";
import type { ImportedComment, ImportFormat, ImportRecord, Position } from "./records";

/*
 * Writes parsed records into a site, a chunk at a time, so memory holds one chunk of comments
 * plus, for every comment of the file, where it went (its path and page: about a hundred bytes),
 * which replies need to find their parents.
 *
 * - Idempotent: a comment's id is derived from (site, format, its id in the export) and its date
 *   (services/ids.ts `derivedId`), and threads are found by page, so a second import of the same
 *   file finds everything there and adds nothing. A Parley export keeps its own ids where they
 *   are free, so permalinks survive a move to a new database.
 * - Replies nest under their parents within the site's `maxDepth`, as posting places them. A
 *   reply whose parent is not in the file (or was skipped, or is on another page) is imported
 *   as a top-level comment and reported in `warnings`: its words stay, only their place changed.
 * - Bad records (no page, no date, an empty body, a duplicate id) are reported and skipped. A
 *   body whose markdown the parser will not take (markdown-limits.ts) is kept as plain text and
 *   reported in `warnings`: an old comment's words are never lost to a rule made for new ones.
 * - Dry run: the same reads and decisions, no writes.
 */

/** Comments per chunk: one read batch and one write batch each. */
const CHUNK = 500;
/** Problems listed in a report; beyond that only counted, so a report stays small. */
const LISTED = 1000;

export interface Problem {
  position: Position;
  reason: string;
}

export interface ImportReport {
  threads: number;
  comments: number;
  skipped: Problem[];
  skippedTotal: number;
  warnings: Problem[];
  warningsTotal: number;
  dryRun: boolean;
}

class Problems {
  readonly listed: Problem[] = [];
  total = 0;

  add(position: Position, reason: string): void {
    this.total += 1;
    if (this.listed.length < LISTED) this.listed.push({ position, reason });
  }
}

/** Where a comment of the file went: replies below it are placed from this. */
interface Placed {
  path: string;
  pageKey: string;
}

/** A comment record as it came, waiting in the chunk. */
type Waiting = { position: Position; comment: ImportedComment };

/** A record made ready to store, before the database has been asked about it. */
interface Prepared {
  position: Position;
  source: ImportedComment;
  /** Ids it may have, in order of preference; the first one free is taken. */
  ids: string[];
  pageKey: string;
  thread: NewThreadRow;
  row: Omit<ImportedCommentRow, "id" | "parentId" | "rootId" | "depth" | "path">;
}

function bodySource(comment: ImportedComment): string {
  const { body } = comment;
  return body.kind === "markdown"
    ? body.source
    : htmlToMarkdown(body.html, { lineBreaks: body.lineBreaks });
}

export class Importer {
  private readonly placed = new Map<string, Placed>();
  private readonly knownPages = new Set<string>();
  /**
   * An author token per author (by email, else name) of this import, so their comments share an
   * avatar. Made up here: an imported author has none, and the seed must not come from the email.
   */
  private readonly authorTokens = new Map<string, string>();
  private readonly skipped = new Problems();
  private readonly warnings = new Problems();
  private chunk: Waiting[] = [];
  private threads = 0;
  private comments = 0;

  constructor(
    private readonly db: Db,
    private readonly site: SiteRow,
    private readonly format: ImportFormat,
    private readonly dryRun: boolean,
  ) {}

  async add(record: ImportRecord): Promise<void> {
    if (record.kind === "skip") {
      this.skipped.add(record.position, record.reason);
      return;
    }
    this.chunk.push(record);
    if (this.chunk.length >= CHUNK) await this.flush();
  }

  async finish(): Promise<ImportReport> {
    await this.flush();
    return {
      threads: this.threads,
      comments: this.comments,
      skipped: this.skipped.listed,
      skippedTotal: this.skipped.total,
      warnings: this.warnings.listed,
      warningsTotal: this.warnings.total,
      dryRun: this.dryRun,
    };
  }

  /** The comment as a row, or why it cannot be one. */
  private async prepare(position: Position, c: ImportedComment): Promise<Prepared | string> {
    const given = page(c.thread.page);
    if (!given) return "its page is missing or not a page (empty, too long, control characters)";
    const createdAt = instant(c.createdAt);
    if (!createdAt) return `its date "${line(c.createdAt, 40)}" is not a date`;
    const source = bodySource(c);
    // Deleted and spam comments may have had their words erased (a placeholder, a purge).
    const erased = c.status === "deleted" || c.status === "spam";
    const hasWords = hasVisibleText(source);
    if (!hasWords && !erased) return "its body is empty";
    if (source.length > LIMITS.importedBody) {
      return `its body is longer than ${LIMITS.importedBody} characters`;
    }
    let body: Body = [];
    try {
      if (hasWords) body = parseBody(source);
    } catch (error) {
      if (!(error instanceof UnparsableBody)) throw error;
      body = plainTextBody(source);
      this.warnings.add(position, `its markdown is not read (${error.reason}): kept as plain text`);
    }
    const key = pageKey(given);
    const email = authorEmail(c.author.email);
    const name = erased && !c.author.name ? "" : authorName(c.author.name);
    const website = authorWebsite(c.author.website);
    const ms = Date.parse(createdAt);
    const derived = await derivedId("c", ms, `${this.site.id}\n${this.format}\n${c.externalId}`);
    const threadCreated = instant(c.thread.createdAt) ?? createdAt;
    return {
      position,
      source: c,
      ids:
        this.format === "parley" && COMMENT_ID_PATTERN.test(c.externalId)
          ? [c.externalId, derived]
          : [derived],
      pageKey: key,
      thread: {
        id: newId("t", Date.parse(threadCreated)),
        siteId: this.site.id,
        pageKey: key,
        title: line(c.thread.title, LIMITS.title) || key,
        count: 0,
        locked: c.thread.locked ?? false,
        version: 0,
        createdAt: threadCreated,
      },
      row: {
        siteId: this.site.id,
        pageKey: key,
        authorName: name,
        authorEmail: email,
        authorWebsite: website,
        // No author token: nobody posting can be recognised as an imported author (first-time
        // moderation holds them once), since a post's token is never empty.
        authorHash: await authorHash(this.site, "", { name, email }),
        avatar: name ? await avatarSeed(this.site, this.authorToken(email ?? `name:${name}`)) : "",
        ipHash: null,
        userAgent: null,
        bodySource: source,
        bodyJson: JSON.stringify(body),
        bodyHash: hasWords ? await bodyHash(source) : null,
        status: c.status,
        spamReasons: null,
        replyCount: 0,
        score: 0,
        editTokenHash: null,
        editableUntil: null,
        createdAt,
        editedAt: instant(c.editedAt) ?? null,
        // Which key wrote it stays behind with the keys; that staff wrote it comes along.
        staffBy: c.staff ? "imported" : null,
      },
    };
  }

  private authorToken(author: string): string {
    const token = this.authorTokens.get(author) ?? newAuthorToken();
    this.authorTokens.set(author, token);
    return token;
  }

  /**
   * Prepares the chunk's comments, together: hashing is asynchronous, and one at a time each
   * would wait its turn.
   */
  private async prepareChunk(waiting: Waiting[]): Promise<Prepared[]> {
    const prepared = await Promise.all(waiting.map((w) => this.prepare(w.position, w.comment)));
    return prepared.filter((p, i): p is Prepared => {
      if (typeof p !== "string") return true;
      this.skipped.add(waiting[i]?.position ?? "", p);
      return false;
    });
  }

  /** Asks the database about the chunk, places its comments, and writes what is new. */
  private async flush(): Promise<void> {
    const waiting = this.chunk;
    this.chunk = [];
    const chunk = await this.prepareChunk(waiting);
    if (chunk.length === 0) return;
    const pages = [...new Set(chunk.map((p) => p.pageKey))].filter((k) => !this.knownPages.has(k));
    const stored = await findStored(
      this.db,
      this.site.id,
      chunk.flatMap((p) => p.ids),
      pages,
    );
    const storedById = new Map(stored.comments.map((c) => [c.id, c]));
    for (const key of stored.pages) this.knownPages.add(key);

    const newThreads = new Map<string, NewThreadRow>();
    const rows: ImportedCommentRow[] = [];
    for (const prepared of chunk) {
      const { externalId } = prepared.source;
      if (this.placed.has(externalId)) {
        this.skipped.add(prepared.position, `its id ${externalId} is taken by an earlier record`);
        continue;
      }
      const stored = prepared.ids
        .map((id) => storedById.get(id))
        .find((comment) => comment?.siteId === this.site.id);
      if (stored) {
        this.placed.set(externalId, { path: stored.path, pageKey: stored.pageKey });
        continue;
      }
      // A Parley export imported beside its own site: that site keeps the ids, this one derives.
      const id = prepared.ids.find((candidate) => !storedById.has(candidate));
      if (!id) {
        this.skipped.add(prepared.position, `its id ${externalId} is taken on another site`);
        continue;
      }
      const row = { ...prepared.row, id, ...placement(this.site, this.parentOf(prepared), id) };
      this.placed.set(externalId, { path: row.path, pageKey: prepared.pageKey });
      rows.push(row);
      if (!this.knownPages.has(prepared.pageKey)) {
        this.knownPages.add(prepared.pageKey);
        newThreads.set(prepared.pageKey, prepared.thread);
      }
    }
    this.threads += newThreads.size;
    this.comments += rows.length;
    if (!this.dryRun) await insertImported(this.db, this.site.id, [...newThreads.values()], rows);
  }

  /** The placed parent of a reply, or undefined (and a warning) when it has none to go under. */
  private parentOf(prepared: Prepared) {
    const parentId = prepared.source.parentExternalId;
    if (!parentId) return undefined;
    const parent = this.placed.get(parentId);
    const problem = !parent
      ? `its parent ${parentId} is not in the export (or was skipped)`
      : parent.pageKey !== prepared.pageKey
        ? `its parent ${parentId} is on another page`
        : undefined;
    if (problem || !parent) {
      this.warnings.add(prepared.position, `${problem}: imported as a top-level comment`);
      return undefined;
    }
    const ancestors = parent.path.split("/");
    return {
      id: ancestors.at(-1) ?? parent.path,
      path: parent.path,
      depth: ancestors.length - 1,
      rootId: ancestors[0] ?? parent.path,
    };
  }
}
