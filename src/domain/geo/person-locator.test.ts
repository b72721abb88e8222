import { createMemo } from '../../platform/app-context.js';
import { describe, expect, it } from 'vitest';
import { defaultIpLocator, type IpLocation, type IpLocator } from './ip-locator.js';
import { collectLocationEvidence, locatePerson } from './person-locator.js';

// A fixed table stands in for the database where the scoring, not the data, is under test.
// 80.62.0.0 and 90.0.0.0 are arbitrary public addresses here.
const fakeLocator: IpLocator = {
  lookup(address: string): IpLocation | null {
    const table: Record<string, IpLocation> = {
      '80.62.116.1': { country: 'DK', region: 'Central Jutland', city: 'Herning', source: 'fake DB' },
      '80.62.116.2': { country: 'DK', region: 'Capital Region', city: 'Copenhagen', source: 'fake DB' },
      '90.0.0.1': { country: 'SE', region: 'Skåne', city: 'Malmö', source: 'fake DB' },
      '8.8.8.8': { country: 'US', region: 'California', source: 'fake DB' },
    };
    return table[address] ?? null;
  },
};

describe('locatePerson', () => {
  it('never geolocates private, documentation or CGNAT addresses, and says why', () => {
    const lookedUp: string[] = [];
    const spy: IpLocator = { lookup: (a) => (lookedUp.push(a), null) };
    const result = locatePerson(
      {
        ipCaptureEvent: [
          { ipAddress: '192.168.1.4' },
          { ipAddress: '203.0.113.9' },
          { ipAddress: '2001:db8::7' },
          { ipAddress: '100.64.3.3' },
          { ipAddress: '127.0.0.1' },
          { ipAddress: 'fe80::1' },
          { ipAddress: 'garbage' },
        ],
      },
      { ipLocator: spy },
    );
    expect(lookedUp).toEqual([]);
    expect(result.candidates).toEqual([]);
    expect(result.unlocated.map((u) => u.reason.split(':')[0])).toEqual([
      'private',
      'documentation',
      'documentation',
      'cgnat',
      'loopback',
      'link_local',
      'not an IP address (not an IPv4 dotted-quad or IPv6 address)',
    ]);
  });

  it('combines IP, phone, address and estimated location that agree', () => {
    const result = locatePerson(
      {
        personOrUserReportedPerson: {
          phone: [{ value: '20 12 34 56', countryCallingCode: '+45' }],
          address: [{ city: 'Herning', country: 'Danmark', address: 'Secret street 1', zipCode: '7400' }],
        },
        ipCaptureEvent: [{ ipAddress: '80.62.116.1', eventName: 'Upload', dateTime: '2025-03-01T10:00:00Z' }],
        estimatedLocation: { countryCode: 'DK', region: 'Central Jutland' },
      },
      { ipLocator: fakeLocator },
    );
    expect(result.unlocated).toEqual([]);
    expect(result.candidates).toHaveLength(1);
    const [dk] = result.candidates;
    // 1 − (1 − 0.6)(1 − 0.45)(1 − 0.35)(1 − 0.5) = 0.9285
    expect(dk).toMatchObject({ country: 'DK', region: 'Central Jutland', city: 'Herning', confidence: 0.929 });
    expect(dk.evidence.map((e) => e.kind)).toEqual(['ip', 'estimatedLocation', 'phone', 'address']);
    // The street and postcode never reach the evidence trail.
    expect(JSON.stringify(dk)).not.toMatch(/Secret street|7400/);
    expect(dk.evidence[0].detail).toContain('fake DB places it in Herning, Central Jutland, DK');
  });

  it('ranks the country of recent IP events above the country of old ones', () => {
    const result = locatePerson(
      {
        ipCaptureEvent: [
          { ipAddress: '90.0.0.1', eventName: 'Login', dateTime: '2024-01-01T00:00:00Z' },
          { ipAddress: '80.62.116.1', eventName: 'Login', dateTime: '2025-01-01T00:00:00Z' },
        ],
      },
      { ipLocator: fakeLocator },
    );
    expect(result.candidates.map((c) => c.country)).toEqual(['DK', 'SE']);
    const se = result.candidates[1];
    // A year older: 0.5^(366/90) is below the floor, so 0.6 · 0.3.
    expect(se.evidence[0].weight).toBe(0.18);
    expect(se.evidence[0].detail).toContain('366 days before the newest IP event');
  });

  it('discounts possible proxies and registration events', () => {
    const { evidence } = collectLocationEvidence(
      {
        ipCaptureEvent: [
          { ipAddress: '8.8.8.8', possibleProxy: true, dateTime: '2025-01-01T00:00:00Z' },
          { ipAddress: '80.62.116.1', eventName: 'Registration', dateTime: '2025-01-01T00:00:00Z' },
          { ipAddress: '80.62.116.2' },
        ],
      },
      { ipLocator: fakeLocator },
    );
    expect(evidence.map((e) => [e.country, Math.round(e.weight * 1000) / 1000])).toEqual([
      ['US', 0.18],
      ['DK', 0.48],
      ['DK', 0.36],
    ]);
    expect(evidence[0].detail).toContain('possible proxy');
    expect(evidence[2].detail).toContain('undated');
  });

  it('reads verified flags, associated accounts and reporter declarations', () => {
    const { evidence } = collectLocationEvidence(
      {
        victimPerson: { phone: [{ value: '+46 70 123 45 67', verified: true }] },
        estimatedLocation: { countryCode: 'SE', verified: true },
        associatedAccount: [{ type: 'Parent/Guardian', address: [{ city: 'Malmö', country: 'SE' }] }],
      },
      { ipLocator: fakeLocator, reporterDeclared: [{ country: 'NO', detail: 'legal process served by NO police' }] },
    );
    expect(evidence.map((e) => [e.kind, e.country, Math.round(e.weight * 1000) / 1000])).toEqual([
      ['phone', 'SE', 0.55],
      ['address', 'SE', 0.21],
      ['estimatedLocation', 'SE', 0.65],
      ['reporter_declared', 'NO', 0.7],
    ]);
    expect(evidence[1].detail).toContain('associated Parent/Guardian address');
  });

  it('takes a US state as the country when none is given', () => {
    const result = locatePerson({ intendedRecipientPerson: { address: [{ city: 'Austin', state: 'TX' }] } }, { ipLocator: fakeLocator });
    expect(result.candidates[0]).toMatchObject({ country: 'US', region: 'TX', city: 'Austin', confidence: 0.35 });
  });

  it('lists what could not be placed', () => {
    const result = locatePerson(
      {
        personOrUserReportedPerson: { phone: ['12345'], address: [{ city: 'Nowhere' }, { country: 'A1' }] },
        estimatedLocation: { countryCode: 'EU', city: 'Brussels' },
      },
      { ipLocator: fakeLocator, reporterDeclared: [{ country: 'Atlantis' }] },
    );
    expect(result.candidates).toEqual([]);
    expect(result.unlocated).toEqual([
      { kind: 'phone', value: '12345', reason: 'no international prefix or countryCallingCode' },
      { kind: 'address', value: 'Nowhere', reason: 'no country or US state' },
      { kind: 'address', value: 'A1', reason: 'country A1 is anonymous proxy' },
      { kind: 'estimatedLocation', value: 'Brussels, EU', reason: 'EU is Europe, not a country' },
      { kind: 'reporter_declared', value: 'Atlantis', reason: 'not a recognised country' },
    ]);
  });

  it('handles an empty or malformed person without throwing', () => {
    expect(locatePerson({}, { ipLocator: fakeLocator })).toEqual({ candidates: [], unlocated: [] });
    const hostile = { ipCaptureEvent: [null, { ipAddress: 5 }], personOrUserReportedPerson: { phone: [null], address: [null] } } as never;
    expect(() => locatePerson(hostile, { ipLocator: fakeLocator })).not.toThrow();
  });

  it('geolocates with the shipped DB-IP database end to end', () => {
    const result = locatePerson(
      {
        ipCaptureEvent: [
          { ipAddress: '130.225.0.1', eventName: 'Upload', dateTime: '2025-03-01T10:00:00Z' },
          { ipAddress: '10.0.0.8', eventName: 'Login', dateTime: '2025-03-01T10:00:00Z' },
          { ipAddress: '::ffff:8.8.8.8', eventName: 'Login', dateTime: '2024-01-01T10:00:00Z' },
        ],
        personOrUserReportedPerson: { phone: [{ value: '+45 20 12 34 56' }] },
      },
      { ipLocator: defaultIpLocator(createMemo()) },
    );
    expect(result.candidates.map((c) => c.country)).toEqual(['DK', 'US']);
    expect(result.candidates[0].evidence[0].detail).toMatch(/DB-IP City Lite \d{4}-\d{2} places it in .*DK/);
    expect(result.unlocated).toEqual([{ kind: 'ip', value: '10.0.0.8', reason: expect.stringMatching(/^private: /) }]);
  });
});
