/** SQL for the durable job queue. Claims use FOR UPDATE SKIP LOCKED so workers on several processes never collide. */
import { sql, type Kysely, type Transaction } from 'kysely';
import type { Database } from '../db/schema.js';

export interface JobRow {
  id: string;
  queue: string;
  payload: unknown;
  dedupe_key: string | null;
  attempts: number;
  max_attempts: number;
}

export interface NewJob {
  queue: string;
  payload: unknown;
  dedupeKey?: string | undefined;
  runAt?: string | undefined;
  maxAttempts?: number | undefined;
}

/** Inserts jobs; a job whose (queue, dedupe key) exists already is skipped, so enqueueing is idempotent. */
export async function insertJobs(db: Kysely<Database> | Transaction<Database>, jobs: NewJob[]): Promise<number> {
  if (jobs.length === 0) return 0;
  let inserted = 0;
  for (let i = 0; i < jobs.length; i += 1000) {
    const r = await db
      .insertInto('jobs')
      .values(
        jobs.slice(i, i + 1000).map((j) => ({
          queue: j.queue,
          payload: JSON.stringify(j.payload),
          dedupe_key: j.dedupeKey ?? null,
          ...(j.runAt ? { run_at: j.runAt } : {}),
          ...(j.maxAttempts ? { max_attempts: j.maxAttempts } : {}),
        })),
      )
      .onConflict((oc) => oc.columns(['queue', 'dedupe_key']).where('dedupe_key', 'is not', null).doNothing())
      .executeTakeFirst();
    inserted += Number(r.numInsertedOrUpdatedRows ?? 0n);
  }
  return inserted;
}

export async function claimJobs(db: Kysely<Database>, queues: string[], limit: number, leaseSeconds: number): Promise<JobRow[]> {
  if (queues.length === 0) return [];
  const r = await sql<JobRow>`
    UPDATE jobs SET status = 'running', attempts = attempts + 1, locked_until = now() + make_interval(secs => ${leaseSeconds})
    WHERE id IN (
      SELECT id FROM jobs
      WHERE queue IN (${sql.join(queues)})
        AND ((status = 'pending' AND run_at <= now()) OR (status = 'running' AND locked_until < now()))
      ORDER BY run_at, id
      LIMIT ${limit}
      FOR UPDATE SKIP LOCKED
    )
    RETURNING id, queue, payload, dedupe_key, attempts, max_attempts`.execute(db);
  return r.rows;
}

export async function completeJob(db: Kysely<Database>, id: string): Promise<void> {
  await db.updateTable('jobs').set({ status: 'done', finished_at: new Date().toISOString(), locked_until: null }).where('id', '=', id as never).execute();
}

/** A failed attempt: retried later, or failed for good after `maxAttempts` (the definition's; the row's when not given). */
export async function failJob(db: Kysely<Database>, job: JobRow, error: string, retryInSeconds: number, maxAttempts = job.max_attempts): Promise<'retry' | 'failed'> {
  const final = job.attempts >= maxAttempts;
  await db
    .updateTable('jobs')
    .set({
      status: final ? 'failed' : 'pending',
      last_error: error.slice(0, 2000),
      locked_until: null,
      run_at: new Date(Date.now() + retryInSeconds * 1000).toISOString(),
      ...(final ? { finished_at: new Date().toISOString() } : {}),
    })
    .where('id', '=', job.id as never)
    .execute();
  return final ? 'failed' : 'retry';
}

export async function countJobs(db: Kysely<Database>, queue: string): Promise<Record<string, number>> {
  const rows = await db
    .selectFrom('jobs')
    .select(['status', (eb) => eb.fn.countAll<string>().as('n')])
    .where('queue', '=', queue)
    .groupBy('status')
    .execute();
  return Object.fromEntries(rows.map((r) => [r.status, Number(r.n)]));
}

/** Jobs of every queue by status (progress and failures of a run, e.g. `tipline demo`). */
export async function countJobsByStatus(db: Kysely<Database>): Promise<Record<string, number>> {
  const rows = await db
    .selectFrom('jobs')
    .select(['status', (eb) => eb.fn.countAll<string>().as('n')])
    .groupBy('status')
    .execute();
  return Object.fromEntries(rows.map((r) => [r.status, Number(r.n)]));
}
