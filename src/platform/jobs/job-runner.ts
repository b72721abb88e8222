/**
 * Durable jobs, stored in the same database as the data they work on: work that may be slow or
 * fail (hashing uploads, delivering referrals, re-triage) is enqueued in the transaction that
 * makes it necessary, then run by workers with retries and exponential backoff. Handlers must be
 * idempotent: a job may run again after a crash.
 *
 * Jobs are typed by their contract (contracts/jobs.contract.ts): enqueueing checks the payload
 * with the contract's schema and deduplicates by its key; the stage that owns the work binds a
 * handler with `defineJob`, and the assembly point passes every definition to `startWorker`.
 *
 * @example
 *   await enqueueJobs(trx, jobContracts.hashFile, [{ fileId }]);
 *   const hashFile = defineJob(jobContracts.hashFile, async (ctx, { fileId }) => { … });
 *   const worker = startWorker(ctx, [hashFile]);   // … await worker.stop();
 */
import type { Kysely, Transaction } from 'kysely';
import type { JobContract } from '../../contracts/jobs.contract.js';
import type { AppContext } from '../app-context.js';
import type { Database } from '../db/schema.js';
import { claimJobs, completeJob, failJob, insertJobs } from './job.repository.js';

export interface JobDefinition<P> {
  queue: string;
  schema: JobContract<P>['schema'];
  // Method syntax on purpose: it lets a list of differently typed jobs be passed as JobDefinition<unknown>[].
  handler(ctx: AppContext, payload: P): Promise<void>;
  maxAttempts: number;
  /** Seconds before retry `attempt` (1 = after the first failure); defaults to `backoffSeconds`. */
  retryDelaySeconds?(attempt: number): number;
}

/** Binds the handler of the stage that owns the work to a job contract. */
export function defineJob<P>(
  contract: JobContract<P>,
  handler: (ctx: AppContext, payload: P) => Promise<void>,
  options: { maxAttempts?: number; retryDelaySeconds?: (attempt: number) => number } = {},
): JobDefinition<P> {
  return {
    queue: contract.queue,
    schema: contract.schema,
    handler,
    maxAttempts: options.maxAttempts ?? 8,
    ...(options.retryDelaySeconds ? { retryDelaySeconds: options.retryDelaySeconds } : {}),
  };
}

/**
 * Enqueues one job per payload, inside the caller's transaction when given one; payloads are
 * checked against the contract and deduplicated by its key. Returns how many were new.
 */
export async function enqueueJobs<P>(
  db: Kysely<Database> | Transaction<Database>,
  contract: JobContract<P>,
  payloads: readonly P[],
  options: { runAt?: Date } = {},
): Promise<number> {
  if (payloads.length === 0) return 0;
  const runAt = options.runAt?.toISOString();
  return insertJobs(
    db,
    payloads.map((p) => {
      const payload = contract.schema.parse(p);
      return { queue: contract.queue, payload, dedupeKey: contract.dedupeKey(payload), runAt };
    }),
  );
}

/** One job; true when it was new (false: a job with the same key exists). */
export async function enqueueJob<P>(db: Kysely<Database> | Transaction<Database>, contract: JobContract<P>, payload: P, options: { runAt?: Date } = {}): Promise<boolean> {
  return (await enqueueJobs(db, contract, [payload], options)) > 0;
}

/** 2, 4, 8 … seconds, capped at an hour, with jitter so that retries do not arrive in lockstep. */
export function backoffSeconds(attempt: number): number {
  const base = Math.min(3600, 2 ** Math.max(1, attempt));
  return Math.round(base * (0.75 + Math.random() * 0.5));
}

export interface Worker {
  /** Runs until no job is ready (tests). */
  drain(): Promise<number>;
  stop(): Promise<void>;
}

export function startWorker(
  ctx: AppContext,
  jobs: JobDefinition<unknown>[],
  options: { concurrency?: number; pollMs?: number; leaseSeconds?: number; autoStart?: boolean } = {},
): Worker {
  const byQueue = new Map(jobs.map((j) => [j.queue, j]));
  const queues = [...byQueue.keys()];
  const concurrency = options.concurrency ?? 4;
  const pollMs = options.pollMs ?? 500;
  const lease = options.leaseSeconds ?? 300;
  let stopped = false;
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<number> | undefined;

  const runOnce = async (): Promise<number> => {
    const claimed = await claimJobs(ctx.db, queues, concurrency, lease);
    await Promise.all(
      claimed.map(async (job) => {
        const def = byQueue.get(job.queue)!;
        try {
          const payload = def.schema.parse(job.payload);
          await def.handler(ctx, payload);
          await completeJob(ctx.db, job.id);
        } catch (err) {
          const message = err instanceof Error ? err.message : String(err);
          const outcome = await failJob(ctx.db, job, message, def.retryDelaySeconds?.(job.attempts) ?? backoffSeconds(job.attempts), def.maxAttempts);
          ctx.logger.warn({ queue: job.queue, jobId: job.id, attempt: job.attempts, outcome }, 'job failed');
        }
      }),
    );
    return claimed.length;
  };

  const loop = async () => {
    if (stopped) return;
    try {
      running = runOnce();
      const n = await running;
      timer = setTimeout(() => void loop(), n > 0 ? 0 : pollMs);
    } catch (err) {
      ctx.logger.error({ err }, 'job worker poll failed');
      timer = setTimeout(() => void loop(), pollMs * 4);
    }
  };
  if (options.autoStart !== false && queues.length > 0) timer = setTimeout(() => void loop(), 0);

  return {
    drain: async () => {
      let total = 0;
      for (;;) {
        const n = await runOnce();
        total += n;
        if (n === 0) return total;
      }
    },
    stop: async () => {
      stopped = true;
      if (timer) clearTimeout(timer);
      await running?.catch(() => undefined);
    },
  };
}
