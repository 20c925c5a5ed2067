import type { Db } from "../../db/client";
import { addBlock, type BlockRow, blocksAfter, listBlocks, removeBlock } from "../../db/moderation";
import type { SiteRow } from "../../db/sites";
import { ApiError } from "../../errors";
import { newId } from "../../platform/ids";
import { splitPage } from "../../platform/paging";
import { BLOCK_KINDS, type BlockKind } from "../../shared/vocabulary";
import { phraseKey } from "../text/blocklist";
import type { Actor } from "./audit";
import { recordAction } from "./audit";

/* The site's blocklist: emails, ip hashes and phrases whose posts are kept as spam. */

/**
 * How a block's value is stored: emails lower-cased, phrases folded like the text they match. A
 * phrase of nothing but invisible characters folds to nothing, and would match at every word
 * boundary: refused.
 */
export function normaliseBlockValue(kind: BlockKind, value: string): string {
  if (kind === "email") return value.trim().toLowerCase();
  if (kind !== "phrase") return value.trim();
  const key = phraseKey(value);
  if (key === "") {
    throw new ApiError(422, "validation_failed", "The request did not pass validation.", [
      { path: "value", message: "Must contain visible characters." },
    ]);
  }
  return key;
}

export async function blockValue(
  db: Db,
  site: SiteRow,
  kind: BlockKind,
  value: string,
  actor: Actor,
): Promise<BlockRow> {
  const block = await addBlock(db, {
    id: newId("b", actor.now.getTime()),
    siteId: site.id,
    kind,
    value: normaliseBlockValue(kind, value),
    createdAt: actor.now.toISOString(),
  });
  await recordAction(db, site, actor, "block", block.id, { kind });
  return block;
}

export async function unblock(db: Db, site: SiteRow, id: string, actor: Actor): Promise<void> {
  const removed = await removeBlock(db, site.id, id);
  if (!removed) throw new ApiError(404, "not_found", "No such block on this site.");
  await recordAction(db, site, actor, "unblock", id, { kind: removed.kind });
}

export async function blocksOf(db: Db, site: SiteRow, kind?: BlockKind): Promise<BlockRow[]> {
  return listBlocks(db, site.id, kind);
}

/** Where a page of the blocklist starts: "<kind>~<value>" of the last block shown before it. */
const CURSOR = new RegExp(`^(${BLOCK_KINDS.join("|")})~(.+)$`, "s");

/**
 * A page of the blocklist, by kind and then value (so its reads stay bounded: db/moderation.ts),
 * and the cursor of the next page. A cursor not of that shape starts from the first block.
 */
export async function blocklistPage(db: Db, site: SiteRow, limit: number, cursor?: string) {
  const [, kind, value] = cursor?.match(CURSOR) ?? [];
  const known = BLOCK_KINDS.find((name) => name === kind);
  const after = known && value ? { kind: known, value } : undefined;
  const split = splitPage(await blocksAfter(db, site.id, limit + 1, after), limit);
  const last = split.page.at(-1);
  return {
    blocks: split.page,
    nextCursor: split.more && last ? `${last.kind}~${last.value}` : null,
  };
}
