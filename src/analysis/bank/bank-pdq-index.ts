/**
 * The process's in-memory PDQ index over the enabled bank entries (one per database handle):
 * loaded from bank_entries on first use, then kept current incrementally. Before each use it
 * adds entries with an id above the highest it holds and removes those disabled since it last
 * looked, so changes made here or in another process (PostgreSQL, several workers) are seen
 * without a rebuild. Matches are still checked against the database (enabledEntriesById), so a
 * disabled entry never matches even if the index lags.
 *
 * @example
 *   const index = await bankPdqIndex(db, { maxDistance: 31 });
 *   const hits = index.query([hashHex]); // [{ entryId, distance, variantIndex }]
 */
import type { Kysely } from 'kysely';
import { MihIndex } from '../match/mih-index.js';
import { DEFAULT_PDQ_MATCH_DISTANCE, type PdqMatch } from '../match/pdq-matcher.js';
import { pdqHexToWords } from '../match/pdq-words.js';
import type { Database } from '../../platform/db/schema.js';
import { databaseNow, entriesDisabledSince, pagePdqEntries } from './bank.repository.js';

const PAGE = 50_000;

export interface BankPdqIndex {
  readonly size: number;
  query(hashes: readonly string[], maxDistance?: number): PdqMatch[];
}

interface State {
  index: MihIndex;
  maxId: bigint;
  checkedAt: string | undefined;
  refreshing: Promise<void> | undefined;
}

const states = new WeakMap<Kysely<Database>, State>();

async function refresh(db: Kysely<Database>, s: State): Promise<void> {
  const now = await databaseNow(db);
  if (s.checkedAt) for (const id of await entriesDisabledSince(db, s.checkedAt)) s.index.remove(Number(id));
  for (;;) {
    const rows = await pagePdqEntries(db, s.maxId.toString(), PAGE);
    if (rows.length === 0) break;
    const ids: number[] = [];
    const words = new Uint32Array(rows.length * 8);
    for (const r of rows) {
      // Entries were validated on the way in; skip rather than fail on anything else.
      if (!/^[0-9a-f]{64}$/.test(r.pdq)) continue;
      pdqHexToWords(r.pdq, words, ids.length * 8);
      ids.push(Number(r.id));
    }
    if (ids.length > 0) s.index.addMany(ids, words.subarray(0, ids.length * 8));
    s.maxId = BigInt(rows[rows.length - 1].id);
    if (rows.length < PAGE) break;
  }
  s.checkedAt = now;
}

/** The index of this database handle, brought up to date. */
export async function bankPdqIndex(db: Kysely<Database>, options: { maxDistance?: number } = {}): Promise<BankPdqIndex> {
  let s = states.get(db);
  if (!s) {
    s = { index: new MihIndex({ maxDistance: options.maxDistance ?? DEFAULT_PDQ_MATCH_DISTANCE }), maxId: 0n, checkedAt: undefined, refreshing: undefined };
    states.set(db, s);
  }
  const state = s;
  // Concurrent callers share one refresh.
  if (!state.refreshing) state.refreshing = refresh(db, state).finally(() => (state.refreshing = undefined));
  await state.refreshing;
  return {
    get size() {
      return state.index.size;
    },
    query: (hashes, maxDistance) => state.index.query(hashes, maxDistance === undefined ? {} : { maxDistance }),
  };
}

/** Tells the index of this process about a change made here, without waiting for the next query. */
export async function refreshBankPdqIndex(db: Kysely<Database>): Promise<void> {
  if (states.has(db)) await bankPdqIndex(db);
}
