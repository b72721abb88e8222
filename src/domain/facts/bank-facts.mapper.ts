/**
 * Facts from hash-bank matches: a file that matches a bank entry inherits what the entry's category
 * says about the content, with the source `hash_bank_category` (below an analyst's label and above
 * what the reporter declared; see the merger's precedence). VICS banks use the VICS (US) scale;
 * NCMEC-style banks the industry classification A1/A2/B1/B2; a custom bank's categories mean
 * nothing to the law until an analyst says so, and map to no facts. Pure.
 *
 * @example
 *   factsFromBankMatches([{ scheme: 'vics', category: '1', bankName: 'Known list', kind: 'exact', distance: 0 }]);
 *   // → facts.content, depictedAgeBand, depiction from VICS category 1, each with the bank named
 */
import type { ContextSignal, MappedFacts } from './cybertip-facts.mapper.js';
import { factsFromIndustryClassification } from './cybertip-facts.mapper.js';
import { mergeFacts, type FactConflict } from './facts.merger.js';
import type { SourcedFacts } from './facts.schema.js';
import { factsFromVicsCategory } from './vics-facts.mapper.js';

export interface BankMatchInput {
  scheme: 'vics' | 'ncmec' | 'custom';
  category: string | null;
  bankName: string;
  kind: 'exact' | 'pdq';
  distance: number;
}

function mapped(match: BankMatchInput): MappedFacts {
  const category = match.category?.trim() ?? '';
  if (category === '') return { facts: {}, signals: [], notes: [`${match.bankName}: match without a category; no facts.`] };
  if (match.scheme === 'vics') {
    const n = /^\d{1,3}$/.test(category) ? Number(category) : NaN;
    if (Number.isNaN(n)) return { facts: {}, signals: [], notes: [`${match.bankName}: VICS category "${category}" is not a number; ignored.`] };
    return factsFromVicsCategory(n, 'vics_us');
  }
  if (match.scheme === 'ncmec') {
    if (/^[AB][12]$/i.test(category)) return factsFromIndustryClassification(category, 'hash_bank_category');
    return { facts: {}, signals: [], notes: [`${match.bankName}: category "${category}" is not on the A1/A2/B1/B2 scale; no facts.`] };
  }
  return { facts: {}, signals: [], notes: [`${match.bankName}: custom category "${category}" carries no facts until an analyst labels the file.`] };
}

/** Names the bank and the kind of match in every statement's detail. */
function attributed(facts: SourcedFacts, match: BankMatchInput): SourcedFacts {
  const how = match.kind === 'exact' ? 'exact match' : `PDQ match at distance ${match.distance}`;
  const out: Record<string, unknown> = {};
  for (const [name, statement] of Object.entries(facts) as [string, { detail?: string } | undefined][]) {
    if (!statement) continue;
    out[name] = { ...statement, detail: `${match.bankName} (${how}): ${statement.detail ?? 'bank category'}` };
  }
  return out;
}

export function factsFromBankMatches(matches: readonly BankMatchInput[]): MappedFacts & { conflicts: FactConflict[] } {
  // Exact matches first, then the closest PDQ matches: the merger keeps the first of equal rank.
  const ordered = [...matches].sort((a, b) => (a.kind === b.kind ? a.distance - b.distance : a.kind === 'exact' ? -1 : 1));
  const parts = ordered.map((m) => ({ m, r: mapped(m) }));
  const merged = mergeFacts(parts.map(({ m, r }) => attributed(r.facts, m)));
  const signals = [...new Set(parts.flatMap(({ r }) => r.signals))] as ContextSignal[];
  return { facts: merged.facts, signals, notes: parts.flatMap(({ r }) => r.notes), conflicts: merged.conflicts };
}

/** The report's own facts with the bank's on top (by the merger's precedence); conflicts kept. */
export function withBankFacts<T extends { facts: SourcedFacts; conflicts: FactConflict[] }>(base: T, bank: { facts: SourcedFacts; conflicts: FactConflict[] }): T {
  if (Object.keys(bank.facts).length === 0) return base;
  const merged = mergeFacts([bank.facts, base.facts]);
  return { ...base, facts: merged.facts, conflicts: [...base.conflicts, ...bank.conflicts, ...merged.conflicts] };
}
