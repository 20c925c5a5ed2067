/*
 * The outside services Parley can consult. Each is optional (configured by a Worker secret) and
 * each failure is contained: an unreachable service never loses a comment or breaks a request.
 */

export const TURNSTILE_VERIFY_URL = "https://challenges.cloudflare.com/turnstile/v0/siteverify";

/** Cloudflare Turnstile: whether the challenge token the widget got is genuine. */
export async function verifyTurnstile(secret: string, token: string, ip: string): Promise<boolean> {
  try {
    const res = await fetch(TURNSTILE_VERIFY_URL, {
      method: "POST",
      body: new URLSearchParams({ secret, response: token, remoteip: ip }),
    });
    const outcome = (await res.json()) as { success?: boolean };
    return outcome.success === true;
  } catch {
    // Turnstile unreachable: fail closed for this signal; the comment is kept (as spam), not lost.
    return false;
  }
}

export interface AkismetComment {
  blog: string;
  userIp: string;
  userAgent: string;
  permalink: string;
  author: string;
  authorEmail?: string;
  authorUrl?: string;
  content: string;
}

/** What Akismet is told about a comment, from whichever side knows it (posting, moderation). */
export function akismetComment(
  site: { id: string; origins: string[] },
  c: { page: string; name: string; email?: string | null; website?: string | null; body: string },
  userAgent: string | null,
  ip: string,
): AkismetComment {
  return {
    blog: site.origins[0] ?? site.id,
    userIp: ip,
    userAgent: userAgent ?? "",
    permalink: c.page,
    author: c.name,
    authorEmail: c.email ?? undefined,
    authorUrl: c.website ?? undefined,
    content: c.body,
  };
}

const akismetUrl = (key: string, method: string) => `https://${key}.rest.akismet.com/1.1/${method}`;

function akismetForm(c: AkismetComment): URLSearchParams {
  const form = new URLSearchParams({
    blog: c.blog,
    user_ip: c.userIp,
    user_agent: c.userAgent,
    permalink: c.permalink,
    comment_type: "comment",
    comment_author: c.author,
    comment_content: c.content,
  });
  if (c.authorEmail) form.set("comment_author_email", c.authorEmail);
  if (c.authorUrl) form.set("comment_author_url", c.authorUrl);
  return form;
}

/** Akismet's comment-check: true when it says spam. Unreachable means "not known to be spam". */
export async function akismetSaysSpam(key: string, comment: AkismetComment): Promise<boolean> {
  try {
    const res = await fetch(akismetUrl(key, "comment-check"), {
      method: "POST",
      body: akismetForm(comment),
    });
    return (await res.text()).trim() === "true";
  } catch {
    return false;
  }
}

/** Teaches Akismet from a moderator's decision (submit-spam / submit-ham). Fire and forget. */
export async function akismetLearn(
  key: string,
  verdict: "spam" | "ham",
  comment: AkismetComment,
): Promise<void> {
  try {
    await fetch(akismetUrl(key, `submit-${verdict}`), {
      method: "POST",
      body: akismetForm(comment),
    });
  } catch {
    // Learning is best effort; the moderator's decision already stands.
  }
}
