// The benchmark's data: one site, threads of 100, 1,000 and 10,000 published comments and 45
// small ones for the counts request. Every thread's first comment is posted through the API, so
// threads and the site are exactly what the product writes. The rest are planned here (who
// answers whom, when, with which words) and made and stored by the product's own code
// (scripts/bench/rows.ts, bundled on each run) through the Worker's own D1 binding, so they are
// the rows posting would store and the triggers keep threads.count, reply_count and version exact.
import { importTypeScript } from "../bundle.mjs";
import { api } from "./http.mjs";

export const SITE = "bench";
export const SIZES = [100, 1000, 10000];
/** The one subtree large enough to need paging: it sits on the 10,000 thread's first page. */
const BIG_SUBTREE = { size: 10000, rootIndex: 5, replies: 1000 };
const SMALL_THREADS = 45;
/** Pages in the counts request that have no thread: an index page lists new articles too. */
const UNKNOWN_PAGES = 5;

export const pageUrl = (/** @type {string} */ name) => `https://news.example/2026/11/${name}`;
export const threadPage = (/** @type {number} */ size) => pageUrl(`thread-${size}`);
export const countPages = () => [
  ...SIZES.map(threadPage),
  ...Array.from({ length: SMALL_THREADS }, (_, i) => pageUrl(`story-${i}`)),
  ...Array.from({ length: UNKNOWN_PAGES }, (_, i) => pageUrl(`new-${i}`)),
];

export const BENCH_SITE = {
  id: SITE,
  name: "Benchmark News",
  origins: ["http://127.0.0.1:*"],
  // One machine posts everything: no per-commenter limits, no time-trap, links allowed.
  limits: { postsPerMinute: 0, postsPerDay: 0, minSecondsToPost: 0, maxLinks: 100 },
};

/** "QQQ0" is replaced by each comment's number, so that no two bodies are the same. */
const MARK = "QQQ0";
const TEMPLATES = [
  `Agreed. Reader QQQ0 here: the council should have published these figures months ago.`,
  `I read the report (page QQQ0) and the *interesting* part is the road budget: repairs fell by a third while **consultancy fees** doubled.

Source: https://example.org/reports/2026-budget

> Spending on maintenance will be reviewed next year.

That line has been in every report since 2019.`,
  `Long-time reader, first comment (number QQQ0). A few things the article leaves out:

- the bus lane was consulted on in 2024 and *rejected* by two thirds of respondents;
- the cost estimate in the paper is for phase one only;
- nobody from the traders' association was interviewed.

I am not against the scheme. I ride through there every day and the junction by the school is genuinely dangerous, so something has to change. But if the city wants people to trust the next consultation it has to answer the last one first, in public, with numbers. The minutes are here: https://example.org/minutes/2026-03 and the \`section 4.2\` table is worth a look.

Thanks for covering it, though. Nobody else did.`,
];
const TEMPLATE_MIX = [0, 1, 0, 1, 2, 1, 0, 1, 0, 1]; // ~40% short, 50% medium, 10% long
const NAMES = ["Ana", "Bruno", "Chloé", "Dmitri", "Emeka", "Fatima", "Grace", "Hiro", "Ines"];
const SURNAMES = ["Silva", "Okafor", "Müller", "Tanaka", "Haddad", "Nowak", "García", "Kim"];
const AUTHORS = 600;
const UA =
  "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36";

/*
 * Replies under ten consecutive top-level comments, repeated: -1 answers the top-level comment,
 * k answers that comment's k-th reply. Ten replies per ten roots, up to depth 3, so every thread's
 * first page has about the same shape (50 roots, ~50 replies) whatever the thread's size.
 */
const SHAPES = [[], [-1, -1], [-1, 0, 1], [], [-1], [], [-1, -1, 0], [], [-1], []];
/** The big subtree: groups of four (a reply, its answer, an answer to that, another answer). */
const BIG_SHAPE = (/** @type {number} */ j) => (j % 4 === 0 ? -1 : j % 4 === 3 ? j - 3 : j - 1);

/**
 * `list[index]`, which the seed's own arithmetic keeps in range: a miss is a bug in this file.
 * @template T
 * @param {readonly T[]} list
 * @param {number} index
 * @returns {T}
 */
function item(list, index) {
  const value = list[index];
  if (value === undefined) throw new Error(`seed: no item ${index} of ${list.length}`);
  return value;
}

/** ASCII, as an email address needs it (the API takes no other). */
const ascii = (/** @type {string} */ text) => text.normalize("NFKD").replace(/[^\x20-\x7e]/g, "");

/** @type {import("./seed-plan.ts").SeedAuthor[]} */
const authors = Array.from({ length: AUTHORS }, (_, i) => {
  const first = item(NAMES, i % NAMES.length);
  const last = item(SURNAMES, Math.floor(i / NAMES.length) % SURNAMES.length);
  return {
    name: `${first} ${last}${i >= 72 ? ` ${i}` : ""}`,
    email: i % 5 < 3 ? ascii(`${first}.${last}${i}@example.com`) : null,
    website: i % 7 === 0 ? `https://blog${i}.example` : null,
    // RFC 2544's benchmarking network: one address per reader.
    ip: `198.18.${i >> 8}.${i & 255}`,
    userAgent: UA,
  };
});

/**
 * A comment of a thread's shape: top-level (parent null), a reply (parent: its index in the
 * shape), or held by the defences (always top-level).
 * @typedef {{ parent: number | null, held?: true }} ShapeNode
 */

/**
 * Top-level comments and replies (parent as an index into the list), in time order.
 * @param {number} published
 */
function threadShape(published) {
  /** @type {ShapeNode[]} */
  const nodes = [];
  for (let r = 0; nodes.length < published; r++) {
    const root = nodes.length;
    nodes.push({ parent: null });
    const big = published === BIG_SUBTREE.size - 1 && r === BIG_SUBTREE.rootIndex;
    const shape = big
      ? Array.from({ length: BIG_SUBTREE.replies }, (_, j) => BIG_SHAPE(j))
      : item(SHAPES, r % SHAPES.length);
    /** @type {number[]} */
    const mine = [];
    for (const ref of shape) {
      if (nodes.length >= published) break;
      mine.push(nodes.length);
      nodes.push({ parent: ref === -1 ? root : item(mine, ref) });
    }
  }
  return nodes;
}

/**
 * A held top-level comment after every 100 published ones, as moderation queues hold them.
 * @param {ShapeNode[]} nodes
 * @returns {ShapeNode[]}
 */
const withHeld = (nodes) =>
  nodes.flatMap((node, i) =>
    i > 0 && i % 100 === 0 ? [{ parent: null, held: true }, node] : [node],
  );

/**
 * A thread's comments (`published`, plus held ones if `held`), one every 41 s from `startMs`;
 * authors and words in turn by the seed's running count `serial`. The held ones alternate between
 * a duplicate (held for review) and Akismet's spam.
 * @param {{ published: number, held: boolean, startMs: number, serial: { next: number } }} thread
 * @returns {import("./seed-plan.ts").PlannedComment[]}
 */
function plannedComments({ published, held, startMs, serial }) {
  const shape = threadShape(published);
  /** @type {number[]} Where each comment of the shape is in the list, held ones in between. */
  const placed = [];
  /** @type {import("./seed-plan.ts").PlannedComment[]} */
  const planned = [];
  for (const node of held ? withHeld(shape) : shape) {
    const n = serial.next++;
    if (!node.held) placed.push(planned.length);
    const template = item(TEMPLATES, item(TEMPLATE_MIX, n % TEMPLATE_MIX.length));
    planned.push({
      parent: node.parent === null ? null : item(placed, node.parent),
      author: item(authors, n % AUTHORS),
      body: template.replaceAll(MARK, String(n)),
      at: startMs + planned.length * 41_000,
      ...(node.held ? { caught: n % 2 ? "akismet" : "duplicate" } : {}),
    });
  }
  return planned;
}

/**
 * D1's own figure for the database's size, in bytes (what the 10 GB limit counts).
 * @param {import("./seed-plan.ts").SeedD1} db
 */
async function databaseBytes(db) {
  const { meta } = await db.prepare("SELECT count(*) FROM comments").run();
  return meta.size_after;
}

/**
 * Seeds through a running Worker (`base`, for the API) and its D1 binding (`db`); `folder` is a
 * temporary folder for the bundle of rows.ts. Returns what was made: the thread ids by size, and
 * the database size with bytes per comment.
 * @param {{ base: string, db: import("./seed-plan.ts").SeedD1, adminToken: string, folder: string }} options
 */
export async function seed({ base, db, adminToken, folder }) {
  const { rows } = /** @type {{ rows: import("./seed-plan.ts").SeedRows }} */ (
    await importTypeScript("scripts/bench/rows.ts", folder)
  );
  await api(base, "POST", "/sites", BENCH_SITE, adminToken);
  const before = await databaseBytes(db);
  const serial = { next: 0 };
  const startMs = Date.now() - 120 * 24 * 3600 * 1000;
  let inserted = 0;
  /** @type {Record<string, string>} */
  const threadIds = {};
  const pages = SIZES.map((size) => ({ page: threadPage(size), count: size, held: true }));
  for (let i = 0; i < SMALL_THREADS; i++)
    pages.push({ page: pageUrl(`story-${i}`), count: 1 + ((i * 7) % 25), held: false });
  for (const [i, { page, count, held }] of pages.entries()) {
    // Posted now, so it is the thread's newest top-level comment; the seeded ones come before.
    await api(base, "POST", `/sites/${SITE}/comments`, {
      page,
      title: `Benchmark article ${page.split("/").at(-1)}`,
      author: { name: `Seeder ${100 + i}`, email: `seeder${100 + i}@example.com` },
      body: `First! Thread ${i}.`,
    });
    const comments = plannedComments({ published: count - 1, held, startMs, serial });
    threadIds[page] = (await rows.seedComments(db, SITE, page, comments)).threadId;
    inserted += comments.length;
  }
  const after = await databaseBytes(db);

  for (const size of SIZES) {
    const page = threadPage(size);
    const { counts } = /** @type {{ counts: Record<string, number> }} */ (
      await api(base, "GET", `/sites/${SITE}/counts?page=${encodeURIComponent(page)}`)
    );
    if (counts[page] !== size)
      throw new Error(`thread ${size} counts ${counts[page]} after seeding`);
  }
  return {
    threads: Object.fromEntries(SIZES.map((s) => [s, threadIds[threadPage(s)]])),
    commentsInserted: inserted,
    databaseBytes: after,
    bytesPerComment: Math.round((after - before) / inserted),
  };
}
