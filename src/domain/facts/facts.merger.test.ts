import { describe, expect, it } from 'vitest';
import { TiplineError } from '../../contracts/errors.js';
import { factsFromAnalystLabel } from './analyst-label.mapper.js';
import { factsFromIndustryClassification } from './cybertip-facts.mapper.js';
import { mergeFacts, toEvaluationFacts } from './facts.merger.js';
import { sourcedFactsSchema } from './facts.schema.js';
import { factsFromVicsCategory } from './vics-facts.mapper.js';

describe('mergeFacts', () => {
  it("lets an analyst's label win over every other source and reports the disagreement", () => {
    const { facts, conflicts } = mergeFacts([
      factsFromIndustryClassification('A1').facts,
      factsFromAnalystLabel({ depictedAgeBand: 'adult', content: 'sexual_posing' }, 'label 7'),
      factsFromVicsCategory(1, 'vics_us').facts,
    ]);
    expect(facts.depictedAgeBand).toEqual({ value: 'adult', source: 'analyst_label', detail: 'label 7' });
    expect(facts.content).toEqual({ value: 'sexual_posing', source: 'analyst_label', detail: 'label 7' });
    expect(conflicts.map((c) => `${c.fact}: ${c.reason}`)).toEqual([
      'depictedAgeBand: analyst_label outranks hash_bank_category',
      'depictedAgeBand: analyst_label outranks reporter_classification',
      'content: analyst_label outranks hash_bank_category',
      'content: analyst_label outranks reporter_classification',
    ]);
  });

  it('lets a weaker source narrow a stronger list it agrees with, recording both', () => {
    const { facts, conflicts } = mergeFacts([
      factsFromVicsCategory(1, 'vics_us').facts,
      factsFromIndustryClassification('A1').facts,
    ]);
    // VICS 1: sex act or genital focus; A1: sex act → sex act, from the reporter.
    expect(facts.content).toEqual({
      value: 'sex_act',
      source: 'reporter_classification',
      detail:
        'industryClassification A1 (prepubescent minor, sex act); narrows hash_bank_category (VICS (US) category 1: Child Abuse Material)',
    });
    expect(facts.depictedAgeBand).toMatchObject({
      oneOf: ['infant_toddler', 'prepubescent'],
      source: 'reporter_classification',
    });
    // The bank's "photograph or realistic synthetic" is narrower than A1's visual list: the bank stays.
    expect(facts.depiction).toMatchObject({
      oneOf: ['real', 'realistic_synthetic'],
      source: 'hash_bank_category',
    });
    expect(conflicts).toEqual([]);
  });

  it('never narrows an analyst label', () => {
    const { facts } = mergeFacts([
      factsFromAnalystLabel({ depiction: ['real', 'realistic_synthetic'] }),
      { depiction: { value: 'real', source: 'file_annotation' } },
    ]);
    expect(facts.depiction).toEqual({ oneOf: ['real', 'realistic_synthetic'], source: 'analyst_label' });
  });

  it('keeps the stronger source on a partial overlap and reports it', () => {
    const { facts, conflicts } = mergeFacts([
      { depiction: { oneOf: ['drawing', 'realistic_synthetic'], source: 'file_annotation' } },
      { depiction: { oneOf: ['real', 'realistic_synthetic'], source: 'hash_bank_category' } },
    ]);
    expect(facts.depiction?.source).toBe('hash_bank_category');
    expect(conflicts).toHaveLength(1);
  });

  it('treats an "unknown" band as no information', () => {
    const { facts } = mergeFacts([
      { depictedAgeBand: { value: 'unknown', source: 'analyst_label' } },
      factsFromIndustryClassification('B1').facts,
    ]);
    expect(facts.depictedAgeBand).toMatchObject({ value: 'pubescent', source: 'reporter_classification' });
  });

  it('keeps equal-rank sources in the order given', () => {
    const { facts, conflicts } = mergeFacts([
      { suspectAge: { value: 14, source: 'report_detail', detail: 'first' } },
      { suspectAge: { value: 15, source: 'report_detail', detail: 'second' } },
    ]);
    expect(facts.suspectAge?.value).toBe(14);
    expect(conflicts[0]?.overruled.value).toBe(15);
  });

  it('reconciles an exact age with the band: narrows, derives or drops by precedence', () => {
    const narrowed = mergeFacts([
      { depictedAgeBand: { oneOf: ['prepubescent', 'adolescent'], source: 'hash_bank_category' } },
      factsFromAnalystLabel({ depictedAge: 10 }),
    ]);
    expect(narrowed.facts.depictedAgeBand).toMatchObject({
      value: 'prepubescent',
      source: 'hash_bank_category',
    });

    const derived = mergeFacts([
      factsFromIndustryClassification('A1').facts,
      factsFromAnalystLabel({ depictedAge: 15 }),
    ]);
    expect(derived.facts.depictedAgeBand).toEqual({
      value: 'adolescent',
      source: 'analyst_label',
      detail: 'derived from depictedAge 15',
    });
    expect(derived.conflicts.map((c) => c.fact)).toEqual(['depictedAgeBand']);

    const dropped = mergeFacts([
      factsFromAnalystLabel({ depictedAgeBand: 'prepubescent' }),
      { depictedAge: { value: 16, source: 'report_detail' } },
    ]);
    expect(dropped.facts.depictedAge).toBeUndefined();
    expect(dropped.conflicts.map((c) => c.fact)).toEqual(['depictedAge']);
  });

  it('returns facts that validate against the sourced schema', () => {
    const { facts } = mergeFacts([
      factsFromVicsCategory(3, 'vics_us').facts,
      factsFromIndustryClassification('B2').facts,
      factsFromAnalystLabel({ conductDate: '2024-01-01', suspectAge: 16 }),
    ]);
    expect(sourcedFactsSchema.safeParse(facts).success).toBe(true);
  });
});

describe('toEvaluationFacts', () => {
  it('turns sourced facts into the evaluator form, lists for oneOf', () => {
    const { facts } = mergeFacts([
      factsFromIndustryClassification('A1').facts,
      factsFromAnalystLabel({ conductDate: '2024-01-01', commercial: false }),
    ]);
    expect(toEvaluationFacts(facts)).toEqual({
      conductDate: '2024-01-01',
      depiction: ['real', 'realistic_synthetic', 'drawing'],
      depictedAgeBand: ['infant_toddler', 'prepubescent'],
      content: 'sex_act',
      commercial: false,
    });
  });

  it('refuses facts without a conduct date, with a clear issue', () => {
    expect(() => toEvaluationFacts({})).toThrow(TiplineError);
    try {
      toEvaluationFacts({});
    } catch (err) {
      expect((err as TiplineError).issues?.[0]?.path).toBe('/conductDate');
    }
  });
});
