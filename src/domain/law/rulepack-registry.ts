/**
 * The rule packs a triage process works with: loaded once per process, identified by version and
 * content hash (so an edit that forgot to bump the version is still noticed), and an assessment
 * cache keyed by fact set, because many incidents share the same facts (a viral bundle has a
 * thousand incidents and a few dozen distinct fact sets).
 *
 * @example
 *   const packs = await sharedRulePacks(ctx);
 *   const cache = new AssessmentCache(packs);
 *   cache.assess('DK', factSetId(facts), facts); // Assessment, or undefined when DK has no pack
 */
import { createHash } from 'node:crypto';
import { canonicalJson } from '../../contracts/canonical-json.js';
import type { EvaluationFacts } from '../facts/facts.schema.js';
import { assessFacts, type Assessment, type RulePackSet } from './rule-pack.evaluator.js';
import { defaultRulePackDir, loadRulePacks } from './rule-pack.loader.js';
import type { RulePack } from './rule-pack.schema.js';

export const baselineJurisdiction = 'BASELINE';

export interface RulePackIdentity {
  jurisdiction: string;
  version: string;
  sha256: string;
  status: string;
}

const identities = new WeakMap<RulePack, RulePackIdentity>();

/** Version and content hash of one pack (cached per pack object: packs are immutable once loaded). */
export function packIdentity(pack: RulePack): RulePackIdentity {
  let id = identities.get(pack);
  if (!id) {
    id = {
      jurisdiction: pack.jurisdiction,
      version: pack.version,
      sha256: createHash('sha256').update(canonicalJson(pack)).digest('hex'),
      status: pack.status,
    };
    identities.set(pack, id);
  }
  return id;
}

/** Every pack of a set, the baseline included. */
export function packIdentities(set: RulePackSet): RulePackIdentity[] {
  const out = [...set.packs.values()].map(packIdentity);
  if (set.baseline) out.push(packIdentity(set.baseline));
  return out.sort((a, b) => a.jurisdiction.localeCompare(b.jurisdiction));
}

/** Keeps per-process state (the app context's memo): the packs are read once per process, not per module. */
export interface RulePackMemo {
  memo<T>(key: string, make: () => T): T;
}

/** The packs of a folder (default: the package's rulepacks/), loaded once per process context. */
export function sharedRulePacks(memo: RulePackMemo, dir: string = defaultRulePackDir): Promise<RulePackSet> {
  return memo.memo(`rule-packs:${dir}`, () => loadRulePacks(dir));
}

/** Assessments per (jurisdiction, fact set), computed once each. Bounded so a long re-triage cannot grow it without limit. */
export class AssessmentCache {
  private readonly cache = new Map<string, Assessment | null>();
  private readonly storedTexts = new Set<string>();

  constructor(
    readonly packs: RulePackSet,
    private readonly maxEntries = 200_000,
  ) {}

  /** Whether this process already stored an assessment text (they are immutable, keyed by content). */
  textStored(id: string): boolean {
    return this.storedTexts.has(id);
  }

  markTextStored(id: string): void {
    if (this.storedTexts.size >= this.maxEntries) this.storedTexts.clear();
    this.storedTexts.add(id);
  }

  hasPack(jurisdiction: string): boolean {
    return this.packs.packs.has(jurisdiction);
  }

  assess(jurisdiction: string, factSetId: string, facts: EvaluationFacts): Assessment | undefined {
    const key = `${jurisdiction}\u0000${factSetId}`;
    const hit = this.cache.get(key);
    if (hit !== undefined) return hit ?? undefined;
    const pack = this.packs.packs.get(jurisdiction);
    const result = pack ? assessFacts(facts, pack, this.packs.baseline) : undefined;
    if (this.cache.size >= this.maxEntries) this.cache.clear();
    this.cache.set(key, result ?? null);
    return result;
  }
}
