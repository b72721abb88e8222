import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { TiplineError } from '../../contracts/errors.js';
import { conductValues, contentValues, depictionValues, knownAgeBandValues } from '../facts/facts.schema.js';
import {
  assessFacts,
  assessInJurisdiction,
  evaluateRulePack,
  ruleInForce,
  type RulePackSet,
} from './rule-pack.evaluator.js';
import { loadRulePacks } from './rule-pack.loader.js';
import { rulePackSchema, type RulePack } from './rule-pack.schema.js';

const cite = [{ statute: 'Test Act', section: '§ 1' }];

function pack(rules: unknown[], extra: Record<string, unknown> = {}): RulePack {
  return rulePackSchema.parse({
    jurisdiction: 'XX',
    kind: 'national',
    name: 'Test pack',
    version: '1.2.3',
    status: 'reference',
    sources: [{ title: 'Test', url: 'https://example.org/' }],
    ages: {
      material: 18,
      consent: 15,
      criminalResponsibility: 15,
      citations: [{ statute: 'Test Act', section: '§ 15' }],
    },
    rules: [
      ...rules,
      {
        id: 'catch-all',
        outcome: 'uncertain',
        citations: cite,
        confidence: 'low',
        explanation: 'Nothing decided.',
      },
    ],
    ...extra,
  });
}

function rule(
  id: string,
  when: Record<string, unknown>,
  outcome: string,
  extra: Record<string, unknown> = {},
) {
  return {
    id,
    when,
    outcome,
    citations: [{ statute: 'Test Act', section: id }],
    confidence: 'high',
    explanation: `Because ${id}.`,
    ...extra,
  };
}

const base = { conductDate: '2024-01-01' } as const;

describe('conditions', () => {
  const p = pack([
    rule('adult', { depictedAge: { gte: 18 } }, 'not_illegal'),
    rule('minor-real', { depiction: { equals: 'real' }, depictedAge: { lt: 18 } }, 'national_illegal'),
  ]);

  it('uses the exact age when known and the band span otherwise', () => {
    expect(evaluateRulePack(p, { ...base, depiction: 'real', depictedAge: 17 }).rule?.id).toBe('minor-real');
    expect(evaluateRulePack(p, { ...base, depiction: 'real', depictedAge: 18 }).rule?.id).toBe('adult');
    expect(evaluateRulePack(p, { ...base, depiction: 'real', depictedAgeBand: 'pubescent' }).rule?.id).toBe(
      'minor-real',
    );
    expect(evaluateRulePack(p, { ...base, depiction: 'real', depictedAgeBand: 'adult' }).rule?.id).toBe(
      'adult',
    );
  });

  it('leaves an entirely unknown age undecided, landing on the catch-all with the fact named', () => {
    const decision = evaluateRulePack(p, { ...base, depiction: 'real' });
    expect(decision.rule?.id).toBe('catch-all');
    expect(decision.undeterminedFacts).toEqual(['depictedAge']);
    expect(decision.possibleOutcomes.map((o) => o.ruleId)).toEqual(['adult', 'minor-real']);
  });

  it('treats "unknown" age band and an empty list of possibilities as entirely unknown', () => {
    expect(evaluateRulePack(p, { ...base, depiction: 'real', depictedAgeBand: 'unknown' }).rule?.id).toBe(
      'catch-all',
    );
    expect(evaluateRulePack(p, { ...base, depiction: [], depictedAge: 10 }).rule?.id).toBe('catch-all');
  });

  it('decides `in` and `equals` on lists of possible values three ways', () => {
    const q = pack([rule('visual', { depiction: { in: ['real', 'drawing'] } }, 'national_illegal')]);
    expect(evaluateRulePack(q, { ...base, depiction: ['real', 'drawing'] }).rule?.id).toBe('visual');
    expect(evaluateRulePack(q, { ...base, depiction: ['real', 'text'] }).rule?.id).toBe('catch-all');
    expect(evaluateRulePack(q, { ...base, depiction: ['text', 'audio'] }).undeterminedFacts).toEqual([]);
  });

  it('supports unknown: true / false on any fact', () => {
    const q = pack([
      rule('no-age', { depictedAge: { unknown: true } }, 'uncertain'),
      rule('no-consent', { depictedConsentToPossession: { unknown: true } }, 'national_illegal'),
      rule('known-suspect', { suspectAge: { unknown: false } }, 'not_illegal'),
    ]);
    expect(evaluateRulePack(q, { ...base }).rule?.id).toBe('no-age');
    expect(evaluateRulePack(q, { ...base, depictedAge: 3 }).rule?.id).toBe('no-consent');
    expect(
      evaluateRulePack(q, { ...base, depictedAge: 3, depictedConsentToPossession: false, suspectAge: 20 })
        .rule?.id,
    ).toBe('known-suspect');
  });

  it('combines lt and gte into a range, and supports equals / in on numbers', () => {
    const q = pack([
      rule('fifteen-to-seventeen', { depictedAge: { gte: 15, lt: 18 } }, 'not_illegal'),
      rule('exactly-twelve', { depictedAge: { equals: 12 } }, 'other_offence'),
      rule('nine-or-ten', { suspectAge: { in: [9, 10] } }, 'national_illegal'),
    ]);
    expect(evaluateRulePack(q, { ...base, depictedAge: 16 }).rule?.id).toBe('fifteen-to-seventeen');
    expect(evaluateRulePack(q, { ...base, depictedAge: 12 }).rule?.id).toBe('exactly-twelve');
    expect(evaluateRulePack(q, { ...base, depictedAge: 5, suspectAge: 10 }).rule?.id).toBe('nine-or-ten');
    // adolescent is 13–17: "15 to 17" cannot be decided, so the catch-all answers.
    expect(evaluateRulePack(q, { ...base, depictedAgeBand: 'adolescent', suspectAge: 30 }).rule?.id).toBe(
      'catch-all',
    );
  });
});

describe('undecided earlier rules', () => {
  const p = pack([
    rule(
      'exemption',
      { depiction: { equals: 'real' }, depictedConsentToPossession: { equals: true } },
      'not_illegal',
    ),
    rule('offence', { depiction: { in: ['real', 'realistic_synthetic'] } }, 'national_illegal'),
  ]);

  it('make a later rule with a different outcome uncertain, naming both', () => {
    const decision = evaluateRulePack(p, {
      ...base,
      depiction: ['real', 'realistic_synthetic'],
      depictedConsentToPossession: true,
    });
    expect(decision).toMatchObject({
      rule: undefined,
      outcome: 'uncertain',
      ambiguous: true,
      undeterminedFacts: ['depiction'],
    });
    expect(decision.possibleOutcomes).toEqual([
      { outcome: 'not_illegal', ruleId: 'exemption' },
      { outcome: 'national_illegal', ruleId: 'offence' },
    ]);
    const assessment = assessFacts(
      { ...base, depiction: ['real', 'realistic_synthetic'], depictedConsentToPossession: true },
      p,
    );
    expect(assessment).toMatchObject({ outcome: 'uncertain', ruleId: null, confidence: 'low' });
    expect(assessment.explanation).toMatch(
      /Undecided: rule exemption \(not_illegal\) or rule offence \(national_illegal\)/,
    );
    expect(assessment.citations.map((c) => c.section)).toEqual(['exemption', 'offence']);
  });

  it('also when the undecided fact is a boolean left unknown', () => {
    expect(evaluateRulePack(p, { ...base, depiction: 'real' }).outcome).toBe('uncertain');
  });

  it('do not block when the pack presumes with ifUnknown: no_match, but are still reported', () => {
    const presuming = pack([
      rule(
        'exemption',
        {
          depiction: { equals: 'real' },
          depictedConsentToPossession: { equals: true, ifUnknown: 'no_match' },
        },
        'not_illegal',
      ),
      rule('offence', { depiction: { in: ['real', 'realistic_synthetic'] } }, 'national_illegal'),
    ]);
    const decision = evaluateRulePack(presuming, { ...base, depiction: 'real' });
    expect(decision.rule?.id).toBe('offence');
    expect(decision.undeterminedFacts).toEqual(['depictedConsentToPossession']);
  });

  it('do not block a later rule with the same outcome', () => {
    const same = pack([
      rule('specific', { depiction: { equals: 'realistic_synthetic' } }, 'national_illegal'),
      rule('general', { depiction: { in: ['real', 'realistic_synthetic'] } }, 'national_illegal'),
    ]);
    const decision = evaluateRulePack(same, { ...base, depiction: ['real', 'realistic_synthetic'] });
    expect(decision.rule?.id).toBe('general');
    expect(decision.undeterminedFacts).toEqual([]);
  });

  it('ifUnknown: match lets a rule apply on an undecidable condition and reports the fact', () => {
    const q = pack([
      rule('presumed-minor', { depictedAge: { lt: 18, ifUnknown: 'match' } }, 'national_illegal'),
    ]);
    const decision = evaluateRulePack(q, { ...base });
    expect(decision.rule?.id).toBe('presumed-minor');
    expect(decision.undeterminedFacts).toEqual(['depictedAge']);
  });
});

describe('dates', () => {
  const p = pack(
    [
      rule('old', { depiction: { equals: 'drawing' } }, 'not_illegal', { validTo: '2025-06-30' }),
      rule('new', { depiction: { equals: 'drawing' } }, 'national_illegal', { validFrom: '2025-07-01' }),
    ],
    { validFrom: '2009-07-01' },
  );

  it('applies the rule in force on the conduct date, bounds inclusive', () => {
    expect(evaluateRulePack(p, { depiction: 'drawing', conductDate: '2025-06-30' }).rule?.id).toBe('old');
    expect(evaluateRulePack(p, { depiction: 'drawing', conductDate: '2025-07-01' }).rule?.id).toBe('new');
    expect(ruleInForce({ validFrom: '2025-07-01' }, '2025-06-30')).toBe(false);
    expect(ruleInForce({}, '1900-01-01')).toBe(true);
  });

  it('answers uncertain, with no rule, outside the dates the pack covers', () => {
    const a = assessFacts({ depiction: 'drawing', conductDate: '2009-06-30' }, p);
    expect(a).toMatchObject({ outcome: 'uncertain', ruleId: null, nationalRuleId: null });
    expect(a.explanation).toMatch(/outside the dates this pack covers \(2009-07-01 to …\)/);
  });
});

describe('assessFacts', () => {
  const baseline = rulePackSchema.parse({
    jurisdiction: 'BASELINE',
    kind: 'baseline',
    name: 'Baseline',
    version: '9.9.9',
    status: 'reference',
    sources: [{ title: 'Test', url: 'https://example.org/' }],
    rules: [
      rule(
        'severe',
        { depiction: { equals: 'real' }, depictedAge: { lt: 13 }, content: { equals: 'sex_act' } },
        'baseline',
      ),
    ],
  });
  const p = pack(
    [
      rule('offence', { depictedAge: { lt: 18 } }, 'national_illegal'),
      rule('adult', { depictedAge: { gte: 18 } }, 'not_illegal'),
    ],
    {
      status: 'reviewed',
    },
  );

  it('gives the baseline outcome first, keeping the national rule and both citations', () => {
    const a = assessFacts({ ...base, depiction: 'real', depictedAge: 8, content: 'sex_act' }, p, baseline);
    expect(a).toMatchObject({
      outcome: 'baseline',
      ruleId: 'severe',
      nationalOutcome: 'national_illegal',
      nationalRuleId: 'offence',
      baselinePackVersion: '9.9.9',
      packVersion: '1.2.3',
      packStatus: 'reviewed',
    });
    expect(a.citations.map((c) => c.section)).toEqual(['severe', 'offence']);
    expect(a.explanation).toMatch(
      /^INTERPOL baseline: Because severe\. Under Test pack \(rule offence\): Because offence\./,
    );
    expect(a.explanation).not.toMatch(/Reference pack/);
  });

  it('falls through to the national outcome when the baseline is not met', () => {
    const a = assessFacts({ ...base, depiction: 'real', depictedAge: 14, content: 'sex_act' }, p, baseline);
    expect(a).toMatchObject({ outcome: 'national_illegal', ruleId: 'offence' });
  });

  it('marks suspects under the age of criminal responsibility as not liable, citing the age', () => {
    const young = assessFacts({ ...base, depictedAge: 15, suspectAge: 14 }, p);
    expect(young.suspectCriminallyLiable).toBe(false);
    expect(young.explanation).toMatch(
      /under the age of criminal responsibility \(15, Test Act § 15\): not criminally liable; a safeguarding matter/,
    );
    expect(assessFacts({ ...base, depictedAge: 15, suspectAge: 15 }, p).suspectCriminallyLiable).toBe(true);
    expect(assessFacts({ ...base, depictedAge: 15 }, p).suspectCriminallyLiable).toBeNull();
  });

  it('gives null liability where the pack states no single age of criminal responsibility', () => {
    const noAge = pack([], {
      ages: { material: 18, consent: null, criminalResponsibility: null, note: 'state law decides' },
    });
    const a = assessFacts({ ...base, suspectAge: 9 }, noAge);
    expect(a.suspectCriminallyLiable).toBeNull();
    expect(a.explanation).toMatch(/no single age of criminal responsibility \(state law decides\)/);
  });

  it('says when a pack is only a reference pack', () => {
    expect(assessFacts({ ...base }, pack([])).explanation).toMatch(
      /Reference pack: not reviewed by a lawyer\./,
    );
  });

  it('refuses a baseline pack as the national pack', () => {
    expect(() => assessFacts({ ...base }, baseline)).toThrow(TypeError);
  });
});

describe('the shipped packs', () => {
  let set: RulePackSet;
  beforeAll(async () => {
    set = await loadRulePacks();
  });

  it('assessInJurisdiction finds packs case-insensitively and lists the available ones otherwise', () => {
    expect(assessInJurisdiction({ ...base, depiction: 'text' }, set, ' dk ').jurisdiction).toBe('DK');
    expect(() => assessInJurisdiction({ ...base }, set, 'ZZ')).toThrow(TiplineError);
    try {
      assessInJurisdiction({ ...base }, set, 'ZZ');
    } catch (err) {
      expect((err as TiplineError).code).toBe('TIP_ERR_RULEPACK_NOT_FOUND');
      expect((err as TiplineError).message).toMatch(
        /Available: AU, CA, DE, DK, FR, GB-EAW, JP, NL, NO, SE, US\./,
      );
    }
  });

  // Lists of possible values must never produce a more confident answer than the values do:
  // when a list gives a definite national outcome, every single choice from the list gives that
  // outcome; and the baseline is claimed for a list only if every choice meets it.
  it('never give a definite outcome that some concrete choice of the possible values contradicts', () => {
    const subset = <T extends string>(values: readonly T[]) => fc.subarray([...values], { minLength: 1 });
    const factsArb = fc.record({
      depiction: subset(depictionValues),
      depictedAgeBand: subset(knownAgeBandValues),
      content: subset(contentValues),
      conduct: subset(conductValues),
      conductDate: fc.constantFrom(
        '2014-01-01',
        '2015-01-01',
        '2024-05-01',
        '2025-06-30',
        '2025-07-01',
        '2026-01-01',
      ),
      depictedConsentToPossession: fc.option(fc.boolean(), { nil: undefined }),
      selfProduced: fc.option(fc.boolean(), { nil: undefined }),
      commercial: fc.option(fc.boolean(), { nil: undefined }),
    });
    fc.assert(
      fc.property(factsArb, fc.constantFrom(...set.packs.keys()), (facts, code) => {
        const p = set.packs.get(code)!;
        const whole = assessFacts(facts, p, set.baseline);
        for (const depiction of facts.depiction)
          for (const depictedAgeBand of facts.depictedAgeBand)
            for (const content of facts.content)
              for (const conduct of facts.conduct) {
                const one = assessFacts(
                  { ...facts, depiction, depictedAgeBand, content, conduct },
                  p,
                  set.baseline,
                );
                const contradicts =
                  (whole.nationalOutcome !== 'uncertain' && one.nationalOutcome !== whole.nationalOutcome) ||
                  (whole.outcome === 'baseline' && one.outcome !== 'baseline');
                if (contradicts) {
                  throw new Error(
                    `${code}: ${JSON.stringify(facts)} → ${whole.outcome}/${whole.nationalOutcome} (${whole.nationalRuleId}) but ${JSON.stringify({ depiction, depictedAgeBand, content, conduct })} → ${one.outcome}/${one.nationalOutcome} (${one.nationalRuleId})`,
                  );
                }
              }
      }),
      { numRuns: 800, seed: 4 },
    );
  });
});
