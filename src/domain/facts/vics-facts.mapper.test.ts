import { describe, expect, it } from 'vitest';
import { factsFromVicsCategory, vicsSchemeFromOdataContext } from './vics-facts.mapper.js';

describe('factsFromVicsCategory', () => {
  it('maps US category 1 (CAM) to minor, explicit, photographic-or-realistic', () => {
    const { facts, signals } = factsFromVicsCategory(1, 'vics_us');
    expect(facts.content).toMatchObject({
      oneOf: ['sex_act', 'genital_focus'],
      source: 'hash_bank_category',
    });
    expect(facts.depiction).toMatchObject({ oneOf: ['real', 'realistic_synthetic'] });
    expect(facts.depictedAgeBand).toMatchObject({
      oneOf: ['infant_toddler', 'prepubescent', 'pubescent', 'adolescent'],
    });
    expect(signals).toEqual([]);
  });

  it('maps categories 2 and 3 to few facts and a national-assessment signal', () => {
    const two = factsFromVicsCategory(2, 'vics_us');
    expect(two.facts.content).toBeUndefined();
    expect(two.facts.depictedAgeBand).toBeUndefined();
    expect(two.signals).toEqual(['vicsNeedsNationalAssessment']);
    const three = factsFromVicsCategory(3, 'vics_us');
    expect(three.facts.depiction).toMatchObject({ oneOf: ['realistic_synthetic', 'drawing'] });
    expect(three.facts.content).toBeUndefined();
    expect(three.signals).toEqual(['vicsNeedsNationalAssessment']);
  });

  it('reads 0 and 5 by scheme: US 0 is non-pertinent, legacy 0 is uncategorised and 5 non-pertinent', () => {
    expect(factsFromVicsCategory(0, 'vics_us').signals).toEqual(['vicsNonPertinent']);
    expect(factsFromVicsCategory(0, 'vics_dhs_legacy')).toEqual({ facts: {}, signals: [], notes: [] });
    expect(factsFromVicsCategory(5, 'vics_dhs_legacy').signals).toEqual(['vicsNonPertinent']);
    expect(factsFromVicsCategory(5, 'vics_us').notes[0]).toMatch(/not defined/);
    expect(factsFromVicsCategory(4, 'vics_us').signals).toEqual(['vicsComparisonImage']);
  });

  it('maps nothing for the UK variant, whose numbers are unknown', () => {
    const uk = factsFromVicsCategory(1, 'vics_uk');
    expect(uk.facts).toEqual({});
    expect(uk.notes[0]).toMatch(/UK variant/);
  });

  it('treats a missing category as unknown', () => {
    expect(factsFromVicsCategory(null, 'vics_us').facts).toEqual({});
  });
});

describe('vicsSchemeFromOdataContext', () => {
  it('recognises the US and UK 2.0 variants and refuses to guess the rest', () => {
    expect(
      vicsSchemeFromOdataContext(
        'http://github.com/VICSDATAMODEL/ProjectVic/DataModels/2.0.xml/US/$metadata#Media',
      ),
    ).toBe('vics_us');
    expect(
      vicsSchemeFromOdataContext(
        'http://github.com/VICSDATAMODEL/ProjectVic/DataModels/2.0.xml/UK/$metadata#Cases',
      ),
    ).toBe('vics_uk');
    expect(
      vicsSchemeFromOdataContext(
        'http://github.com/VICSDATAMODEL/ProjectVic/DataModels/2.0.xml/CUSTOM/$metadata#Media',
      ),
    ).toBeUndefined();
    expect(
      vicsSchemeFromOdataContext('http://github.com/ICMEC/ProjectVic/DataModels/1.3.xml#Cases'),
    ).toBeUndefined();
    expect(vicsSchemeFromOdataContext(undefined)).toBeUndefined();
  });
});
