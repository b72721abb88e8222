import { pino } from 'pino';
import { expect, it } from 'vitest';
import { z } from 'zod';
import { describeEachDatabase } from '../../../test/support/databases.js';
import { createMemo, type AppContext } from '../app-context.js';
import type { JobContract } from '../../contracts/jobs.contract.js';
import { defineJob, enqueueJob, startWorker } from './job-runner.js';
import { countJobs } from './job.repository.js';

describeEachDatabase('durable jobs', (db) => {
  const ctx = () => ({ db: db.db, logger: pino({ level: 'silent' }), ...createMemo() }) as unknown as AppContext;

  it('runs each job once, deduplicates by key, and retries failures until they succeed', async () => {
    const seen: number[] = [];
    let flaky = 0;
    const contract: JobContract<{ n: number }> = { queue: 'test-ok', schema: z.object({ n: z.number() }), dedupeKey: (p) => `n-${p.n}` };
    const job = defineJob(contract, async (_ctx, p) => {
      if (p.n === 3 && flaky++ < 2) throw new Error('transient');
      seen.push(p.n);
    });
    for (const n of [1, 2, 3]) expect(await enqueueJob(db.db, contract, { n })).toBe(true);
    expect(await enqueueJob(db.db, contract, { n: 1 })).toBe(false);
    const worker = startWorker(ctx(), [job], { autoStart: false });
    await worker.drain();
    expect(seen.sort()).toEqual([1, 2]);
    // the failed one is scheduled in the future: bring it forward twice
    for (let i = 0; i < 2; i++) {
      await db.db.updateTable('jobs').set({ run_at: new Date(0).toISOString() }).where('status', '=', 'pending').execute();
      await worker.drain();
    }
    expect(seen.sort()).toEqual([1, 2, 3]);
    expect(await countJobs(db.db, 'test-ok')).toEqual({ done: 3 });
    const row = await db.db.selectFrom('jobs').select(['attempts', 'last_error']).where('dedupe_key', '=', 'n-3').executeTakeFirstOrThrow();
    expect(row).toEqual({ attempts: 3, last_error: 'transient' });
  });

  it('gives up after the last attempt and keeps the error', async () => {
    const contract: JobContract<object> = { queue: 'test-fail', schema: z.object({}), dedupeKey: () => 'fail' };
    const job = defineJob(contract, async () => {
      throw new Error('permanent');
    }, { maxAttempts: 2 });
    await enqueueJob(db.db, contract, {});
    const worker = startWorker(ctx(), [job], { autoStart: false });
    await worker.drain();
    await db.db.updateTable('jobs').set({ run_at: new Date(0).toISOString() }).where('queue', '=', 'test-fail').execute();
    await worker.drain();
    expect(await countJobs(db.db, 'test-fail')).toEqual({ failed: 1 });
  });

  it('reclaims a job whose worker died (lease expired)', async () => {
    const contract: JobContract<object> = { queue: 'test-lease', schema: z.object({}), dedupeKey: () => 'lease' };
    const job = defineJob(contract, async () => undefined);
    await enqueueJob(db.db, contract, {});
    await db.db.updateTable('jobs').set({ status: 'running', locked_until: new Date(Date.now() - 1000).toISOString(), attempts: 1 }).where('queue', '=', 'test-lease').execute();
    await startWorker(ctx(), [job], { autoStart: false }).drain();
    expect(await countJobs(db.db, 'test-lease')).toEqual({ done: 1 });
  });
});
