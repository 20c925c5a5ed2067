/*
 * The console's words, by key, as the widget's are (widget/src/i18n/): English is complete and
 * the reference; a locale the console gains later fills in what it has and falls back to these.
 */
export const en = {
  product: "Parley",
  signInTitle: "Sign in",
  signInSecret: "Moderator key or operator token",
  signInButton: "Sign in",
  signInWrong: "That key or token does not open the console. Check it and try again.",
  signInLimited:
    "Too many wrong attempts from your network. Wait a quarter of an hour and try again.",
  signOut: "Sign out",
  signedInAs: "Signed in as",
  sitesTitle: "Sites",
  noSites: "No sites yet.",
  queueTitle: "Comments",
  tabs: {
    pending: "Pending",
    flagged: "Flagged",
    spam: "Spam",
    published: "Published",
    deleted: "Deleted",
  },
  filterPage: "Page",
  filterEmail: "Email",
  filterIp: "IP hash",
  filterText: "Text",
  filterButton: "Filter",
  empty: "Nothing here.",
  select: "Select",
  selected: "With the selected comments:",
  approve: "Approve",
  spam: "Spam",
  delete: "Delete",
  restore: "Restore",
  next: "Older comments",
  flags: "Readers' flags",
  spamReasons: "Why it was held",
  noticeDone: "Done: {n} comment(s) changed.",
  noticeNone: "Select at least one comment first.",
  siteNav: "Site",
  navQueue: "Comments",
  navBlocks: "Blocks",
  navAudit: "Audit log",
  blocksTitle: "Blocks",
  blocksIntro:
    "Comments from a blocked email or ip hash, or holding a blocked phrase, are kept as spam.",
  blockKind: "Kind",
  blockKinds: { email: "Email", ip: "IP hash", phrase: "Phrase" },
  blockValue: "Value",
  blockAdd: "Add block",
  blockRemove: "Remove",
  noBlocks: "No blocks.",
  auditTitle: "Audit log",
  auditWhen: "When",
  auditWho: "Who",
  auditWhat: "What",
  auditTarget: "Target",
  noAudit: "Nothing has been done yet.",
  notFoundTitle: "Not found",
  notFound: "There is no such page here, or it is not yours to see.",
  errorTitle: "That did not work",
  refused: "This form was sent from somewhere else, so nothing was done.",
} as const;

export type ConsoleStrings = typeof en;

/** The sentence of a count-bearing string. */
export const fill = (text: string, n: number): string => text.replace("{n}", String(n));
