/**
 * Bundling benchmark (pure in-memory core; the PostgreSQL end-to-end figure comes with the
 * repository layer). Builds 1M synthetic incidents with planted shared content, bundles them, and
 * checks the planted structure came back out.
 *
 * Planted (at 1M): one viral file shared by 1,000 accounts (platforms sending different digest
 * subsets), 50,000 small clusters of 2–10 incidents sharing a file, 10,000 PDQ near-duplicate pairs
 * joining pairs of those clusters, and singletons for the rest. Digests are seeded pseudo-random hex, so
 * every run bundles the same data.
 *
 * Run: npm run bench:bundling [-- --incidents 200000]
 * Writes bench/results/bundling.json.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { bundleIncidents, type BundlingIncident } from '../src/triage/bundling/bundle-clusterer.js';
import { mergeBundles, splitBundle } from '../src/triage/bundling/bundle-editor.js';

const { values } = parseArgs({ options: { incidents: { type: 'string', default: '1000000' } } });
const total = Number(values.incidents);
if (!Number.isInteger(total) || total < 100_000) {
  console.error('--incidents must be an integer of at least 100000');
  process.exit(2);
}

const viralShares = 1_000;
// Scaled with the total: at 1M, 50,000 clusters (about 300,000 incidents) and 10,000 PDQ pairs.
const clusterCount = Math.round(total / 20);
const pdqPairCount = Math.round(clusterCount / 5);

// xorshift32: seeded, fast, and good enough for distinct synthetic digests.
let state = 0x9e3779b9;
function next(): number {
  state ^= state << 13;
  state ^= state >>> 17;
  state ^= state << 5;
  return state >>> 0;
}
const scratch = Buffer.alloc(32);
function randomHex(length: number): string {
  const bytes = length / 2;
  for (let i = 0; i < bytes; i += 4) scratch.writeUInt32LE(next(), i);
  return scratch.toString('hex', 0, bytes);
}
interface FileDigests {
  md5: string;
  sha1: string;
  sha256: string;
  pdq: string;
}
function newFile(): FileDigests {
  return { md5: randomHex(32), sha1: randomHex(40), sha256: randomHex(64), pdq: randomHex(64) };
}
/** What a platform sends varies: always SHA-256 or MD5, sometimes more, PDQ for about half. */
function digestsAsSent(file: FileDigests, i: number): Partial<FileDigests> {
  switch (i % 4) {
    case 0:
      return { sha256: file.sha256, md5: file.md5 };
    case 1:
      return { md5: file.md5, pdq: file.pdq };
    case 2:
      return { sha256: file.sha256, sha1: file.sha1, pdq: file.pdq };
    default:
      return { sha256: file.sha256, md5: file.md5, pdq: file.pdq };
  }
}

function generate(): { incidents: BundlingIncident[]; pairs: [string, string][]; expectedBundles: number } {
  const incidents: BundlingIncident[] = [];
  let uploader = 0;
  const viral = newFile();
  for (let i = 0; i < viralShares; i++) {
    // Every share carries SHA-256 or MD5 of the same file, so all join through one of them.
    const d = i % 2 === 0 ? { sha256: viral.sha256, md5: viral.md5 } : i % 4 === 1 ? { md5: viral.md5 } : { sha256: viral.sha256, md5: viral.md5, pdq: viral.pdq };
    incidents.push({ incidentId: `inc-${incidents.length}`, uploaderId: `acct-${uploader++}`, ...d });
  }
  const clusterFiles: FileDigests[] = [];
  for (let c = 0; c < clusterCount; c++) {
    const file = newFile();
    clusterFiles.push(file);
    const size = 2 + (next() % 9);
    for (let k = 0; k < size; k++) {
      // Shares within a cluster always include SHA-256 so the cluster is joined by an exact digest.
      incidents.push({ incidentId: `inc-${incidents.length}`, uploaderId: `acct-${uploader++}`, sha256: file.sha256, ...(k % 2 ? { pdq: file.pdq } : {}) });
    }
  }
  // PDQ near-duplicate pairs join cluster 2p with cluster 2p+1 (each cluster's first odd member has its PDQ).
  const pairs: [string, string][] = [];
  for (let p = 0; p < pdqPairCount; p++) pairs.push([clusterFiles[2 * p].pdq, clusterFiles[2 * p + 1].pdq]);
  let singletons = 0;
  while (incidents.length < total) {
    const file = newFile();
    incidents.push({ incidentId: `inc-${incidents.length}`, uploaderId: `acct-${uploader++}`, ...digestsAsSent(file, incidents.length) });
    singletons++;
  }
  return { incidents, pairs, expectedBundles: 1 + clusterCount - pdqPairCount + singletons };
}

function seconds(start: bigint): number {
  return Number(process.hrtime.bigint() - start) / 1e9;
}

const t0 = process.hrtime.bigint();
const { incidents, pairs, expectedBundles } = generate();
const generateSeconds = seconds(t0);

const t1 = process.hrtime.bigint();
const cpu1 = process.cpuUsage();
const result = bundleIncidents(incidents, { nearDuplicatePairs: pairs });
const bundleSeconds = seconds(t1);
// CPU time beside wall time: on a shared machine the wall clock also counts other people's work.
const cpuUsed = process.cpuUsage(cpu1);
const bundleCpuSeconds = (cpuUsed.user + cpuUsed.system) / 1e6;
const heapMiB = Math.round(process.memoryUsage().heapUsed / 2 ** 20);

const viral = result.bundles.find((b) => b.viral);
const ok = result.stats.bundles === expectedBundles && viral?.members.length === viralShares && result.stats.viralBundles === 1 && result.issues.length === 0;

// One analyst edit on the full set: split 100 sharers off the viral bundle, then merge them back.
const t2 = process.hrtime.bigint();
const split = viral ? splitBundle(result.bundles, { bundleId: viral.bundleId, incidentIds: viral.members.slice(0, 100).map((m) => m.incidentId) }) : undefined;
const splitSeconds = seconds(t2);
const t3 = process.hrtime.bigint();
const merge = split && viral ? mergeBundles(split.bundles, { bundleIds: split.changed.map((b) => b.bundleId) }) : undefined;
const mergeSeconds = seconds(t3);

const figures = {
  benchmark: 'bundling',
  scope: 'pure in-memory core (bundleIncidents); no database',
  date: new Date().toISOString(),
  node: process.version,
  cpu: cpus()[0]?.model ?? 'unknown',
  cores: cpus().length,
  incidents: incidents.length,
  planted: { viralShares, clusters: clusterCount, pdqPairs: pdqPairCount },
  bundles: result.stats.bundles,
  expectedBundles,
  multiMemberBundles: result.stats.multiMemberBundles,
  viralBundles: result.stats.viralBundles,
  largestBundle: result.stats.largestBundle,
  pdqLinks: result.stats.pdqLinks,
  structureAsPlanted: ok,
  generateSeconds: round(generateSeconds),
  bundleSeconds: round(bundleSeconds),
  incidentsPerSecond: Math.round(incidents.length / bundleSeconds),
  bundleCpuSeconds: round(bundleCpuSeconds),
  loadAverage1m: round(loadavg()[0] ?? 0),
  heapUsedMiB: heapMiB,
  splitSeconds: round(splitSeconds),
  splitStatus: split?.status,
  mergeSeconds: round(mergeSeconds),
  mergeStatus: merge?.status,
  target: 'issue 4: bundle 1M incidents ≤ 60 s end to end on PostgreSQL (this measures the core only)',
};

function round(x: number): number {
  return Math.round(x * 1000) / 1000;
}

console.log(`bundling: ${figures.incidents.toLocaleString('en')} incidents → ${figures.bundles.toLocaleString('en')} bundles (expected ${expectedBundles.toLocaleString('en')}; structure as planted: ${ok})`);
console.log(`  generate ${figures.generateSeconds} s (not counted)`);
console.log(`  bundle   ${figures.bundleSeconds} s = ${figures.incidentsPerSecond.toLocaleString('en')} incidents/s (CPU ${figures.bundleCpuSeconds} s; heap ${heapMiB} MiB; load average ${figures.loadAverage1m} on ${figures.cores} cores)`);
console.log(`  viral bundles ${figures.viralBundles}, largest ${figures.largestBundle}, PDQ links ${figures.pdqLinks}`);
console.log(`  split 100 off the viral bundle ${figures.splitSeconds} s (${figures.splitStatus}); merge back ${figures.mergeSeconds} s (${figures.mergeStatus})`);

const out = join(dirname(fileURLToPath(import.meta.url)), 'results', 'bundling.json');
mkdirSync(dirname(out), { recursive: true });
writeFileSync(out, JSON.stringify(figures, null, 2) + '\n');
console.log(`  wrote ${out}`);
if (!ok) {
  console.error('bundling produced an unexpected structure');
  process.exit(1);
}
