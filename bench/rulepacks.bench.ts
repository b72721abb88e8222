/**
 * Rule-pack evaluation benchmark (pure, in memory): how fast `assessFacts` turns facts into an
 * assessment, per pack and overall. This is the CPU part of issue 4's "re-assess 1M incidents
 * after a rule change" target (≤ 60 s including the database); the database part is measured by
 * the re-triage benchmark.
 *
 * Facts are seeded pseudo-random combinations of every fact value (plain and list-valued, ages,
 * dates across the 2025 Danish reform), so every run assesses the same data.
 *
 * Run: npm run bench:rulepacks [-- --assessments 1000000]
 * Writes bench/results/rulepacks.json.
 */
import { loadavg } from 'node:os';
import { parseArgs } from 'node:util';
import {
  conductValues,
  contentValues,
  depictionValues,
  knownAgeBandValues,
  type EvaluationFacts,
} from '../src/domain/facts/facts.schema.js';
import { assessFacts } from '../src/domain/law/rule-pack.evaluator.js';
import { loadRulePacks } from '../src/domain/law/rule-pack.loader.js';
import { writeResults } from './bench-support.js';

const { values } = parseArgs({ options: { assessments: { type: 'string', default: '1000000' } } });
const total = Number(values.assessments);
if (!Number.isInteger(total) || total < 10_000) {
  console.error('--assessments must be an integer of at least 10000');
  process.exit(2);
}

let state = 0x2545f491;
function next(): number {
  state ^= state << 13;
  state ^= state >>> 17;
  state ^= state << 5;
  return state >>> 0;
}
function pick<T>(list: readonly T[]): T {
  return list[next() % list.length];
}
function maybeList<T>(list: readonly T[]): T | T[] {
  // One in five facts is a list of possibilities, as from an industry classification.
  return next() % 5 === 0 ? [pick(list), pick(list)] : pick(list);
}

const dates = ['2015-03-01', '2024-03-15', '2025-06-30', '2025-07-01', '2025-11-20'];
const sampleSize = 50_000;
const samples: EvaluationFacts[] = Array.from({ length: sampleSize }, () => {
  const facts: EvaluationFacts = {
    depiction: maybeList(depictionValues),
    content: maybeList(contentValues),
    conduct: maybeList(conductValues),
    conductDate: pick(dates),
  };
  if (next() % 2 === 0) facts.depictedAge = next() % 30;
  else facts.depictedAgeBand = maybeList(knownAgeBandValues);
  if (next() % 3 === 0) facts.depictedConsentToPossession = next() % 2 === 0;
  if (next() % 3 === 0) facts.selfProduced = next() % 2 === 0;
  if (next() % 2 === 0) facts.suspectAge = 10 + (next() % 40);
  return facts;
});

const set = await loadRulePacks();
const packs = [...set.packs.values()];

function run(
  count: number,
  choosePack: (i: number) => (typeof packs)[number],
): { ms: number; outcomes: Record<string, number> } {
  const outcomes: Record<string, number> = {};
  const t0 = performance.now();
  for (let i = 0; i < count; i++) {
    const assessment = assessFacts(samples[i % sampleSize], choosePack(i), set.baseline);
    outcomes[assessment.outcome] = (outcomes[assessment.outcome] ?? 0) + 1;
  }
  return { ms: performance.now() - t0, outcomes };
}

run(20_000, (i) => packs[i % packs.length]); // warm-up: JIT and pack compilation

const perPack: Record<string, { assessmentsPerSecond: number; microsecondsEach: number }> = {};
const perPackCount = Math.max(10_000, Math.round(total / 10));
for (const pack of packs) {
  const { ms } = run(perPackCount, () => pack);
  perPack[pack.jurisdiction] = {
    assessmentsPerSecond: Math.round((perPackCount / ms) * 1000),
    microsecondsEach: Math.round((ms * 1000 * 100) / perPackCount) / 100,
  };
}

const load = loadavg()[0];
const all = run(total, (i) => packs[i % packs.length]);
const overall = {
  assessments: total,
  seconds: Math.round(all.ms) / 1000,
  assessmentsPerSecond: Math.round((total / all.ms) * 1000),
  microsecondsEach: Math.round((all.ms * 1000 * 100) / total) / 100,
  outcomes: all.outcomes,
};

console.log(`rule packs: ${packs.length} national + baseline; ${sampleSize} distinct synthetic fact sets`);
for (const [code, r] of Object.entries(perPack))
  console.log(
    `  ${code.padEnd(7)} ${String(r.assessmentsPerSecond).padStart(9)} /s  ${r.microsecondsEach} µs each`,
  );
console.log(
  `all packs: ${overall.assessments} assessments in ${overall.seconds} s (${overall.assessmentsPerSecond} /s, ${overall.microsecondsEach} µs each)`,
);
console.log(`outcomes: ${JSON.stringify(overall.outcomes)}`);
console.log(
  `1-minute load average at start: ${load.toFixed(2)} (figures on a shared or loaded machine are pessimistic)`,
);
const file = writeResults('rulepacks', { loadAverage1m: load, perPack, overall });
console.log(`wrote ${file}`);
