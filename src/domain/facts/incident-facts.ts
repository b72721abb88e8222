/**
 * An incident's facts as the rule packs read them: the report's facts (stored per incident as
 * `base_facts`), with analysts' labels on top. Pure.
 *
 * Labels, strongest first: a label on the incident, a label on its file, and (classification
 * memory, bundling/classification-memory.ts) a label on its bundle, which applies only to
 * incidents with no label of their own. A label is an `analyst_label` source, which `mergeFacts`
 * never lets a report source overrule; every overruled report fact is kept in `conflicts`.
 * Classifications of a file or a bundle describe content only; conduct, its date and the
 * suspect's age are the incident's own (see `contentFactNames`).
 *
 * @example
 *   const r = factsWithLabels(base, { file: { id: '7', facts: { depiction: 'real', depictedAge: 15 }, detail: 'label 7 on file f1' } });
 *   r.evaluation?.depiction; // 'real'
 */
import { factsFromAnalystLabel, type AnalystLabel } from './analyst-label.mapper.js';
import { mergeFacts, toEvaluationFacts, type FactConflict } from './facts.merger.js';
import type { EvaluationFacts, FactName, SourcedFacts } from './facts.schema.js';
import type { PriorityFactsInput } from '../priority/priority-scorer.js';

/** Facts a label on a file or a bundle may carry: they describe the content, whoever shared it. */
export const contentFactNames = ['depiction', 'depictedAgeBand', 'depictedAge', 'content', 'selfProduced'] as const satisfies readonly FactName[];

export interface StoredBaseFacts {
  facts: SourcedFacts;
  conflicts: FactConflict[];
}

export interface AppliedLabel {
  id: string;
  facts: AnalystLabel;
  /** Provenance shown with each fact, e.g. "label 12 on bundle bdl_…". */
  detail: string;
}

export interface IncidentLabels {
  incident?: AppliedLabel | undefined;
  file?: AppliedLabel | undefined;
  /** Only when classification memory applies it (the incident has no label of its own). */
  bundle?: AppliedLabel | undefined;
}

export interface IncidentFacts {
  facts: SourcedFacts;
  conflicts: FactConflict[];
  labelIds: string[];
  /** null when the conduct date is unknown: no pack can be applied. */
  evaluation: EvaluationFacts | null;
}

export function readBaseFacts(value: unknown): StoredBaseFacts {
  const v = value as Partial<StoredBaseFacts> | null;
  return { facts: (v?.facts ?? {}), conflicts: Array.isArray(v?.conflicts) ? v.conflicts : [] };
}

export function factsWithLabels(base: StoredBaseFacts, labels: IncidentLabels): IncidentFacts {
  const applied = [labels.incident, labels.file, labels.bundle].filter((l): l is AppliedLabel => l !== undefined);
  if (applied.length === 0) return { facts: base.facts, conflicts: base.conflicts, labelIds: [], evaluation: evaluate(base.facts) };
  const merged = mergeFacts([...applied.map((l) => factsFromAnalystLabel(l.facts, l.detail)), base.facts]);
  return { facts: merged.facts, conflicts: [...base.conflicts, ...merged.conflicts], labelIds: applied.map((l) => l.id), evaluation: evaluate(merged.facts) };
}

function evaluate(facts: SourcedFacts): EvaluationFacts | null {
  return facts.conductDate ? toEvaluationFacts(facts) : null;
}

function single<T>(value: T | readonly T[] | undefined): T | undefined {
  if (value === undefined) return undefined;
  if (!Array.isArray(value)) return value as T;
  return value.length === 1 ? (value[0] as T) : undefined;
}

/**
 * The facts priority reads. A list of possible bands counts as prepubescent when every
 * possibility is that young (an A1 file is infant or prepubescent), and infant only when certain,
 * so priority never assumes the worse of two possibilities.
 */
export function priorityFacts(evaluation: EvaluationFacts | null): PriorityFactsInput[] {
  if (!evaluation) return [];
  const out: PriorityFactsInput = { conductDate: evaluation.conductDate };
  const bands = evaluation.depictedAgeBand === undefined ? [] : typeof evaluation.depictedAgeBand === 'string' ? [evaluation.depictedAgeBand] : [...evaluation.depictedAgeBand];
  if (bands.length === 1) out.depictedAgeBand = bands[0];
  else if (bands.length > 1 && bands.every((b) => b === 'infant_toddler' || b === 'prepubescent')) out.depictedAgeBand = 'prepubescent';
  if (evaluation.depictedAge !== undefined) out.depictedAge = evaluation.depictedAge;
  const conduct = single(evaluation.conduct);
  if (conduct) out.conduct = conduct;
  return [out];
}
