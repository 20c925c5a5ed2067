import type { Db } from "./db/client";
import type { KeyRow, SiteRow } from "./db/sites";
import type { D1Meter } from "./platform/d1";
import type { MailEnv } from "./platform/mail/settings";
import type { Viewer } from "./services/console/sessions";
import type { RecentReads } from "./services/recent-reads";

/**
 * Bindings come from `wrangler types` (worker-configuration.d.ts), plus the optional secrets it
 * cannot know about and the mail settings (all optional: README "Mail"); variables are per
 * request.
 */
export type AppEnv = {
  Bindings: Env &
    MailEnv & {
      /** Akismet API key: when set, new comments are checked and moderators' verdicts taught. */
      AKISMET_KEY?: string;
      /** "on" serves the demo pages at /demo (`npm start` sets it; deployments do not). */
      PARLEY_DEMO?: string;
    };
  Variables: {
    db: Db;
    /** A handle of its own for work after the response (the site memo's refresh). */
    backgroundDb: () => Db;
    meter: D1Meter;
    /** Version rows as the isolate read them a moment ago, or afresh (services/recent-reads.ts). */
    recent: RecentReads;
    /** The request's D1 session (read replication); its bookmark goes back to the client. */
    session: D1DatabaseSession;
    /** The site named in the path, loaded once by the public-site middleware. */
    site: SiteRow;
    /** The moderator key that opened a moderation request. */
    moderator: KeyRow;
    /** Who is signed in to the console (src/routes/console/). */
    viewer: Viewer;
    /** The console's language for this request, from Accept-Language (routes/console/locale.ts). */
    language: string;
  };
};
