import { describe, expect, it } from 'vitest';
import { decomposeReport, type ReportLike } from './report-normaliser.js';

function counter() {
  let n = 0;
  return { newId: () => `id-${++n}`, newFileId: () => (++n).toString(16).padStart(32, '0') };
}

const summary = { incidentType: 'Child Pornography (possession, manufacture, and distribution)', incidentDateTime: '2024-03-01T10:00:00Z' };

describe('decomposeReport', () => {
  it('makes one incident per reported person × file, with identifiers and IP events', () => {
    const report: ReportLike = {
      incidentSummary: summary,
      personOrUserReported: [
        {
          personOrUserReportedPerson: { firstName: 'Freja', email: [{ value: 'Freja@Example.com' }], phone: ['+4520000000'] },
          screenName: 'freja_x',
          ipCaptureEvent: [{ ipAddress: '192.0.2.1', eventName: 'Login', dateTime: '2024-03-01T09:00:00Z' }],
          deviceId: [{ idType: 'IMEI', idValue: '490154203237518' }],
          estimatedLocation: { countryCode: 'DK' },
        },
        { screenName: 'other' },
      ],
      victim: [{ victimPerson: { age: 15 } }],
      files: [
        { fileName: 'a.jpg', originalFileHash: [{ value: 'ABCDEF', hashType: 'MD5' }, { value: 'f'.repeat(64), hashType: 'SHA-256' }] },
        { fileName: 'b.jpg', ipCaptureEvent: { ipAddress: '2001:db8::1' } },
      ],
    };
    const r = decomposeReport(report, counter());
    expect(r.persons.map((p) => [p.role, p.ordinal, p.country])).toEqual([
      ['reported', 0, 'DK'],
      ['reported', 1, null],
      ['victim', 0, null],
    ]);
    expect(r.identifiers.filter((i) => i.person_id === r.persons[0].id).map((i) => [i.kind, i.value])).toEqual([
      ['email', 'freja@example.com'],
      ['phone', '+4520000000'],
      ['screenName', 'freja_x'],
      ['deviceId:IMEI', '490154203237518'],
    ]);
    expect(r.files.map((f) => [f.file_name, f.md5, f.sha256])).toEqual([
      ['a.jpg', 'abcdef', 'f'.repeat(64)],
      ['b.jpg', null, null],
    ]);
    expect(r.files[0].id).toMatch(/^[0-9a-f]{32}$/);
    expect(r.ipEvents.map((e) => [e.ip_address, e.person_id !== null, e.file_id !== null])).toEqual([
      ['192.0.2.1', true, false],
      ['2001:db8::1', false, true],
    ]);
    expect(r.incidents).toHaveLength(4);
    expect(new Set(r.incidents.map((i) => `${i.person_id}|${i.file_id}`)).size).toBe(4);
  });

  it('turns a batched report of 1,000 users sharing one file into 1,000 incidents', () => {
    const report: ReportLike = {
      incidentSummary: summary,
      personOrUserReported: Array.from({ length: 1000 }, (_, i) => ({ screenName: `user${i}` })),
      files: [{ fileName: 'viral.mp4' }],
    };
    const r = decomposeReport(report, counter());
    expect(r.incidents).toHaveLength(1000);
    expect(new Set(r.incidents.map((i) => i.file_id)).size).toBe(1);
  });

  it('keeps one report-level incident when there is neither a person nor a file', () => {
    const r = decomposeReport({ incidentSummary: summary }, counter());
    expect(r.incidents).toEqual([{ id: 'id-1', person_id: null, file_id: null, occurred_at: summary.incidentDateTime, incident_type: summary.incidentType }]);
  });
});
