/**
 * `npm run bench:ingest`: synthetic reports (one reported person with three IP events, two files
 * with digests, about 2 KB) submitted over real HTTP to a `tipline serve` child process, single
 * (32 concurrent clients) and in batches of 1,000, on the embedded database and on PostgreSQL.
 * Prints reports/s and p50/p99 latency; writes bench/results/ingest.json.
 *
 * Options: --single N (default 4000), --batches N (default 20), --db pglite,postgres
 * PostgreSQL: BENCH_DATABASE_URL (default postgres://postgres@127.0.0.1:5432/postgres; a scratch
 * database is created beside it and dropped afterwards).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { syntheticReport } from '../src/synthetic/synthetic-report.factory.js';
import { createScratchPostgres } from '../test/support/databases.js';
import { demoCredentials, startChildServer } from '../test/support/child-server.js';
import { latencySummary, runConcurrent, writeResults } from './bench-support.js';

const { values } = parseArgs({
  options: { single: { type: 'string', default: '4000' }, batches: { type: 'string', default: '20' }, db: { type: 'string', default: 'pglite,postgres' } },
});
const SINGLE = Number(values.single);
const BATCHES = Number(values.batches);
const BATCH_SIZE = 1000;
const CLIENTS = 32;

async function benchOne(kind: 'pglite' | 'postgres') {
  const dataDir = mkdtempSync(join(tmpdir(), `tipline-bench-${kind}-`));
  let drop: (() => Promise<void>) | undefined;
  let databaseUrl: string | undefined;
  if (kind === 'postgres') {
    process.env.TEST_DATABASE_URL ??= process.env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
    const scratch = await createScratchPostgres();
    databaseUrl = scratch.url;
    drop = scratch.drop;
  }
  const server = await startChildServer({ dataDir, ...(databaseUrl ? { databaseUrl } : {}), env: { LOG_LEVEL: 'error' } });
  try {
    const key = demoCredentials(dataDir).reporter.apiKey;
    const headers = { authorization: `Bearer ${key}`, 'content-type': 'application/json' };
    process.stderr.write(`[${kind}] generating ${SINGLE + BATCHES * BATCH_SIZE} synthetic reports…\n`);
    const single = Array.from({ length: SINGLE }, (_, i) => JSON.stringify(syntheticReport({ seed: i })));
    const avgBytes = Math.round(single.reduce((n, s) => n + Buffer.byteLength(s), 0) / single.length);

    // warm-up: JIT, connection pool, first-time schema caches
    await runConcurrent(200, 8, async (i) => {
      await fetch(`${server.url}/api/v1/reports?finish=true`, { method: 'POST', headers, body: single[i % single.length] }).then((r) => r.arrayBuffer());
    });

    process.stderr.write(`[${kind}] single: ${SINGLE} reports, ${CLIENTS} concurrent clients…\n`);
    let failures = 0;
    const t0 = performance.now();
    const lat = await runConcurrent(SINGLE, CLIENTS, async (i) => {
      const res = await fetch(`${server.url}/api/v1/reports?finish=true`, { method: 'POST', headers, body: single[i] });
      await res.arrayBuffer();
      if (res.status !== 201) failures++;
    });
    const singleSeconds = (performance.now() - t0) / 1000;
    const singleResult = { reports: SINGLE, clients: CLIENTS, failures, reportsPerSecond: Math.round(SINGLE / singleSeconds), latencyMs: latencySummary(lat) };
    process.stderr.write(`[${kind}] single: ${singleResult.reportsPerSecond} reports/s, p50 ${singleResult.latencyMs.p50} ms, p99 ${singleResult.latencyMs.p99} ms\n`);

    const batchBodies = Array.from({ length: BATCHES }, (_, b) =>
      JSON.stringify({ reports: Array.from({ length: BATCH_SIZE }, (_, i) => syntheticReport({ seed: 1_000_000 + b * BATCH_SIZE + i })) }),
    );
    process.stderr.write(`[${kind}] batch: ${BATCHES} batches of ${BATCH_SIZE}, 2 concurrent…\n`);
    let batchFailures = 0;
    const t1 = performance.now();
    const blat = await runConcurrent(BATCHES, 2, async (b) => {
      const res = await fetch(`${server.url}/api/v1/reports/batch?finish=true`, { method: 'POST', headers, body: batchBodies[b] });
      const body = (await res.json()) as { accepted?: number };
      if (res.status !== 200 || body.accepted !== BATCH_SIZE) batchFailures++;
    });
    const batchSeconds = (performance.now() - t1) / 1000;
    const batchResult = {
      reports: BATCHES * BATCH_SIZE,
      batchSize: BATCH_SIZE,
      concurrentBatches: 2,
      failures: batchFailures,
      reportsPerSecond: Math.round((BATCHES * BATCH_SIZE) / batchSeconds),
      batchLatencyMs: latencySummary(blat),
    };
    process.stderr.write(`[${kind}] batch: ${batchResult.reportsPerSecond} reports/s, batch p50 ${batchResult.batchLatencyMs.p50} ms, p99 ${batchResult.batchLatencyMs.p99} ms\n`);
    return { database: kind, averageReportBytes: avgBytes, single: singleResult, batch: batchResult };
  } finally {
    await server.kill('SIGTERM');
    await drop?.();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

const results = [];
for (const kind of String(values.db).split(',') as ('pglite' | 'postgres')[]) results.push(await benchOne(kind));
console.table(
  results.map((r) => ({
    database: r.database,
    'single reports/s': r.single.reportsPerSecond,
    'single p50 ms': r.single.latencyMs.p50,
    'single p99 ms': r.single.latencyMs.p99,
    'batch reports/s': r.batch.reportsPerSecond,
    'batch p99 ms': r.batch.batchLatencyMs.p99,
  })),
);
console.log(`wrote ${writeResults('ingest', { targets: { batchPostgres: 5000, batchEmbedded: 2000, singleP99Ms: 50 }, results })}`);
