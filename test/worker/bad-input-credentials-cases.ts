import { bearer, type Case, commentPath, fx, newSite, UNKNOWN_COMMENT } from "./bad-input-fixture";
import { call } from "./helpers";

/*
 * Bad-input rows (the fixture and the test are in bad-input-fixture.ts) whose credential is
 * wrong: an author's edit token on PATCH and DELETE of a comment, and the operator token on the
 * sites and keys API.
 */

const WRONG_ADMIN = { authorization: "Bearer not-the-admin-token" };

export const credentialCases: Case[] = [
  // ---- PATCH / DELETE by the author -----------------------------------------------------
  ...(["PATCH", "DELETE"] as const).flatMap((method): Case[] => {
    const body = method === "PATCH" ? { body: "Edited" } : undefined;
    return [
      {
        name: `${method} comment: no Authorization → 401 unauthorized`,
        send: () => call(method, commentPath(), body),
        status: 401,
        code: "unauthorized",
      },
      {
        name: `${method} comment: "Bearer" with no token → 401 unauthorized`,
        send: () => call(method, commentPath(), body, { authorization: "Bearer" }),
        status: 401,
        code: "unauthorized",
      },
      {
        name: `${method} comment: a Basic credential → 401 unauthorized`,
        send: () => call(method, commentPath(), body, { authorization: `Basic ${btoa("a:b")}` }),
        status: 401,
        code: "unauthorized",
      },
      {
        name: `${method} comment: a wrong token → 403 forbidden`,
        send: () => call(method, commentPath(), body, bearer("x".repeat(43))),
        status: 403,
        code: "forbidden",
      },
      {
        name: `${method} comment: another comment's token → 403 forbidden`,
        send: () => call(method, commentPath(), body, bearer(fx.second.editToken)),
        status: 403,
        code: "forbidden",
      },
      {
        name: `${method} comment: the right token on another site's path → 404 comment_not_found`,
        send: () =>
          call(
            method,
            `/api/v1/sites/${fx.other}/comments/${fx.comment.comment.id}`,
            body,
            bearer(fx.comment.editToken),
          ),
        status: 404,
        code: "comment_not_found",
      },
      {
        name: `${method} comment: an unknown id → 404 comment_not_found`,
        send: () => call(method, commentPath(UNKNOWN_COMMENT), body, bearer(fx.comment.editToken)),
        status: 404,
        code: "comment_not_found",
      },
    ];
  }),

  // ---- operator -------------------------------------------------------------------------
  ...(
    [
      ["no token", () => ({})],
      ["a wrong token", () => WRONG_ADMIN],
      ['"Bearer" with no token', () => ({ authorization: "Bearer" })],
      ["the site's moderator key", () => bearer(fx.moderatorKey)],
    ] as const
  ).flatMap(([label, headers]): Case[] => [
    {
      name: `GET sites with ${label} → 401 unauthorized`,
      send: () => call("GET", "/api/v1/sites", undefined, headers()),
      status: 401,
      code: "unauthorized",
    },
    {
      name: `POST sites with ${label} → 401 unauthorized`,
      send: () => call("POST", "/api/v1/sites", newSite(), headers()),
      status: 401,
      code: "unauthorized",
    },
  ]),
  {
    name: "PATCH site with no token → 401 unauthorized",
    send: () => call("PATCH", `/api/v1/sites/${fx.site}`, { name: "Taken over" }),
    status: 401,
    code: "unauthorized",
  },
  {
    name: "DELETE site with a wrong token → 401 unauthorized",
    send: () => call("DELETE", `/api/v1/sites/${fx.site}`, undefined, WRONG_ADMIN),
    status: 401,
    code: "unauthorized",
  },
  {
    name: "POST keys with no token → 401 unauthorized",
    send: () => call("POST", `/api/v1/sites/${fx.site}/keys`, { label: "x" }),
    status: 401,
    code: "unauthorized",
  },
  {
    name: "GET keys with a wrong token → 401 unauthorized",
    send: () => call("GET", `/api/v1/sites/${fx.site}/keys`, undefined, WRONG_ADMIN),
    status: 401,
    code: "unauthorized",
  },
];
