import type { CommentStatus, ModerationMode } from "../../shared/vocabulary";
import type { FormTokenVerdict } from "./form-token";

/**
 * What the spam defences found out about a new comment. Each signal that fires adds a reason,
 * recorded on the comment for moderators; nothing is discarded, only held or kept as spam.
 */
export interface SpamSignals {
  honeypot: boolean;
  /** Which blocklist entry matched: email, ip or phrase. */
  blocked?: "email" | "ip" | "phrase";
  /** Cloudflare Turnstile said no (or no token came while the site requires one). */
  turnstileFailed: boolean;
  /** Akismet judged it spam. */
  akismetSpam: boolean;
  formToken?: FormTokenVerdict;
  links: number;
  linkInName: boolean;
  duplicate: boolean;
}

export interface ModerationContext {
  mode: ModerationMode;
  maxLinks: number;
  /** first-time mode: the author already has an approved comment on the site. */
  knownAuthor: boolean;
}

export interface Verdict {
  status: CommentStatus;
  reasons: string[];
}

/** Reasons to keep a comment as spam: it is hidden at once and can be restored. */
function spamReasons(s: SpamSignals): string[] {
  const reasons: string[] = [];
  if (s.honeypot) reasons.push("honeypot");
  if (s.blocked) reasons.push(`blocked-${s.blocked}`);
  if (s.turnstileFailed) reasons.push("turnstile");
  if (s.akismetSpam) reasons.push("akismet");
  return reasons;
}

/** Reasons to hold a comment for a moderator's look. */
function holdReasons(s: SpamSignals, ctx: ModerationContext): string[] {
  const reasons: string[] = [];
  if (s.formToken === "too-fast") reasons.push("too-fast");
  if (s.formToken === "forged") reasons.push("forged-form-token");
  if (ctx.maxLinks > 0 && s.links > ctx.maxLinks) reasons.push("too-many-links");
  if (s.linkInName) reasons.push("link-in-name");
  if (s.duplicate) reasons.push("duplicate");
  if (ctx.mode === "all") reasons.push("moderation-all");
  if (ctx.mode === "first-time" && !ctx.knownAuthor) reasons.push("first-time");
  return reasons;
}

export function judge(signals: SpamSignals, ctx: ModerationContext): Verdict {
  const spam = spamReasons(signals);
  if (spam.length > 0) return { status: "spam", reasons: [...spam, ...holdReasons(signals, ctx)] };
  const held = holdReasons(signals, ctx);
  return held.length > 0
    ? { status: "pending", reasons: held }
    : { status: "published", reasons: [] };
}

/** A name that carries a web address or domain is an advertisement. */
export function nameHasLink(name: string): boolean {
  return /(https?:\/\/|www\.|\b[a-z0-9-]+\.(com|net|org|info|biz|ru|cn|xyz|top|io|co)\b)/i.test(
    name,
  );
}
