import { expect } from "vitest";
import {
  bearer,
  type Case,
  comment,
  commentPath,
  commentsPath,
  fx,
  newSite,
  postComment,
  postSite,
  votePath,
} from "./bad-input-fixture";
import { ADMIN, call, fetchWorker } from "./helpers";

/*
 * Bad-input rows (the fixture and the test are in bad-input-fixture.ts) whose body cannot be read
 * as a request: JSON that does not parse or is not an object, a content type other than JSON,
 * and bodies at and over the 64 KB limit, with and without Content-Length.
 */

const BASE = "http://parley.test";
const KB64 = 64 * 1024;

const utf8 = (text: string) => new TextEncoder().encode(text);

/** A request exactly as given: no helper fills in a content type or serialises the body. */
function raw(method: string, path: string, init: RequestInit = {}): Promise<Response> {
  return fetchWorker(new Request(`${BASE}${path}`, { method, ...init }));
}

/** A body sent as a stream, so the request carries no Content-Length. */
function streamOf(text: string): ReadableStream<Uint8Array> {
  const bytes = utf8(text);
  return new ReadableStream({
    start(controller) {
      for (let i = 0; i < bytes.length; i += 16 * 1024) {
        controller.enqueue(bytes.subarray(i, i + 16 * 1024));
      }
      controller.close();
    },
  });
}

const root = expect.any(String);

export const bodyFormatCases: Case[] = [
  // ---- malformed JSON -------------------------------------------------------------------
  ...(
    [
      ["truncated", '{"page": "https://news.example/a", "body": "x"'],
      ["with a trailing comma", '{"page": "https://news.example/a",}'],
      ["in single quotes", "{'page': 'https://news.example/a'}"],
      ["empty", ""],
    ] as const
  ).flatMap(([shape, text]): Case[] => [
    {
      name: `POST comments: ${shape} JSON → 400 invalid_json`,
      send: () => postComment(text),
      status: 400,
      code: "invalid_json",
    },
    {
      name: `vote: ${shape} JSON → 400 invalid_json`,
      send: () => call("POST", votePath(), text),
      status: 400,
      code: "invalid_json",
    },
  ]),
  {
    name: "PATCH comment: truncated JSON → 400 invalid_json",
    send: () => call("PATCH", commentPath(), '{"body": "x"', bearer(fx.comment.editToken)),
    status: 400,
    code: "invalid_json",
  },
  {
    name: "POST sites: truncated JSON → 400 invalid_json",
    send: () => postSite('{"id": "x'),
    status: 400,
    code: "invalid_json",
  },
  {
    name: "PATCH site: JSON with a trailing comma → 400 invalid_json",
    send: () => call("PATCH", `/api/v1/sites/${fx.site}`, '{"name": "x",}', ADMIN),
    status: 400,
    code: "invalid_json",
  },
  {
    name: "POST keys: empty JSON body → 400 invalid_json",
    send: () => call("POST", `/api/v1/sites/${fx.site}/keys`, "", ADMIN),
    status: 400,
    code: "invalid_json",
  },

  // ---- JSON that is not an object -------------------------------------------------------
  ...(
    [
      ["an array", "[]"],
      ["a string", '"hello"'],
      ["a number", "42"],
      ["null", "null"],
    ] as const
  ).map(
    ([shape, text]): Case => ({
      name: `POST comments: JSON ${shape} instead of an object → 422`,
      send: () => postComment(text),
      status: 422,
      code: "validation_failed",
      path: root,
    }),
  ),
  {
    name: "vote: a JSON array instead of an object → 422",
    send: () => call("POST", votePath(), "[1]"),
    status: 422,
    code: "validation_failed",
    path: root,
  },
  {
    name: "POST sites: JSON null instead of an object → 422",
    send: () => postSite("null"),
    status: 422,
    code: "validation_failed",
    path: root,
  },
  {
    name: "POST comments: 30 000 nested arrays → 422, not a stack overflow",
    send: () => postComment(`${"[".repeat(30_000)}${"]".repeat(30_000)}`),
    status: 422,
    code: "validation_failed",
    path: root,
  },

  // ---- wrong content type ---------------------------------------------------------------
  ...(
    [
      ["text/plain", "text/plain"],
      ["form-urlencoded", "application/x-www-form-urlencoded"],
      ["multipart", "multipart/form-data; boundary=x"],
      ["application/jsonp (a prefix of json)", "application/jsonp"],
    ] as const
  ).map(
    ([label, type]): Case => ({
      name: `POST comments: ${label} body → 415`,
      send: () =>
        raw("POST", commentsPath(), {
          body: JSON.stringify(comment()),
          headers: { "content-type": type },
        }),
      status: 415,
      code: "unsupported_media_type",
    }),
  ),
  {
    name: "POST comments: a body with no content type → 415",
    send: () => raw("POST", commentsPath(), { body: utf8(JSON.stringify(comment())) }),
    status: 415,
    code: "unsupported_media_type",
  },
  {
    name: "POST comments: a streamed text/plain body → 415",
    send: () =>
      raw("POST", commentsPath(), {
        body: streamOf(JSON.stringify(comment())),
        headers: { "content-type": "text/plain" },
      }),
    status: 415,
    code: "unsupported_media_type",
  },
  {
    name: "vote: text/plain body → 415",
    send: () =>
      raw("POST", votePath(), { body: '{"value":1}', headers: { "content-type": "text/plain" } }),
    status: 415,
    code: "unsupported_media_type",
  },
  {
    name: "PATCH comment: form-urlencoded body → 415",
    send: () =>
      raw("PATCH", commentPath(), {
        body: "body=edited",
        headers: {
          "content-type": "application/x-www-form-urlencoded",
          ...bearer(fx.comment.editToken),
        },
      }),
    status: 415,
    code: "unsupported_media_type",
  },
  {
    name: "POST sites: multipart body → 415",
    send: () =>
      raw("POST", "/api/v1/sites", {
        body: `--x\r\nContent-Disposition: form-data; name="id"\r\n\r\nabc\r\n--x--\r\n`,
        headers: { "content-type": "multipart/form-data; boundary=x", ...ADMIN },
      }),
    status: 415,
    code: "unsupported_media_type",
  },
  {
    name: "POST keys: a body with no content type → 415",
    send: () =>
      raw("POST", `/api/v1/sites/${fx.site}/keys`, {
        body: utf8('{"label":"x"}'),
        headers: ADMIN,
      }),
    status: 415,
    code: "unsupported_media_type",
  },

  // ---- oversized bodies -----------------------------------------------------------------
  {
    name: "POST comments: a 70 KB body with Content-Length → 413",
    send: () => postComment(comment({ body: "x".repeat(70_000) })),
    status: 413,
    code: "payload_too_large",
  },
  {
    name: "POST comments: a 70 KB streamed body without Content-Length → 413",
    send: () =>
      raw("POST", commentsPath(), {
        body: streamOf(JSON.stringify(comment({ body: "x".repeat(70_000) }))),
        headers: { "content-type": "application/json" },
      }),
    status: 413,
    code: "payload_too_large",
  },
  {
    name: "POST comments: one byte over 64 KB → 413",
    send: () => postComment(`"${"x".repeat(KB64 - 1)}"`),
    status: 413,
    code: "payload_too_large",
  },
  {
    name: "POST comments: exactly 64 KB is read, then refused by validation → 422 body",
    send: () => {
      const text = JSON.stringify(comment({ body: "" }));
      const padded = JSON.stringify(comment({ body: "x".repeat(KB64 - text.length) }));
      return postComment(padded);
    },
    status: 422,
    code: "validation_failed",
    path: "body",
  },
  {
    name: "vote: a 70 KB streamed body → 413",
    send: () =>
      raw("POST", votePath(), {
        body: streamOf(`{"value":1,"pad":"${"x".repeat(70_000)}"}`),
        headers: { "content-type": "application/json" },
      }),
    status: 413,
    code: "payload_too_large",
  },
  {
    name: "PATCH comment: a 70 KB body → 413",
    send: () =>
      call("PATCH", commentPath(), { body: "x".repeat(70_000) }, bearer(fx.comment.editToken)),
    status: 413,
    code: "payload_too_large",
  },
  {
    name: "POST sites: a 70 KB body → 413",
    send: () => postSite(newSite({ name: "x".repeat(70_000) })),
    status: 413,
    code: "payload_too_large",
  },
  {
    name: "POST comments: a 5001-character body → 422 body",
    send: () => postComment(comment({ body: "x".repeat(5001) })),
    status: 422,
    code: "validation_failed",
    path: "body",
  },
];
