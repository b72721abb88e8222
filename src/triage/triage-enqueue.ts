/**
 * Enqueueing triage work inside the caller's transaction, with nothing else imported: intake calls
 * this in the transaction that finishes a report, so the report and its triage job commit
 * together. The job definitions (triage.jobs.ts) use the same queue names.
 *
 * One job per report, deduplicated by `report:<id>`, so a retried finish or a second call enqueues
 * nothing new.
 *
 * @example
 *   await db.transaction().execute(async (trx) => { …; await enqueueReportTriage(trx, [reportId]); });
 */
import { sql, type Kysely, type Transaction } from 'kysely';
import type { Database } from '../platform/db/schema.js';

export const triageReportQueue = 'triage-report';
export const triageRunQueue = 'triage-reassess';

/** Enqueues `triage-report` for each report id (one INSERT however many); existing jobs are kept. */
export async function enqueueReportTriage(trx: Transaction<Database> | Kysely<Database>, reportIds: readonly string[]): Promise<void> {
  if (reportIds.length === 0) return;
  await sql`
    INSERT INTO jobs (queue, payload, dedupe_key)
    SELECT ${triageReportQueue}, jsonb_build_object('reportId', id), 'report:' || id
    FROM json_array_elements_text(${JSON.stringify(reportIds)}::json) AS id
    ON CONFLICT (queue, dedupe_key) WHERE dedupe_key IS NOT NULL DO NOTHING`.execute(trx);
}

/** Enqueues the job that works through a re-triage run (triage_runs row). */
export async function enqueueTriageRun(trx: Transaction<Database> | Kysely<Database>, runId: string): Promise<void> {
  await sql`
    INSERT INTO jobs (queue, payload, dedupe_key)
    VALUES (${triageRunQueue}, jsonb_build_object('runId', ${runId}::text), ${`run:${runId}`})
    ON CONFLICT (queue, dedupe_key) WHERE dedupe_key IS NOT NULL DO NOTHING`.execute(trx);
}
