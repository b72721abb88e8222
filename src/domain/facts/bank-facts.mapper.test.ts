import { describe, expect, it } from 'vitest';
import { factsFromBankMatches, withBankFacts } from './bank-facts.mapper.js';
import { factsFromIndustryClassification } from './cybertip-facts.mapper.js';

describe('facts from hash-bank matches', () => {
  it('maps an NCMEC-scale category onto content facts with the bank and match named', () => {
    const r = factsFromBankMatches([{ scheme: 'ncmec', category: 'a1', bankName: 'Known list', kind: 'pdq', distance: 12 }]);
    expect(r.facts.content).toMatchObject({ value: 'sex_act', source: 'hash_bank_category' });
    expect(r.facts.depictedAgeBand).toMatchObject({ oneOf: ['infant_toddler', 'prepubescent'], source: 'hash_bank_category' });
    expect(r.facts.content?.detail).toBe('Known list (PDQ match at distance 12): industryClassification A1 (prepubescent minor, sex act)');
  });

  it('maps VICS categories on the US scale, and gives custom, empty and unknown categories no facts but a note', () => {
    expect(factsFromBankMatches([{ scheme: 'vics', category: '1', bankName: 'V', kind: 'exact', distance: 0 }]).facts.content?.source).toBe('hash_bank_category');
    for (const m of [
      { scheme: 'custom' as const, category: 'red', bankName: 'C', kind: 'exact' as const, distance: 0 },
      { scheme: 'ncmec' as const, category: '7', bankName: 'N', kind: 'exact' as const, distance: 0 },
      { scheme: 'vics' as const, category: 'x', bankName: 'V', kind: 'exact' as const, distance: 0 },
      { scheme: 'ncmec' as const, category: null, bankName: 'N', kind: 'exact' as const, distance: 0 },
    ]) {
      const r = factsFromBankMatches([m]);
      expect(r.facts).toEqual({});
      expect(r.notes).toHaveLength(1);
    }
  });

  it('puts the bank above the reporter: a B2 declared by the platform gives way to the bank’s A1', () => {
    const reporter = factsFromIndustryClassification('B2');
    const merged = withBankFacts({ ...reporter, conflicts: [] }, factsFromBankMatches([{ scheme: 'ncmec', category: 'A1', bankName: 'K', kind: 'exact', distance: 0 }]));
    expect(merged.facts.depictedAgeBand).toMatchObject({ oneOf: ['infant_toddler', 'prepubescent'], source: 'hash_bank_category' });
    expect(merged.conflicts[0]).toMatchObject({ fact: 'depictedAgeBand', overruled: { value: 'pubescent', source: 'reporter_classification' } });
    expect(merged.conflicts.length).toBeGreaterThan(0);
    expect(withBankFacts({ ...reporter, conflicts: [] }, { facts: {}, conflicts: [] }).facts).toEqual(reporter.facts);
  });
});
