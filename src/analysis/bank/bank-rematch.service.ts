/**
 * When a bank grows, files already received are matched against the new entries: the `bank-rematch`
 * job (enqueued by an import or a single add, with the highest entry id the bank had before) finds
 * the files that share a digest with a new entry (through the files' digest indexes) or lie within
 * the PDQ distance of one (an index over the new entries, queried with every stored file's PDQ,
 * a page at a time), and matches each of them again exactly as on intake. New matches reach triage
 * as facts through triage's `triage-apply-matches` job. Idempotent: matching a file twice stores nothing new.
 *
 * @example
 *   await enqueueBankRematch(db, bank.id, maxIdBefore);   // after an import
 */
import type { Kysely } from 'kysely';
import { jobContracts } from '../../contracts/jobs.contract.js';
import { appendCustody } from '../../platform/custody/custody.repository.js';
import { defineJob, enqueueJob } from '../../platform/jobs/job-runner.js';
import type { Database } from '../../platform/db/schema.js';
import { MihIndex } from '../match/mih-index.js';
import { pdqHexToWords } from '../match/pdq-words.js';
import { matchFile, matchSettingsOf, pdqMatchable, type MatchSettings } from './bank-match.service.js';
import { fileIdsWithDigest, pageEnabledEntryDigests, pageFilesWithPdq, type BankEntryRow } from './bank.repository.js';

const ENTRY_PAGE = 5_000;
const FILE_PAGE = 10_000;

/** Enqueues the re-match of the bank's entries above `afterEntryId` (deduplicated). */
export async function enqueueBankRematch(db: Kysely<Database>, bankId: string, afterEntryId: string): Promise<void> {
  await enqueueJob(db, jobContracts.bankRematch, { bankId, afterEntryId });
}

type NewEntry = Pick<BankEntryRow, 'id' | 'md5' | 'sha1' | 'sha256' | 'pdq'>;

/** The files that may match the entries: equal digests, or a PDQ within `maxDistance` of one. */
async function candidateFiles(db: Kysely<Database>, entries: NewEntry[], settings: MatchSettings): Promise<Set<string>> {
  const out = new Set<string>();
  const pick = (k: 'md5' | 'sha1' | 'sha256') => [...new Set(entries.map((e) => e[k]).filter((v): v is string => v !== null))];
  for (const k of ['md5', 'sha1', 'sha256'] as const) {
    for (const id of await fileIdsWithDigest(db, k, pick(k))) out.add(id);
  }
  const withPdq = entries.filter((e) => e.pdq !== null && /^[0-9a-f]{64}$/.test(e.pdq));
  if (withPdq.length === 0) return out;
  const index = new MihIndex({ maxDistance: settings.maxDistance });
  const words = new Uint32Array(withPdq.length * 8);
  withPdq.forEach((e, i) => pdqHexToWords(e.pdq!, words, i * 8));
  index.addMany(
    withPdq.map((_, i) => i),
    words,
  );
  let after = '';
  for (;;) {
    const files = await pageFilesWithPdq(db, after, FILE_PAGE);
    for (const f of files) {
      const pdq = f.pdq?.toLowerCase() ?? null;
      if (!pdqMatchable(pdq, f.pdq_quality, settings.minQuality)) continue;
      if (index.query(pdq!, { maxDistance: settings.maxDistance }).length > 0) out.add(f.id);
    }
    if (files.length < FILE_PAGE) break;
    after = files[files.length - 1].id;
  }
  return out;
}

export interface RematchOutcome {
  entries: number;
  candidates: number;
  matchedFiles: number;
}

export async function rematchBank(
  db: Kysely<Database>,
  bankId: string,
  afterEntryId: string,
  settings: MatchSettings,
  onMatched: (fileId: string) => Promise<void>,
): Promise<RematchOutcome> {
  const outcome: RematchOutcome = { entries: 0, candidates: 0, matchedFiles: 0 };
  let after = afterEntryId;
  const seen = new Set<string>();
  for (;;) {
    const entries = await pageEnabledEntryDigests(db, bankId, after, ENTRY_PAGE);
    if (entries.length === 0) break;
    outcome.entries += entries.length;
    const rows = entries.map((e) => ({ ...e, id: String(e.id) }));
    for (const fileId of await candidateFiles(db, rows, settings)) {
      if (seen.has(fileId)) continue;
      seen.add(fileId);
      outcome.candidates++;
      if ((await matchFile(db, fileId, { settings })) > 0) {
        outcome.matchedFiles++;
        await onMatched(fileId);
      }
    }
    after = rows[rows.length - 1].id;
    if (entries.length < ENTRY_PAGE) break;
  }
  return outcome;
}

export const bankRematchJob = defineJob(jobContracts.bankRematch, async (ctx, { bankId, afterEntryId }) => {
  const matchedAt = new Date().toISOString();
  const outcome = await rematchBank(ctx.db, bankId, afterEntryId, matchSettingsOf(ctx.config), async (fileId) => {
    await enqueueJob(ctx.db, jobContracts.triageApplyMatches, { fileId, matchedAt });
  });
  await ctx.db.transaction().execute((trx) =>
    appendCustody(trx, [{ actorKind: 'system', actorId: 'bank-rematch', orgId: null, action: 'bank.rematch', subjectKind: 'hash_bank', subjectId: bankId, details: { afterEntryId, ...outcome } }]),
  );
});
