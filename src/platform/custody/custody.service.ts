/**
 * Verifies the custody chain end to end, streaming it in pages so that millions of entries fit.
 *
 * @example
 *   const result = await verifyCustodyChain(db);
 *   if (!result.ok) console.log(`first broken entry: ${result.firstBroken.seq}`);
 */
import type { Kysely } from 'kysely';
import type { Database } from '../db/schema.js';
import { GENESIS_HASH, custodyHash, listCustodyPage } from './custody.repository.js';

export type ChainVerification =
  | { ok: true; entries: number; lastHash: string }
  | { ok: false; entries: number; firstBroken: { seq: string; reason: 'prev_hash_mismatch' | 'hash_mismatch' } };

export async function verifyCustodyChain(
  db: Kysely<Database>,
  onProgress?: (checked: number) => void,
): Promise<ChainVerification> {
  let prev = GENESIS_HASH;
  let after = '0';
  let count = 0;
  for (;;) {
    const page = await listCustodyPage(db, after, 5000);
    if (page.length === 0) break;
    for (const e of page) {
      count++;
      if (e.prevHash !== prev) return { ok: false, entries: count, firstBroken: { seq: e.seq, reason: 'prev_hash_mismatch' } };
      const expected = custodyHash(prev, e);
      if (expected !== e.hash) return { ok: false, entries: count, firstBroken: { seq: e.seq, reason: 'hash_mismatch' } };
      prev = e.hash;
    }
    after = page[page.length - 1].seq;
    onProgress?.(count);
  }
  return { ok: true, entries: count, lastHash: prev };
}
