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
  countsPages: 100,
  threadLimitMax: 100,
  threadLimitDefault: 50,
  /** Bytes accepted in a request body; larger bodies get 413 before they are parsed. */
  requestBodyBytes: 64 * 1024,
} as const;

export const SITE_ID_PATTERN = /^[a-z0-9][a-z0-9-]{1,62}$/;
