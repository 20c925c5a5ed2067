import type { PublicComment } from "../../src/shared/vocabulary";

/**
 * What the widget remembers in localStorage. Every access is guarded: storage can be full,
 * disabled, or throw in sandboxed frames, and the comments must still work without it.
 */

/**
 * One of the reader's own comments: its edit token, the text as typed and, so that the reader
 * still sees it after a reload while it awaits moderation, its public data `c`. Stored in
 * readers' browsers under these names, so they stay as they are (and the build leaves them
 * whole): a renamed field would lose what was kept before the change.
 */
type Own = { token: string; until: string; text: string; c: PublicComment };

export const AUTHOR = "parley:author";
/** What is kept per site, so that two sites on one origin stay apart: "parley:<site>". */
let siteKey = "";

// biome-ignore lint/suspicious/noExplicitAny: stored JSON, read defensively by each caller
export function load(key: string): any {
  try {
    return JSON.parse(localStorage.getItem(key) as string) || {};
  } catch {
    return {};
  }
}

export function save(key: string, value: unknown): void {
  try {
    localStorage.setItem(key, JSON.stringify(value));
  } catch {
    // Not remembering is fine; failing to post because of it is not.
  }
}

/** The reader's own comments whose edit window is open, by id. */
export let own: Record<string, Own> = {};
/** The reader's votes by comment id: 1, -1 (0 once withdrawn). */
export let votes: Record<string, number> = {};

const open = (entry?: Own) => Date.parse(entry?.until as string) > Date.now();

/** The reader's record of a comment while its edit window is open. */
export const mine = (id: string): Own | undefined => (open(own[id]) ? own[id] : undefined);

/**
 * `bookmark`: the D1 Sessions bookmark of the reader's last write, sent with thread requests, so
 * that the replica answering them has that write (read-your-writes, even after a reload).
 * `authorToken`: the secret the API gave this reader's first post on the site, sent with every
 * later one: their avatar and, under first-time moderation, their standing come from it.
 */
export let session: { bookmark?: string | null; authorToken?: string } = {};

/** Writes the site's record back after a change to `own`, `votes` or `session`. */
export const keep = () => save(siteKey, { own, votes, session });

export function initStore(site: string): void {
  siteKey = `parley:${site}`;
  const kept = load(siteKey);
  own = kept.own || {};
  votes = kept.votes || {};
  // Replaced, not merged: a mount on another site must not send this one's author token.
  session = kept.session || {};
  // An expired token can do nothing, so there is no reason to keep it.
  for (const id in own) if (!open(own[id])) delete own[id];
  keep();
}
