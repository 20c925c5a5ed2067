/*
 * D1 as every request uses it: a metered handle, so that what D1 did (rows read and written, its
 * own time, round trips) reaches `Server-Timing` and the row budgets' tests.
 */

/**
 * The header that carries a D1 Sessions bookmark both ways: a response names the database state
 * it saw, and a request that sends it back (or `?bookmark=`) reads a replica at least that fresh.
 */
export const BOOKMARK_HEADER = "X-Parley-Bookmark";

/** What D1 reports having done for one request: summed over every statement. */
export class D1Meter {
  rowsRead = 0;
  rowsWritten = 0;
  durationMs = 0;
  /** Round trips to D1 (a batch is one), and how many of them wrote. */
  calls = 0;
  writingCalls = 0;

  add(metas: (D1Meta | undefined)[]): void {
    this.calls += 1;
    let written = 0;
    for (const meta of metas) {
      if (!meta) continue;
      this.rowsRead += meta.rows_read ?? 0;
      written += meta.rows_written ?? 0;
      this.durationMs += meta.duration ?? 0;
    }
    this.rowsWritten += written;
    if (written > 0) this.writingCalls += 1;
  }
}

export type Queryable = Pick<D1Database, "prepare" | "batch">;

/**
 * Wraps a D1 binding so every statement's `meta` (rows read and written, duration) reaches a
 * meter; that is what `Server-Timing` reports and what the row budgets are tested against.
 * `raw()` returns no meta in D1, so it is answered from `all()` here; drizzle maps batch
 * results the same way, so results are identical as long as selected column names are unique.
 */
class MeteredStatement {
  constructor(
    readonly inner: D1PreparedStatement,
    private readonly meter: D1Meter,
  ) {}

  bind(...values: unknown[]): MeteredStatement {
    return new MeteredStatement(this.inner.bind(...values), this.meter);
  }

  async all<T>(): Promise<D1Result<T>> {
    const result = await this.inner.all<T>();
    this.meter.add([result.meta]);
    return result;
  }

  async run<T>(): Promise<D1Result<T>> {
    const result = await this.inner.run<T>();
    this.meter.add([result.meta]);
    return result;
  }

  async first<T>(column?: string): Promise<T | null> {
    const { results } = await this.all<Record<string, unknown>>();
    const row = results[0];
    if (!row) return null;
    return (column ? row[column] : row) as T;
  }

  async raw<T extends unknown[]>(options?: { columnNames?: boolean }): Promise<T[]> {
    const { results } = await this.all<Record<string, unknown>>();
    const rows = results.map((row) => Object.values(row) as T);
    if (options?.columnNames) return [Object.keys(results[0] ?? {}) as T, ...rows];
    return rows;
  }
}

export function metered(db: Queryable, meter: D1Meter): D1Database {
  const wrapper = {
    prepare: (query: string) => new MeteredStatement(db.prepare(query), meter),
    batch: async (statements: MeteredStatement[]) => {
      const results = await db.batch(statements.map((s) => s.inner));
      meter.add(results.map((result) => result.meta));
      return results;
    },
  };
  // Only prepare and batch are used by drizzle; the cast documents that narrower contract.
  return wrapper as unknown as D1Database;
}
