/**
 * What the widget remembers in localStorage. Every access is guarded: storage can be full,
 * disabled, or throw in sandboxed frames, and the comments must still work without it.
 */
type Own = { token: string; until: string; text: string };

export const AUTHOR = "parley:author";
let site = "";

/** Keys other than the author's details are per site, so two sites on one origin stay apart. */
export const key = (name: string) => `parley:${site}:${name}`;

// biome-ignore lint/suspicious/noExplicitAny: stored JSON, read defensively by each caller
export function load(k: string): any {
  try {
    return JSON.parse(localStorage.getItem(k) as string) || {};
  } catch {
    return {};
  }
}

export function save(k: string, v: unknown): void {
  try {
    localStorage.setItem(k, JSON.stringify(v));
  } catch {
    // Not remembering is fine; failing to post because of it is not.
  }
}

/** Edit tokens of the reader's own comments, by comment id, with the text as typed. */
export let own: Record<string, Own> = {};
/** The reader's votes by comment id: 1, -1 (0 once withdrawn). */
export let votes: Record<string, number> = {};

const open = (o?: Own) => Date.parse(o?.until as string) > Date.now();

/** The edit token for a comment while its edit window is open. */
export const mine = (id: string) => (open(own[id]) ? own[id] : undefined);

export const keepOwn = () => save(key("tokens"), own);

export function initStore(siteId: string): void {
  site = siteId;
  own = load(key("tokens"));
  // An expired token can do nothing, so there is no reason to keep it.
  for (const id in own) if (!open(own[id])) delete own[id];
  keepOwn();
  votes = load(key("votes"));
}
