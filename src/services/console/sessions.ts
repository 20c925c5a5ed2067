import type { Db } from "../../db/client";
import {
  deleteSession,
  failuresSince,
  getSession,
  insertSession,
  recordFailure,
} from "../../db/console";
import type { KeyRow } from "../../db/sites";
import { randomToken, secretsEqual, sha256Hex } from "../../platform/crypto";
import { hashIp } from "../readers/ip-hash";
import { MINUTE_MS } from "../readers/rate-limits";
import { keyOfSecret } from "../sites/keys";

/*
 * Signing in to the moderators' console (/admin). A moderator key opens its own site's screens,
 * the operator token every site's and the operator's own. The session is a random token in an
 * HttpOnly cookie; only its SHA-256 is stored. It ends when it expires, when the moderator signs
 * out, when the key is revoked, or (for the operator) when ADMIN_TOKEN changes.
 */

/** A working day: long enough for a shift at the desk, short enough that a lost laptop matters less. */
export const SESSION_MS = 12 * 60 * MINUTE_MS;
/** Failed sign-ins a network may make in the window before it must wait. */
export const MAX_FAILURES = 10;
export const FAILURE_WINDOW_MS = 15 * MINUTE_MS;
/** The ip-hash scope of sign-ins: not a site id (those cannot hold "/"), so it shares no hashes. */
const SIGN_IN_SCOPE = "/console";
/** What randomToken() makes: anything else is not a session, and is not looked up. */
const TOKEN_SHAPE = /^[A-Za-z0-9_-]{43}$/;

/** Who is signed in: the operator, or the moderator of one site through a key. */
export type Viewer =
  | { kind: "operator"; label: "operator" }
  | { kind: "moderator"; key: KeyRow; label: string };

export type SignIn =
  | { ok: true; token: string; expiresAt: Date; viewer: Viewer }
  | { ok: false; reason: "invalid" | "limited" };

async function viewerOf(db: Db, secret: string, adminToken: string | undefined) {
  if (adminToken && (await secretsEqual(secret, adminToken))) {
    return { kind: "operator", label: "operator" } as const;
  }
  const key = await keyOfSecret(db, secret);
  return key && !key.revokedAt
    ? ({ kind: "moderator", key, label: key.label } as const)
    : undefined;
}

/**
 * Signs in with a moderator key or the operator token. A network past MAX_FAILURES failed
 * attempts in the window is refused before its secret is even looked at, so guessing costs as
 * much time as the window allows; a right secret does not reset the count.
 */
export async function signIn(
  db: Db,
  attempt: { secret: string; adminToken: string | undefined; ip: string; now: Date },
): Promise<SignIn> {
  const { secret, adminToken, ip, now } = attempt;
  const ipHash = await hashIp(db, ip, SIGN_IN_SCOPE, now);
  const since = new Date(now.getTime() - FAILURE_WINDOW_MS).toISOString();
  if ((await failuresSince(db, ipHash, since)) >= MAX_FAILURES) {
    return { ok: false, reason: "limited" };
  }
  const viewer = await viewerOf(db, secret, adminToken);
  if (!viewer) {
    await recordFailure(db, ipHash, now.toISOString(), since);
    return { ok: false, reason: "invalid" };
  }
  const token = randomToken();
  const expiresAt = new Date(now.getTime() + SESSION_MS);
  await insertSession(
    db,
    {
      tokenHash: await sha256Hex(token),
      keyId: viewer.kind === "moderator" ? viewer.key.id : null,
      operatorTokenHash:
        viewer.kind === "operator" && adminToken ? await sha256Hex(adminToken) : null,
      createdAt: now.toISOString(),
      expiresAt: expiresAt.toISOString(),
    },
    now.toISOString(),
  );
  return { ok: true, token, expiresAt, viewer };
}

/** Who the session token belongs to, while the session and what opened it still hold. */
export async function viewerOfSession(
  db: Db,
  token: string,
  adminToken: string | undefined,
  now: Date,
): Promise<Viewer | undefined> {
  if (!TOKEN_SHAPE.test(token)) return undefined;
  const found = await getSession(db, await sha256Hex(token), now.toISOString());
  if (!found) return undefined;
  const { session, key } = found;
  if (session.keyId) return key ? { kind: "moderator", key, label: key.label } : undefined;
  const operatorStill =
    adminToken &&
    session.operatorTokenHash &&
    (await secretsEqual(session.operatorTokenHash, await sha256Hex(adminToken)));
  return operatorStill ? { kind: "operator", label: "operator" } : undefined;
}

export async function signOut(db: Db, token: string): Promise<void> {
  if (TOKEN_SHAPE.test(token)) await deleteSession(db, await sha256Hex(token));
}

/** Whether the viewer may open the site's screens: the operator every site, a key its own. */
export const opens = (viewer: Viewer, siteId: string): boolean =>
  viewer.kind === "operator" || viewer.key.siteId === siteId;
