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

const el = null as unknown as HTMLElement;

/**
 * The state of the one mounted section, shared by the modules that draw and change it (and,
 * through window.parley, by widget-ui.js). index.ts fills in the elements.
 */
export const ctx = {
  page: "",
  title: "",
  sort: "oldest",
  issuedAt: undefined as string | undefined,
  count: 0,
  locked: false,
  /** Cursor of the next page of top-level comments; null on the last page. */
  next: null as string | null,
  /** Rendered comments by id, so replies and new comments find their parent. */
  els: new Map<string, Item>(),
  root: null as unknown as ShadowRoot,
  h2: el,
  list: el as HTMLOListElement,
  status: el,
  more: el,
  form: el as HTMLFormElement,
  /** Where the post form lives when it is not under a comment as a reply form. */
  home: el,
};
