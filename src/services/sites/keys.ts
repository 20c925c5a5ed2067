import type { Db } from "../../db/client";
import { getKey, type KeyRow } from "../../db/sites";
import { matchesHash, randomToken, sha256Hex } from "../../platform/crypto";
import { newId } from "../../platform/ids";

/**
 * A new moderator key. The secret names its key id (`pk_<key id>_<random>`) so a presented key
 * is found by id and then compared against the stored SHA-256 in constant time.
 */
export async function newModeratorKey(siteId: string, label: string, now: string) {
  const id = newId("k");
  const secret = `pk_${id}_${randomToken()}`;
  const row: KeyRow = {
    id,
    siteId,
    label,
    secretHash: await sha256Hex(secret),
    createdAt: now,
    revokedAt: null,
    displayName: null,
  };
  return { row, secret };
}

/** The key id a presented secret claims, if it has our shape. */
function keyIdOf(secret: string): string | undefined {
  return secret.match(/^pk_(k_[0-9a-z]{26})_[A-Za-z0-9_-]{43}$/)?.[1];
}

/**
 * The key a presented secret is, revoked or not, if it is one of ours: found by the id it names,
 * then compared with the stored hash in constant time.
 */
export async function keyOfSecret(db: Db, secret: string): Promise<KeyRow | undefined> {
  const id = keyIdOf(secret);
  const key = id ? await getKey(db, id) : undefined;
  return key && (await matchesHash(secret, key.secretHash)) ? key : undefined;
}

export type KeyCheck =
  | { ok: true; key: KeyRow }
  | { ok: false; reason: "invalid" | "revoked" | "other-site" };

/**
 * Checks a presented moderator key for a site (keyOfSecret). A valid key of another site is told
 * apart (403, not 401).
 */
export async function verifyModeratorKey(
  db: Db,
  siteId: string,
  secret: string,
): Promise<KeyCheck> {
  const key = await keyOfSecret(db, secret);
  if (!key) return { ok: false, reason: "invalid" };
  if (key.revokedAt) return { ok: false, reason: "revoked" };
  if (key.siteId !== siteId) return { ok: false, reason: "other-site" };
  return { ok: true, key };
}

export function toKey(row: KeyRow) {
  return {
    id: row.id,
    label: row.label,
    displayName: row.displayName,
    createdAt: row.createdAt,
    revokedAt: row.revokedAt,
  };
}
