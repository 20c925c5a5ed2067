import { fromMarkdown } from "mdast-util-from-markdown";
import { gfmAutolinkLiteralFromMarkdown } from "mdast-util-gfm-autolink-literal";
import { gfmAutolinkLiteral as publishedAutolinks } from "micromark-extension-gfm-autolink-literal";
import { describe, expect, it } from "vitest";
import { ApiError } from "../../src/errors";
import { parseBody, UnparsableBody, unparsableOnFailure } from "../../src/services/text/markdown";
import { gfmAutolinkLiteral as guardedAutolinks } from "../../src/services/text/markdown-autolinks";
import {
  MARKDOWN_LIMITS as LIMITS,
  markdownProblem,
} from "../../src/services/text/markdown-limits";
import type { Body } from "../../src/shared/body";
import { HOSTILE_BODIES } from "../fixtures/hostile-bodies.mjs";
import corpus from "../fixtures/markdown-corpus.json";
import { ADMIN, call, createSite, json, pageUrl, post, postRaw, rows, thread } from "./helpers";
import { importOk } from "./import-helpers";

/*
 * Issue 12: the markdown parser must be cheap and never crash, whatever a 5,000-character body
 * holds. Bodies over src/services/markdown-limits.ts's caps are refused before parsing (422 on
 * `body` through the API, a skipped record on import); the rest parse as they did. Timing lives
 * in `npm run bench` (scripts/bench/hostile-bodies.mjs), not here.
 */

/** The outside tester's body: on main, seconds of CPU, then a stored comment or a 500 (stack overflow). */
const NESTED_LIST_MARKERS = "- ".repeat(2495);
/** 5,000 nested quotes: on main the built Worker answered 500 (a stack overflow in the parser). */
const NESTED_QUOTES = ">".repeat(5000);

interface ErrorReply {
  error?: { code: string; details?: Array<{ path: string; message: string }> };
}

/** What the API answered, in the terms a refusal of the body is checked in. */
async function answer(res: Response) {
  const reply = await json<ErrorReply>(res);
  return {
    status: res.status,
    code: reply.error?.code,
    onBody: reply.error?.details?.some((d) => d.path === "body") ?? false,
  };
}

const REFUSED_BODY = { status: 422, code: "validation_failed", onBody: true };

describe("posting and editing bodies the parser cannot take (issue 12)", () => {
  it("answers 422 on body, not 500, when posting 2,495 nested list markers or 5,000 nested quotes", async () => {
    const site = await createSite();
    const page = pageUrl();
    const answers = [];
    for (const body of [NESTED_LIST_MARKERS, NESTED_QUOTES]) {
      answers.push(await answer(await postRaw(site.id, page, { body })));
    }
    expect(answers).toEqual([REFUSED_BODY, REFUSED_BODY]);
    await post(site.id, page, { body: "Still open for a comment the parser takes." });
    expect((await thread(site.id, page)).thread.count).toBe(1);
  });

  it("answers 422 on body, not 500, when editing a comment to those bodies, and keeps the comment", async () => {
    const site = await createSite();
    const posted = await post(site.id, pageUrl(), { body: "Before" });
    const answers = [];
    for (const body of [NESTED_LIST_MARKERS, NESTED_QUOTES]) {
      const res = await call(
        "PATCH",
        `/api/v1/sites/${site.id}/comments/${posted.comment.id}`,
        { body },
        { authorization: `Bearer ${posted.editToken}` },
      );
      answers.push(await answer(res));
    }
    expect(answers).toEqual([REFUSED_BODY, REFUSED_BODY]);
    const [stored] = await rows("SELECT body_source FROM comments WHERE id = ?", posted.comment.id);
    expect(stored?.body_source).toBe("Before");
  });

  it("keeps an imported comment whose markdown the parser will not take as plain text, and says so", async () => {
    const from = await createSite();
    const page = pageUrl();
    await post(from.id, page, { body: "A fine comment" });
    const exported = JSON.parse(
      await (await call("GET", `/api/v1/sites/${from.id}/export`, undefined, ADMIN)).text(),
    ) as { comments: Array<Record<string, unknown>> };
    const [fine] = exported.comments;
    exported.comments.push({ ...fine, id: "hostile", body: NESTED_LIST_MARKERS });
    const to = await createSite();
    const report = await importOk(to.id, "format=parley", JSON.stringify(exported));
    expect({
      comments: report.comments,
      skipped: report.skippedTotal,
      warnings: report.warningsTotal,
    }).toEqual({ comments: 2, skipped: 0, warnings: 1 });
    expect(report.warnings[0]?.position).toContain("comments[1]");
    expect(report.warnings[0]?.reason).toContain("kept as plain text");
    const [kept] = await rows(
      "SELECT body_source, body_json FROM comments WHERE site_id = ? AND body_source <> ?",
      to.id,
      "A fine comment",
    );
    expect(kept?.body_source).toBe(NESTED_LIST_MARKERS);
    const body = JSON.parse(String(kept?.body_json)) as Body;
    expect(body).toEqual([
      { type: "paragraph", children: [{ type: "text", value: NESTED_LIST_MARKERS }] },
    ]);
  });
});

describe("parseBody on hostile bodies (issue 12)", () => {
  it.each(HOSTILE_BODIES.map((h) => [h.name, h]))(
    "%s: refused or parsed, never a crash",
    (_, h) => {
      expect(h.body.length).toBeLessThanOrEqual(5000);
      let outcome: Body | unknown;
      try {
        outcome = parseBody(h.body);
      } catch (error) {
        outcome = error;
      }
      if (h.refused) {
        expect(outcome).toBeInstanceOf(UnparsableBody);
      } else {
        expect(Array.isArray(outcome), String(outcome)).toBe(true);
      }
    },
  );

  it("refuses with the API's 422 validation_failed on body", () => {
    let refusal: unknown;
    try {
      parseBody(NESTED_LIST_MARKERS);
    } catch (error) {
      refusal = error;
    }
    expect(refusal).toBeInstanceOf(ApiError);
    expect(refusal).toMatchObject({
      status: 422,
      code: "validation_failed",
      details: [{ path: "body" }],
    });
  });
});

describe("parseBody when the parser itself fails", () => {
  it("answers a stack overflow or an exception inside the parser as UnparsableBody", () => {
    // A real stack overflow, as 2,495 nested list markers caused on main; nothing is stubbed.
    const overflow = (): never => overflow();
    expect(() => unparsableOnFailure(overflow)).toThrow(UnparsableBody);
    expect(() =>
      unparsableOnFailure(() => {
        throw new TypeError("an exception inside the parser");
      }),
    ).toThrow(UnparsableBody);
    expect(unparsableOnFailure(() => "parsed")).toBe("parsed");
  });
});

describe("what the limits allow (markdown-limits.ts)", () => {
  const refusedAtOneMore = (atLimit: string, overLimit: string) => {
    expect(markdownProblem(atLimit)).toBeUndefined();
    expect(markdownProblem(overLimit)).toEqual(expect.any(String));
  };

  it("allows 16 quote and list markers at the start of a line, not 17", () => {
    refusedAtOneMore(
      `${"> ".repeat(10)}${"- ".repeat(6)}a`,
      `${"> ".repeat(10)}${"- ".repeat(7)}a`,
    );
    refusedAtOneMore(`${">".repeat(LIMITS.nesting)} a`, `${">".repeat(LIMITS.nesting + 1)} a`);
  });

  it("allows 500 lines, not 501, whatever ends them", () => {
    refusedAtOneMore("a\n".repeat(LIMITS.lines - 1), "a\n".repeat(LIMITS.lines));
    refusedAtOneMore("a\r\n".repeat(LIMITS.lines - 1), "a\r".repeat(LIMITS.lines));
  });

  it("allows 200 list items, not 201", () => {
    refusedAtOneMore("- a\n".repeat(LIMITS.listItems), "- a\n".repeat(LIMITS.listItems + 1));
  });

  it("allows 500 quote and list markers in all, not 501", () => {
    refusedAtOneMore(
      "> > a\n".repeat(LIMITS.markers / 2),
      `${"> > a\n".repeat(LIMITS.markers / 2)}> a`,
    );
  });

  it("allows 100 emphasis and link marks in a paragraph, counting a fresh paragraph anew", () => {
    const marks = "*a* ".repeat(LIMITS.marksPerParagraph / 2);
    refusedAtOneMore(marks, `${marks}*`);
    refusedAtOneMore(`[${"a] ".repeat(100)}`, `[${"a] ".repeat(101)}`);
    // A blank line, a bullet or a `1.` item surely starts a new paragraph.
    expect(markdownProblem(`${marks}\n\n${marks}`)).toBeUndefined();
    expect(markdownProblem(`- ${marks}\n- ${marks}`)).toBeUndefined();
    expect(markdownProblem(`${marks}\n1. ${marks}`)).toBeUndefined();
    // Neither a `2.` (it continues a paragraph), nor a quote line, nor an indented bullet may.
    expect(markdownProblem(`${marks}\n2. ${marks}`)).toEqual(expect.any(String));
    expect(markdownProblem(`> ${marks}\n> ${marks}`)).toEqual(expect.any(String));
    expect(markdownProblem(`${marks}\n    - ${marks}`)).toEqual(expect.any(String));
  });

  it("allows 500 emphasis and link marks in all, not 501", () => {
    const paragraph = "**a** ".repeat(LIMITS.marksPerParagraph / 4);
    const body = Array.from({ length: LIMITS.marks / LIMITS.marksPerParagraph }, () => paragraph);
    refusedAtOneMore(body.join("\n\n"), `${body.join("\n\n")}\n\na*`);
  });

  it("does not count escaped marks, or underscores inside words", () => {
    expect(markdownProblem("\\*".repeat(1000))).toBeUndefined();
    expect(markdownProblem("snake_case_name ".repeat(200))).toBeUndefined();
    expect(markdownProblem("]".repeat(1000))).toBeUndefined();
  });

  it("allows 10 web addresses run together without a space, not 11", () => {
    refusedAtOneMore("https://a.example/".repeat(10), "https://a.example/".repeat(11));
    refusedAtOneMore("WWW.a.".repeat(10), "WWW.a.".repeat(11));
    expect(markdownProblem("https://a.example/ ".repeat(100))).toBeUndefined();
  });

  it("passes ordinary bodies, which still parse to the same trees as before the limits", () => {
    // Recorded from parseBody on main before issue 12 (test/fixtures/markdown-corpus.json).
    for (const { source, body } of corpus) {
      expect(markdownProblem(source), source).toBeUndefined();
      expect(parseBody(source), source).toEqual(body);
    }
  });
});

describe("GFM autolink literals without the look-back (markdown-autolinks.ts)", () => {
  const tree = (source: string, autolinks: typeof publishedAutolinks) =>
    fromMarkdown(source, {
      extensions: [autolinks()],
      mdastExtensions: [gfmAutolinkLiteralFromMarkdown()],
    });

  /** mulberry32: a small deterministic PRNG. */
  function prng(seed: number): () => number {
    let a = seed >>> 0;
    return () => {
      a = (a + 0x6d2b79f5) >>> 0;
      let t = a;
      t = Math.imul(t ^ (t >>> 15), t | 1);
      t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
      return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
    };
  }

  it("gives the same trees as the published extension, brackets open or not", () => {
    const sources = [
      "[see www.example.com",
      "[a [b www.c.example](http://d.example) e https://f.example",
      "[x] www.a.example and [[x] www.b.example",
      "[x](http://a.example) www.b.example [ y www.c.example and a@b.example",
      "[`a]` www.b.example",
      "a [b] [c www.d.example ] www.e.example",
      "go to www.example.com or https://example.com/path, or mail a@b.example",
    ];
    const pieces = [
      ..."[]()`<>*_!\\ ",
      "a",
      "h",
      "w",
      "www.a.example",
      "http://b.example",
      "a@b.example",
      "](c)",
      "\n",
    ];
    const random = prng(12);
    for (let run = 0; run < 300; run++) {
      let source = "";
      const length = 1 + Math.floor(random() * 60);
      for (let i = 0; i < length; i++) source += pieces[Math.floor(random() * pieces.length)];
      sources.push(source);
    }
    for (const source of sources) {
      expect(tree(source, guardedAutolinks), source).toEqual(tree(source, publishedAutolinks));
    }
  });
});
