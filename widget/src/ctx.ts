/** A comment in the API's public shape (src/routes/schemas.ts PublicCommentSchema). */
export type Comment = {
  id: string;
  parentId: string | null;
  depth: number;
  author: { name: string; website: string | null; avatar: string } | null;
  /** The structured tree (src/shared/body.ts); the contract also allows raw text. */
  body: unknown;
  createdAt: string;
  editedAt: string | null;
  status: "published" | "deleted" | "pending";
  replyCount: number;
  score: number;
  moreReplies?: string | null;
};

/** A rendered comment keeps its data and its replies list on the element itself. */
export type Item = HTMLLIElement & { c: Comment; o?: HTMLOListElement };

/**
 * The state of the one mounted section, shared by the modules that draw and change it. index.ts
 * sets the rest before anything reads it.
 */
export const ctx = { els: new Map() } as {
  page: string;
  title: string;
  sort: string;
  issuedAt?: string;
  count: number;
  locked: boolean;
  /** Cursor of the next page of top-level comments; null on the last page. */
  next: string | null;
  /**
   * Rendered comments by id: replies and new comments find their parent here, and a comment
   * that arrives again (a later page, a permalink, a subtree continued) is moved, not repeated.
   */
  els: Map<string, Item>;
  h2: HTMLElement;
  list: HTMLOListElement;
  status: HTMLElement;
  more: HTMLElement;
  form: HTMLFormElement;
  /** Where the post form lives when it is not under a comment as a reply form. */
  home: HTMLElement;
  /**
   * Relative times ("3 hours ago"), made once per page. The first Intl date formatter a page
   * builds loads ICU's date data, about 20 ms in Chromium; index.ts builds this one while the
   * first requests are on the wire, and the exact-time titles after it cost microseconds.
   */
  rtf: Intl.RelativeTimeFormat;
};
