import type { NewSiteRow, SiteRow } from "../../db/sites";
import { randomToken } from "../../platform/crypto";
import type { AlertMode, ModerationMode, PublicSite } from "../../shared/vocabulary";

export interface SiteSettings {
  name: string;
  origins: string[];
  moderation: ModerationMode;
  maxDepth: number;
  editWindowSeconds: number;
  locale: string;
  limits: {
    postsPerMinute: number;
    postsPerDay: number;
    maxLinks: number;
    minSecondsToPost: number;
  };
  flagThreshold: number;
  webhookUrl: string | null;
  turnstileSiteKey: string | null;
  turnstileSecretKey: string | null;
  moderatorEmails: string[];
  alerts: AlertMode;
}

export type SiteInput = { id: string; name: string; origins: string[] } & Partial<
  Omit<SiteSettings, "name" | "origins" | "limits">
> & { limits?: Partial<SiteSettings["limits"]> };

export type SitePatch = Partial<Omit<SiteSettings, "limits">> & {
  limits?: Partial<SiteSettings["limits"]>;
};

/** The one function that decides which site columns a caller may set. */
function settingsColumns(input: SitePatch): Partial<NewSiteRow> {
  const { limits, ...rest } = input;
  const columns: Partial<NewSiteRow> = { ...rest };
  // The limits are stored as columns of the same names.
  Object.assign(columns, limits);
  // A webhook needs a secret to sign with; updateSite keeps one that already exists.
  if (input.webhookUrl) columns.webhookSecret = randomToken();
  return columns;
}

export function newSiteRow(input: SiteInput, now: string): NewSiteRow {
  return {
    ...settingsColumns(input),
    id: input.id,
    name: input.name,
    origins: input.origins,
    authorSalt: randomToken(),
    createdAt: now,
    updatedAt: now,
  };
}

export function sitePatchColumns(patch: SitePatch, now: string): Partial<NewSiteRow> {
  return { ...settingsColumns(patch), updatedAt: now };
}

/** A site as the operator API shows it (no salts). */
export type SiteView = ReturnType<typeof toSite>;

export function toSite(row: SiteRow) {
  return {
    id: row.id,
    name: row.name,
    origins: row.origins,
    moderation: row.moderation,
    maxDepth: row.maxDepth,
    editWindowSeconds: row.editWindowSeconds,
    locale: row.locale,
    limits: {
      postsPerMinute: row.postsPerMinute,
      postsPerDay: row.postsPerDay,
      maxLinks: row.maxLinks,
      minSecondsToPost: row.minSecondsToPost,
    },
    flagThreshold: row.flagThreshold,
    webhookUrl: row.webhookUrl,
    turnstileSiteKey: row.turnstileSiteKey,
    turnstileSecretKeySet: row.turnstileSecretKey !== null,
    moderatorEmails: row.moderatorEmails,
    alerts: row.alerts,
    webhookSecret: row.webhookSecret,
    createdAt: row.createdAt,
    updatedAt: row.updatedAt,
  };
}

/** The settings the widget needs to draw the section. */
export function toPublicSite(row: SiteRow): PublicSite {
  return {
    id: row.id,
    name: row.name,
    moderation: row.moderation,
    maxDepth: row.maxDepth,
    editWindowSeconds: row.editWindowSeconds,
    locale: row.locale,
    // The challenge is shown only when the server can also verify it.
    turnstileSiteKey: row.turnstileSecretKey ? row.turnstileSiteKey : null,
  };
}

/** Whether a browser origin may call the site's public endpoints. `:*` matches any port. */
export function originAllowed(site: Pick<SiteRow, "origins">, origin: string): boolean {
  const requested = origin.toLowerCase();
  return site.origins.some((allowed) => {
    if (!allowed.endsWith(":*")) return allowed === requested;
    const withColon = allowed.slice(0, -1); // "http://localhost:"
    if (requested === withColon.slice(0, -1)) return true;
    return requested.startsWith(withColon) && /^\d{1,5}$/.test(requested.slice(withColon.length));
  });
}
