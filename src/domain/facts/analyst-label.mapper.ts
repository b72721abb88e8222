/**
 * Turns an analyst's label (plain fact values, a list where the analyst allows several) into
 * sourced facts with the strongest source, `analyst_label`, which `mergeFacts` never overrules.
 * An `unknown` age band is left out: "I could not tell" must not erase a weaker source's band.
 *
 * @example
 *   mergeFacts([reporterFacts, factsFromAnalystLabel({ depiction: 'real', depictedAge: 15 }, 'label 42 by analyst 7')]);
 */
import type { EvaluationFacts, SourcedFacts } from './facts.schema.js';

export type AnalystLabel = Partial<EvaluationFacts>;

function enumStatement<T extends string>(value: T | readonly T[], detail: string | undefined) {
  const values = typeof value === 'string' ? [value] : [...new Set(value)];
  const base = values.length === 1 ? { value: values[0] } : { oneOf: values };
  return detail === undefined
    ? { ...base, source: 'analyst_label' as const }
    : { ...base, source: 'analyst_label' as const, detail };
}

function scalar<T>(value: T, detail: string | undefined) {
  return detail === undefined
    ? { value, source: 'analyst_label' as const }
    : { value, source: 'analyst_label' as const, detail };
}

/** Sourced facts for an analyst's label; `detail` records who or which label, if wanted. */
export function factsFromAnalystLabel(label: AnalystLabel, detail?: string): SourcedFacts {
  const facts: SourcedFacts = {};
  if (label.depiction !== undefined) facts.depiction = enumStatement(label.depiction, detail);
  if (label.depictedAgeBand !== undefined) {
    const bands = (
      typeof label.depictedAgeBand === 'string' ? [label.depictedAgeBand] : label.depictedAgeBand
    ).filter((b) => b !== 'unknown');
    if (bands.length > 0) facts.depictedAgeBand = enumStatement(bands, detail);
  }
  if (label.content !== undefined) facts.content = enumStatement(label.content, detail);
  if (label.conduct !== undefined) facts.conduct = enumStatement(label.conduct, detail);
  if (label.depictedAge !== undefined) facts.depictedAge = scalar(label.depictedAge, detail);
  if (label.conductDate !== undefined) facts.conductDate = scalar(label.conductDate, detail);
  if (label.depictedConsentToPossession !== undefined)
    facts.depictedConsentToPossession = scalar(label.depictedConsentToPossession, detail);
  if (label.selfProduced !== undefined) facts.selfProduced = scalar(label.selfProduced, detail);
  if (label.suspectAge !== undefined) facts.suspectAge = scalar(label.suspectAge, detail);
  if (label.commercial !== undefined) facts.commercial = scalar(label.commercial, detail);
  return facts;
}
