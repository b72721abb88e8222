import { describe, expect, it } from 'vitest';
import {
  ageBandForAge,
  ageBandRanges,
  ageFitsBand,
  assessableFactsSchema,
  evaluationFactsSchema,
  factSourceRank,
  factSourceValues,
  factsSchema,
  knownAgeBandValues,
  sourcedFactsSchema,
} from './facts.schema.js';

const complete = {
  depiction: 'real',
  depictedAgeBand: 'adolescent',
  depictedAge: 15,
  content: 'sex_act',
  conduct: 'distribute',
  conductDate: '2024-03-15',
  suspectAge: 14,
} as const;

describe('factsSchema (the complete plain form of issue 4)', () => {
  it('accepts the issue 4 shape', () => {
    expect(factsSchema.parse(complete)).toEqual(complete);
  });

  it('requires depiction, age band, content, conduct and conduct date', () => {
    const result = factsSchema.safeParse({});
    expect(result.success).toBe(false);
    expect(result.error?.issues.map((i) => i.path[0]).sort()).toEqual([
      'conduct',
      'conductDate',
      'content',
      'depictedAgeBand',
      'depiction',
    ]);
  });
});

describe('assessableFactsSchema', () => {
  it('needs only the conduct date; omitted facts are unknown', () => {
    expect(assessableFactsSchema.parse({ conductDate: '2025-08-01' })).toEqual({ conductDate: '2025-08-01' });
  });

  it('lists every problem at once: bad values, impossible dates, unknown keys, age outside the band', () => {
    const result = assessableFactsSchema.safeParse({
      depiction: 'photo',
      conductDate: '2025-02-30',
      colour: 'red',
      depictedAge: 15,
      depictedAgeBand: 'prepubescent',
      suspectAge: -1,
    });
    expect(result.success).toBe(false);
    const messages = result.error!.issues.map((i) => `${i.path.join('.')}: ${i.message}`);
    expect(messages).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^depiction: Invalid option/),
        expect.stringMatching(/^conductDate: Invalid ISO date/),
        expect.stringMatching(/Unrecognized key: "colour"/),
        'depictedAge: depictedAge 15 does not fit depictedAgeBand "prepubescent" (ages 0–12)',
        expect.stringMatching(/^suspectAge: /),
      ]),
    );
    expect(messages).toHaveLength(5);
  });

  it('rejects fractional ages and non-objects', () => {
    expect(assessableFactsSchema.safeParse({ conductDate: '2025-08-01', depictedAge: 15.5 }).success).toBe(
      false,
    );
    expect(assessableFactsSchema.safeParse([]).success).toBe(false);
    expect(assessableFactsSchema.safeParse(null).success).toBe(false);
  });

  it('accepts an age with the unknown band, and adults of any age', () => {
    expect(
      assessableFactsSchema.safeParse({
        conductDate: '2025-08-01',
        depictedAge: 40,
        depictedAgeBand: 'unknown',
      }).success,
    ).toBe(true);
    expect(
      assessableFactsSchema.safeParse({
        conductDate: '2025-08-01',
        depictedAge: 90,
        depictedAgeBand: 'adult',
      }).success,
    ).toBe(true);
  });
});

describe('evaluationFactsSchema', () => {
  it('accepts lists of possible values for enumerated facts', () => {
    expect(
      evaluationFactsSchema.safeParse({
        conductDate: '2025-08-01',
        depiction: ['real', 'drawing'],
        content: 'sex_act',
      }).success,
    ).toBe(true);
    expect(evaluationFactsSchema.safeParse({ conductDate: '2025-08-01', depiction: [] }).success).toBe(false);
  });
});

describe('age bands', () => {
  it('give every known band a span, and the narrowest band for an age fits it', () => {
    for (let age = 0; age <= 100; age++)
      expect(ageFitsBand(age, ageBandForAge(age)), `age ${age}`).toBe(true);
    expect(knownAgeBandValues).toEqual(Object.keys(ageBandRanges));
    expect(ageBandForAge(15)).toBe('adolescent');
    expect(ageFitsBand(15, 'pubescent')).toBe(true);
    expect(ageFitsBand(18, 'pubescent')).toBe(false);
    expect(ageFitsBand(3, 'unknown')).toBe(true);
  });
});

describe('fact sources', () => {
  it('rank analyst labels first and incident types last', () => {
    expect(factSourceValues[0]).toBe('analyst_label');
    expect(factSourceRank('analyst_label')).toBeLessThan(factSourceRank('hash_bank_category'));
    expect(factSourceRank('hash_bank_category')).toBeLessThan(factSourceRank('file_annotation'));
    expect(factSourceRank('file_annotation')).toBeLessThan(factSourceRank('reporter_classification'));
    expect(factSourceRank('reporter_classification')).toBeLessThan(factSourceRank('report_detail'));
    expect(factSourceRank('report_detail')).toBeLessThan(factSourceRank('incident_type'));
  });

  it('the sourced form needs a source and at least two values in a oneOf list', () => {
    expect(
      sourcedFactsSchema.safeParse({ depiction: { value: 'real', source: 'analyst_label' } }).success,
    ).toBe(true);
    expect(sourcedFactsSchema.safeParse({ depiction: { value: 'real' } }).success).toBe(false);
    expect(
      sourcedFactsSchema.safeParse({ depiction: { oneOf: ['real'], source: 'analyst_label' } }).success,
    ).toBe(false);
    expect(
      sourcedFactsSchema.safeParse({ depictedAge: { oneOf: [1, 2], source: 'analyst_label' } }).success,
    ).toBe(false);
  });
});
