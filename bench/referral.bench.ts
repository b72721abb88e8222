/**
 * `npm run bench:referral`: the viral bundle of the product brief (1,000 synthetic Danish sharers
 * of one benign image, one batched report, 1,000 incidents) referred between two `tipline serve`
 * deployments on loopback (a clearinghouse and a national unit, peers of each other), end to end:
 * from the referral request to the package verified, decrypted, triaged under the recipient's rule
 * pack and committed in its inbox with a signed receipt. Sequential referrals give the latency of
 * one package; concurrent ones the throughput. Prints packages/s and incidents/s; writes
 * bench/results/referral.json.
 *
 * Options: --packages N (sequential, default 5), --concurrent N (default 5), --sharers N (default 1000), --db pglite,postgres (default both)
 * PostgreSQL: BENCH_DATABASE_URL (default postgres://postgres@127.0.0.1:5432/postgres; scratch databases are dropped afterwards).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { createApiKey, createOrganisation } from '../src/access/access.service.js';
import { loadConfig } from '../src/platform/config.js';
import { createLogger, openRuntime } from '../src/platform/runtime.js';
import { viralScenario } from '../src/synthetic/viral-scenario.factory.js';
import { startChildServer, type ChildServer } from '../test/support/child-server.js';
import { createScratchPostgres } from '../test/support/databases.js';
import { latencySummary, writeResults } from './bench-support.js';

const { values } = parseArgs({
  options: {
    packages: { type: 'string', default: '5' },
    concurrent: { type: 'string', default: '5' },
    sharers: { type: 'string', default: '1000' },
    db: { type: 'string', default: 'pglite,postgres' },
  },
});
const SEQUENTIAL = Number(values.packages);
const CONCURRENT = Number(values.concurrent);
const SHARERS = Number(values.sharers);
const kinds = (values.db ?? 'pglite').split(',').map((k) => k.trim()).filter((k): k is 'pglite' | 'postgres' => k === 'pglite' || k === 'postgres');

type Json = Record<string, unknown>;
interface Deployment {
  server: ChildServer;
  orgId: string;
  key: string;
  reporterKey?: string;
  dataDir: string;
  drop?: () => Promise<void>;
}

async function deployment(kind: 'pglite' | 'postgres', name: string, setup: (ctx: Parameters<typeof createOrganisation>[0]) => Promise<{ orgId: string; key: string; reporterKey?: string }>): Promise<Deployment> {
  const dataDir = mkdtempSync(join(tmpdir(), `tipline-bench-ref-${name}-`));
  let databaseUrl: string | undefined;
  let drop: (() => Promise<void>) | undefined;
  if (kind === 'postgres') {
    process.env.TEST_DATABASE_URL ??= process.env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
    const scratch = await createScratchPostgres();
    databaseUrl = scratch.url;
    drop = scratch.drop;
  }
  const config = loadConfig({ TIPLINE_DATA_DIR: dataDir, DATABASE_URL: databaseUrl ?? '', LOG_LEVEL: 'silent' });
  const rt = await openRuntime(config, 'bench setup', createLogger({ ...config, logLevel: 'silent' }));
  const made = await setup(rt.ctx).finally(() => rt.close());
  const server = await startChildServer({ dataDir, ...(databaseUrl ? { databaseUrl } : {}), env: { LOG_LEVEL: 'error', TIPLINE_REFERRAL_RETRY_SECONDS: '0.2' } });
  return { server, dataDir, ...made, ...(drop ? { drop } : {}) };
}

async function api(d: Deployment, method: string, path: string, body?: unknown, key = d.key): Promise<{ status: number; json: Json }> {
  const res = await fetch(`${d.server.url}${path}`, {
    method,
    headers: { authorization: `Bearer ${key}`, ...(body !== undefined ? { 'content-type': 'application/json' } : {}) },
    ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
  });
  const text = await res.text();
  const json = text ? (JSON.parse(text) as Json) : {};
  if (res.status >= 400) throw new Error(`${method} ${path}: ${res.status} ${text.slice(0, 300)}`);
  return { status: res.status, json };
}

async function benchOne(kind: 'pglite' | 'postgres') {
  const ch = await deployment(kind, 'clearinghouse', async (ctx) => {
    const org = await createOrganisation(ctx, { name: 'Synthetic Clearinghouse (US)', role: 'clearinghouse', country: 'US' });
    const reporter = await createOrganisation(ctx, { name: 'Example Social', role: 'reporter', country: 'US', clearinghouseId: org.id });
    return { orgId: org.id, key: (await createApiKey(ctx, { orgId: org.id })).token!, reporterKey: (await createApiKey(ctx, { orgId: reporter.id })).token! };
  });
  const ag = await deployment(kind, 'agency', async (ctx) => {
    const org = await createOrganisation(ctx, { name: 'Synthetic National Cyber Crime Centre (DK)', role: 'agency', country: 'DK' });
    return { orgId: org.id, key: (await createApiKey(ctx, { orgId: org.id })).token! };
  });
  try {
    await api(ch, 'POST', '/api/v1/federation/peers', { baseUrl: ag.server.url, orgId: ag.orgId });
    await api(ag, 'POST', '/api/v1/federation/peers', { baseUrl: ch.server.url, orgId: ch.orgId });

    // The viral bundle: one batched report, every sharer a reported person, the image uploaded as evidence.
    const scenario = await viralScenario({ seed: 1, sharers: SHARERS });
    const { files, ...report } = scenario.viralBatchedReport;
    const declared = files?.[0] ?? {};
    const created = await api(ch, 'POST', '/api/v1/reports', report, ch.reporterKey);
    const reportId = created.json.id as string;
    const form = new FormData();
    const { originalFileHash: _hashes, ...details } = declared as Json;
    form.append('details', JSON.stringify(details));
    form.append('file', new Blob([scenario.image]), scenario.file.fileName);
    const up = await fetch(`${ch.server.url}/api/v1/reports/${reportId}/files`, { method: 'POST', headers: { authorization: `Bearer ${ch.reporterKey}` }, body: form });
    if (up.status !== 201) throw new Error(`upload: ${up.status} ${await up.text()}`);
    await api(ch, 'POST', `/api/v1/reports/${reportId}/finish`, {}, ch.reporterKey);

    const seen = new Set<string>();
    const arrivals = new Map<string, number>();
    const poll = async () => {
      const list = await api(ag, 'GET', '/api/v1/referrals?direction=received&limit=1000');
      for (const r of list.json.referrals as Json[]) {
        const id = r.referralId as string;
        if (!seen.has(id)) {
          seen.add(id);
          arrivals.set(id, performance.now());
        }
      }
    };
    const until = async (ids: string[]) => {
      const deadline = Date.now() + 600_000;
      while (ids.some((id) => !arrivals.has(id))) {
        if (Date.now() > deadline) throw new Error('timed out waiting for deliveries');
        await poll();
        await new Promise((r) => setTimeout(r, 20));
      }
    };
    const refer = async () => {
      const t0 = performance.now();
      const r = await api(ch, 'POST', '/api/v1/referrals', { reportIds: [reportId], toOrgId: ag.orgId });
      return { referralId: r.json.referralId as string, incidents: r.json.incidents as number, t0, createdMs: performance.now() - t0 };
    };

    // Warm-up: keys, rule packs, code paths.
    const warm = await refer();
    await until([warm.referralId]);
    const incidents = warm.incidents;

    const sequential: { endToEndMs: number; createMs: number }[] = [];
    for (let i = 0; i < SEQUENTIAL; i++) {
      const r = await refer();
      await until([r.referralId]);
      sequential.push({ endToEndMs: arrivals.get(r.referralId)! - r.t0, createMs: r.createdMs });
    }
    const seqTotalS = sequential.reduce((a, b) => a + b.endToEndMs, 0) / 1000;

    const c0 = performance.now();
    const batch = await Promise.all(Array.from({ length: CONCURRENT }, () => refer()));
    await until(batch.map((b) => b.referralId));
    const concurrentS = (performance.now() - c0) / 1000;

    const detail = await api(ag, 'GET', `/api/v1/referrals/${((await api(ag, 'GET', '/api/v1/referrals?direction=received&limit=1')).json.referrals as Json[])[0].id as string}`);
    const results = {
      database: kind,
      sharers: SHARERS,
      incidentsPerPackage: incidents,
      filesVerifiedPerPackage: detail.json.filesVerified,
      triage: detail.json.triage,
      sequential: {
        packages: SEQUENTIAL,
        endToEndMs: latencySummary(sequential.map((s) => s.endToEndMs)),
        senderCreateMs: latencySummary(sequential.map((s) => s.createMs)),
        packagesPerSecond: Math.round((SEQUENTIAL / seqTotalS) * 100) / 100,
        incidentsPerSecond: Math.round((SEQUENTIAL * incidents) / seqTotalS),
      },
      concurrent: {
        packages: CONCURRENT,
        seconds: Math.round(concurrentS * 100) / 100,
        packagesPerSecond: Math.round((CONCURRENT / concurrentS) * 100) / 100,
        incidentsPerSecond: Math.round((CONCURRENT * incidents) / concurrentS),
      },
      note: 'Two deployments on one shared 2-core machine (the benchmark client too); figures are noisy when other work runs.',
    };
    process.stdout.write(
      [
        `referral bench (${kind}): ${incidents} incidents per package, ${String(detail.json.filesVerified)} evidence file verified per package`,
        `  sequential ${SEQUENTIAL}: end-to-end p50 ${results.sequential.endToEndMs.p50} ms (sender build+sign+encrypt p50 ${results.sequential.senderCreateMs.p50} ms) → ${results.sequential.packagesPerSecond} packages/s, ${results.sequential.incidentsPerSecond} incidents/s`,
        `  concurrent ${CONCURRENT}: ${results.concurrent.seconds} s → ${results.concurrent.packagesPerSecond} packages/s, ${results.concurrent.incidentsPerSecond} incidents/s`,
        '',
      ].join('\n'),
    );
    return results;
  } finally {
    await ch.server.kill();
    await ag.server.kill();
    await ch.drop?.();
    await ag.drop?.();
    rmSync(ch.dataDir, { recursive: true, force: true });
    rmSync(ag.dataDir, { recursive: true, force: true });
  }
}

const runs = [];
for (const kind of kinds) runs.push(await benchOne(kind));
process.stdout.write(`results: ${writeResults('referral', { runs })}\n`);
