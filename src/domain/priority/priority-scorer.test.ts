import { describe, expect, it } from 'vitest';
import { TiplineError } from '../../contracts/errors.js';
import { defaultPriorityConfig, resolvePriorityConfig } from './priority-config.schema.js';
import { priorityLevel, scorePriority, type PriorityFactorName, type PriorityInput, type PriorityLevel } from './priority-scorer.js';

const asOf = new Date('2025-06-01T00:00:00Z');
const recent = '2025-06-01T00:00:00Z';
const old = '2020-06-01T00:00:00Z';
// Same history in most rows, so its contribution is a fixed 9: (85 + 0.5 × 10) / (90 + 10) = 0.9.
const goodReporter = { reports: 90, actionable: 85 } as const;

interface Row {
  name: string;
  input: PriorityInput;
  level: PriorityLevel;
  score: number;
  contributions: Partial<Record<PriorityFactorName, number>>;
}

const rows: Row[] = [
  {
    name: 'old known content, no signals → informational',
    input: {
      incidentSummary: { incidentDateTime: old },
      files: [{ bankMatched: true, industryClassification: 'B2' }],
      reporterHistory: goodReporter,
    },
    level: 'informational',
    // volume: log(2)/log(101) = 0.15 → 1.5
    score: 10.5,
    contributions: { escalation: 0, new_content: 0, young_age: 0, recency: 0, volume: 1.5, reporter_history: 9 },
  },
  {
    name: 'escalation alone → P1',
    input: { incidentSummary: { escalateToHighPriority: 'Child in immediate danger', incidentDateTime: old }, reporterHistory: goodReporter },
    level: 'P1',
    score: 69,
    contributions: { escalation: 60, reporter_history: 9 },
  },
  {
    name: 'recent new prepubescent content → P2',
    input: {
      incidentSummary: { incidentDateTime: recent },
      files: [{ bankMatched: false, industryClassification: 'A1' }],
      reporterHistory: goodReporter,
    },
    level: 'P2',
    score: 50.5,
    contributions: { new_content: 15, young_age: 15, recency: 10, volume: 1.5, reporter_history: 9 },
  },
  {
    name: 'sextortion on a recent chat → P2',
    input: { incidentSummary: { incidentDateTime: recent, reportAnnotations: { sextortion: true } }, reporterHistory: goodReporter },
    level: 'P2',
    score: 54,
    contributions: { sextortion_enticement: 35, recency: 10, reporter_history: 9 },
  },
  {
    name: 'enticement incident type plus a new file → P1',
    input: {
      incidentSummary: { incidentType: 'Online Enticement of Children for Sexual Acts', incidentDateTime: recent },
      files: [{ bankMatched: false }],
      reporterHistory: goodReporter,
    },
    level: 'P1',
    score: 70.5,
    contributions: { sextortion_enticement: 35, new_content: 15 },
  },
  {
    name: 'live-streamed infant production → P1',
    input: {
      incidentSummary: { incidentDateTime: recent },
      files: [{ fileAnnotations: { infant: true, liveStreaming: true } }],
      facts: [{ conduct: 'produce', depictedAgeBand: 'infant_toddler', conductDate: '2025-05-31' }],
      reporterHistory: goodReporter,
    },
    level: 'P1',
    score: 85.5,
    contributions: { production_contact: 30, young_age: 20, new_content: 15, recency: 10 },
  },
  {
    name: 'spam from an unreliable reporter → informational',
    input: {
      incidentSummary: { incidentDateTime: recent, reportAnnotations: { spam: true } },
      files: [{ bankMatched: true }],
      reporterHistory: { reports: 1000, actionable: 10 },
    },
    level: 'informational',
    // history (10 + 5) / 1010 = 0.015 → 0.15; sum is negative, floored at 0
    score: 0,
    contributions: { low_signal: -25, reporter_history: 0.15 },
  },
  {
    name: 'a viral meme of known content, 500 incidents → P3',
    input: {
      incidentSummary: { incidentDateTime: recent },
      files: [{ bankMatched: true, potentialMeme: true }],
      incidentCount: 500,
      reporterHistory: goodReporter,
    },
    level: 'P3',
    score: 16.5,
    contributions: { volume: 10, low_signal: -12.5, recency: 10, reporter_history: 9 },
  },
  {
    name: 'molestation report with no files and no history → P2',
    input: { incidentSummary: { incidentType: 'Child Sexual Molestation', incidentDateTime: recent } },
    level: 'P2',
    score: 45,
    contributions: { production_contact: 30, recency: 10, reporter_history: 5, volume: 0, new_content: 0 },
  },
];

describe('scorePriority', () => {
  it.each(rows)('$name', ({ input, level, score, contributions }) => {
    const result = scorePriority(input, { asOf });
    expect(result.level).toBe(level);
    expect(result.score).toBe(score);
    const byFactor = Object.fromEntries(result.factors.map((f) => [f.factor, f.contribution]));
    for (const [factor, contribution] of Object.entries(contributions)) expect(byFactor[factor], factor).toBe(contribution);
  });

  it('lists every factor with its weight, value, contribution and reason, in a fixed order', () => {
    const result = scorePriority({}, { asOf });
    expect(result.factors.map((f) => f.factor)).toEqual([
      'escalation',
      'sextortion_enticement',
      'production_contact',
      'young_age',
      'new_content',
      'recency',
      'volume',
      'reporter_history',
      'low_signal',
    ]);
    for (const f of result.factors) {
      expect(f.weight).toBe(defaultPriorityConfig.weights[camel(f.factor)]);
      expect(f.contribution).toBe(Math.round(f.weight * f.value * 100) / 100);
      expect(f.reason.length).toBeGreaterThan(5);
    }
    expect(result.score).toBe(Math.max(0, Math.round(result.factors.reduce((s, f) => s + f.contribution, 0) * 100) / 100));
  });

  it('quotes the escalation reason, truncated', () => {
    const long = 'x'.repeat(500);
    const f = scorePriority({ incidentSummary: { escalateToHighPriority: long } }, { asOf }).factors[0];
    expect(f.reason).toBe(`reporter escalated: "${'x'.repeat(200)}…"`);
    expect(scorePriority({ incidentSummary: { escalateToHighPriority: '   ' } }, { asOf }).factors[0].value).toBe(0);
  });

  it('halves recency every half-life and ignores future dates', () => {
    const recency = (date: string) => scorePriority({ incidentSummary: { incidentDateTime: date } }, { asOf }).factors.find((f) => f.factor === 'recency')!;
    expect(recency('2025-05-02T00:00:00Z').value).toBe(0.5);
    expect(recency('2025-04-02T00:00:00Z').value).toBe(0.25);
    expect(recency('2026-01-01T00:00:00Z').value).toBe(1);
    expect(recency('not a date').reason).toBe('no conduct or incident date');
  });

  it.each([
    [{ depictedAge: 1 }, 1, 'depicted age band: infant_toddler'],
    [{ depictedAge: 8 }, 0.75, 'depicted age band: prepubescent'],
    [{ depictedAge: 15 }, 0, 'no infant or prepubescent indication'],
    [{ depictedAge: 8, depictedAgeBand: 'adolescent' }, 0, 'no infant or prepubescent indication'],
  ])('reads the age band from facts %j', (fact, value, reason) => {
    const f = scorePriority({ facts: [fact] }, { asOf }).factors.find((x) => x.factor === 'young_age')!;
    expect(f).toMatchObject({ value, reason });
  });

  it('takes the latest of incident and conduct dates', () => {
    const f = scorePriority({ incidentSummary: { incidentDateTime: old }, facts: [{ conductDate: '2025-06-01' }] }, { asOf }).factors.find(
      (x) => x.factor === 'recency',
    )!;
    expect(f.value).toBe(1);
    expect(f.reason).toContain('conduct date 2025-06-01');
  });

  it('uses configured weights and thresholds', () => {
    const config = resolvePriorityConfig({ weights: { escalation: 20 }, thresholds: { p1: 90, p2: 50, p3: 10 } });
    const result = scorePriority({ incidentSummary: { escalateToHighPriority: 'now' } }, { asOf, config });
    expect(result.factors[0]).toMatchObject({ weight: 20, contribution: 20 });
    expect(result.score).toBe(25);
    expect(result.level).toBe('P3');
  });

  it('ignores nonsense history and counts and survives hostile input', () => {
    const result = scorePriority(
      { reporterHistory: { reports: -1, actionable: Number.NaN }, incidentCount: Number.POSITIVE_INFINITY, files: [null, 5] as never },
      { asOf },
    );
    expect(result.factors.find((f) => f.factor === 'reporter_history')!.reason).toBe('no reporter history; prior used');
    expect(result.factors.find((f) => f.factor === 'volume')!.value).toBe(0);
    expect(() => scorePriority(null as never, { asOf })).not.toThrow();
  });

  it('caps actionable at reports', () => {
    const value = (h: { reports: number; actionable: number }) =>
      scorePriority({ reporterHistory: h }, { asOf }).factors.find((x) => x.factor === 'reporter_history')!.value;
    // (10 + 0.5 × 10) / (10 + 10)
    expect(value({ reports: 10, actionable: 50 })).toBe(0.75);
    expect(value({ reports: 10, actionable: 10 })).toBe(0.75);
  });
});

describe('priorityLevel', () => {
  it.each([
    [60, 'P1'],
    [59.99, 'P2'],
    [35, 'P2'],
    [15, 'P3'],
    [14.99, 'informational'],
    [0, 'informational'],
  ] as const)('%d → %s', (score, level) => {
    expect(priorityLevel(score, defaultPriorityConfig.thresholds)).toBe(level);
  });
});

describe('resolvePriorityConfig', () => {
  it('fills every default', () => {
    expect(resolvePriorityConfig()).toEqual(defaultPriorityConfig);
    expect(defaultPriorityConfig.weights.escalation).toBe(60);
    expect(defaultPriorityConfig.thresholds).toEqual({ p1: 60, p2: 35, p3: 15 });
  });

  it('keeps defaults beside an override', () => {
    const c = resolvePriorityConfig({ weights: { volume: 5 } });
    expect(c.weights.volume).toBe(5);
    expect(c.weights.escalation).toBe(60);
  });

  it.each([
    [{ weights: { volumee: 5 } }, '/weights'],
    [{ weights: { volume: 'high' } }, '/weights/volume'],
    [{ thresholds: { p1: 10, p2: 20 } }, '/thresholds'],
    [{ recencyHalfLifeDays: 0 }, '/recencyHalfLifeDays'],
    [{ prepubescentValue: 2 }, '/prepubescentValue'],
    ['not an object', ''],
  ])('rejects %j with an issue at %s', (input, path) => {
    try {
      resolvePriorityConfig(input);
      expect.unreachable();
    } catch (e) {
      expect(e).toBeInstanceOf(TiplineError);
      expect((e as TiplineError).code).toBe('TIP_ERR_INPUT_INVALID');
      expect((e as TiplineError).issues?.map((i) => i.path)).toContain(path);
    }
  });
});

function camel(factor: PriorityFactorName): keyof typeof defaultPriorityConfig.weights {
  return factor.replace(/_([a-z])/g, (_, c: string) => c.toUpperCase()) as keyof typeof defaultPriorityConfig.weights;
}
