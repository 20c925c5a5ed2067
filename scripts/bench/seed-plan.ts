import type { D1Database } from "@cloudflare/workers-types";

/*
 * What the bench seed (seed.mjs, run by Node.js) asks of rows.ts (the product's own code,
 * bundled at run time). Both sides are type-checked against this file: rows.ts with the Worker
 * (tsconfig.json), seed.mjs with the scripts (tsconfig.node.json). It names types only, and
 * takes D1's from the module form of workers-types, so either side can read it.
 */

/** A reader of the seeded site, as their browser and network present them. */
export interface SeedAuthor {
  name: string;
  email: string | null;
  website: string | null;
  /** The reader's address; stored only as the product's hash of it. */
  ip: string;
  userAgent: string;
}

/** One comment of a thread, in the order written: a parent always comes before its replies. */
export interface PlannedComment {
  /** The parent's index in the same list, or null for a top-level comment. */
  parent: number | null;
  author: SeedAuthor;
  body: string;
  /** When it was posted, in epoch milliseconds. */
  at: number;
  /** A defence that caught it: a duplicate is held for review, Akismet's verdict is spam. */
  caught?: "duplicate" | "akismet";
}

/** The part of a D1 binding the seed uses: Miniflare's binding, from Node.js, is one. */
export type SeedD1 = Pick<D1Database, "prepare" | "batch">;

export interface SeedRows {
  /**
   * Stores `comments` on `page` of site `siteId`, whose thread exists (a first comment was
   * posted through the API), as posting would have stored them. Returns the thread's id.
   */
  seedComments(
    d1: SeedD1,
    siteId: string,
    page: string,
    comments: PlannedComment[],
  ): Promise<{ threadId: string }>;
}
