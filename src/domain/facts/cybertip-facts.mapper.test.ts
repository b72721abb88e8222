import { describe, expect, it } from 'vitest';
import {
  ageOnDate,
  conductDateFromDateTime,
  cybertipIncidentTypes,
  factsFromCybertipIncident,
  factsFromFileAnnotations,
  factsFromIncidentType,
  factsFromIndustryClassification,
  factsFromReportAnnotations,
} from './cybertip-facts.mapper.js';
import { toEvaluationFacts } from './facts.merger.js';
import { sourcedFactsSchema } from './facts.schema.js';

describe('factsFromIndustryClassification', () => {
  it.each([
    ['A1', ['infant_toddler', 'prepubescent'], 'sex_act'],
    ['A2', ['infant_toddler', 'prepubescent'], 'genital_focus'],
    ['B1', ['pubescent'], 'sex_act'],
    ['B2', ['pubescent'], 'genital_focus'],
  ])('%s maps to age band and content, never to a legal outcome', (code, bands, content) => {
    const { facts } = factsFromIndustryClassification(code);
    const band = facts.depictedAgeBand!;
    expect('oneOf' in band ? band.oneOf : [band.value]).toEqual(bands);
    expect(facts.content).toMatchObject({ value: content, source: 'reporter_classification' });
    // The scale is visual but says nothing about photograph versus drawing.
    expect(facts.depiction).toMatchObject({ oneOf: ['real', 'realistic_synthetic', 'drawing'] });
    expect(JSON.stringify(facts)).not.toMatch(/illegal/);
  });

  it('accepts lower case and a hash-bank source; ignores unknown codes with a note', () => {
    expect(factsFromIndustryClassification(' b1 ', 'hash_bank_category').facts.content?.source).toBe(
      'hash_bank_category',
    );
    const unknown = factsFromIndustryClassification('C3');
    expect(unknown.facts).toEqual({});
    expect(unknown.notes[0]).toMatch(/Unknown industry classification "C3"/);
    expect(factsFromIndustryClassification(undefined).facts).toEqual({});
  });
});

describe('factsFromFileAnnotations', () => {
  it('maps depiction flags to lists of possibilities', () => {
    expect(factsFromFileAnnotations({ animeDrawingVirtualHentai: true }).facts.depiction).toMatchObject({
      oneOf: ['drawing', 'realistic_synthetic'],
    });
    expect(factsFromFileAnnotations({ generativeAi: true }).facts.depiction).toMatchObject({
      oneOf: ['realistic_synthetic', 'drawing'],
    });
  });

  it('maps infant, self-production and bestiality to facts and the rest to signals', () => {
    const mapped = factsFromFileAnnotations({
      infant: true,
      possibleSelfProduction: true,
      bestiality: true,
      viral: true,
      potentialMeme: true,
      physicalHarm: true,
      violenceGore: true,
      liveStreaming: true,
    });
    expect(mapped.facts).toEqual({
      depictedAgeBand: { value: 'infant_toddler', source: 'file_annotation', detail: 'infant' },
      selfProduced: {
        value: true,
        source: 'file_annotation',
        detail: 'possibleSelfProduction (the reporter believes so)',
      },
      content: { value: 'sex_act', source: 'file_annotation', detail: 'bestiality' },
    });
    expect(mapped.signals.sort()).toEqual([
      'bestiality',
      'liveStreaming',
      'physicalHarm',
      'potentialMeme',
      'violenceGore',
      'viral',
    ]);
  });

  it('counts only flags that are true', () => {
    expect(factsFromFileAnnotations({ infant: false, generativeAi: false }).facts).toEqual({});
    expect(factsFromFileAnnotations(undefined)).toEqual({ facts: {}, signals: [], notes: [] });
  });
});

describe('factsFromReportAnnotations', () => {
  it('maps csamSolicitation to conduct and the others to signals', () => {
    const mapped = factsFromReportAnnotations({
      csamSolicitation: true,
      sextortion: true,
      minorToMinorInteraction: true,
      spam: true,
      sadisticOnlineExploitation: true,
    });
    expect(mapped.facts.conduct).toMatchObject({ value: 'solicit' });
    expect(mapped.signals.sort()).toEqual([
      'csamSolicitation',
      'minorToMinorInteraction',
      'sadisticOnlineExploitation',
      'sextortion',
      'spam',
    ]);
  });
});

describe('factsFromIncidentType', () => {
  it('maps every XSD incident type without error', () => {
    for (const type of cybertipIncidentTypes) expect(factsFromIncidentType(type).notes).toEqual([]);
  });

  it('gives the child-pornography type a list of conducts and enticement the solicit conduct', () => {
    expect(
      factsFromIncidentType('Child Pornography (possession, manufacture, and distribution)').facts.conduct,
    ).toMatchObject({
      oneOf: ['possess', 'produce', 'distribute'],
      source: 'incident_type',
    });
    expect(
      factsFromIncidentType('Online Enticement of Children for Sexual Acts').facts.conduct,
    ).toMatchObject({ value: 'solicit' });
    expect(factsFromIncidentType('Child Sex Trafficking').facts.commercial).toMatchObject({ value: true });
    expect(factsFromIncidentType('Unsolicited Obscene Material Sent to a Child').facts).toEqual({});
    expect(factsFromIncidentType('Something Else').notes[0]).toMatch(/Unknown incident type/);
  });
});

describe('dates', () => {
  it('takes the calendar date of an XSD dateTime, rejecting impossible dates', () => {
    expect(conductDateFromDateTime('2024-03-15T23:30:00-05:00')).toBe('2024-03-15');
    expect(conductDateFromDateTime('2024-03-15')).toBe('2024-03-15');
    expect(conductDateFromDateTime('2024-02-30T00:00:00Z')).toBeUndefined();
    expect(conductDateFromDateTime('15/03/2024')).toBeUndefined();
    expect(conductDateFromDateTime(undefined)).toBeUndefined();
  });

  it('computes whole years of age on a date', () => {
    expect(ageOnDate('2009-03-16', '2024-03-15')).toBe(14);
    expect(ageOnDate('2009-03-15', '2024-03-15')).toBe(15);
    expect(ageOnDate('2030-01-01', '2024-03-15')).toBeUndefined();
  });
});

describe('factsFromCybertipIncident', () => {
  it('builds the viral-video incident: B1, public, reported person born 2009, in 2024', () => {
    const mapped = factsFromCybertipIncident({
      incidentSummary: {
        incidentType: 'Child Pornography (possession, manufacture, and distribution)',
        incidentDateTime: '2024-03-20T12:00:00Z',
        reportAnnotations: { minorToMinorInteraction: true },
      },
      file: {
        fileRelevance: 'Reported',
        industryClassification: 'B1',
        fileAnnotations: { viral: true, possibleSelfProduction: true },
        publiclyAvailable: true,
        uploadedToEspTimestamp: '2024-03-15T08:00:00Z',
      },
      reportedPerson: { dateOfBirth: '2009-06-01', age: 15 },
    });
    expect(sourcedFactsSchema.safeParse(mapped.facts).success).toBe(true);
    expect(mapped.facts.conduct).toMatchObject({ value: 'distribute', source: 'report_detail' });
    expect(mapped.facts.conductDate).toMatchObject({
      value: '2024-03-15',
      detail: 'fileDetails.uploadedToEspTimestamp',
    });
    expect(mapped.facts.suspectAge).toMatchObject({
      value: 14,
      detail: 'reported person dateOfBirth at the conduct date',
    });
    expect(mapped.signals.sort()).toEqual(['minorToMinorInteraction', 'viral']);
    expect(toEvaluationFacts(mapped.facts)).toMatchObject({
      depictedAgeBand: 'pubescent',
      content: 'sex_act',
      selfProduced: true,
    });
    expect(mapped.conflicts).toEqual([]);
  });

  it('ignores a classification on a supplemental file, and unreadable dates, with notes', () => {
    const mapped = factsFromCybertipIncident({
      incidentSummary: { incidentDateTime: 'yesterday', escalateToHighPriority: 'child in danger' },
      file: { fileRelevance: 'Supplemental Reported', industryClassification: 'A1', potentialMeme: true },
      reportedPerson: { age: 33 },
      intendedRecipient: [{}],
    });
    expect(mapped.facts.content).toBeUndefined();
    expect(mapped.facts.conductDate).toBeUndefined();
    expect(mapped.facts.conduct).toMatchObject({
      value: 'distribute',
      detail: 'the report names intended recipients',
    });
    expect(mapped.facts.suspectAge).toMatchObject({ value: 33, detail: 'reported person age' });
    expect(mapped.signals.sort()).toEqual(['escalatedToHighPriority', 'potentialMeme', 'supplementalFile']);
    expect(mapped.notes).toEqual([
      'Industry classification on a Supplemental Reported file ignored.',
      'Unreadable incidentDateTime "yesterday" ignored.',
    ]);
  });

  it('prefers the report annotation over the incident type for conduct', () => {
    const mapped = factsFromCybertipIncident({
      incidentSummary: {
        incidentType: 'Child Pornography (possession, manufacture, and distribution)',
        reportAnnotations: { csamSolicitation: true },
      },
    });
    expect(mapped.facts.conduct).toMatchObject({ value: 'solicit' });
  });

  it('yields nothing from nothing', () => {
    expect(factsFromCybertipIncident({})).toEqual({ facts: {}, signals: [], notes: [], conflicts: [] });
  });
});
