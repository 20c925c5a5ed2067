import type { CommentStatus } from "../../../shared/vocabulary";

/*
 * What every export parser yields, one record at a time: comments already mapped onto Parley's
 * words (page, status, author), or a record the parser passed over and why. The importer knows
 * nothing of Disqus, WordPress or Parley JSON; the parsers know nothing of the database.
 */

export const IMPORT_FORMATS = ["disqus", "wxr", "parley"] as const;
export type ImportFormat = (typeof IMPORT_FORMATS)[number];

/** The page a comment belongs to, as the export names it (normalised later, like every page). */
export interface ImportedThread {
  page: string;
  title?: string;
  locked?: boolean;
  /** ISO 8601; when absent, the thread is as old as its first imported comment. */
  createdAt?: string;
}

/**
 * A comment body as the export holds it: HTML (Disqus messages; WordPress comments, whose line
 * breaks are paragraphs and breaks as WordPress displays them), or Parley's markdown source.
 */
export type ImportedBody =
  | { kind: "html"; html: string; lineBreaks: boolean }
  | { kind: "markdown"; source: string };

export interface ImportedComment {
  /** The comment's id in the export; with the format, it names the comment for idempotency. */
  externalId: string;
  parentExternalId: string | null;
  thread: ImportedThread;
  author: { name?: string; email?: string; website?: string };
  body: ImportedBody;
  status: CommentStatus;
  /** ISO 8601, as the parser could make it; an unparseable date is the importer's to report. */
  createdAt: string;
  editedAt?: string | null;
  /** A moderator's reply as staff (Parley exports only): its badge comes along. */
  staff?: boolean;
}

/** Where a record is in the file, in words a person can search the file for. */
export type Position = string;

export type ImportRecord =
  | { kind: "comment"; position: Position; comment: ImportedComment }
  | { kind: "skip"; position: Position; reason: string };

export const skipped = (position: Position, reason: string): ImportRecord => ({
  kind: "skip",
  position,
  reason,
});
