/** Limits shared by the server's validation and the widget's form. */
export const LIMITS = {
  authorName: 80,
  email: 254,
  url: 2048,
  page: 2048,
  title: 300,
  body: 5000,
  siteName: 120,
  keyLabel: 80,
  origins: 20,
  /** Moderator addresses a site mails alerts to. */
  moderatorEmails: 10,
  countsPages: 100,
  threadLimitMax: 100,
  threadLimitDefault: 50,
  /** Bytes accepted in a request body; larger bodies get 413 before they are parsed. */
  requestBodyBytes: 64 * 1024,
  /**
   * Bytes of an export the import endpoint accepts, as sent and once gunzipped. The Worker reads
   * it twice (a check, then the import), so this bounds its memory and CPU time; bigger files
   * go through the CLI, which streams them.
   */
  importBodyBytes: 10 * 1024 * 1024,
  /**
   * Characters of an imported comment body. Longer than what readers may post: old comments
   * were written without Parley's limit, and refusing them would leave them behind.
   */
  importedBody: 20_000,
  /** Per reader per site (0: none); posts and edits follow the site's own `limits`. */
  votes: { perMinute: 30, perDay: 500 },
  flags: { perMinute: 5, perDay: 50 },
} as const;
