import { JSONParser } from "@streamparser/json";
import { z } from "zod";
import { ApiError } from "../../../errors";
import { COMMENT_STATUSES } from "../../../shared/vocabulary";
import { EXPORT_FORMAT } from "../export";
import { unreadable } from "./input";
import { type ImportedThread, type ImportRecord, skipped } from "./records";

/*
 * Parley's own JSON (GET …/export, services/export.ts), read as a stream: the parser hands over
 * one element of `threads` or `comments` at a time and keeps nothing it has handed over, so a
 * file of any size is read in bounded memory. The threads (one small entry each) are kept until
 * the comments, which come after them, name their pages.
 */

const nullableText = z.string().nullable().optional();

const ThreadEntry = z.object({
  page: z.string(),
  title: z.string().optional(),
  locked: z.boolean().optional(),
  createdAt: z.string().optional(),
});

const CommentEntry = z.object({
  id: z.string().min(1),
  page: z.string(),
  parentId: nullableText,
  author: z.object({ name: nullableText, email: nullableText, website: nullableText }),
  body: z.string(),
  status: z.enum(COMMENT_STATUSES),
  createdAt: z.string(),
  editedAt: nullableText,
  staff: z.boolean().optional(),
});

const problem = (error: z.ZodError) =>
  error.issues.map((issue) => `${issue.path.join(".") || "entry"}: ${issue.message}`).join("; ");

class ParleyReader {
  private readonly threads = new Map<string, ImportedThread>();
  private format: unknown;
  private version: unknown;
  readonly done: ImportRecord[] = [];

  value(list: string | number | undefined, index: number | string | undefined, value: unknown) {
    if (list === undefined) {
      if (index === "format") this.format = value;
      if (index === "version") this.version = value;
      return;
    }
    this.checkHead();
    if (list === "threads") this.thread(Number(index), value);
    else this.comment(Number(index), value);
  }

  /** The head comes first in every export, so a file without it is refused before any record. */
  checkHead(): void {
    if (this.format !== EXPORT_FORMAT.format || this.version !== EXPORT_FORMAT.version) {
      throw unreadable(
        `this is not a Parley export (format "${EXPORT_FORMAT.format}", version ${EXPORT_FORMAT.version})`,
      );
    }
  }

  private thread(index: number, value: unknown): void {
    const entry = ThreadEntry.safeParse(value);
    if (!entry.success) {
      this.done.push(skipped(`threads[${index}]`, problem(entry.error)));
      return;
    }
    this.threads.set(entry.data.page, entry.data);
  }

  private comment(index: number, value: unknown): void {
    const entry = CommentEntry.safeParse(value);
    const id = typeof value === "object" && value && "id" in value ? String(value.id) : "missing";
    const position = `comments[${index}] (id ${id})`;
    if (!entry.success) {
      this.done.push(skipped(position, problem(entry.error)));
      return;
    }
    const c = entry.data;
    this.done.push({
      kind: "comment",
      position,
      comment: {
        externalId: c.id,
        parentExternalId: c.parentId ?? null,
        thread: this.threads.get(c.page) ?? { page: c.page },
        author: {
          name: c.author.name ?? undefined,
          email: c.author.email ?? undefined,
          website: c.author.website ?? undefined,
        },
        body: { kind: "markdown", source: c.body },
        status: c.status,
        createdAt: c.createdAt,
        editedAt: c.editedAt ?? null,
        staff: c.staff ?? false,
      },
    });
  }
}

export async function* readParley(chunks: AsyncIterable<string>): AsyncGenerator<ImportRecord> {
  const reader = new ParleyReader();
  const parser = new JSONParser({
    paths: ["$.format", "$.version", "$.threads.*", "$.comments.*"],
    keepStack: false,
  });
  parser.onValue = ({ value, key, stack }) => reader.value(stack[1]?.key, key, value);
  const write = (chunk: string | undefined) => {
    try {
      // The parser ends itself after the top-level value; only a document cut short is left open.
      if (chunk === undefined) {
        if (!parser.isEnded) parser.end();
      } else if (chunk !== "") parser.write(chunk);
    } catch (error) {
      // Our own refusal passes as it is; the parser's words only say where the JSON broke.
      if (error instanceof ApiError) throw error;
      throw unreadable("it is not well-formed JSON");
    }
  };
  for await (const chunk of chunks) {
    write(chunk);
    yield* reader.done.splice(0);
  }
  write(undefined);
  reader.checkHead();
  yield* reader.done.splice(0);
}
