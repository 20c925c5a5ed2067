/**
 * A page of `size` rows from a query asked for one row more: the extra row, if it came, says
 * that another page exists, at the cost of one row rather than a count.
 */
export function splitPage<T>(rows: T[], size: number): { page: T[]; more: boolean } {
  return { page: rows.slice(0, size), more: rows.length > size };
}

/** The cursor of the next page of id-ordered rows: the last id shown, when more exist. */
export const nextIdCursor = (split: { page: { id: string }[]; more: boolean }) =>
  split.more ? (split.page.at(-1)?.id ?? null) : null;
