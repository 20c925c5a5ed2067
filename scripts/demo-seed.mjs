// The demo site, and its article's discussion posted through the public API like any reader's
// comment.
// One of them is the obvious spam a moderator removes (README, "Moderation").

import { readFileSync } from "node:fs";

// The page, its title and the discussion; `replyTo` names an earlier comment by its index. The
// worker tests post the same discussion (test/worker/readme-moderation.test.ts).
/**
 * @type {{
 *   page: string,
 *   title: string,
 *   comments: { name: string, email?: string, website?: string, replyTo?: number, body: string }[],
 * }}
 */
const demo = JSON.parse(readFileSync(new URL("./demo-discussion.json", import.meta.url), "utf8"));
export const DEMO_PAGE = demo.page;

const DEMO_SITE = {
  id: "demo",
  name: "Parley demo",
  origins: ["http://localhost:*", "http://127.0.0.1:*"],
};

/**
 * Creates the demo site through the operator API, the path every site takes, unless it exists.
 * @param {string} base
 * @param {string} adminToken
 * @returns {Promise<string | undefined>} its moderator key when it was created (shown once)
 */
export async function ensureDemoSite(base, adminToken) {
  const res = await fetch(`${base}/api/v1/sites`, {
    method: "POST",
    headers: { authorization: `Bearer ${adminToken}`, "content-type": "application/json" },
    body: JSON.stringify(DEMO_SITE),
  });
  if (res.status === 409) return undefined;
  if (res.status !== 201)
    throw new Error(`creating the demo site failed: ${res.status} ${await res.text()}`);
  return /** @type {{ secret: string }} */ (await res.json()).secret;
}

/**
 * Reads (or, given a patch, changes) the demo site's settings. Seven readers seeded from one
 * machine look like one fast commenter, so the seed turns the rate limits off while it posts and
 * restores them after.
 * @param {string} base
 * @param {string} adminToken
 * @param {{ limits: Record<string, number> }} [patch]
 * @returns {Promise<{ limits: Record<string, number> }>} the site, as far as the seed needs it
 */
async function demoSite(base, adminToken, patch) {
  const res = await fetch(`${base}/api/v1/sites/demo`, {
    method: patch ? "PATCH" : "GET",
    headers: { authorization: `Bearer ${adminToken}`, "content-type": "application/json" },
    body: patch && JSON.stringify(patch),
  });
  if (!res.ok) throw new Error(`the demo site's settings: ${res.status}`);
  return /** @type {{ site: { limits: Record<string, number> } }} */ (await res.json()).site;
}

/**
 * Posts the discussion unless the demo page already has comments; says whether it did.
 * @param {string} base
 * @param {string} adminToken
 */
export async function seedDemoDiscussion(base, adminToken) {
  const counts = await fetch(
    `${base}/api/v1/sites/demo/counts?page=${encodeURIComponent(DEMO_PAGE)}`,
  );
  const { counts: stored } = /** @type {{ counts: Record<string, number> }} */ (
    await counts.json()
  );
  if ((stored[DEMO_PAGE] ?? 0) > 0) return false;
  const { limits } = await demoSite(base, adminToken);
  await demoSite(base, adminToken, { limits: { postsPerMinute: 0, postsPerDay: 0 } });
  try {
    await postDiscussion(base);
  } finally {
    await demoSite(base, adminToken, { limits });
  }
  return true;
}

/** @param {string} base */
async function postDiscussion(base) {
  /** @type {string[]} */
  const ids = [];
  for (const entry of demo.comments) {
    const res = await fetch(`${base}/api/v1/sites/demo/comments`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({
        page: DEMO_PAGE,
        title: demo.title,
        parentId: entry.replyTo === undefined ? undefined : ids[entry.replyTo],
        author: { name: entry.name, email: entry.email, website: entry.website },
        body: entry.body,
      }),
    });
    if (!res.ok) throw new Error(`seeding the demo failed: ${res.status} ${await res.text()}`);
    ids.push(/** @type {{ comment: { id: string } }} */ (await res.json()).comment.id);
  }
}
