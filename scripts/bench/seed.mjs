// The benchmark's data: one site, threads of 100, 1,000 and 10,000 published comments and 45
// small ones for the counts request. Every thread's first comment is posted through the API, so
// threads and the site are exactly what the product writes; the rest go into D1 as SQL rows shaped
// like the posted ones (ids, paths, body trees, hashes, edit windows), through the Worker's own
// D1 binding, so the triggers keep threads.count, reply_count and version exact.
import { createHash, randomBytes } from "node:crypto";
import { api } from "./http.mjs";

export const SITE = "bench";
export const SIZES = [100, 1000, 10000];
/** The one subtree large enough to need paging: it sits on the 10,000 thread's first page. */
const BIG_SUBTREE = { size: 10000, rootIndex: 5, replies: 1000 };
const SMALL_THREADS = 45;
/** Pages in the counts request that have no thread: an index page lists new articles too. */
const UNKNOWN_PAGES = 5;

export const pageUrl = (name) => `https://news.example/2026/11/${name}`;
export const threadPage = (size) => pageUrl(`thread-${size}`);
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

/** "QQQ0" is replaced by each comment's number, in the source and in the parsed tree alike. */
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
const BIG_SHAPE = (j) => [-1, j - 1, j - 1, j - 3][j % 4];

// services/ids.ts: Crockford base32, 48-bit millisecond time then 80 random bits.
const ALPHABET = "0123456789abcdefghjkmnpqrstvwxyz";
function newId(prefix, ms) {
  let time = "";
  for (let i = 0, rest = ms; i < 10; i++, rest = Math.floor(rest / 32))
    time = ALPHABET[rest % 32] + time;
  const random = Array.from(randomBytes(16), (b) => ALPHABET[b % 32]).join("");
  return `${prefix}_${time}${random}`;
}
const hex = (bytes) => randomBytes(bytes).toString("hex");
// services/comments.ts bodyHash(): folded (blocklist.ts fold), whitespace collapsed, SHA-256.
const bodyHash = (body) =>
  createHash("sha256")
    .update(body.normalize("NFKD").replace(/\p{M}/gu, "").toLowerCase().replace(/\s+/g, " ").trim())
    .digest("hex");

const authors = Array.from({ length: AUTHORS }, (_, i) => {
  const first = NAMES[i % NAMES.length];
  const last = SURNAMES[Math.floor(i / NAMES.length) % SURNAMES.length];
  return {
    name: `${first} ${last}${i >= 72 ? ` ${i}` : ""}`,
    email: i % 5 < 3 ? `${first}.${last}${i}@example.com`.normalize("NFKD").toLowerCase() : null,
    website: i % 7 === 0 ? `https://blog${i}.example` : null,
    authorHash: hex(8),
    ipHash: hex(16),
  };
});

/** Top-level comments and replies (parent as an index into the list), in time order. */
function threadShape(published) {
  const nodes = [];
  for (let r = 0; nodes.length < published; r++) {
    const root = nodes.length;
    nodes.push({ parent: null });
    const big = published === BIG_SUBTREE.size - 1 && r === BIG_SUBTREE.rootIndex;
    const shape = big
      ? Array.from({ length: BIG_SUBTREE.replies }, (_, j) => BIG_SHAPE(j))
      : (SHAPES[r % SHAPES.length] ?? []);
    const mine = [];
    for (const ref of shape) {
      if (nodes.length >= published) break;
      mine.push(nodes.length);
      nodes.push({ parent: ref === -1 ? root : mine[ref] });
    }
  }
  return nodes;
}

/** A pending or a spam top-level comment after every 100 published ones, as queues hold. */
const withHeld = (nodes) =>
  nodes.flatMap((node, i) => (i > 0 && i % 100 === 0 ? [{ held: true }, node] : [node]));

/** Rows for a thread (`published` comments, plus held ones if `held`), in COLUMNS order. */
function commentRows({ threadId, published, held, startMs, serial }) {
  const shape = threadShape(published);
  const placed = [];
  return (held ? withHeld(shape) : shape).map((node, i) => {
    const ms = startMs + i * 41_000;
    const id = newId("c", ms);
    const n = serial.next++;
    const author = authors[n % AUTHORS];
    const template = TEMPLATES[TEMPLATE_MIX[n % TEMPLATE_MIX.length]];
    const parent = node.held || node.parent === null ? undefined : placed[node.parent];
    const me = {
      id,
      rootId: parent?.rootId ?? id,
      path: parent ? `${parent.path}/${id}` : id,
      depth: parent ? parent.depth + 1 : 0,
    };
    if (!node.held) placed.push(me);
    const status = node.held ? (n % 2 ? "spam" : "pending") : "published";
    const source = template.source.replaceAll(MARK, String(n));
    return [
      id,
      SITE,
      threadId,
      parent?.id ?? null,
      me.rootId,
      me.depth,
      me.path,
      author.name,
      author.email,
      author.website,
      author.authorHash,
      author.ipHash,
      UA,
      source,
      template.json.replaceAll(MARK, String(n)),
      bodyHash(source),
      status,
      status === "spam" ? JSON.stringify(["links"]) : null,
      hex(32),
      new Date(ms + 900_000).toISOString(),
      new Date(ms).toISOString(),
    ];
  });
}

const COLUMNS = [
  "id",
  "site_id",
  "thread_id",
  "parent_id",
  "root_id",
  "depth",
  "path",
  "author_name",
  "author_email",
  "author_website",
  "author_hash",
  "ip_hash",
  "user_agent",
  "body_source",
  "body_json",
  "body_hash",
  "status",
  "spam_reasons",
  "edit_token_hash",
  "editable_until",
  "created_at",
];
/** An SQL literal. The values are the seed's own: numbers, nulls and strings. */
const literal = (v) =>
  v === null ? "NULL" : typeof v === "number" ? String(v) : `'${String(v).replaceAll("'", "''")}'`;

/**
 * Multi-row INSERTs of literals, each well under D1's 100 KB statement limit: Miniflare's D1 API
 * costs milliseconds per statement from Node, so 10,000 one-row statements would take a minute.
 */
async function insertRows(db, rows) {
  const statements = [];
  let values = [];
  let length = 0;
  const flush = () => {
    if (values.length === 0) return;
    statements.push(`INSERT INTO comments (${COLUMNS.join(", ")}) VALUES ${values.join(", ")}`);
    values = [];
    length = 0;
  };
  for (const row of rows) {
    const tuple = `(${row.map(literal).join(", ")})`;
    if (length + tuple.length > 80_000) flush();
    values.push(tuple);
    length += tuple.length;
  }
  flush();
  for (let i = 0; i < statements.length; i += 20)
    await db.batch(statements.slice(i, i + 20).map((sql) => db.prepare(sql)));
}

/** D1's own figure for the database's size, in bytes (what the 10 GB limit counts). */
async function databaseBytes(db) {
  const { meta } = await db.prepare("SELECT count(*) FROM comments").run();
  return meta.size_after;
}

/**
 * Seeds through a running Worker (`base`, for the API) and its D1 binding (`db`). Returns what was
 * made: the thread pages and ids, and the database size with bytes per comment.
 */
export async function seed(base, db, adminToken) {
  await api(base, "POST", "/sites", BENCH_SITE, adminToken);
  const post = (page, body, n) =>
    api(base, "POST", `/sites/${SITE}/comments`, {
      page,
      title: `Benchmark article ${page.split("/").at(-1)}`,
      author: { name: `Seeder ${n}`, email: `seeder${n}@example.com` },
      body,
    });

  // The first comment of each template's page: its stored body tree is the template's tree.
  const templates = [];
  for (const [i, source] of TEMPLATES.entries()) {
    const { comment } = await post(pageUrl(`template-${i}`), source, i);
    const { results } = await db
      .prepare("SELECT body_json FROM comments WHERE id = ?")
      .bind(comment.id)
      .all();
    templates.push({ source, json: results[0].body_json });
  }
  TEMPLATES.splice(0, TEMPLATES.length, ...templates);

  const before = await databaseBytes(db);
  const serial = { next: 0 };
  const startMs = Date.now() - 120 * 24 * 3600 * 1000;
  let inserted = 0;
  const threadIds = {};
  const pages = SIZES.map((size) => ({ page: threadPage(size), count: size, held: true }));
  for (let i = 0; i < SMALL_THREADS; i++)
    pages.push({ page: pageUrl(`story-${i}`), count: 1 + ((i * 7) % 25), held: false });
  for (const [i, { page, count, held }] of pages.entries()) {
    // Posted now, so it is the thread's newest top-level comment; the seeded ones come before.
    await post(page, `First! Thread ${i}.`, 100 + i);
    const { results } = await db
      .prepare("SELECT id FROM threads WHERE site_id = ? AND page_key = ?")
      .bind(SITE, page)
      .all();
    const threadId = results[0].id;
    threadIds[page] = threadId;
    const rows = commentRows({ threadId, published: count - 1, held, startMs, serial });
    await insertRows(db, rows);
    inserted += rows.length;
  }
  const after = await databaseBytes(db);

  for (const size of SIZES) {
    const { counts } = await api(
      base,
      "GET",
      `/sites/${SITE}/counts?page=${encodeURIComponent(threadPage(size))}`,
    );
    if (counts[threadPage(size)] !== size)
      throw new Error(`thread ${size} counts ${counts[threadPage(size)]} after seeding`);
  }
  return {
    threads: Object.fromEntries(SIZES.map((s) => [s, threadIds[threadPage(s)]])),
    commentsInserted: inserted,
    databaseBytes: after,
    bytesPerComment: Math.round((after - before) / inserted),
  };
}
