import { z } from "@hono/zod-openapi";
import { publicHttpUrl } from "../../services/outside/public-host";
import { IMPORT_FORMATS } from "../../services/portability/import/records";
import type { SiteView } from "../../services/sites/sites";
import { emailAddress } from "../../services/text/text-rules";
import { LIMITS } from "../../shared/limits";
import { ALERT_MODES, MAIL_KINDS, MAIL_STATUSES, MODERATION_MODES } from "../../shared/vocabulary";

/*
 * The zod schemas that validate requests and describe responses. The OpenAPI document is
 * generated from these, so the contract the docs show is the one the code enforces.
 */

import { cleanText, SiteIdParam } from "./common";

/* What the operator sends and gets back: sites, moderator keys, imports. */

// ---- sites (operator) -------------------------------------------------------------------

/** `https://host`, `https://host:8443` or `http://localhost:*` (any port). No path. */
const ORIGIN_PATTERN = /^https?:\/\/[a-z0-9.-]+(:(\d{1,5}|\*))?$/;

const OriginSchema = z
  .string()
  .trim()
  .toLowerCase()
  .regex(ORIGIN_PATTERN, "Origins look like https://news.example or http://localhost:*.");

const LimitsSchema = z.object({
  postsPerMinute: z.number().int().min(0).max(1000),
  postsPerDay: z.number().int().min(0).max(100000),
  maxLinks: z.number().int().min(0).max(100),
  minSecondsToPost: z.number().int().min(0).max(600).openapi({
    description:
      "The time-trap: a comment sent sooner than this after its form was drawn is held (default 3).",
  }),
});

const siteSettings = {
  name: cleanText(LIMITS.siteName),
  origins: z.array(OriginSchema).min(1).max(LIMITS.origins),
  moderation: z.enum(MODERATION_MODES),
  maxDepth: z.number().int().min(1).max(10).openapi({
    description:
      "How many levels replies nest below a top-level comment (depth 0). A reply that would go deeper attaches to the deepest allowed ancestor.",
  }),
  editWindowSeconds: z
    .number()
    .int()
    .min(0)
    .max(7 * 24 * 3600),
  locale: z.string().regex(/^[a-z]{2,3}(-[A-Za-z0-9]{2,8})*$/, "A BCP 47 language tag."),
  limits: LimitsSchema.partial(),
  flagThreshold: z.number().int().min(1).max(1000),
  webhookUrl: publicHttpUrl.nullable().openapi({
    description:
      'Receives the site\'s webhooks (README "Webhooks"). Must be on a public host: loopback, private, link-local and other special-use addresses, and names such as localhost, *.local, *.internal, *.home.arpa or a single label, are refused.',
  }),
  turnstileSiteKey: z.string().trim().min(1).max(100).nullable(),
  turnstileSecretKey: z.string().trim().min(1).max(200).nullable().openapi({
    description:
      "Turnstile's secret for the sitekey. Write-only: responses only say whether one is set.",
  }),
  moderatorEmails: z
    .array(emailAddress.transform((e) => e.toLowerCase()))
    .max(LIMITS.moderatorEmails)
    .openapi({
      description:
        'Where moderator alerts go (README "Notifications"): each address is mailed about the comments `alerts` names, with one-time approve / spam / delete links.',
    }),
  alerts: z.enum(ALERT_MODES).openapi({
    description:
      "Which comments the moderators are mailed about: `none`, `pending` (held: moderation mode, a spam rule, readers' flags past the threshold; the default) or `all` (also every published one).",
  }),
};

export const CreateSiteSchema = z
  .object({ id: SiteIdParam, ...siteSettings })
  .partial()
  .required({ id: true, name: true, origins: true })
  .openapi("NewSite");

export const UpdateSiteSchema = z.object(siteSettings).partial().openapi("SiteUpdate");

export const SiteSchema = z
  .object({
    id: z.string(),
    name: z.string(),
    origins: z.array(z.string()),
    moderation: z.enum(MODERATION_MODES),
    maxDepth: z.number().int(),
    editWindowSeconds: z.number().int(),
    locale: z.string(),
    limits: LimitsSchema,
    flagThreshold: z.number().int(),
    webhookUrl: z.string().nullable(),
    turnstileSiteKey: z.string().nullable(),
    turnstileSecretKeySet: z.boolean(),
    moderatorEmails: z.array(z.string()),
    alerts: z.enum(ALERT_MODES),
    webhookSecret: z.string().nullable().openapi({
      description:
        "Signs webhook bodies: `X-Parley-Signature: sha256=<hex HMAC-SHA256 of the body>`. Made when a webhookUrl is first set.",
    }),
    createdAt: z.string(),
    updatedAt: z.string(),
  })
  .openapi("Site") satisfies z.ZodType<SiteView>;

export const KeySchema = z
  .object({
    id: z.string(),
    label: z.string(),
    displayName: z.string().nullable().openapi({
      description:
        "The name readers see on this key's staff replies, set by its moderator when replying (null until then).",
    }),
    createdAt: z.string(),
    revokedAt: z.string().nullable(),
  })
  .openapi("ModeratorKey");

export const CreateKeySchema = z.object({ label: cleanText(LIMITS.keyLabel) }).openapi("NewKey");

export const IssuedKeySchema = z
  .object({
    key: KeySchema,
    secret: z
      .string()
      .openapi({ description: "The moderator key. Shown once, stored only hashed." }),
  })
  .openapi("IssuedKey");

// ---- data portability -------------------------------------------------------------------

export const ImportQuerySchema = z.object({
  format: z.enum(IMPORT_FORMATS).openapi({
    description:
      "`disqus` (Disqus XML), `wxr` (WordPress eXtended RSS) or `parley` (GET …/export). Gzipped or not: gzip is recognised by its first bytes.",
  }),
  dryRun: z
    .enum(["true", "false"])
    .default("false")
    .openapi({ description: "`true`: report what the import would do, and write nothing." }),
});

const ImportProblemSchema = z.object({
  position: z.string().openapi({
    description: "Where the record is in the file, e.g. `post 4 (dsq:id 1004)`.",
    example: "item 2, comment 3 (wp:comment_id 17)",
  }),
  reason: z.string(),
});

export const ImportReportSchema = z
  .object({
    threads: z.number().int().openapi({ description: "Threads the import added (or would add)." }),
    comments: z.number().int().openapi({
      description: "Comments the import added (or would add); 0 for a file already imported.",
    }),
    skipped: z.array(ImportProblemSchema).openapi({
      description: "Records not imported, and why (the first 1,000; `skippedTotal` counts all).",
    }),
    skippedTotal: z.number().int(),
    warnings: z.array(ImportProblemSchema).openapi({
      description:
        "Records imported otherwise than the file says: a reply whose parent is missing becomes a top-level comment (the first 1,000).",
    }),
    warningsTotal: z.number().int(),
    dryRun: z.boolean(),
  })
  .openapi("ImportReport");

// ---- outbox (operator) ------------------------------------------------------------------

export const MailStatusQuery = z.object({
  status: z.enum(MAIL_STATUSES).default("failed"),
});

export const MailSchema = z
  .object({
    id: z.string(),
    kind: z.enum(MAIL_KINDS).openapi({
      description:
        "`confirm`ation of an address, reply `notify`cation (or digest), moderator `alert`.",
    }),
    recipient: z.string(),
    status: z.enum(MAIL_STATUSES),
    attempts: z.number().int(),
    lastError: z.string().nullable().openapi({ description: "What the transport said last." }),
    notBefore: z
      .string()
      .nullable()
      .openapi({ description: "Not sent before then (digest window, backoff)." }),
    createdAt: z.string(),
    sentAt: z.string().nullable(),
  })
  .openapi("Mail");
