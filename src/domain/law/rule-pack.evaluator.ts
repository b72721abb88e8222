/**
 * Applies rule packs to facts. Pure: no I/O, no clock (the conduct date is in the facts).
 *
 * The shared INTERPOL baseline pack is applied first; then the jurisdiction's pack decides the
 * national outcome. Rules are tried in order and the first whose conditions all hold, among those
 * in force on the conduct date, decides. Conditions use three-valued logic: a fact may be known,
 * unknown, or known only as a list of possibilities (an age band gives an age range). A rule the
 * facts cannot decide blocks later rules with a different outcome (the answer is then
 * `uncertain`, naming both), unless its undecidable condition states a presumption
 * (`ifUnknown: match` / `no_match`). National packs end with a catch-all rule. Packs are
 * compiled once (cached per pack object) and enumerated facts are compared as bitmasks, because
 * re-triage evaluates millions of incidents.
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
  /** When the national outcome is uncertain: the rules (and their outcomes) the unknown facts leave open. */
  possibleOutcomes: PossibleOutcome[];
}

/** The outcome of one pack for some facts, before it is combined with the baseline. */
export interface PossibleOutcome {
  outcome: Outcome;
  ruleId: string;
}

export interface PackDecision {
  rule: Rule | undefined;
  outcome: Outcome;
  /** The conduct date lies outside the dates the pack covers. */
  outOfCoverage: boolean;
  undeterminedFacts: FactName[];
  /** When the outcome is uncertain: the rules that could apply once the unknown facts are known. */
  possibleOutcomes: PossibleOutcome[];
  /** Two rules with different outcomes could both apply. */
  ambiguous?: boolean;
}

// ---------------------------------------------------------------------------------------------
// Fact views: each fact once per evaluation, enumerated facts as bitmasks of possible values.
// ---------------------------------------------------------------------------------------------

type EnumFact = 'depiction' | 'depictedAgeBand' | 'content' | 'conduct';

const enumDomains: Record<EnumFact, readonly string[]> = {
  depiction: enumFactValues.depiction,
  depictedAgeBand: knownAgeBandValues,
  content: enumFactValues.content,
  conduct: enumFactValues.conduct,
};

const fullMask = (fact: EnumFact) => (1 << enumDomains[fact].length) - 1;

function maskOf(fact: EnumFact, values: readonly string[]): number {
  let mask = 0;
  for (const value of values) {
    const bit = enumDomains[fact].indexOf(value);
    if (bit >= 0) mask |= 1 << bit;
  }
  return mask;
}

interface EnumView {
  entirelyUnknown: boolean;
  mask: number;
}

interface RangeView {
  entirelyUnknown: boolean;
  min: number;
  max: number;
}

interface FactView {
  depiction: EnumView;
  depictedAgeBand: EnumView;
  content: EnumView;
  conduct: EnumView;
  depictedAge: RangeView;
  suspectAge: RangeView;
  depictedConsentToPossession: boolean | undefined;
  selfProduced: boolean | undefined;
  commercial: boolean | undefined;
}

function enumView(fact: EnumFact, facts: EvaluationFacts): EnumView {
  const raw = facts[fact] as string | readonly string[] | undefined;
  const given = raw === undefined ? [] : typeof raw === 'string' ? [raw] : raw;
  if (given.length === 0 || (fact === 'depictedAgeBand' && given.includes('unknown')))
    return { entirelyUnknown: true, mask: fullMask(fact) };
  return { entirelyUnknown: false, mask: maskOf(fact, given) };
}

function buildView(facts: EvaluationFacts): FactView {
  const band = enumView('depictedAgeBand', facts);
  let depictedAge: RangeView;
  if (facts.depictedAge !== undefined) {
    depictedAge = { entirelyUnknown: false, min: facts.depictedAge, max: facts.depictedAge };
  } else {
    let min = Number.POSITIVE_INFINITY;
    let max = Number.NEGATIVE_INFINITY;
    knownAgeBandValues.forEach((b: KnownAgeBand, bit) => {
      if ((band.mask & (1 << bit)) === 0) return;
      min = Math.min(min, ageBandRanges[b].min);
      max = Math.max(max, ageBandRanges[b].max);
    });
    depictedAge = { entirelyUnknown: band.entirelyUnknown, min, max };
  }
  return {
    depiction: enumView('depiction', facts),
    depictedAgeBand: band,
    content: enumView('content', facts),
    conduct: enumView('conduct', facts),
    depictedAge,
    suspectAge:
      facts.suspectAge !== undefined
        ? { entirelyUnknown: false, min: facts.suspectAge, max: facts.suspectAge }
        : { entirelyUnknown: true, min: 0, max: Number.POSITIVE_INFINITY },
    depictedConsentToPossession: facts.depictedConsentToPossession,
    selfProduced: facts.selfProduced,
    commercial: facts.commercial,
  };
}

// ---------------------------------------------------------------------------------------------
// Compiled rules: conditions turned into closures once per pack.
// ---------------------------------------------------------------------------------------------

const TRUE = 1;
const FALSE = 0;
const UNKNOWN = 2;
type Truth = typeof TRUE | typeof FALSE | typeof UNKNOWN;

interface AnyCondition {
  equals?: string | number | boolean;
  in?: readonly (string | number)[];
  lt?: number;
  gte?: number;
  unknown?: boolean;
  ifUnknown?: 'match' | 'no_match';
}

interface CompiledCondition {
  fact: ConditionFact;
  ifUnknown: 'match' | 'no_match' | undefined;
  test(view: FactView): Truth;
}

interface CompiledRule {
  rule: Rule;
  conditions: CompiledCondition[];
}

function and(a: Truth, b: Truth): Truth {
  if (a === FALSE || b === FALSE) return FALSE;
  return a === UNKNOWN || b === UNKNOWN ? UNKNOWN : TRUE;
}

function compileEnum(fact: EnumFact, condition: AnyCondition): (view: FactView) => Truth {
  if (condition.unknown !== undefined) {
    const want = condition.unknown;
    return (view) => (view[fact].entirelyUnknown === want ? TRUE : FALSE);
  }
  const accepted = maskOf(fact, (condition.in ?? [condition.equals]) as string[]);
  return (view) => {
    const mask = view[fact].mask;
    if ((mask & ~accepted) === 0) return TRUE;
    return (mask & accepted) === 0 ? FALSE : UNKNOWN;
  };
}

function compileRange(
  fact: 'depictedAge' | 'suspectAge',
  condition: AnyCondition,
): (view: FactView) => Truth {
  if (condition.unknown !== undefined) {
    const want = condition.unknown;
    return (view) => (view[fact].entirelyUnknown === want ? TRUE : FALSE);
  }
  const points = (condition.in ?? (condition.equals !== undefined ? [condition.equals] : undefined)) as
    number[] | undefined;
  const { lt, gte } = condition;
  return (view) => {
    const { min, max } = view[fact];
    let truth: Truth = TRUE;
    if (points) {
      if (min === max && points.includes(min)) truth = TRUE;
      else truth = points.every((n) => n < min || n > max) ? FALSE : UNKNOWN;
    }
    if (lt !== undefined) truth = and(truth, max < lt ? TRUE : min >= lt ? FALSE : UNKNOWN);
    if (gte !== undefined) truth = and(truth, min >= gte ? TRUE : max < gte ? FALSE : UNKNOWN);
    return truth;
  };
}

function compileBoolean(
  fact: 'depictedConsentToPossession' | 'selfProduced' | 'commercial',
  condition: AnyCondition,
): (view: FactView) => Truth {
  if (condition.unknown !== undefined) {
    const want = condition.unknown;
    return (view) => ((view[fact] === undefined) === want ? TRUE : FALSE);
  }
  const want = condition.equals;
  return (view) => {
    const value = view[fact];
    if (value === undefined) return UNKNOWN;
    return value === want ? TRUE : FALSE;
  };
}

function compileCondition(fact: ConditionFact, condition: AnyCondition): CompiledCondition {
  let test: (view: FactView) => Truth;
  switch (fact) {
    case 'depiction':
    case 'depictedAgeBand':
    case 'content':
    case 'conduct':
      test = compileEnum(fact, condition);
      break;
    case 'depictedAge':
    case 'suspectAge':
      test = compileRange(fact, condition);
      break;
    case 'depictedConsentToPossession':
    case 'selfProduced':
    case 'commercial':
      test = compileBoolean(fact, condition);
      break;
  }
  return { fact, ifUnknown: condition.ifUnknown, test };
}

// Packs are immutable once loaded, so compiling once per pack object is safe.
const compiledPacks = new WeakMap<RulePack, CompiledRule[]>();

function compile(pack: RulePack): CompiledRule[] {
  let compiled = compiledPacks.get(pack);
  if (!compiled) {
    compiled = pack.rules.map((rule) => ({
      rule,
      conditions: (Object.entries(rule.when) as [ConditionFact, AnyCondition | undefined][])
        .filter((entry): entry is [ConditionFact, AnyCondition] => entry[1] !== undefined)
        .map(([fact, condition]) => compileCondition(fact, condition)),
    }));
    compiledPacks.set(pack, compiled);
  }
  return compiled;
}

type RuleStatus =
  /** Every condition holds (an undecidable one only through `ifUnknown: match`). */
  | 'matches'
  /** Some condition is plainly false. */
  | 'fails'
  /** Fails only because an undecidable condition says `ifUnknown: no_match` (a presumption). */
  | 'presumed_out'
  /** No condition is false but some cannot be decided: the rule may or may not apply. */
  | 'undecided';

interface RuleCheck {
  status: RuleStatus;
  /** Facts whose conditions could not be decided, whatever the rule's status. */
  unknownFacts: FactName[];
}

const noFacts: FactName[] = [];
const failed: RuleCheck = { status: 'fails', unknownFacts: noFacts };
const matched: RuleCheck = { status: 'matches', unknownFacts: noFacts };

function checkRule(compiled: CompiledRule, view: FactView): RuleCheck {
  let presumedOut = false;
  let undecided = false;
  let unknownFacts: FactName[] | undefined;
  for (const condition of compiled.conditions) {
    const truth = condition.test(view);
    if (truth === FALSE) return failed;
    if (truth === TRUE) continue;
    (unknownFacts ??= []).push(condition.fact);
    if (condition.ifUnknown === 'no_match') presumedOut = true;
    else if (condition.ifUnknown !== 'match') undecided = true;
  }
  if (!unknownFacts) return matched;
  return { status: presumedOut ? 'presumed_out' : undecided ? 'undecided' : 'matches', unknownFacts };
}

/** True when the rule is in force on the date (validity bounds are inclusive). */
export function ruleInForce(rule: Pick<Rule, 'validFrom' | 'validTo'>, date: string): boolean {
  return (!rule.validFrom || rule.validFrom <= date) && (!rule.validTo || date <= rule.validTo);
}

function orderFacts(facts: readonly FactName[]): FactName[] {
  if (facts.length === 0) return [];
  return factNames.filter((f) => facts.includes(f));
}

/**
 * Evaluates one pack. Rules are tried in order among those in force on the conduct date:
 * - the first rule whose conditions all hold decides, unless an earlier rule with a different
 *   outcome was *undecided* (its conditions could not be decided from the facts): then either
 *   could apply and the decision is `uncertain`, with both listed in `possibleOutcomes`;
 * - a rule whose undecidable condition says `ifUnknown: no_match` is presumed not to apply (how a
 *   pack says "prima facie illegal unless consent is shown"), and `ifUnknown: match` presumes it
 *   holds;
 * - facts that could change the outcome are listed in `undeterminedFacts`.
 */
export function evaluateRulePack(pack: RulePack, facts: EvaluationFacts): PackDecision {
  return evaluateWithView(pack, facts.conductDate, buildView(facts));
}

function evaluateWithView(pack: RulePack, date: string, view: FactView): PackDecision {
  if ((pack.validFrom && date < pack.validFrom) || (pack.validTo && date > pack.validTo)) {
    return {
      rule: undefined,
      outcome: 'uncertain',
      outOfCoverage: true,
      undeterminedFacts: [],
      possibleOutcomes: [],
    };
  }
  // Earlier rules that might apply (undecided) or were set aside by a presumption.
  const open: { rule: Rule; facts: FactName[]; blocking: boolean }[] = [];
  for (const compiled of compile(pack)) {
    const rule = compiled.rule;
    if (!ruleInForce(rule, date)) continue;
    const check = checkRule(compiled, view);
    if (check.status === 'undecided' || check.status === 'presumed_out') {
      open.push({ rule, facts: check.unknownFacts, blocking: check.status === 'undecided' });
      continue;
    }
    if (check.status === 'fails') continue;
    const differing = open.filter((o) => o.rule.outcome !== rule.outcome);
    const undetermined = orderFacts([...differing.flatMap((o) => o.facts), ...check.unknownFacts]);
    const blockers = differing.filter((o) => o.blocking);
    const alternatives = [...blockers.map((o) => o.rule), rule];
    if (blockers.length > 0 && rule.outcome !== 'uncertain') {
      return {
        rule: undefined,
        outcome: 'uncertain',
        outOfCoverage: false,
        undeterminedFacts: undetermined,
        possibleOutcomes: possible(alternatives),
        ambiguous: true,
      };
    }
    return {
      rule,
      outcome: rule.outcome,
      outOfCoverage: false,
      undeterminedFacts: undetermined,
      possibleOutcomes: rule.outcome === 'uncertain' ? possible(blockers.map((o) => o.rule)) : [],
    };
  }
  const blockers = open.filter((o) => o.blocking).map((o) => o.rule);
  return {
    rule: undefined,
    outcome: pack.kind === 'baseline' ? 'not_illegal' : 'uncertain',
    outOfCoverage: false,
    undeterminedFacts: orderFacts(open.flatMap((o) => o.facts)),
    possibleOutcomes: possible(blockers),
  };
}

/** One entry per rule, in rule order, as an analyst reads them: "if …, then outcome (rule)". */
function possible(rules: Rule[]): PossibleOutcome[] {
  return rules.map((rule) => ({ outcome: rule.outcome, ruleId: rule.id }));
}

function liability(pack: RulePack, facts: EvaluationFacts): { liable: boolean | null; sentence: string } {
  const age = facts.suspectAge;
  const threshold = pack.ages?.criminalResponsibility ?? null;
  if (age === undefined)
    return {
      liable: null,
      sentence: "The suspect's age is not known, so criminal liability by age is open.",
    };
  if (threshold === null) {
    return {
      liable: null,
      sentence: `This pack states no single age of criminal responsibility${pack.ages?.note ? ` (${pack.ages.note})` : ''}; the suspect is ${age}.`,
    };
  }
  const citation = pack.ages?.citations?.[0];
  const cited = citation ? `, ${citation.statute} ${citation.section}` : '';
  if (age < threshold) {
    return {
      liable: false,
      sentence: `The suspect (aged ${age}) is under the age of criminal responsibility (${threshold}${cited}): not criminally liable; a safeguarding matter, not a prosecution.`,
    };
  }
  return {
    liable: true,
    sentence: `The suspect (aged ${age}) is at or over the age of criminal responsibility (${threshold}${cited}).`,
  };
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
  if (pack.kind !== 'national')
    throw new TypeError(`assessFacts needs a national pack, not ${pack.jurisdiction}`);
  const view = buildView(facts);
  const national = evaluateWithView(pack, facts.conductDate, view);
  const base = baseline ? evaluateWithView(baseline, facts.conductDate, view) : undefined;
  const baselineRule = base?.outcome === 'baseline' ? base.rule : undefined;

  const nationalOutcome = national.outcome as NationalOutcome;
  const alternatives = national.possibleOutcomes
    .map((p) => pack.rules.find((r) => r.id === p.ruleId))
    .filter((r): r is Rule => r !== undefined);
  let nationalExplanation: string;
  if (national.outOfCoverage) {
    nationalExplanation = `The conduct date ${facts.conductDate} is outside the dates this pack covers (${pack.validFrom ?? '…'} to ${pack.validTo ?? '…'}); assess it manually under the law then in force.`;
  } else if (national.ambiguous) {
    const options = national.possibleOutcomes.map((p) => `rule ${p.ruleId} (${p.outcome})`).join(' or ');
    nationalExplanation = `Undecided: ${options} applies, depending on facts that are not known. Establish them or refer for national assessment.`;
  } else {
    nationalExplanation = national.rule?.explanation ?? 'No rule of this pack applies.';
  }
  const nationalCitations = national.ambiguous
    ? alternatives.flatMap((r) => r.citations)
    : (national.rule?.citations ?? []);

  const parts: string[] = [];
  if (baselineRule) {
    parts.push(`INTERPOL baseline: ${baselineRule.explanation.trim()}`);
    parts.push(
      `Under ${pack.name}${national.rule ? ` (rule ${national.rule.id})` : ''}: ${nationalExplanation.trim()}`,
    );
  } else {
    parts.push(nationalExplanation.trim());
  }
  const undetermined = orderFacts([
    ...national.undeterminedFacts,
    ...(base && !baselineRule ? base.undeterminedFacts : []),
  ]);
  if (undetermined.length > 0)
    parts.push(`Not known, and could change the outcome: ${undetermined.join(', ')}.`);
  const liable = liability(pack, facts);
  parts.push(liable.sentence);
  if (pack.status === 'reference') parts.push('Reference pack: not reviewed by a lawyer.');

  return {
    jurisdiction: pack.jurisdiction,
    outcome: baselineRule ? 'baseline' : nationalOutcome,
    ruleId: baselineRule ? baselineRule.id : (national.rule?.id ?? null),
    citations: uniqueCitations([...(baselineRule?.citations ?? []), ...nationalCitations]),
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
    possibleOutcomes: national.possibleOutcomes,
  };
}

/** The national pack for a jurisdiction code (case-insensitive), or undefined. */
export function findRulePack(set: RulePackSet, jurisdiction: string): RulePack | undefined {
  return set.packs.get(jurisdiction.trim().toUpperCase());
}

/** Assess facts in one jurisdiction of a loaded set; TIP_ERR_RULEPACK_NOT_FOUND lists the available codes. */
export function assessInJurisdiction(
  facts: EvaluationFacts,
  set: RulePackSet,
  jurisdiction: string,
): Assessment {
  const pack = findRulePack(set, jurisdiction);
  if (!pack) {
    const available = [...set.packs.keys()].sort().join(', ');
    throw new TiplineError('TIP_ERR_RULEPACK_NOT_FOUND', {
      message: `No rule pack for jurisdiction "${jurisdiction}". Available: ${available || '(none)'}.`,
    });
  }
  return assessFacts(facts, pack, set.baseline);
}
