import type { PublicComment, Sort } from "../../src/shared/vocabulary";

/*
 * Names that start with "_" are the widget's own: no API field, stored key, DOM property or
 * global has one, so the build lets terser shorten them everywhere (scripts/build-widget.mjs).
 * Everything else keeps its name in widget.js: API fields, localStorage records, data-*
 * attributes and DOM properties are read or written by something outside this code.
 */

/** A rendered comment keeps its data and its replies list on the element itself. */
export type Item = HTMLLIElement & { _comment: PublicComment; _replies?: HTMLOListElement };

/**
 * What a button or form does when the reader uses it: its `data-action` attribute, and the key
 * of its handler in actions.ts.
 */
export type Action =
  | "sort"
  | "load-more"
  | "more-replies"
  | "vote-up"
  | "vote-down"
  | "reply"
  | "cancel-reply"
  | "post"
  | "edit"
  | "save"
  | "delete"
  | "report"
  | "flag"
  | "cancel";

/**
 * The state of the one mounted section, shared by the modules that draw and change it. index.ts
 * sets all of it afresh on each mount, before anything reads it, so a later mount (another page,
 * another element) starts clean.
 */
export const ctx = {} as {
  _page: string;
  _title: string;
  _sort: Sort;
  _issuedAt?: string;
  _count: number;
  _locked: boolean;
  /** Cursor of the next page of top-level comments; null on the last page. */
  _nextCursor: string | null;
  /**
   * Rendered comments by id: replies and new comments find their parent here, and a comment
   * that arrives again (a later page, a permalink, a subtree continued) is moved, not repeated.
   */
  _items: Map<string, Item>;
  _heading: HTMLElement;
  _list: HTMLOListElement;
  /** The polite live region. */
  _status: HTMLElement;
  _loadMore: HTMLElement;
  _form: HTMLFormElement;
  /** Where the post form lives when it is not under a comment as a reply form. */
  _home: HTMLElement;
  /**
   * Relative times ("3 hours ago"), made once per page. The first Intl date formatter a page
   * builds loads ICU's date data, about 20 ms in Chromium; index.ts builds this one while the
   * first requests are on the wire, and the exact-time titles after it cost microseconds.
   */
  _relativeTime: Intl.RelativeTimeFormat;
};
