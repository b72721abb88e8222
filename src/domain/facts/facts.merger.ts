/**
 * Combines facts from several sources into one set, fact by fact, by source precedence
 * (`factSourceValues`: analyst label, hash-bank category, file annotation, reporter
 * classification, report detail, incident type).
 *
 * For each fact the strongest source wins. A weaker source may only *narrow* a list of possible
 * values it agrees with (the hash bank says "sex act or genital focus", the reporter's A1 says
 * "sex act": the result is "sex act", sourced to the reporter), never widen or contradict it;
 * an analyst's label is final and is not narrowed by anyone. Every disagreement is returned in
 * `conflicts` so an analyst sees what was overruled.
 *
 * @example
 *   const { facts, conflicts } = mergeFacts([
 *     factsFromIndustryClassification('B1').facts,
 *     factsFromAnalystLabel({ depiction: 'real', depictedAge: 15 }),
 *   ]);
 *   const assessable = toEvaluationFacts(facts);
 */
import { TiplineError } from '../../contracts/errors.js';
import {
  ageBandForAge,
  ageFitsBand,
  enumFactNames,
  factSourceRank,
  type AgeBand,
  type EnumFactName,
  type EvaluationFacts,
  type FactSource,
  type SourcedFacts,
} from './facts.schema.js';

export type SourcedFactName = keyof SourcedFacts;

/** One sourced value as it appears in a conflict report. */
export interface FactStatement {
  value?: unknown;
  oneOf?: readonly unknown[];
  source: FactSource;
  detail?: string;
}

export interface FactConflict {
  fact: SourcedFactName;
  kept: FactStatement;
  overruled: FactStatement;
  reason: string;
}

export interface MergedFacts {
  facts: SourcedFacts;
  conflicts: FactConflict[];
}

type AnyStatement = { value?: unknown; oneOf?: readonly unknown[]; source: FactSource; detail?: string };

const enumFacts = new Set<string>(enumFactNames);

function candidates(statement: AnyStatement): unknown[] {
  return statement.oneOf ? [...statement.oneOf] : [statement.value];
}

function describe(statement: AnyStatement): FactStatement {
  return { ...statement };
}

/** An explicit "unknown" age band carries no information, so it never outranks a real band. */
function isInformative(fact: SourcedFactName, statement: AnyStatement): boolean {
  if (fact !== 'depictedAgeBand') return true;
  const values = candidates(statement);
  return !values.includes('unknown');
}

function withValues(
  statement: AnyStatement,
  values: unknown[],
  source: FactSource,
  detail: string | undefined,
): AnyStatement {
  const base = values.length === 1 ? { value: values[0] } : { oneOf: values };
  return detail === undefined ? { ...base, source } : { ...base, source, detail };
}

function mergeOne(
  fact: SourcedFactName,
  statements: AnyStatement[],
  conflicts: FactConflict[],
): AnyStatement | undefined {
  const informative = statements.filter((s) => isInformative(fact, s));
  // Stable sort: equal-rank sources keep the caller's order.
  const ordered = informative
    .map((statement, index) => ({ statement, index }))
    .sort(
      (a, b) => factSourceRank(a.statement.source) - factSourceRank(b.statement.source) || a.index - b.index,
    )
    .map((entry) => entry.statement);
  let current = ordered[0];
  if (!current) return undefined;
  for (const next of ordered.slice(1)) {
    const currentValues = candidates(current);
    const nextValues = candidates(next);
    const agrees = nextValues.every((v) => currentValues.includes(v));
    const covers = currentValues.every((v) => nextValues.includes(v));
    if (agrees && covers) continue;
    if (agrees && enumFacts.has(fact) && current.source !== 'analyst_label') {
      // A weaker source narrows the stronger one's list of possibilities without contradicting it.
      const detail = [next.detail, `narrows ${current.source}${current.detail ? ` (${current.detail})` : ''}`]
        .filter(Boolean)
        .join('; ');
      current = withValues(next, nextValues, next.source, detail);
      continue;
    }
    // The weaker source is merely vaguer, or narrower than an analyst's deliberate list.
    if (covers || (agrees && current.source === 'analyst_label')) continue;
    conflicts.push({
      fact,
      kept: describe(current),
      overruled: describe(next),
      reason: `${current.source} outranks ${next.source}`,
    });
  }
  return current;
}

/**
 * An exact age and an age band must agree: the stronger source decides, and a band list is
 * narrowed to the bands the age fits.
 */
function reconcileAge(facts: Record<string, AnyStatement | undefined>, conflicts: FactConflict[]): void {
  const age = facts.depictedAge;
  const band = facts.depictedAgeBand;
  if (!age || !band) return;
  const years = age.value as number;
  const bands = candidates(band) as AgeBand[];
  const fitting = bands.filter((b) => ageFitsBand(years, b));
  if (fitting.length === bands.length) return;
  if (fitting.length > 0) {
    facts.depictedAgeBand = withValues(
      band,
      fitting,
      band.source,
      [band.detail, `narrowed by depictedAge ${years}`].filter(Boolean).join('; '),
    );
    return;
  }
  if (factSourceRank(age.source) <= factSourceRank(band.source)) {
    const derived: AnyStatement = {
      value: ageBandForAge(years),
      source: age.source,
      detail: `derived from depictedAge ${years}`,
    };
    conflicts.push({
      fact: 'depictedAgeBand',
      kept: describe(derived),
      overruled: describe(band),
      reason: `depictedAge ${years} (${age.source}) does not fit the band`,
    });
    facts.depictedAgeBand = derived;
  } else {
    conflicts.push({
      fact: 'depictedAge',
      kept: describe(band),
      overruled: describe(age),
      reason: `the band (${band.source}) outranks depictedAge ${years} (${age.source})`,
    });
    delete facts.depictedAge;
  }
}

/** Merges sourced facts by precedence; see the module comment. Pure. */
export function mergeFacts(inputs: readonly SourcedFacts[]): MergedFacts {
  const conflicts: FactConflict[] = [];
  const byFact = new Map<SourcedFactName, AnyStatement[]>();
  for (const input of inputs) {
    for (const [fact, statement] of Object.entries(input) as [SourcedFactName, AnyStatement | undefined][]) {
      if (!statement) continue;
      const list = byFact.get(fact) ?? [];
      list.push(statement);
      byFact.set(fact, list);
    }
  }
  const merged: Record<string, AnyStatement | undefined> = {};
  for (const [fact, statements] of byFact) {
    const result = mergeOne(fact, statements, conflicts);
    if (result) merged[fact] = result;
  }
  reconcileAge(merged, conflicts);
  return { facts: merged, conflicts };
}

function plain<T>(statement: { value: T } | { oneOf: T[] } | undefined): T | T[] | undefined {
  if (!statement) return undefined;
  return 'oneOf' in statement ? statement.oneOf : statement.value;
}

/**
 * The evaluator's view of merged facts. Throws TIP_ERR_INPUT_INVALID when the conduct date is
 * unknown, because no rule pack can be applied without it.
 */
export function toEvaluationFacts(facts: SourcedFacts): EvaluationFacts {
  if (!facts.conductDate) {
    throw new TiplineError('TIP_ERR_INPUT_INVALID', {
      issues: [
        {
          path: '/conductDate',
          message: 'The conduct date is unknown; a rule pack is evaluated as the law stood on that date.',
        },
      ],
    });
  }
  const result: EvaluationFacts = { conductDate: facts.conductDate.value };
  for (const name of enumFactNames satisfies readonly EnumFactName[]) {
    const value = plain(facts[name] as { value: string } | { oneOf: string[] } | undefined);
    if (value !== undefined) (result as unknown as Record<string, unknown>)[name] = value;
  }
  if (facts.depictedAge) result.depictedAge = facts.depictedAge.value;
  if (facts.suspectAge) result.suspectAge = facts.suspectAge.value;
  if (facts.depictedConsentToPossession)
    result.depictedConsentToPossession = facts.depictedConsentToPossession.value;
  if (facts.selfProduced) result.selfProduced = facts.selfProduced.value;
  if (facts.commercial) result.commercial = facts.commercial.value;
  return result;
}
