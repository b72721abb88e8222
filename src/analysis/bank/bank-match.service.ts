/**
 * Matching a file against the hash banks: exact digests through the database's indexes, PDQ
 * through the process's in-memory index (all given variants, distance ≤ 31 by default). PDQ
 * hashes under quality 50 are not PDQ-matched (too flat to mean anything); disabled entries never
 * match. Results go to file_matches, once per file and entry (exact wins over PDQ).
 *
 * @example
 *   const n = await matchFile(db, fileId, { settings: matchSettingsOf(ctx.config), pdqVariants });
 */
import type { Kysely } from 'kysely';
import type { TiplineConfig } from '../../platform/config.js';
import type { Database, Db } from '../../platform/db/schema.js';
import { bankPdqIndex } from './bank-pdq-index.js';
import { enabledEntriesById, exactMatches, findFileHashes, insertFileMatches, matchesOfFiles, type FileMatchRow, type NewFileMatch } from './bank.repository.js';

export interface MatchSettings {
  maxDistance: number;
  minQuality: number;
}

/** The deployment's matching settings (TIPLINE_PDQ_MATCH_DISTANCE, TIPLINE_PDQ_MIN_QUALITY; platform/config.ts). */
export function matchSettingsOf(config: Pick<TiplineConfig, 'pdqMatchDistance' | 'pdqMinQuality'>): MatchSettings {
  return { maxDistance: config.pdqMatchDistance, minQuality: config.pdqMinQuality };
}

/** Whether a PDQ hash may be matched: a declared hash without a quality is taken as sent. */
export function pdqMatchable(pdq: string | null, quality: number | null, minQuality: number): boolean {
  return pdq !== null && /^[0-9a-f]{64}$/.test(pdq) && (quality === null || quality >= minQuality);
}

/** Matches one file and stores the results; returns how many entries it matched. */
export async function matchFile(
  db: Kysely<Database>,
  fileId: string,
  options: { settings: MatchSettings; pdqVariants?: readonly string[] },
): Promise<number> {
  const file = await findFileHashes(db, fileId);
  if (!file) return 0;
  const found = new Map<string, NewFileMatch>();
  for (const e of await exactMatches(db, file)) {
    found.set(e.id, { file_id: fileId, bank_id: e.bank_id, entry_id: e.id, kind: 'exact', distance: 0, category: e.category });
  }
  const pdq = file.pdq?.toLowerCase() ?? null;
  if (pdqMatchable(pdq, file.pdq_quality, options.settings.minQuality)) {
    const index = await bankPdqIndex(db, { maxDistance: options.settings.maxDistance });
    const query = [...new Set([pdq!, ...(options.pdqVariants ?? [])])].slice(0, 8);
    const hits = index.query(query, options.settings.maxDistance);
    const distance = new Map(hits.map((h) => [String(h.entryId), h.distance]));
    // The database has the last word: an entry disabled by another process never matches.
    for (const e of await enabledEntriesById(db, [...distance.keys()].filter((id) => !found.has(id)))) {
      found.set(e.id, { file_id: fileId, bank_id: e.bank_id, entry_id: e.id, kind: 'pdq', distance: distance.get(e.id)!, category: e.category });
    }
  }
  await insertFileMatches(db, [...found.values()]);
  return found.size;
}

export type { PresentedMatch } from '../../contracts/file-match.schema.js';
import type { PresentedMatch } from '../../contracts/file-match.schema.js';

/** Matches of the given files, by file id, for presenters. */
export async function fileMatchesById(db: Db, fileIds: string[]): Promise<Map<string, PresentedMatch[]>> {
  const out = new Map<string, PresentedMatch[]>();
  const rows: FileMatchRow[] = await matchesOfFiles(db, fileIds);
  for (const r of rows) {
    const list = out.get(r.file_id) ?? [];
    list.push({ bankId: r.bank_id, bankName: r.bank_name, entryId: String(r.entry_id), kind: r.kind, distance: r.distance, category: r.category, matchedAt: r.matched_at });
    out.set(r.file_id, list);
  }
  return out;
}


