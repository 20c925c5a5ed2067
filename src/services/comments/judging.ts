import type { PostingFacts } from "../../db/posting";
import type { SiteRow } from "../../db/sites";
import { ApiError } from "../../errors";
import { type Body, countLinks } from "../../shared/body";
import { akismetComment, akismetSaysSpam, verifyTurnstile } from "../outside/checks";
import { DAY_MS, MINUTE_MS } from "../readers/rate-limits";
import type { PostingServices, Requester } from "../request";
import { findBlockedPhrase } from "../text/blocklist";
import { checkFormToken } from "./form-token";
import { judge, nameHasLink, type SpamSignals } from "./spam";

/*
 * The spam defences and the moderation mode applied to what a reader writes: one judgement for a
 * new comment and for an edit, so an edit cannot carry in what a post would not.
 */

/** What the rules judge, for a new comment and for an edit alike. */
export interface Writing {
  page: string;
  author: { name: string; email?: string; website?: string };
  body: string;
}

/** What only a new comment brings: the form's traps and Turnstile's answer. */
export interface FormEvidence {
  hp?: string;
  issuedAt?: string;
  turnstileToken?: string;
  pageKey: string;
}

/** Which block entry, if any, the writing matches: its email, its ip hash, or a phrase. */
function blockMatch(facts: PostingFacts, writing: Writing): SpamSignals["blocked"] {
  const phrases = facts.blocks.filter((b) => b.kind === "phrase").map((b) => b.value);
  const words = [writing.author.name, writing.author.website ?? "", writing.body].join("\n");
  if (facts.blocks.some((b) => b.kind === "email")) return "email";
  if (facts.blocks.some((b) => b.kind === "ip")) return "ip";
  return findBlockedPhrase(words, phrases) ? "phrase" : undefined;
}

/**
 * The outside opinions, asked in parallel; each is off unless configured. Turnstile only for a
 * new comment (an edit proves itself with its edit token); Akismet for every text a reader
 * writes, but not for a honeypot catch, which is spam already.
 */
async function outsideSignals(
  site: SiteRow,
  writing: Writing,
  form: FormEvidence | undefined,
  services: PostingServices,
  who: Requester,
) {
  const [turnstileFailed, akismetSpam] = await Promise.all([
    form && site.turnstileSiteKey && site.turnstileSecretKey
      ? // Without a token (the plain form, or a client that skipped the challenge) there is
        // nothing to ask Cloudflare: the challenge failed, and no request goes out for it.
        !form.turnstileToken ||
        verifyTurnstile(site.turnstileSecretKey, form.turnstileToken, services.ip).then((ok) => !ok)
      : false,
    services.akismetKey && !form?.hp
      ? akismetSaysSpam(
          services.akismetKey,
          akismetComment(
            site,
            { ...writing.author, page: writing.page, body: writing.body },
            who.userAgent,
            services.ip,
          ),
        )
      : false,
  ]);
  return { turnstileFailed, akismetSpam };
}

/**
 * The spam defences and the moderation mode on a text a reader wrote: one judgement for posts
 * and edits, so an edit cannot carry in what a post would not.
 */
export async function judgeWriting(
  site: SiteRow,
  facts: PostingFacts,
  writing: Writing,
  body: Body,
  form: FormEvidence | undefined,
  services: PostingServices,
  who: Requester,
) {
  return judge(
    {
      honeypot: Boolean(form?.hp),
      blocked: blockMatch(facts, writing),
      ...(await outsideSignals(site, writing, form, services, who)),
      formToken: form?.issuedAt
        ? await checkFormToken(site, form.pageKey, form.issuedAt, who.now)
        : undefined,
      links: countLinks(body),
      linkInName: nameHasLink(writing.author.name),
      duplicate: facts.duplicate,
    },
    {
      mode: site.moderation,
      maxLinks: site.maxLinks,
      knownAuthor: Boolean(writing.author.email) && facts.knownAuthor,
    },
  );
}

/** The time windows of the rate limits, as the posting read counts them. */
export function windows(site: SiteRow, now: Date) {
  return {
    minuteAgo: new Date(now.getTime() - MINUTE_MS).toISOString(),
    minuteCap: site.postsPerMinute,
    dayAgo: new Date(now.getTime() - DAY_MS).toISOString(),
    dayCap: site.postsPerDay,
  };
}

/** The page is locked: no new comment, no edit. */
export const threadLocked = () => new ApiError(423, "thread_locked", "This discussion is closed.");
