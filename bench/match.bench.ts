/**
 * `npm run bench:match`: the PDQ matching index (multi-index hashing, src/analysis/match) against
 * brute force, at 1M and 10M hashes by default. Writes bench/results/match.json.
 *
 * Per size: build time (load the hashes, then build the postings), index memory (its own byte
 * count, and process.memoryUsage before and after), lookups/s for single hashes and for
 * 8-hash (dihedral) queries at distance ≤ 31, brute force on a sample of the same queries, recall
 * against brute force, and a snapshot write and reload. Data: uniformly random hashes, plus
 * queries that are near-duplicates of indexed hashes at every distance 0 … 40 (so both matches and
 * near misses are checked) and pure random queries (mostly no match).
 *
 * Rates are given per wall-clock second and per CPU-second of this process: on a machine shared
 * with other work the wall-clock rate falls with the load, the CPU-time rate much less.
 *
 * Options: --sizes 1000000,10000000  --queries 2000 (single-hash queries per size)
 *          --variant-queries 300  --brute-queries 40  --no-snapshot  --seed 1
 *
 * The npm script runs node with --expose-gc (so memory is measured after a collection) and with
 * GLIBC_TUNABLES=glibc.malloc.hugetlb=1, which lets glibc back the large typed arrays with
 * transparent huge pages: lookups are cache and TLB misses into a 320 MB array at 10M hashes, and
 * huge pages roughly halve their cost. The results record whether huge pages were in use; run
 * `npx tsx bench/match.bench.ts` to measure without them.
 */
import { randomFillSync } from 'node:crypto';
import { readFileSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { BruteForceMatcher } from '../src/analysis/match/brute-force-matcher.js';
import { MihIndex } from '../src/analysis/match/mih-index.js';
import { readMihSnapshot, writeMihSnapshot } from '../src/analysis/match/mih-snapshot.js';
import { nearDuplicate, seededRandom, type SeededRandom } from '../src/analysis/match/pdq-hash.factory.js';
import type { PdqMatch } from '../src/analysis/match/pdq-matcher.js';
import { writeResults } from './bench-support.js';

const { values: args } = parseArgs({
  options: {
    sizes: { type: 'string', default: '1000000,10000000' },
    queries: { type: 'string', default: '2000' },
    'variant-queries': { type: 'string', default: '300' },
    'brute-queries': { type: 'string', default: '40' },
    'no-snapshot': { type: 'boolean', default: false },
    seed: { type: 'string', default: '1' },
  },
});
const sizes = args.sizes.split(',').map((s) => Number(s.replace(/_/g, '')));
if (sizes.some((n) => !Number.isInteger(n) || n < 1000))
  throw new Error('--sizes takes integers ≥ 1000, e.g. 1000000,10000000');
const SINGLE_QUERIES = Number(args.queries);
const VARIANT_QUERIES = Number(args['variant-queries']);
const BRUTE_QUERIES = Number(args['brute-queries']);
const DISTANCE = 31;
const MB = 1e6;

const gc = (globalThis as { gc?: () => void }).gc;
const collect = (): void => {
  if (gc) for (let i = 0; i < 3; i++) gc();
};
const cpuMs = (): number => {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
};
const memory = () => {
  collect();
  const m = process.memoryUsage();
  return {
    rss: m.rss,
    heapUsed: m.heapUsed,
    external: m.external,
    arrayBuffers: m.arrayBuffers,
    heapPlusExternal: m.heapUsed + m.external,
  };
};
const round = (x: number, digits = 1): number => Math.round(x * 10 ** digits) / 10 ** digits;
const mb = (bytes: number): number => round(bytes / MB);

function hugePagesBytes(): number {
  try {
    const m = /AnonHugePages:\s+(\d+) kB/.exec(readFileSync('/proc/self/smaps_rollup', 'utf8'));
    return m ? Number(m[1]) * 1024 : 0;
  } catch {
    return 0;
  }
}

interface Rate {
  queries: number;
  wallSeconds: number;
  cpuSeconds: number;
  perSecond: number;
  perCpuSecond: number;
  msPerQuery: number;
}

function timeQueries(run: (i: number) => unknown, count: number): Rate {
  const t0 = performance.now();
  const c0 = cpuMs();
  for (let i = 0; i < count; i++) run(i);
  const wall = (performance.now() - t0) / 1000;
  const cpu = (cpuMs() - c0) / 1000;
  return {
    queries: count,
    wallSeconds: round(wall, 3),
    cpuSeconds: round(cpu, 3),
    perSecond: round(count / wall),
    perCpuSecond: round(count / Math.max(cpu, 1e-9)),
    msPerQuery: round((wall * 1000) / count, 3),
  };
}

/** Query hashes: near-duplicates of indexed hashes at distance i mod 41 (0 … 40), every 4th one random. */
function makeQueries(index: MihIndex, n: number, count: number, rng: SeededRandom) {
  const planted: { query: Uint32Array; entryId: number; distance: number }[] = [];
  for (let i = 0; i < count; i++) {
    if (i % 4 === 3) {
      planted.push({ query: randomHash(), entryId: -1, distance: -1 });
      continue;
    }
    const position = rng.below(n);
    const distance = i % 41;
    planted.push({
      query: nearDuplicate(index.store.words, position * 8, distance, rng),
      entryId: position,
      distance,
    });
  }
  return planted;
}

function randomHash(): Uint32Array {
  return randomFillSync(new Uint32Array(8));
}

function comparePairs(got: PdqMatch[][], want: PdqMatch[][]) {
  let expected = 0;
  let found = 0;
  let extra = 0;
  let wrongDistance = 0;
  for (let i = 0; i < want.length; i++) {
    const mine = new Map(got[i].map((m) => [m.entryId, m]));
    for (const w of want[i]) {
      expected++;
      const m = mine.get(w.entryId);
      if (m) {
        found++;
        if (m.distance !== w.distance || m.variantIndex !== w.variantIndex) wrongDistance++;
        mine.delete(w.entryId);
      }
    }
    extra += mine.size;
  }
  return {
    expectedPairs: expected,
    foundPairs: found,
    extraPairs: extra,
    wrongDistance,
    recall: expected === 0 ? 1 : found / expected,
  };
}

async function benchSize(n: number, seed: number) {
  const rng = seededRandom(seed);
  console.log(`\n== ${n.toLocaleString('en')} hashes ==`);
  const before = memory();

  // Build: hashes arrive in chunks (as from a database cursor or a bank import), then the postings
  // are built once. Generating the random hashes is not timed.
  const index = new MihIndex({ maxDistance: DISTANCE, autoCompact: false });
  const chunkSize = 1 << 16;
  const chunk = new Uint32Array(chunkSize * 8);
  const ids = new Uint32Array(chunkSize);
  let loadMs = 0;
  let loadCpuMs = 0;
  index.store.reserve(n);
  for (let start = 0; start < n; start += chunkSize) {
    const m = Math.min(chunkSize, n - start);
    randomFillSync(chunk);
    for (let i = 0; i < m; i++) ids[i] = start + i;
    const t0 = performance.now();
    const c0 = cpuMs();
    index.addMany(ids.subarray(0, m), chunk.subarray(0, m * 8));
    loadMs += performance.now() - t0;
    loadCpuMs += cpuMs() - c0;
  }
  const t0 = performance.now();
  const c0 = cpuMs();
  index.compact();
  const postingsMs = performance.now() - t0;
  const postingsCpuMs = cpuMs() - c0;
  const after = memory();
  const stats = index.stats();
  const build = {
    seconds: round((loadMs + postingsMs) / 1000, 2),
    cpuSeconds: round((loadCpuMs + postingsCpuMs) / 1000, 2),
    loadSeconds: round(loadMs / 1000, 2),
    postingsSeconds: round(postingsMs / 1000, 2),
  };
  const mem = {
    indexBytes: stats.totalBytes,
    indexMB: mb(stats.totalBytes),
    bytesPerHash: round(stats.totalBytes / n, 1),
    parts: { storeMB: mb(stats.storeBytes), postingsMB: mb(stats.postingBytes), tailMB: mb(stats.tailBytes) },
    processBeforeMB: { rss: mb(before.rss), heapUsed: mb(before.heapUsed), external: mb(before.external) },
    processAfterMB: { rss: mb(after.rss), heapUsed: mb(after.heapUsed), external: mb(after.external) },
    heapPlusExternalAfterMB: mb(after.heapPlusExternal),
    heapPlusExternalGrowthMB: mb(after.heapPlusExternal - before.heapPlusExternal),
    hugePagesMB: mb(hugePagesBytes()),
  };
  console.log(
    `build ${build.seconds} s (load ${build.loadSeconds} s, postings ${build.postingsSeconds} s; CPU ${build.cpuSeconds} s)` +
      `\nindex ${mem.indexMB} MB (${mem.bytesPerHash} B/hash: store ${mem.parts.storeMB}, postings ${mem.parts.postingsMB});` +
      ` process heap+external ${mem.heapPlusExternalAfterMB} MB (+${mem.heapPlusExternalGrowthMB}), rss ${mem.processAfterMB.rss} MB, huge pages ${mem.hugePagesMB} MB`,
  );

  // Queries.
  const single = makeQueries(index, n, SINGLE_QUERIES, rng);
  const variantQueries = Array.from({ length: VARIANT_QUERIES }, (_, i) => {
    // One variant near an indexed hash (at distance i mod 41), the other seven unrelated, as the
    // dihedral variants of an image mostly are.
    const v = Array.from({ length: 8 }, () => randomHash());
    v[i % 8] = nearDuplicate(index.store.words, rng.below(n) * 8, i % 41, rng);
    return v;
  });
  for (let i = 0; i < Math.min(50, single.length); i++) index.query(single[i].query); // warm-up
  const singleResults: PdqMatch[][] = new Array<PdqMatch[]>(single.length);
  const singleRate = timeQueries((i) => (singleResults[i] = index.query(single[i].query)), single.length);
  const variantResults: PdqMatch[][] = new Array<PdqMatch[]>(variantQueries.length);
  const variantRate = timeQueries(
    (i) => (variantResults[i] = index.query(variantQueries[i])),
    variantQueries.length,
  );
  console.log(
    `MIH single-hash: ${singleRate.perSecond} lookups/s (${singleRate.perCpuSecond} per CPU-s, ${singleRate.msPerQuery} ms each)` +
      `\nMIH 8-variant:   ${variantRate.perSecond} queries/s (${variantRate.perCpuSecond} per CPU-s, ${variantRate.msPerQuery} ms each)`,
  );

  // Planted recall on every query: each near-duplicate within 31 is found at its exact distance,
  // none beyond 31 is reported.
  let plantedExpected = 0;
  let plantedFound = 0;
  let beyond = 0;
  single.forEach((q, i) => {
    const hit = singleResults[i].find((m) => m.entryId === q.entryId);
    if (q.entryId >= 0 && q.distance <= DISTANCE) {
      plantedExpected++;
      if (hit && hit.distance === q.distance) plantedFound++;
    }
    for (const m of singleResults[i]) if (m.distance > DISTANCE) beyond++;
  });

  // Brute force over the same store, on a sample of the same queries.
  const brute = new BruteForceMatcher({ store: index.store, maxDistance: DISTANCE });
  const bruteSingle = Math.min(BRUTE_QUERIES, single.length);
  const bruteVariant = Math.max(2, Math.min(Math.ceil(BRUTE_QUERIES / 8), variantQueries.length));
  brute.query(single[0].query); // warm-up
  const bruteSingleResults: PdqMatch[][] = [];
  const bruteSingleRate = timeQueries(
    (i) => bruteSingleResults.push(brute.query(single[i].query)),
    bruteSingle,
  );
  const bruteVariantResults: PdqMatch[][] = [];
  const bruteVariantRate = timeQueries(
    (i) => bruteVariantResults.push(brute.query(variantQueries[i])),
    bruteVariant,
  );
  const recallSingle = comparePairs(singleResults.slice(0, bruteSingle), bruteSingleResults);
  const recallVariant = comparePairs(variantResults.slice(0, bruteVariant), bruteVariantResults);
  console.log(
    `brute force single-hash: ${bruteSingleRate.perSecond} lookups/s (${bruteSingleRate.perCpuSecond} per CPU-s) on ${bruteSingle} queries` +
      `\nbrute force 8-variant:   ${bruteVariantRate.perSecond} queries/s (${bruteVariantRate.perCpuSecond} per CPU-s) on ${bruteVariant} queries` +
      `\nspeed-up over brute force: ${round(singleRate.perSecond / bruteSingleRate.perSecond)}× single, ${round(variantRate.perSecond / bruteVariantRate.perSecond)}× 8-variant` +
      `\nrecall vs brute force: single ${recallSingle.foundPairs}/${recallSingle.expectedPairs} (extra ${recallSingle.extraPairs}, distance/variant differences ${recallSingle.wrongDistance}),` +
      ` 8-variant ${recallVariant.foundPairs}/${recallVariant.expectedPairs} (extra ${recallVariant.extraPairs}, differences ${recallVariant.wrongDistance})` +
      `\nplanted near-duplicates at distance 0–31 found at their exact distance: ${plantedFound}/${plantedExpected}; matches beyond ${DISTANCE}: ${beyond}`,
  );

  // Snapshot: write, then read it back (checksum, id and postings checks included). In its own
  // function so that the loaded copy is garbage once compared.
  const snapshot = args['no-snapshot']
    ? undefined
    : await snapshotRoundTrip(
        index,
        n,
        single.slice(0, 50).map((q) => q.query),
      );
  collect();

  // Incremental changes: single adds (near-duplicates of indexed hashes, so each must be found)
  // land in the tail; single removes; queries meanwhile; then the merge that folds the tail into
  // the postings (a rebuild, which autoCompact would trigger once the tail passes 1/32).
  const addCount = Math.min(100_000, Math.max(1000, Math.floor(n / 100)));
  const added = new Uint32Array(addCount * 8);
  for (let i = 0; i < addCount; i++)
    added.set(nearDuplicate(index.store.words, rng.below(n) * 8, i % 32, rng), i * 8);
  const addRate = timeQueries((i) => index.add(n + i, added.subarray(i * 8, i * 8 + 8)), addCount);
  const removedIds = Array.from({ length: 1000 }, () => rng.below(n));
  const removedHashes = removedIds.map((id) =>
    index.store.words.slice(index.store.positionOf(id) * 8, index.store.positionOf(id) * 8 + 8),
  );
  const removeRate = timeQueries((i) => index.remove(removedIds[i]), removedIds.length);
  index.flush();
  const tailRate = timeQueries((i) => index.query(single[i].query), Math.min(300, single.length));
  let addedFound = 0;
  for (let i = 0; i < addCount; i += Math.ceil(addCount / 200)) {
    if (index.query(added.subarray(i * 8, i * 8 + 8)).some((m) => m.entryId === n + i && m.distance === 0))
      addedFound++;
  }
  const removedSeen = removedHashes.filter((h, i) =>
    index.query(h).some((m) => m.entryId === removedIds[i]),
  ).length;
  const beforeMerge = single.slice(0, 100).map((q) => JSON.stringify(index.query(q.query)));
  const m0 = performance.now();
  const mc0 = cpuMs();
  index.compact();
  const mergeSeconds = (performance.now() - m0) / 1000;
  const mergeCpuSeconds = (cpuMs() - mc0) / 1000;
  const afterMerge = memory();
  const sameAfterMerge = single
    .slice(0, 100)
    .every((q, i) => JSON.stringify(index.query(q.query)) === beforeMerge[i]);
  const incremental = {
    added: addCount,
    addsPerSecond: addRate.perSecond,
    removed: removedIds.length,
    removesPerSecond: removeRate.perSecond,
    singleHashWithTail: tailRate,
    addedFoundAtDistance0: `${addedFound}/${Math.ceil(addCount / Math.ceil(addCount / 200))}`,
    removedStillMatching: removedSeen,
    mergeSeconds: round(mergeSeconds, 2),
    mergeCpuSeconds: round(mergeCpuSeconds, 2),
    heapPlusExternalAfterMergeMB: mb(afterMerge.heapPlusExternal),
    indexMBAfterMerge: mb(index.byteSize()),
    sameResultsAfterMerge: sameAfterMerge,
  };
  console.log(
    `incremental: ${addCount} adds at ${addRate.perSecond}/s, ${removedIds.length} removes at ${removeRate.perSecond}/s;` +
      ` lookups with the tail ${tailRate.perSecond}/s (${tailRate.perCpuSecond} per CPU-s); added found ${incremental.addedFoundAtDistance0},` +
      ` removed still matching ${removedSeen}\nmerge (rebuild) ${incremental.mergeSeconds} s (CPU ${incremental.mergeCpuSeconds} s),` +
      ` heap+external after ${incremental.heapPlusExternalAfterMergeMB} MB, same results: ${sameAfterMerge}`,
  );

  return {
    hashes: n,
    distance: DISTANCE,
    build,
    memory: mem,
    mih: { singleHash: singleRate, eightVariant: variantRate },
    bruteForce: { singleHash: bruteSingleRate, eightVariant: bruteVariantRate },
    speedUp: {
      singleHash: round(singleRate.perSecond / bruteSingleRate.perSecond),
      eightVariant: round(variantRate.perSecond / bruteVariantRate.perSecond),
    },
    recallVsBruteForce: { singleHash: recallSingle, eightVariant: recallVariant },
    plantedNearDuplicates: {
      expected: plantedExpected,
      foundAtExactDistance: plantedFound,
      matchesBeyondThreshold: beyond,
    },
    snapshot,
    incremental,
  };
}

async function snapshotRoundTrip(index: MihIndex, n: number, probe: Uint32Array[]) {
  const path = join(tmpdir(), `tipline-match-bench-${process.pid}.snap`);
  try {
    const w0 = performance.now();
    const written = await writeMihSnapshot(path, index, { metadata: JSON.stringify({ bench: true, n }) });
    const writeSeconds = (performance.now() - w0) / 1000;
    const r0 = performance.now();
    const rc0 = cpuMs();
    const { index: loaded } = await readMihSnapshot(path);
    const loadSeconds = (performance.now() - r0) / 1000;
    const loadCpuSeconds = (cpuMs() - rc0) / 1000;
    const same = probe.every((q) => JSON.stringify(loaded.query(q)) === JSON.stringify(index.query(q)));
    console.log(
      `snapshot ${mb(written.bytes)} MB (postings ${written.postings ? 'included' : 'rebuilt on load'}): write ${round(writeSeconds, 2)} s,` +
        ` load ${round(loadSeconds, 2)} s (CPU ${round(loadCpuSeconds, 2)} s), same results: ${same}`,
    );
    return {
      MB: mb(written.bytes),
      postingsIncluded: written.postings,
      writeSeconds: round(writeSeconds, 2),
      loadSeconds: round(loadSeconds, 2),
      loadCpuSeconds: round(loadCpuSeconds, 2),
      sameResultsAfterLoad: same,
    };
  } finally {
    rmSync(path, { force: true });
  }
}

const startLoad = loadavg();
const results = [];
for (const [i, n] of sizes.entries()) {
  results.push(await benchSize(n, Number(args.seed) + i));
  collect();
}
const file = writeResults('match', {
  note:
    'Random 256-bit hashes; queries are near-duplicates of indexed hashes at distance 0–40 plus random ones. ' +
    'Rates per wall-clock second and per CPU-second; on a shared machine the wall-clock figures vary with the load. ' +
    "Meta's reference MIH (C++) answers about 72 eight-variant queries/s at 1M hashes on this kind of machine.",
  options: {
    sizes,
    singleQueries: SINGLE_QUERIES,
    variantQueries: VARIANT_QUERIES,
    bruteQueries: BRUTE_QUERIES,
    distance: DISTANCE,
  },
  environment: {
    exposeGc: Boolean(gc),
    glibcTunables: process.env.GLIBC_TUNABLES ?? null,
    loadAverageAtStart: startLoad.map((x) => round(x, 2)),
    loadAverageAtEnd: loadavg().map((x) => round(x, 2)),
  },
  targets: {
    hashes: 10_000_000,
    maxMemoryBytes: 1e9,
    maxBuildSeconds: 60,
    minSingleLookupsPerSecond: 1000,
    recall: 1,
  },
  reference: { metaEightVariantQueriesPerSecondAt1M: 72 },
  results,
});
console.log(`\nwrote ${file}`);
