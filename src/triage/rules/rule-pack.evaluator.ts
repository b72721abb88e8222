/**
 * Applies rule packs to facts. Pure: no I/O, no clock (the conduct date is in the facts).
 *
 * The shared INTERPOL baseline pack is applied first; then the jurisdiction's pack decides the
 * national outcome. Rules are tried in order and the first whose conditions all hold, among those
 * in force on the conduct date, decides. Conditions use three-valued logic: a fact may be known,
 * unknown, or known only as a list of possibilities (an age band gives an age range); a condition
 * the facts cannot decide does not hold unless the rule says `ifUnknown: match`. National packs
 * end with a catch-all rule, so unknowns land on an explicit, explained rule.
 *
 * @example
 *   const set = await loadRulePacks();
 *   const assessment = assessInJurisdiction(
 *     { depiction: 'text', depictedAgeBand: 'adolescent', content: 'sex_act', conduct: 'possess', conductDate: '2025-08-01' },
 *     set,
 *     'DK',
 *   );
 *   // assessment.outcome === 'not_illegal'; assessment.ruleId === 'DK-text'
 */
import { TiplineError } from '../../contracts/errors.js';
import {
  ageBandRanges,
  enumFactValues,
  factNames,
  knownAgeBandValues,
  type EvaluationFacts,
  type FactName,
  type KnownAgeBand,
} from '../facts/facts.schema.js';
import type {
  Citation,
  Confidence,
  ConditionFact,
  NationalOutcome,
  Outcome,
  PackStatus,
  Rule,
  RulePack,
} from './rule-pack.schema.js';

/** All loaded packs: the shared baseline and the national packs by jurisdiction code. */
export interface RulePackSet {
  baseline: RulePack | undefined;
  packs: ReadonlyMap<string, RulePack>;
}

export interface Assessment {
  jurisdiction: string;
  /** `baseline` when the INTERPOL baseline criteria are met, otherwise the national outcome. */
  outcome: Outcome;
  /** The deciding rule (the baseline rule when the baseline is met); null when no rule applied. */
  ruleId: string | null;
  citations: Citation[];
  /** false when the suspect is under the age of criminal responsibility; null when that cannot be told. */
  suspectCriminallyLiable: boolean | null;
  explanation: string;
  packVersion: string;
  packStatus: PackStatus;
  conductDate: string;
  /** How well sourced the deciding rule is. */
  confidence: Confidence;
  nationalOutcome: NationalOutcome;
  nationalRuleId: string | null;
  baselinePackVersion: string | null;
  /** Unknown facts that, once known, could change the outcome. */
  undeterminedFacts: FactName[];
}

type Truth = 'true' | 'false' | 'unknown';

/** The outcome of one pack for some facts, before it is combined with the baseline. */
export interface PackDecision {
  rule: Rule | undefined;
  outcome: Outcome;
  /** The conduct date lies outside the dates the pack covers. */
  outOfCoverage: boolean;
  undeterminedFacts: FactName[];
}

function asList<T>(value: T | readonly T[] | undefined): readonly T[] | undefined {
  if (value === undefined) return undefined;
  return Array.isArray(value) ? (value as readonly T[]) : [value as T];
}

interface EnumView {
  entirelyUnknown: boolean;
  values: readonly string[];
}

function enumView(fact: 'depiction' | 'depictedAgeBand' | 'content' | 'conduct', facts: EvaluationFacts): EnumView {
  const all = fact === 'depictedAgeBand' ? knownAgeBandValues : enumFactValues[fact];
  const given = asList<string>(facts[fact]);
  if (!given || given.length === 0 || (fact === 'depictedAgeBand' && given.includes('unknown'))) return { entirelyUnknown: true, values: all };
  return { entirelyUnknown: false, values: given };
}

interface RangeView {
  entirelyUnknown: boolean;
  min: number;
  max: number;
}

function depictedAgeView(facts: EvaluationFacts): RangeView {
  if (facts.depictedAge !== undefined) return { entirelyUnknown: false, min: facts.depictedAge, max: facts.depictedAge };
  const band = enumView('depictedAgeBand', facts);
  const ranges = (band.values as KnownAgeBand[]).map((b) => ageBandRanges[b]);
  return {
    entirelyUnknown: band.entirelyUnknown,
    min: Math.min(...ranges.map((r) => r.min)),
    max: Math.max(...ranges.map((r) => r.max)),
  };
}

function suspectAgeView(facts: EvaluationFacts): RangeView {
  if (facts.suspectAge !== undefined) return { entirelyUnknown: false, min: facts.suspectAge, max: facts.suspectAge };
  return { entirelyUnknown: true, min: 0, max: Number.POSITIVE_INFINITY };
}

function and(truths: Truth[]): Truth {
  if (truths.includes('false')) return 'false';
  if (truths.includes('unknown')) return 'unknown';
  return 'true';
}

interface AnyCondition {
  equals?: string | number | boolean;
  in?: readonly (string | number)[];
  lt?: number;
  gte?: number;
  unknown?: boolean;
  ifUnknown?: 'match' | 'no_match';
}

function enumTruth(view: EnumView, condition: AnyCondition): Truth {
  if (condition.unknown !== undefined) return view.entirelyUnknown === condition.unknown ? 'true' : 'false';
  const accepted = condition.in ?? (condition.equals !== undefined ? [condition.equals as string] : []);
  const inside = view.values.filter((v) => accepted.includes(v)).length;
  if (inside === view.values.length) return 'true';
  return inside === 0 ? 'false' : 'unknown';
}

function rangeTruth(view: RangeView, condition: AnyCondition): Truth {
  if (condition.unknown !== undefined) return view.entirelyUnknown === condition.unknown ? 'true' : 'false';
  const parts: Truth[] = [];
  const points = condition.in ?? (condition.equals !== undefined ? [condition.equals as number] : undefined);
  if (points) {
    const exact = view.min === view.max;
    if (exact && points.includes(view.min)) parts.push('true');
    else if ((points as number[]).every((n) => n < view.min || n > view.max)) parts.push('false');
    else parts.push('unknown');
  }
  if (condition.lt !== undefined) parts.push(view.max < condition.lt ? 'true' : view.min >= condition.lt ? 'false' : 'unknown');
  if (condition.gte !== undefined) parts.push(view.min >= condition.gte ? 'true' : view.max < condition.gte ? 'false' : 'unknown');
  return and(parts);
}

function booleanTruth(value: boolean | undefined, condition: AnyCondition): Truth {
  if (condition.unknown !== undefined) return (value === undefined) === condition.unknown ? 'true' : 'false';
  if (value === undefined) return 'unknown';
  return value === condition.equals ? 'true' : 'false';
}

function conditionTruth(fact: ConditionFact, condition: AnyCondition, facts: EvaluationFacts): Truth {
  switch (fact) {
    case 'depiction':
    case 'depictedAgeBand':
    case 'content':
    case 'conduct':
      return enumTruth(enumView(fact, facts), condition);
    case 'depictedAge':
      return rangeTruth(depictedAgeView(facts), condition);
    case 'suspectAge':
      return rangeTruth(suspectAgeView(facts), condition);
    case 'depictedConsentToPossession':
    case 'selfProduced':
    case 'commercial':
      return booleanTruth(facts[fact], condition);
  }
}

interface RuleCheck {
  matches: boolean;
  /** No condition is false, but some could not be decided. */
  couldMatch: boolean;
  unknownFacts: FactName[];
}

function checkRule(rule: Rule, facts: EvaluationFacts): RuleCheck {
  let matches = true;
  let anyFalse = false;
  const unknownFacts: FactName[] = [];
  for (const [fact, condition] of Object.entries(rule.when) as [ConditionFact, AnyCondition | undefined][]) {
    if (!condition) continue;
    const truth = conditionTruth(fact, condition, facts);
    if (truth === 'false') {
      anyFalse = true;
      matches = false;
    } else if (truth === 'unknown') {
      unknownFacts.push(fact);
      if (condition.ifUnknown !== 'match') matches = false;
    }
  }
  return { matches, couldMatch: !anyFalse && unknownFacts.length > 0, unknownFacts };
}

/** True when the rule is in force on the date (validity bounds are inclusive). */
export function ruleInForce(rule: Pick<Rule, 'validFrom' | 'validTo'>, date: string): boolean {
  return (!rule.validFrom || rule.validFrom <= date) && (!rule.validTo || date <= rule.validTo);
}

function orderFacts(facts: Iterable<FactName>): FactName[] {
  const set = new Set(facts);
  return factNames.filter((f) => set.has(f));
}

/** The first rule of `pack` in force on the conduct date whose conditions hold. */
export function evaluateRulePack(pack: RulePack, facts: EvaluationFacts): PackDecision {
  const date = facts.conductDate;
  if ((pack.validFrom && date < pack.validFrom) || (pack.validTo && date > pack.validTo)) {
    return { rule: undefined, outcome: 'uncertain', outOfCoverage: true, undeterminedFacts: [] };
  }
  const pending: { outcome: Outcome; facts: FactName[] }[] = [];
  for (const rule of pack.rules) {
    if (!ruleInForce(rule, date)) continue;
    const check = checkRule(rule, facts);
    if (check.matches) {
      const undetermined = pending.filter((p) => p.outcome !== rule.outcome).flatMap((p) => p.facts);
      undetermined.push(...check.unknownFacts);
      return { rule, outcome: rule.outcome, outOfCoverage: false, undeterminedFacts: orderFacts(undetermined) };
    }
    if (check.couldMatch) pending.push({ outcome: rule.outcome, facts: check.unknownFacts });
  }
  return {
    rule: undefined,
    outcome: pack.kind === 'baseline' ? 'not_illegal' : 'uncertain',
    outOfCoverage: false,
    undeterminedFacts: orderFacts(pending.flatMap((p) => p.facts)),
  };
}

function liability(pack: RulePack, facts: EvaluationFacts): { liable: boolean | null; sentence: string } {
  const age = facts.suspectAge;
  const threshold = pack.ages?.criminalResponsibility ?? null;
  if (age === undefined) return { liable: null, sentence: "The suspect's age is not known, so criminal liability by age is open." };
  if (threshold === null) {
    return { liable: null, sentence: `This pack states no single age of criminal responsibility${pack.ages?.note ? ` (${pack.ages.note})` : ''}; the suspect is ${age}.` };
  }
  const citation = pack.ages?.citations?.[0];
  const cited = citation ? `, ${citation.statute} ${citation.section}` : '';
  if (age < threshold) {
    return {
      liable: false,
      sentence: `The suspect (aged ${age}) is under the age of criminal responsibility (${threshold}${cited}): not criminally liable; a safeguarding matter, not a prosecution.`,
    };
  }
  return { liable: true, sentence: `The suspect (aged ${age}) is at or over the age of criminal responsibility (${threshold}${cited}).` };
}

function uniqueCitations(citations: Citation[]): Citation[] {
  const seen = new Set<string>();
  return citations.filter((c) => {
    const key = `${c.statute}\u0000${c.section}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

/**
 * The assessment of facts under one national pack, with the baseline pack applied first when
 * given. Facts are trusted to be valid (`assessableFactsSchema` or `toEvaluationFacts`).
 */
export function assessFacts(facts: EvaluationFacts, pack: RulePack, baseline?: RulePack): Assessment {
  if (pack.kind !== 'national') throw new TypeError(`assessFacts needs a national pack, not ${pack.jurisdiction}`);
  const national = evaluateRulePack(pack, facts);
  const base = baseline ? evaluateRulePack(baseline, facts) : undefined;
  const baselineRule = base?.outcome === 'baseline' ? base.rule : undefined;

  const nationalOutcome = national.outcome as NationalOutcome;
  const nationalExplanation = national.outOfCoverage
    ? `The conduct date ${facts.conductDate} is outside the dates this pack covers (${pack.validFrom ?? '…'} to ${pack.validTo ?? '…'}); assess it manually under the law then in force.`
    : (national.rule?.explanation ?? 'No rule of this pack applies.');

  const parts: string[] = [];
  if (baselineRule) {
    parts.push(`INTERPOL baseline: ${baselineRule.explanation.trim()}`);
    parts.push(`Under ${pack.name}${national.rule ? ` (rule ${national.rule.id})` : ''}: ${nationalExplanation.trim()}`);
  } else {
    parts.push(nationalExplanation.trim());
  }
  const undetermined = orderFacts([...national.undeterminedFacts, ...(base && !baselineRule ? base.undeterminedFacts : [])]);
  if (undetermined.length > 0) parts.push(`Not known, and could change the outcome: ${undetermined.join(', ')}.`);
  const liable = liability(pack, facts);
  parts.push(liable.sentence);
  if (pack.status === 'reference') parts.push('Reference pack: not reviewed by a lawyer.');

  return {
    jurisdiction: pack.jurisdiction,
    outcome: baselineRule ? 'baseline' : nationalOutcome,
    ruleId: baselineRule ? baselineRule.id : (national.rule?.id ?? null),
    citations: uniqueCitations([...(baselineRule?.citations ?? []), ...(national.rule?.citations ?? [])]),
    suspectCriminallyLiable: liable.liable,
    explanation: parts.join(' '),
    packVersion: pack.version,
    packStatus: pack.status,
    conductDate: facts.conductDate,
    confidence: (baselineRule ?? national.rule)?.confidence ?? 'low',
    nationalOutcome,
    nationalRuleId: national.rule?.id ?? null,
    baselinePackVersion: baseline?.version ?? null,
    undeterminedFacts: undetermined,
  };
}

/** The national pack for a jurisdiction code (case-insensitive), or undefined. */
export function findRulePack(set: RulePackSet, jurisdiction: string): RulePack | undefined {
  return set.packs.get(jurisdiction.trim().toUpperCase());
}

/** Assess facts in one jurisdiction of a loaded set; TIP_ERR_RULEPACK_NOT_FOUND lists the available codes. */
export function assessInJurisdiction(facts: EvaluationFacts, set: RulePackSet, jurisdiction: string): Assessment {
  const pack = findRulePack(set, jurisdiction);
  if (!pack) {
    const available = [...set.packs.keys()].sort().join(', ');
    throw new TiplineError('TIP_ERR_RULEPACK_NOT_FOUND', {
      message: `No rule pack for jurisdiction "${jurisdiction}". Available: ${available || '(none)'}.`,
    });
  }
  return assessFacts(facts, pack, set.baseline);
}
