import {
  bearer,
  type Case,
  comment,
  commentPath,
  emailOfLength,
  fx,
  postComment,
  UNKNOWN_COMMENT,
  votePath,
  withAuthor,
} from "./bad-input-fixture";
import { call } from "./helpers";

/*
 * Bad-input rows (the fixture and the test are in bad-input-fixture.ts) whose JSON is read but a
 * field in it is wrong: missing, of the wrong type, empty, too long, holding control or bidi
 * characters, a bad URL or email, a parent the page does not have, a vote value out of range,
 * and an edit's new body that fails the checks a comment's body must pass.
 */

export const fieldCases: Case[] = [
  // ---- missing fields, wrong types, empty values ----------------------------------------
  ...(["page", "author", "body"] as const).map(
    (field): Case => ({
      name: `POST comments: no ${field} → 422 ${field}`,
      send: () => {
        const body: Record<string, unknown> = comment();
        delete body[field];
        return postComment(body);
      },
      status: 422,
      code: "validation_failed",
      path: field,
    }),
  ),
  {
    name: "POST comments: author without a name → 422 author.name",
    send: () => postComment(comment({ author: { email: "ana@example.com" } })),
    status: 422,
    code: "validation_failed",
    path: "author.name",
  },
  {
    name: "POST comments: author.name as a number → 422 author.name",
    send: () => postComment(withAuthor({ name: 42 })),
    status: 422,
    code: "validation_failed",
    path: "author.name",
  },
  {
    name: "POST comments: author as a string → 422 author",
    send: () => postComment(comment({ author: "Ana" })),
    status: 422,
    code: "validation_failed",
    path: "author",
  },
  {
    name: "POST comments: body as an array → 422 body",
    send: () => postComment(comment({ body: ["Hello"] })),
    status: 422,
    code: "validation_failed",
    path: "body",
  },
  {
    name: "POST comments: page as a number → 422 page",
    send: () => postComment(comment({ page: 7 })),
    status: 422,
    code: "validation_failed",
    path: "page",
  },
  {
    name: "POST comments: parentId as a number → 422 parentId",
    send: () => postComment(comment({ parentId: 5 })),
    status: 422,
    code: "validation_failed",
    path: "parentId",
  },
  ...(
    [
      ["author.name", "empty", withAuthor.bind(null, { name: "" })],
      ["author.name", "whitespace-only", withAuthor.bind(null, { name: " \t  " })],
      ["body", "empty", () => comment({ body: "" })],
      ["body", "whitespace-only", () => comment({ body: "  \n\n \t" })],
      ["page", "empty", () => comment({ page: "" })],
      ["page", "whitespace-only", () => comment({ page: "   " })],
      ["author.name", "zero-width-only", withAuthor.bind(null, { name: "\u200b" })],
      ["author.name", "direction-marks-only", withAuthor.bind(null, { name: "\u200f\u200e" })],
      ["body", "zero-width-only", () => comment({ body: "\u200b\u200b" })],
    ] as const
  ).map(
    ([path, label, build]): Case => ({
      name: `POST comments: ${label} ${path} → 422 ${path}`,
      send: () => postComment(build()),
      status: 422,
      code: "validation_failed",
      path,
    }),
  ),

  // ---- over-long fields -----------------------------------------------------------------
  {
    name: "POST comments: an 81-character name → 422 author.name",
    send: () => postComment(withAuthor({ name: "n".repeat(81) })),
    status: 422,
    code: "validation_failed",
    path: "author.name",
  },
  {
    name: "POST comments: a 2049-character page → 422 page",
    send: () => postComment(comment({ page: `https://news.example/${"p".repeat(2049 - 21)}` })),
    status: 422,
    code: "validation_failed",
    path: "page",
  },
  {
    name: "POST comments: a 301-character title → 422 title",
    send: () => postComment(comment({ title: "t".repeat(301) })),
    status: 422,
    code: "validation_failed",
    path: "title",
  },
  {
    name: "POST comments: a 255-character email → 422 author.email",
    send: () => postComment(withAuthor({ email: emailOfLength(255) })),
    status: 422,
    code: "validation_failed",
    path: "author.email",
  },
  {
    name: "POST comments: a 2049-character website → 422 author.website",
    send: () =>
      postComment(withAuthor({ website: `https://ana.example/${"w".repeat(2049 - 20)}` })),
    status: 422,
    code: "validation_failed",
    path: "author.website",
  },

  // ---- control, bidi and broken characters ----------------------------------------------
  ...(
    [
      ["NUL", "An\u0000a"],
      ["BEL (\\u0007)", "An\u0007a"],
      ["ESC (\\u001b)", "\u001b[31mAna"],
      ["NEL (\\u0085)", "An\u0085a"],
      ["a newline", "An\na"],
      ["a tab", "An\ta"],
      ["RIGHT-TO-LEFT OVERRIDE (\\u202e)", "Ana\u202etxt.exe"],
      ["LEFT-TO-RIGHT ISOLATE (\\u2066)", "Ana\u2066x"],
      ["an unpaired surrogate (\\ud800)", "Ana\ud800"],
    ] as const
  ).map(
    ([label, name]): Case => ({
      name: `POST comments: ${label} in the name → 422 author.name`,
      send: () => postComment(withAuthor({ name })),
      status: 422,
      code: "validation_failed",
      path: "author.name",
    }),
  ),
  ...(
    [
      ["NUL", "Hello\u0000world"],
      ["ESC (\\u001b)", "Hello \u001b[2J"],
      ["RIGHT-TO-LEFT OVERRIDE (\\u202e)", "Hello \u202eworld"],
      ["an unpaired surrogate (\\udc00)", "Hello \udc00"],
    ] as const
  ).map(
    ([label, body]): Case => ({
      name: `POST comments: ${label} in the body → 422 body`,
      send: () => postComment(comment({ body })),
      status: 422,
      code: "validation_failed",
      path: "body",
    }),
  ),
  {
    name: "POST comments: NUL in the page → 422 page",
    send: () => postComment(comment({ page: `${fx.pageA}\u0000` })),
    status: 422,
    code: "validation_failed",
    path: "page",
  },
  {
    name: "POST comments: an 81-character honeypot → 422 hp",
    send: () => postComment(comment({ hp: "h".repeat(81) })),
    status: 422,
    code: "validation_failed",
    path: "hp",
  },
  {
    name: "POST comments: a 201-character issuedAt → 422 issuedAt",
    send: () => postComment(comment({ issuedAt: "1".repeat(201) })),
    status: 422,
    code: "validation_failed",
    path: "issuedAt",
  },
  {
    name: "POST comments: a newline in the title → 422 title",
    send: () => postComment(comment({ title: "Breaking\nnews" })),
    status: 422,
    code: "validation_failed",
    path: "title",
  },

  // ---- URLs and emails ------------------------------------------------------------------
  ...[
    "javascript:alert(1)",
    "ftp://x",
    "not a url",
    "//example.com",
    "data:text/html,hi",
    "https://",
  ].map(
    (website): Case => ({
      name: `POST comments: website ${JSON.stringify(website)} → 422 author.website`,
      send: () => postComment(withAuthor({ website })),
      status: 422,
      code: "validation_failed",
      path: "author.website",
    }),
  ),
  ...["not-an-email", "ana@", "@example.com", "ana example@example.com"].map(
    (email): Case => ({
      name: `POST comments: email ${JSON.stringify(email)} → 422 author.email`,
      send: () => postComment(withAuthor({ email })),
      status: 422,
      code: "validation_failed",
      path: "author.email",
    }),
  ),

  // ---- parents --------------------------------------------------------------------------
  {
    name: "POST comments: an unknown parentId → 404 parent_not_found",
    send: () => postComment(comment({ parentId: UNKNOWN_COMMENT })),
    status: 404,
    code: "parent_not_found",
  },
  {
    name: "POST comments: a parent on another page of the site → 404 parent_not_found",
    send: () => postComment(comment({ page: fx.pageB, parentId: fx.comment.comment.id })),
    status: 404,
    code: "parent_not_found",
  },
  {
    name: "POST comments: a parent on a page with no thread yet → 404 parent_not_found",
    send: () => postComment(comment({ page: fx.pageEmpty, parentId: fx.comment.comment.id })),
    status: 404,
    code: "parent_not_found",
  },
  {
    name: "POST comments: a parent on another site → 404 parent_not_found",
    send: () => postComment(comment({ parentId: fx.foreign.comment.id })),
    status: 404,
    code: "parent_not_found",
  },
  ...["123", "c_SHOUTING0000000000000000000", `c_${"0".repeat(25)}`, `t_${"0".repeat(26)}`].map(
    (parentId): Case => ({
      name: `POST comments: malformed parentId ${JSON.stringify(parentId)} → 422 parentId`,
      send: () => postComment(comment({ parentId })),
      status: 422,
      code: "validation_failed",
      path: "parentId",
    }),
  ),

  // ---- vote values ----------------------------------------------------------------------
  ...(
    [
      ['"1" (a string)', "1"],
      ["2", 2],
      ["-2", -2],
      ["0.5", 0.5],
      ["null", null],
      ["true", true],
    ] as const
  ).map(
    ([label, value]): Case => ({
      name: `vote: value ${label} → 422 value`,
      send: () => call("POST", votePath(), { value }),
      status: 422,
      code: "validation_failed",
      path: "value",
    }),
  ),
  {
    name: "vote: no body at all → 422 value",
    send: () => call("POST", votePath()),
    status: 422,
    code: "validation_failed",
    path: "value",
  },
  {
    name: "vote: no value → 422 value",
    send: () => call("POST", votePath(), {}),
    status: 422,
    code: "validation_failed",
    path: "value",
  },

  // ---- an edit's new body ---------------------------------------------------------------
  ...(
    [
      ["an empty body", ""],
      ["a whitespace-only body", " \n "],
      ["a 5001-character body", "x".repeat(5001)],
      ["NUL in the body", "Edited\u0000"],
    ] as const
  ).map(
    ([label, text]): Case => ({
      name: `PATCH comment: ${label} → 422 body`,
      send: () => call("PATCH", commentPath(), { body: text }, bearer(fx.comment.editToken)),
      status: 422,
      code: "validation_failed",
      path: "body",
    }),
  ),
  {
    name: "PATCH comment: no body field → 422 body",
    send: () => call("PATCH", commentPath(), { text: "Edited" }, bearer(fx.comment.editToken)),
    status: 422,
    code: "validation_failed",
    path: "body",
  },
];
