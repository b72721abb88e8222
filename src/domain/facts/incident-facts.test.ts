import { describe, expect, it } from 'vitest';
import { factsFromIndustryClassification } from './cybertip-facts.mapper.js';
import type { SourcedFacts } from './facts.schema.js';
import { factsWithLabels, priorityFacts, readBaseFacts, type StoredBaseFacts } from './incident-facts.js';

const reportFacts: SourcedFacts = {
  ...factsFromIndustryClassification('B1').facts,
  conduct: { value: 'distribute', source: 'report_detail' },
  conductDate: { value: '2025-09-01', source: 'report_detail' },
  suspectAge: { value: 14, source: 'report_detail' },
};
const base: StoredBaseFacts = { facts: reportFacts, conflicts: [] };

describe('factsWithLabels', () => {
  it('without labels, is the report’s facts', () => {
    const r = factsWithLabels(base, {});
    expect(r.labelIds).toEqual([]);
    expect(r.evaluation).toMatchObject({ depiction: ['real', 'realistic_synthetic', 'drawing'], conduct: 'distribute', suspectAge: 14 });
  });

  it('lets a label outrank the report, keeping what it overruled', () => {
    const r = factsWithLabels(base, { bundle: { id: '3', facts: { depiction: 'real', content: 'genital_focus' }, detail: 'label 3 on bundle b' } });
    expect(r.facts.depiction).toEqual({ value: 'real', source: 'analyst_label', detail: 'label 3 on bundle b' });
    expect(r.facts.content).toMatchObject({ value: 'genital_focus', source: 'analyst_label' });
    expect(r.conflicts).toContainEqual(expect.objectContaining({ fact: 'content', reason: 'analyst_label outranks reporter_classification' }));
    expect(r.labelIds).toEqual(['3']);
  });

  it('puts the incident’s label before its file’s, and the file’s before its bundle’s', () => {
    const r = factsWithLabels(base, {
      incident: { id: '1', facts: { depictedAge: 16 }, detail: 'incident' },
      file: { id: '2', facts: { depictedAge: 12, depiction: 'drawing' }, detail: 'file' },
      bundle: { id: '3', facts: { depiction: 'real' }, detail: 'bundle' },
    });
    expect(r.facts.depictedAge).toMatchObject({ value: 16, detail: 'incident' });
    expect(r.facts.depiction).toMatchObject({ value: 'drawing', detail: 'file' });
    expect(r.labelIds).toEqual(['1', '2', '3']);
  });

  it('has nothing to evaluate without a conduct date', () => {
    const { conductDate: _drop, ...rest } = reportFacts;
    expect(factsWithLabels({ facts: rest, conflicts: [] }, {}).evaluation).toBeNull();
  });

  it('reads stored base facts defensively', () => {
    expect(readBaseFacts(null)).toEqual({ facts: {}, conflicts: [] });
    expect(readBaseFacts({ facts: reportFacts, conflicts: 'x' }).conflicts).toEqual([]);
  });
});

describe('priorityFacts', () => {
  it('counts a list of young bands as prepubescent, and only a certain infant as infant', () => {
    expect(priorityFacts({ conductDate: '2025-01-01', depictedAgeBand: ['infant_toddler', 'prepubescent'] })[0]?.depictedAgeBand).toBe('prepubescent');
    expect(priorityFacts({ conductDate: '2025-01-01', depictedAgeBand: 'infant_toddler' })[0]?.depictedAgeBand).toBe('infant_toddler');
    expect(priorityFacts({ conductDate: '2025-01-01', depictedAgeBand: ['prepubescent', 'pubescent'] })[0]?.depictedAgeBand).toBeUndefined();
    expect(priorityFacts({ conductDate: '2025-01-01', conduct: ['possess', 'produce'] })[0]?.conduct).toBeUndefined();
    expect(priorityFacts({ conductDate: '2025-01-01', conduct: 'produce', depictedAge: 7 })[0]).toEqual({ conductDate: '2025-01-01', conduct: 'produce', depictedAge: 7 });
    expect(priorityFacts(null)).toEqual([]);
  });
});
