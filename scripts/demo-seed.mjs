// The demo article's discussion, posted through the public API like any reader's comment.
// One of them is the obvious spam a moderator removes (README, "Moderation").

import { readFileSync } from "node:fs";

// The page, its title and the discussion; `replyTo` names an earlier comment by its index. The
// worker tests post the same discussion (test/worker/readme-moderation.test.ts).
const demo = JSON.parse(readFileSync(new URL("./demo-discussion.json", import.meta.url), "utf8"));
export const DEMO_PAGE = demo.page;

/**
 * Reads (or, given a patch, changes) the demo site's settings. Seven readers seeded from one
 * machine look like one fast commenter, so the seed turns the rate limits off while it posts and
 * restores them after.
 */
async function demoSite(base, adminToken, patch) {
  const res = await fetch(`${base}/api/v1/sites/demo`, {
    method: patch ? "PATCH" : "GET",
    headers: { authorization: `Bearer ${adminToken}`, "content-type": "application/json" },
    body: patch && JSON.stringify(patch),
  });
  if (!res.ok) throw new Error(`the demo site's settings: ${res.status}`);
  return (await res.json()).site;
}

/** Posts the discussion unless the demo page already has comments. */
export async function seedDemoDiscussion(base, adminToken) {
  const counts = await fetch(
    `${base}/api/v1/sites/demo/counts?page=${encodeURIComponent(DEMO_PAGE)}`,
  );
  if ((await counts.json()).counts[DEMO_PAGE] > 0) return false;
  const { limits } = await demoSite(base, adminToken);
  await demoSite(base, adminToken, { limits: { postsPerMinute: 0, postsPerDay: 0 } });
  try {
    await postDiscussion(base);
  } finally {
    await demoSite(base, adminToken, { limits });
  }
  return true;
}

async function postDiscussion(base) {
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
    ids.push((await res.json()).comment.id);
  }
}
