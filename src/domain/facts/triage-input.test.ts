import { describe, expect, it } from 'vitest';
import {
  factSetId,
  fileContentKeys,
  fileFacts,
  incidentBaseFacts,
  incidentJurisdictions,
  jurisdictionForCountry,
  locationInput,
  priorityInputOf,
  reportJson,
  uploaderIdOf,
  type ReportJson,
} from './triage-input.js';

const summary = { incidentType: 'Child Pornography (possession, manufacture, and distribution)', incidentDateTime: '2025-03-01T10:00:00Z' };
const file = { industryClassification: 'B1', fileAnnotations: { viral: true, possibleSelfProduction: true }, uploadedToEspTimestamp: '2025-02-20T08:00:00Z' };

function party(age: number, upload?: string) {
  return {
    screenName: `user${age}`,
    personOrUserReportedPerson: { age },
    ipCaptureEvent: [
      { ipAddress: '192.0.2.1', eventName: 'Login', dateTime: '2025-02-01T00:00:00Z' },
      ...(upload ? [{ ipAddress: '192.0.2.1', eventName: 'Upload', dateTime: upload }] : []),
    ],
  };
}

describe('incidentBaseFacts', () => {
  it('maps the classification, annotations, dates and the suspect’s age, each with its source', () => {
    const { facts, signals } = incidentBaseFacts({ report: { incidentSummary: summary }, file, party: party(14) });
    expect(facts.content).toMatchObject({ value: 'sex_act', source: 'reporter_classification' });
    expect(facts.depiction).toMatchObject({ oneOf: ['real', 'realistic_synthetic', 'drawing'] });
    expect(facts.conductDate).toMatchObject({ value: '2025-02-20', detail: 'fileDetails.uploadedToEspTimestamp' });
    expect(facts.suspectAge).toMatchObject({ value: 14, source: 'report_detail' });
    // The incident type allows three conducts and nothing narrows it: it stays a list.
    expect(facts.conduct).toMatchObject({ oneOf: ['possess', 'produce', 'distribute'], source: 'incident_type' });
    expect(signals).toContain('viral');
  });

  it("takes the only victim's age as the depicted age, but not one of several victims'", () => {
    const one: ReportJson = { incidentSummary: summary, victim: [{ victimPerson: { age: 15 } }] };
    expect(incidentBaseFacts({ report: one, file }).facts.depictedAge).toMatchObject({ value: 15, source: 'report_detail' });
    const two: ReportJson = { incidentSummary: summary, victim: [{ victimPerson: { age: 15 } }, { victimPerson: { age: 9 } }] };
    expect(incidentBaseFacts({ report: two, file }).facts.depictedAge).toBeUndefined();
    const born: ReportJson = { incidentSummary: summary, victim: [{ victimPerson: { dateOfBirth: '2010-02-21' } }] };
    expect(incidentBaseFacts({ report: born, file }).facts.depictedAge).toMatchObject({ value: 14 });
  });

  it('in a batched report, each user distributed, on the date of their own upload', () => {
    const report: ReportJson = { batchedReport: { reason: 'VIRAL_POTENTIAL_MEME' }, incidentSummary: summary };
    const { facts, notes } = incidentBaseFacts({ report, file, party: party(16, '2025-02-27T12:00:00Z') });
    expect(facts.conduct).toMatchObject({ value: 'distribute', source: 'report_detail', detail: expect.stringContaining('batchedReport') });
    expect(facts.conductDate).toMatchObject({ value: '2025-02-27', detail: expect.stringContaining('Upload') });
    expect(notes.join(' ')).toMatch(/own upload event/);
    // Without an upload event of its own, the file's date stands.
    expect(incidentBaseFacts({ report, file, party: party(16) }).facts.conductDate?.value).toBe('2025-02-20');
  });

  it('never throws on broken stored JSON', () => {
    for (const body of [null, 42, 'x', [], { incidentSummary: 'no' }, { personOrUserReported: 'no', victim: [null], files: [7] }]) {
      const report = reportJson(body);
      expect(() => incidentBaseFacts({ report })).not.toThrow();
      expect(() => priorityInputOf(report, undefined, 1)).not.toThrow();
    }
  });
});

describe('fileFacts', () => {
  it('gives the facts a file carries by itself and ignores a classification on a supplemental file', () => {
    expect(fileFacts(file).facts.selfProduced).toMatchObject({ value: true, source: 'file_annotation' });
    expect(fileFacts({ ...file, fileRelevance: 'Supplemental Reported' }).facts.content).toBeUndefined();
    expect(fileFacts(undefined).facts).toEqual({});
  });
});

describe('locationInput and uploaderIdOf', () => {
  it('adds the file’s upload IP only when the report has one reported person', () => {
    const withIp = { ...file, ipCaptureEvent: { ipAddress: '198.51.100.7' } };
    expect(locationInput({ personOrUserReported: [party(14)] }, party(14), withIp).extraIpEvents).toEqual([{ ipAddress: '198.51.100.7' }]);
    expect(locationInput({ personOrUserReported: [party(14), party(15)] }, party(14), withIp).extraIpEvents).toEqual([]);
  });

  it('scopes accounts to their reporter', () => {
    expect(uploaderIdOf('org-a', { espIdentifier: '123', screenName: 'x' }, 'p1')).toBe('org-a:123');
    expect(uploaderIdOf('org-a', { screenName: { value: 'x' } }, 'p1')).toBe('org-a:x');
    expect(uploaderIdOf('org-a', {}, 'p1')).toBe('person:p1');
    expect(uploaderIdOf('org-a', undefined, null)).toBeNull();
  });
});

describe('jurisdictions', () => {
  it('maps the United Kingdom by region and keeps every candidate, plus the clearinghouse’s country', () => {
    expect(jurisdictionForCountry('GB', 'Scotland')).toBe('GB-SCT');
    expect(jurisdictionForCountry('GB', 'Northern Ireland')).toBe('GB-NIR');
    expect(jurisdictionForCountry('GB', 'Wales')).toBe('GB-EAW');
    expect(jurisdictionForCountry('GB')).toBe('GB-EAW');
    expect(jurisdictionForCountry('DK', 'Scotland')).toBe('DK');
    const candidates = [
      { country: 'DK', confidence: 0.7, evidence: [] },
      { country: 'FI', confidence: 0.2, evidence: [] },
    ];
    expect(incidentJurisdictions(candidates, 'US')).toEqual([
      { jurisdiction: 'DK', reason: 'candidate' },
      { jurisdiction: 'FI', reason: 'candidate' },
      { jurisdiction: 'US', reason: 'clearinghouse' },
    ]);
    expect(incidentJurisdictions(candidates, 'DK')).toHaveLength(2);
    expect(incidentJurisdictions([], null)).toEqual([]);
  });
});

describe('keys and ids', () => {
  it('turns a file row into sorted content keys, dropping malformed digests', () => {
    expect(fileContentKeys({ md5: 'a'.repeat(32), sha1: null, sha256: 'B'.repeat(64), pdq: 'zz' })).toEqual([`md5:${'a'.repeat(32)}`, `sha256:${'b'.repeat(64)}`]);
  });

  it('gives identical facts the same fact-set id whatever the key order', () => {
    const a = factSetId({ conductDate: '2025-01-01', depiction: 'real', depictedAge: 15 });
    const b = factSetId({ depictedAge: 15, depiction: 'real', conductDate: '2025-01-01' });
    expect(a).toBe(b);
    expect(a).toMatch(/^[0-9a-f]{32}$/);
    expect(factSetId({ conductDate: '2025-01-01', depiction: 'real', depictedAge: 14 })).not.toBe(a);
  });
});
