/**
 * `npm run bench:xml`: the CyberTipline-compatible XML API beside the JSON API in the same run.
 * The same synthetic reports (syntheticReport({ seed }) without the JSON-only `files`, about 2 KB)
 * go to POST /ispws/submit as XML (reportToXml) and to POST /api/v1/reports as JSON, each opening
 * a report, at 32 concurrent clients over real HTTP to a `tipline serve` child process, on the
 * embedded database and on PostgreSQL when it is reachable. The two APIs alternate in rounds so
 * that drift in a shared machine's load falls on both. Also measures, in this process, the CPU
 * cost per document of each API's parsing and validation.
 * Prints submits/s, p50/p99 latency and the XML/JSON ratio (target: XML within 20% of JSON);
 * writes bench/results/xml.json.
 *
 * Options: --reports N per API (default 3000), --rounds N (default 3), --db pglite,postgres
 * PostgreSQL: BENCH_DATABASE_URL (default postgres://postgres@127.0.0.1:5432/postgres; a scratch
 * database is created beside it and dropped afterwards).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import pg from 'pg';
import { reportToXml } from '../src/contracts/cybertip-xml.js';
import { parseIspwsDocument } from '../src/intake/ispws.service.js';
import { validateReportSubmission } from '../src/contracts/report.schema.js';
import { cybertipXsdValidator } from '../src/intake/xsd-validator.js';
import { syntheticReport } from '../src/synthetic/synthetic-report.factory.js';
import { createScratchPostgres } from '../test/support/databases.js';
import { demoCredentials, startChildServer } from '../test/support/child-server.js';
import { latencySummary, runConcurrent, writeResults } from './bench-support.js';

const { values } = parseArgs({
  options: {
    reports: { type: 'string', default: '3000' },
    rounds: { type: 'string', default: '3' },
    db: { type: 'string', default: 'pglite,postgres' },
  },
});
const REPORTS = Number(values.reports);
const ROUNDS = Math.max(1, Number(values.rounds));
const CLIENTS = 32;
const TARGET_RATIO = 0.8;

process.stderr.write(`generating ${REPORTS} synthetic reports…\n`);
const reports = Array.from({ length: REPORTS }, (_, seed) => {
  const { files: _files, ...report } = syntheticReport({ seed });
  return report;
});
const jsonBodies = reports.map((r) => JSON.stringify(r));
const xmlBodies = reports.map((r) => reportToXml(r));
const avg = (xs: string[]) => Math.round(xs.reduce((n, s) => n + Buffer.byteLength(s), 0) / xs.length);

/** CPU per document of what each API does before touching the database, in this process. */
function cpuPerDocument() {
  const xsd = cybertipXsdValidator();
  const n = Math.min(REPORTS, 1000);
  const xmlBytes = xmlBodies.slice(0, n).map((s) => Buffer.from(s));
  const time = (fn: (i: number) => void) => {
    for (let i = 0; i < Math.min(n, 200); i++) fn(i); // warm-up
    const t0 = performance.now();
    for (let i = 0; i < n; i++) fn(i);
    return Math.round(((performance.now() - t0) / n) * 1000) / 1000;
  };
  const json = time((i) => {
    if (!validateReportSubmission(JSON.parse(jsonBodies[i])).ok) throw new Error(`JSON report ${i} refused`);
  });
  const xml = time((i) => parseIspwsDocument('report', xmlBytes[i], xsd));
  const xsdOnly = time((i) => {
    if (!xsd.validate(xmlBytes[i]).ok) throw new Error(`XML report ${i} refused by the XSD`);
  });
  return {
    documents: n,
    jsonParseAndValidateMs: json,
    xmlReadValidateAndXsdMs: xml,
    xsdValidationAloneMs: xsdOnly,
  };
}

async function postgresReachable(url: string): Promise<boolean> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 2000 });
  try {
    await client.connect();
    await client.end();
    return true;
  } catch {
    return false;
  }
}

interface Phase {
  failures: number;
  seconds: number;
  latencies: number[];
}

async function benchOne(kind: 'pglite' | 'postgres') {
  const dataDir = mkdtempSync(join(tmpdir(), `tipline-bench-xml-${kind}-`));
  let drop: (() => Promise<void>) | undefined;
  let databaseUrl: string | undefined;
  if (kind === 'postgres') {
    const scratch = await createScratchPostgres();
    databaseUrl = scratch.url;
    drop = scratch.drop;
  }
  const server = await startChildServer({
    dataDir,
    ...(databaseUrl ? { databaseUrl } : {}),
    env: { LOG_LEVEL: 'error' },
  });
  try {
    const creds = demoCredentials(dataDir).reporter;
    const jsonHeaders = { authorization: `Bearer ${creds.apiKey}`, 'content-type': 'application/json' };
    const xmlHeaders = {
      authorization: `Basic ${Buffer.from(`${creds.xmlUsername}:${creds.xmlPassword}`).toString('base64')}`,
      'content-type': 'text/xml; charset=utf-8',
    };
    const submitJson = async (i: number) => {
      const res = await fetch(`${server.url}/api/v1/reports`, {
        method: 'POST',
        headers: jsonHeaders,
        body: jsonBodies[i],
      });
      await res.arrayBuffer();
      return res.status === 201;
    };
    const submitXml = async (i: number) => {
      const res = await fetch(`${server.url}/ispws/submit`, {
        method: 'POST',
        headers: xmlHeaders,
        body: xmlBodies[i],
      });
      const text = await res.text();
      return res.status === 200 && text.includes('<responseCode>0</responseCode>');
    };

    process.stderr.write(`[${kind}] warm-up…\n`);
    for (const submit of [submitJson, submitXml]) {
      await runConcurrent(200, 8, async (i) => {
        if (!(await submit(i % REPORTS))) throw new Error('warm-up submission refused');
      });
    }

    const phases: Record<'json' | 'xml', Phase> = {
      json: { failures: 0, seconds: 0, latencies: [] },
      xml: { failures: 0, seconds: 0, latencies: [] },
    };
    const perRound = Math.ceil(REPORTS / ROUNDS);
    for (let round = 0; round < ROUNDS; round++) {
      const from = round * perRound;
      const count = Math.min(perRound, REPORTS - from);
      if (count <= 0) break;
      // Alternate which API goes first, so neither always meets the fuller database.
      const order: ('json' | 'xml')[] = round % 2 === 0 ? ['json', 'xml'] : ['xml', 'json'];
      for (const api of order) {
        const submit = api === 'json' ? submitJson : submitXml;
        const phase = phases[api];
        const t0 = performance.now();
        const lat = await runConcurrent(count, CLIENTS, async (i) => {
          if (!(await submit(from + i))) phase.failures++;
        });
        phase.seconds += (performance.now() - t0) / 1000;
        phase.latencies.push(...lat);
        process.stderr.write(
          `[${kind}] round ${round + 1}/${ROUNDS} ${api}: ${Math.round(count / ((performance.now() - t0) / 1000))} submits/s\n`,
        );
      }
    }
    const summary = (p: Phase) => ({
      reports: p.latencies.length,
      failures: p.failures,
      submitsPerSecond: Math.round(p.latencies.length / p.seconds),
      latencyMs: latencySummary(p.latencies),
    });
    const json = summary(phases.json);
    const xml = summary(phases.xml);
    const ratio = Math.round((xml.submitsPerSecond / json.submitsPerSecond) * 100) / 100;
    process.stderr.write(
      `[${kind}] JSON ${json.submitsPerSecond}/s p99 ${json.latencyMs.p99} ms · XML ${xml.submitsPerSecond}/s p99 ${xml.latencyMs.p99} ms · XML/JSON ${ratio}\n`,
    );
    return {
      database: kind,
      clients: CLIENTS,
      rounds: ROUNDS,
      json,
      xml,
      xmlToJsonThroughput: ratio,
      withinTarget: ratio >= TARGET_RATIO,
    };
  } finally {
    await server.kill('SIGTERM');
    await drop?.();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

const cpu = cpuPerDocument();
process.stderr.write(
  `CPU per document: JSON parse+validate ${cpu.jsonParseAndValidateMs} ms, XML read+rules+XSD ${cpu.xmlReadValidateAndXsdMs} ms (XSD alone ${cpu.xsdValidationAloneMs} ms)\n`,
);

const results = [];
const skipped: string[] = [];
for (const kind of String(values.db).split(',') as ('pglite' | 'postgres')[]) {
  if (kind === 'postgres') {
    process.env.TEST_DATABASE_URL ??=
      process.env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
    if (!(await postgresReachable(process.env.TEST_DATABASE_URL))) {
      process.stderr.write('PostgreSQL is not reachable; skipping it\n');
      skipped.push('postgres (not reachable)');
      continue;
    }
  }
  results.push(await benchOne(kind));
}
console.table(
  results.map((r) => ({
    database: r.database,
    'JSON submits/s': r.json.submitsPerSecond,
    'JSON p99 ms': r.json.latencyMs.p99,
    'XML submits/s': r.xml.submitsPerSecond,
    'XML p99 ms': r.xml.latencyMs.p99,
    'XML/JSON': r.xmlToJsonThroughput,
    failures: r.json.failures + r.xml.failures,
  })),
);
console.log(
  `wrote ${writeResults('xml', {
    target: { xmlToJsonThroughputAtLeast: TARGET_RATIO },
    averageBytes: { json: avg(jsonBodies), xml: avg(xmlBodies) },
    cpuPerDocument: cpu,
    skipped,
    results,
  })}`,
);
