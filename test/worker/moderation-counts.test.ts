import { describe, expect, it } from "vitest";
import {
  call,
  json,
  type Posted,
  pageUrl,
  postRaw,
  rows,
  type ThreadView,
  thread,
} from "./helpers";
import { act, bearer, bulk, flag, idsOf, newSite, remove } from "./moderation-fixtures";

/*
 * The counts readers see (thread counts, reply counts, placeholders), kept exact through a long
 * seeded random sequence of moderator, author and reader actions, checked against D1 every ten
 * steps.
 */

type ViewComment = ThreadView["comments"][number];

/** A small seeded PRNG (mulberry32), so a failing sequence can be replayed exactly. */
function mulberry32(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Every comment the public thread shows, following page cursors and subtree continuations. */
async function everythingShown(site: string, page: string) {
  const shown: ViewComment[] = [];
  let count: number | undefined;
  let cursor: string | null = null;
  do {
    const view: ThreadView = await thread(
      site,
      page,
      `&limit=100${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ""}`,
    );
    count ??= view.thread.count;
    for (const comment of view.comments) {
      shown.push(comment);
      let more = comment.moreReplies;
      while (more) {
        const res = await call(
          "GET",
          `/api/v1/sites/${site}/comments/${comment.id}/replies?cursor=${encodeURIComponent(more)}`,
        );
        expect(res.status).toBe(200);
        const next = await json<{ comments: ViewComment[]; nextCursor: string | null }>(res);
        shown.push(...next.comments);
        more = next.nextCursor;
      }
    }
    cursor = view.nextCursor;
  } while (cursor);
  return { count, shown };
}

type Stored = {
  id: string;
  status: string;
  path: string;
  author_name: string;
  author_email: string | null;
  body_source: string;
};

describe("counts under random moderation", () => {
  it("keeps thread counts, reply counts and placeholders exact through 150 random actions", async () => {
    const SEED = 0x5eed2024;
    const random = mulberry32(SEED);
    const pick = <T>(list: readonly T[]): T => list[Math.floor(random() * list.length)] as T;
    const site = await newSite({ flagThreshold: 2 });
    const page = pageUrl();
    const emails = ["ana@example.com", "bob@example.com", "cy@example.com", undefined];
    const tokens = new Map<string, string>();
    const log: string[] = [];
    let posted = 0;

    const stored = async () =>
      (await rows(
        "SELECT id, status, path, author_name, author_email, body_source FROM comments WHERE site_id = ? ORDER BY id",
        site.id,
      )) as Stored[];
    const publishedBelow = (c: Stored, all: Stored[]) =>
      all.filter((d) => d.status === "published" && d.path.startsWith(`${c.path}/`)).length;
    const visible = (c: Stored, all: Stored[]) =>
      c.status === "published" || (c.status === "deleted" && publishedBelow(c, all) > 0);
    const purged = (c: Stored) =>
      c.status === "deleted" && c.body_source === "" && c.author_name === "";
    const among = (all: Stored[], ...wanted: string[]) =>
      all.filter((c) => wanted.includes(c.status));

    async function postOne(parentId?: string) {
      posted += 1;
      const email = pick(emails);
      const res = await postRaw(
        site.id,
        page,
        {
          body: `Comment number ${posted}`,
          author: { name: `Reader ${posted % 7}`, ...(email ? { email } : {}) },
          ...(parentId ? { parentId } : {}),
        },
        { "cf-connecting-ip": `198.51.100.${posted % 50}` },
      );
      expect(res.status, log.join(" ")).toBe(201);
      const body = await json<Posted>(res);
      tokens.set(body.comment.id, body.editToken);
      return body.comment.id;
    }

    /** Does one action; answers what it did, for the log. */
    async function step(all: Stored[]): Promise<string> {
      const WEIGHTS = [
        ["top", 14],
        ["reply", 26],
        ["author-delete", 7],
        ["delete", 8],
        ["purge", 5],
        ["spam", 8],
        ["approve", 10],
        ["restore", 10],
        ["bulk-delete-email", 3],
        ["flag", 9],
      ] as const;
      const roll = random() * 100;
      let total = 0;
      const action =
        WEIGHTS.find(([, weight]) => {
          total += weight;
          return roll < total;
        })?.[0] ?? "top";
      const fallback = async () => `top ${await postOne()}`;
      const expectStatus = (res: Response, status: number) =>
        expect(res.status, `${action} after ${log.join(" ")}`).toBe(status);

      switch (action) {
        case "top":
          return fallback();
        case "reply": {
          const parents = all.filter((c) => visible(c, all));
          if (parents.length === 0) return fallback();
          const parent = pick(parents);
          return `reply ${await postOne(parent.id)} to ${parent.id}`;
        }
        case "author-delete": {
          const own = among(all, "published", "pending").filter((c) => tokens.has(c.id));
          if (own.length === 0) return fallback();
          const target = pick(own);
          const res = await call(
            "DELETE",
            `/api/v1/sites/${site.id}/comments/${target.id}`,
            undefined,
            bearer(tokens.get(target.id) ?? ""),
          );
          expectStatus(res, 204);
          return `${action} ${target.id}`;
        }
        case "delete":
        case "purge": {
          const targets = action === "delete" ? among(all, "published", "pending", "spam") : all;
          if (targets.length === 0) return fallback();
          const target = pick(targets);
          expectStatus(await remove(site, target.id, action === "purge"), 204);
          return `${action} ${target.id}`;
        }
        case "spam":
        case "approve":
        case "restore": {
          const from = {
            spam: ["published", "pending", "deleted"],
            approve: ["pending", "spam"],
            restore: ["deleted", "spam"],
          }[action];
          const targets = among(all, ...from);
          if (targets.length === 0) return fallback();
          const target = pick(targets);
          const refused = action === "restore" && purged(target);
          expectStatus(await act(site, target.id, action), refused ? 409 : 200);
          return `${action} ${target.id}${refused ? " (refused)" : ""}`;
        }
        case "bulk-delete-email": {
          const live = all.filter((c) => c.status !== "deleted" && c.author_email);
          if (live.length === 0) return fallback();
          const email = pick(live).author_email as string;
          const expected = live.filter((c) => c.author_email === email).length;
          const res = await bulk(site, { action: "delete", authorEmail: email });
          expectStatus(res, 200);
          expect((await json<{ affected: number }>(res)).affected, log.join(" ")).toBe(expected);
          return `${action} ${email} (${expected})`;
        }
        case "flag": {
          const targets = among(all, "published");
          if (targets.length === 0) return fallback();
          const target = pick(targets);
          // Thirty readers, so none reaches the flag rate limit (not what this is about).
          const ip = pick(Array.from({ length: 30 }, (_, i) => `203.0.113.${i + 1}`));
          expectStatus(await flag(site, target.id, ip), 202);
          return `flag ${target.id} from ${ip}`;
        }
      }
    }

    async function check(after: number) {
      const all = await stored();
      const where = `seed ${SEED}, after action ${after}: ${log.slice(-12).join("; ")}`;
      const [threadRow] = await rows("SELECT id FROM threads WHERE site_id = ?", site.id);
      const [published] = await rows(
        "SELECT count(*) AS n FROM comments WHERE thread_id = ? AND status = 'published'",
        threadRow?.id,
      );
      const { count, shown } = await everythingShown(site.id, page);
      // Counts are edge-cached for 30 s per set of pages: a set never asked before is counted
      // afresh, so each check reads what D1 holds now.
      const unasked = `${page}-unasked-${after}`;
      const counts = await json<{ counts: Record<string, number> }>(
        await call(
          "GET",
          `/api/v1/sites/${site.id}/counts?page=${encodeURIComponent(page)}&page=${encodeURIComponent(unasked)}`,
        ),
      );
      expect({ thread: count, counts: counts.counts[page] }, where).toEqual({
        thread: published?.n,
        counts: published?.n,
      });

      const byId = new Map(all.map((c) => [c.id, c]));
      expect(new Set(idsOf(shown)).size, where).toBe(shown.length);
      expect(
        shown.map((c) => ({ id: c.id, status: c.status, replyCount: c.replyCount })),
        where,
      ).toEqual(
        shown.map((c) => {
          const row = byId.get(c.id);
          return {
            id: c.id,
            status: row?.status,
            replyCount: row ? publishedBelow(row, all) : -1,
          };
        }),
      );
      const placeholders = shown.filter((c) => c.status === "deleted");
      expect(
        placeholders.filter((c) => c.author !== null || c.body !== null).map((c) => c.id),
        where,
      ).toEqual([]);
      // Shown, but neither published nor a deleted comment with published replies.
      const notVisible = shown.filter((c) => {
        const row = byId.get(c.id);
        return !row || !visible(row, all);
      });
      expect(idsOf(notVisible), where).toEqual([]);
      // Visible with every ancestor visible, yet missing from the thread.
      const shownIds = new Set(idsOf(shown));
      const missing = all.filter(
        (c) =>
          !shownIds.has(c.id) &&
          c.path.split("/").every((id) => {
            const ancestor = byId.get(id);
            return ancestor !== undefined && visible(ancestor, all);
          }),
      );
      expect(idsOf(missing), where).toEqual([]);
    }

    const seen = new Set<string>();
    for (let i = 1; i <= 150; i++) {
      const all = await stored();
      for (const c of all)
        seen.add(visible(c, all) && c.status === "deleted" ? "placeholder" : c.status);
      log.push(`${i}:${await step(all)}`);
      if (i % 10 === 0) await check(i);
    }
    // The sequence really went through every state the counts depend on.
    expect([...seen].sort()).toEqual(["deleted", "pending", "placeholder", "published", "spam"]);
  });
});
