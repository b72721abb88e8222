import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import {
  cybertipDescriptor,
  fileDetailsSchema,
  reportSchema,
  type CyberTipFileDetails,
  type CyberTipReport,
} from './cybertip.generated.js';
import {
  cybertipFieldLimits,
  fileDetailsInputSchema,
  fileDetailsRuleIssues,
  reportInputSchema,
} from './cybertip-rules.js';
import { childElements } from './xsd-descriptor.js';

const minimal = (): CyberTipReport => ({
  incidentSummary: {
    incidentType: 'Child Pornography (possession, manufacture, and distribution)',
    incidentDateTime: '2026-01-15T12:00:00Z',
  },
  reporter: { reportingPerson: { email: [{ value: 'tips@esp.example.com' }] } },
});

const details = (): CyberTipFileDetails => ({
  reportId: 4564654,
  fileId: 'b0754af766b426f2928a02c651ed4b99',
});

function issuesOf(schema: z.ZodType, value: unknown): { path: string; message: string }[] {
  const r = schema.safeParse(value);
  return r.success ? [] : r.error.issues.map((i) => ({ path: i.path.join('/'), message: i.message }));
}

describe('generated report schema: the JSON form', () => {
  it('accepts the smallest report', () => {
    expect(issuesOf(reportInputSchema, minimal())).toEqual([]);
  });

  it('names every missing required element by path', () => {
    const issues = issuesOf(reportSchema, { reporter: { reportingPerson: {} } });
    expect(issues).toContainEqual({ path: 'incidentSummary', message: 'Required (incidentSummary)' });
    const partial = issuesOf(reportSchema, {
      ...minimal(),
      incidentSummary: { incidentType: 'Child Sex Tourism' },
    });
    expect(partial).toEqual([
      {
        path: 'incidentSummary/incidentDateTime',
        message: 'Required (an xs:dateTime such as 2026-01-15T12:00:00Z)',
      },
    ]);
  });

  it('rejects unknown keys, naming them and the allowed ones', () => {
    const issues = issuesOf(reportSchema, {
      ...minimal(),
      reporter: { reportingPerson: { email: [], nickname: 'x' } },
    });
    expect(issues).toHaveLength(1);
    expect(issues[0].path).toBe('reporter/reportingPerson');
    expect(issues[0].message).toMatch(
      /^Unknown field "nickname" in person; allowed: firstName, lastName, phone, email, address, age, dateOfBirth$/,
    );
  });

  it('uses arrays for repeated elements and objects for text+attribute elements', () => {
    const asString = issuesOf(reportSchema, {
      ...minimal(),
      reporter: { reportingPerson: { email: 'a@example.com' } },
    });
    expect(asString[0]?.path).toBe('reporter/reportingPerson/email');
    const bareItem = issuesOf(reportSchema, {
      ...minimal(),
      reporter: { reportingPerson: { email: ['a@example.com'] } },
    });
    expect(bareItem).toEqual([
      { path: 'reporter/reportingPerson/email/0', message: 'Expected an object (email)' },
    ]);
    const ok = issuesOf(reportSchema, {
      ...minimal(),
      reporter: {
        reportingPerson: {
          email: [
            {
              value: 'a@example.com',
              type: 'Work',
              verified: true,
              verificationDate: '2025-01-01T00:00:00Z',
            },
          ],
        },
      },
    });
    expect(ok).toEqual([]);
  });

  it('takes presence flags as true and refuses false', () => {
    const withFlags = (flags: unknown): unknown => ({
      ...minimal(),
      incidentSummary: { ...minimal().incidentSummary, reportAnnotations: flags },
    });
    expect(issuesOf(reportSchema, withFlags({ sextortion: true, spam: true }))).toEqual([]);
    expect(issuesOf(reportSchema, withFlags({ sextortion: false }))).toEqual([
      {
        path: 'incidentSummary/reportAnnotations/sextortion',
        message: 'A presence flag is true or left out (false is not allowed)',
      },
    ]);
  });

  it('checks enumerations, patterns, dates and booleans', () => {
    const bad = {
      ...minimal(),
      incidentSummary: {
        incidentType: 'Online Enticement of Children for Sexual Act',
        incidentDateTime: '2026-01-15 12:00',
      },
      reporter: {
        reportingPerson: {
          email: [{ value: 'a@example.com', verified: 'yes' }],
          phone: [{ value: '202-555-0100', countryCallingCode: '45' }],
          dateOfBirth: '2001-02-30',
          address: [{ country: 'XX' }],
        },
      },
    };
    const issues = issuesOf(reportSchema, bad);
    const byPath = Object.fromEntries(issues.map((i) => [i.path, i.message]));
    expect(byPath['incidentSummary/incidentType']).toMatch(
      /^Not a valid incidentType: expected one of "Child Pornography/,
    );
    expect(byPath['incidentSummary/incidentDateTime']).toMatch(/xs:dateTime/);
    expect(byPath['reporter/reportingPerson/email/0/verified']).toBe('Expected true or false');
    expect(byPath['reporter/reportingPerson/phone/0/countryCallingCode']).toBe(
      'Not a valid phoneCountryCallingCode: must match \\+[0-9]{1,3}',
    );
    expect(byPath['reporter/reportingPerson/dateOfBirth']).toBe('Expected a date such as 2026-01-15');
    expect(byPath['reporter/reportingPerson/address/0/country']).toBe(
      'Not a valid country: expected a value of the XSD type country',
    );
  });

  it('keeps dates as the string given', () => {
    const r = reportSchema.parse({
      ...minimal(),
      incidentSummary: { ...minimal().incidentSummary, incidentDateTime: '2012-10-15T09:00:00.5-06:00' },
    });
    expect(r.incidentSummary.incidentDateTime).toBe('2012-10-15T09:00:00.5-06:00');
  });

  it('bounds integers: xs:int to 32 bits, xs:long to what JSON carries exactly', () => {
    const reported = (extra: Record<string, unknown>): unknown => ({
      ...minimal(),
      personOrUserReported: [extra],
    });
    expect(issuesOf(reportSchema, reported({ priorCTReports: [9007199254740991] }))).toEqual([]);
    expect(issuesOf(reportSchema, reported({ priorCTReports: [2 ** 63] }))).toEqual([
      {
        path: 'personOrUserReported/0/priorCTReports/0',
        message: 'Integer out of range: JSON carries integers exactly only up to ±9007199254740991',
      },
    ]);
    expect(issuesOf(reportSchema, reported({ priorCTReports: [1.5] }))[0]?.message).toBe(
      'Expected an integer',
    );
    const ip = (port: number): unknown => reported({ ipCaptureEvent: [{ ipAddress: '192.0.2.1', port }] });
    expect(issuesOf(reportSchema, ip(2 ** 31))[0]?.path).toBe('personOrUserReported/0/ipCaptureEvent/0/port');
  });

  it('refuses characters XML cannot carry, so every accepted report can be exported', () => {
    const issues = issuesOf(reportSchema, { ...minimal(), additionalInfo: 'bell\u0007' });
    expect(issues).toEqual([
      {
        path: 'additionalInfo',
        message: 'Contains a character XML cannot carry (a control character or a lone surrogate)',
      },
    ]);
    expect(issuesOf(reportSchema, { ...minimal(), additionalInfo: 'lone \uD800 surrogate' })).toHaveLength(1);
    expect(issuesOf(reportSchema, { ...minimal(), additionalInfo: 'tab\tCR\r LF\n 😀 æøå' })).toEqual([]);
  });

  it('requires exactly one branch of internetDetails', () => {
    const withDetails = (d: unknown[]): unknown => ({ ...minimal(), internetDetails: d });
    expect(
      issuesOf(reportSchema, withDetails([{ webPageIncident: { url: ['https://example.com/a'] } }])),
    ).toEqual([]);
    expect(issuesOf(reportSchema, withDetails([{}]))).toEqual([
      {
        path: 'internetDetails/0',
        message:
          'Exactly one of webPageIncident, emailIncident, newsgroupIncident, chatImIncident, onlineGamingIncident, cellPhoneIncident, nonInternetIncident, peer2peerIncident is required; got none',
      },
    ]);
    const two = issuesOf(reportSchema, withDetails([{ webPageIncident: {}, chatImIncident: {} }]));
    expect(two).toEqual([
      {
        path: 'internetDetails/0/chatImIncident',
        message: expect.stringMatching(
          /^Only one of .* may be given; got webPageIncident and chatImIncident$/,
        ) as string,
      },
    ]);
    // Inner errors keep their precise path.
    expect(issuesOf(reportSchema, withDetails([{ cellPhoneIncident: { latitude: 'north' } }]))).toEqual([
      { path: 'internetDetails/0/cellPhoneIncident/latitude', message: 'Expected a finite number' },
    ]);
  });

  it('allows at most one of potentialMeme and fileAnnotations in file details', () => {
    expect(issuesOf(fileDetailsSchema, { ...details(), potentialMeme: true })).toEqual([]);
    expect(issuesOf(fileDetailsSchema, { ...details(), fileAnnotations: { viral: true } })).toEqual([]);
    expect(
      issuesOf(fileDetailsSchema, { ...details(), potentialMeme: true, fileAnnotations: {} })[0]?.message,
    ).toBe('Only one of potentialMeme, fileAnnotations may be given; got potentialMeme and fileAnnotations');
  });

  it('converts to JSON Schema for OpenAPI', () => {
    const schema = z.toJSONSchema(reportInputSchema, { unrepresentable: 'any' }) as {
      properties: Record<string, unknown>;
      required: string[];
    };
    expect(schema.required).toEqual(['incidentSummary', 'reporter']);
    expect(Object.keys(schema.properties)).toContain('personOrUserReported');
  });
});

describe('documented rules (reference §6.2)', () => {
  it('requires the reporting person’s email', () => {
    const r = { ...minimal(), reporter: { reportingPerson: { firstName: 'Test' } } };
    expect(issuesOf(reportSchema, r)).toEqual([]);
    expect(issuesOf(reportInputSchema, r)).toEqual([
      {
        path: 'reporter/reportingPerson/email',
        message: "The reporting person's email is required (CyberTipline documentation)",
      },
    ]);
  });

  it('limits lengths wherever the field occurs, the specific limit winning', () => {
    const long = (n: number): string => 'x'.repeat(n);
    const r: CyberTipReport = {
      ...minimal(),
      incidentSummary: {
        ...minimal().incidentSummary,
        platform: long(257),
        escalateToHighPriority: long(3000),
      },
      reporter: { reportingPerson: { firstName: long(101), email: [{ value: `${long(250)}@example.com` }] } },
      personOrUserReported: [
        {
          screenName: long(257),
          associatedAccount: [
            { type: 'Linked', firstName: long(256), lastName: long(257), platform: { value: long(257) } },
          ],
          ipCaptureEvent: [{ ipAddress: '192.0.2.1', port: 0 }],
          deviceId: [{ idType: 'IMEI', idValue: long(2084) }],
        },
      ],
      victim: [
        {
          victimPerson: {
            age: 151,
            phone: [{ value: long(51), extension: '12345678901' }],
            address: [{ zipCode: long(21) }],
          },
        },
      ],
    };
    const issues = issuesOf(reportInputSchema, r).map((i) => i.path);
    expect(issues.sort()).toEqual(
      [
        'incidentSummary/platform',
        'reporter/reportingPerson/firstName',
        'reporter/reportingPerson/email/0/value',
        'personOrUserReported/0/screenName',
        'personOrUserReported/0/associatedAccount/0/lastName',
        'personOrUserReported/0/associatedAccount/0/platform/value',
        'personOrUserReported/0/ipCaptureEvent/0/port',
        'personOrUserReported/0/deviceId/0/idValue',
        'victim/0/victimPerson/age',
        'victim/0/victimPerson/phone/0/value',
        'victim/0/victimPerson/phone/0/extension',
        'victim/0/victimPerson/address/0/zipCode',
      ].sort(),
    );
    expect(
      issuesOf(reportInputSchema, {
        ...minimal(),
        reporter: { reportingPerson: { firstName: long(101), email: [{ value: 'a@example.com' }] } },
      }),
    ).toEqual([
      {
        path: 'reporter/reportingPerson/firstName',
        message: 'At most 100 characters (CyberTipline documentation); got 101',
      },
    ]);
  });

  it('has no limit naming a field the schema does not have', () => {
    const fields = new Set<string>();
    const types = new Set<string>();
    for (const t of Object.values(cybertipDescriptor.complexTypes)) {
      types.add(t.name);
      for (const e of childElements(t)) {
        fields.add(`${t.name}|${e.name}`);
        types.add(e.xsdType ?? e.type);
      }
      for (const a of t.attributes) fields.add(`${t.name}|@${a.name}`);
    }
    for (const limit of cybertipFieldLimits) {
      if (limit.ofType) expect(types.has(limit.ofType), limit.ofType).toBe(true);
      if (limit.field) {
        const matches = [...fields].filter((f) => {
          const [type, field] = f.split('|');
          return field === limit.field && (!limit.inTypes || limit.inTypes.includes(type));
        });
        expect(matches.length, limit.field).toBeGreaterThan(0);
      }
    }
  });

  it('needs fileViewedByEsp when exifViewedByEsp is true', () => {
    expect(issuesOf(fileDetailsInputSchema, { ...details(), exifViewedByEsp: true })).toEqual([
      { path: 'fileViewedByEsp', message: 'fileViewedByEsp must be true when exifViewedByEsp is true' },
    ]);
    expect(
      issuesOf(fileDetailsInputSchema, { ...details(), exifViewedByEsp: true, fileViewedByEsp: true }),
    ).toEqual([]);
  });

  it('keeps memes and classified files out of "Supplemental Reported"', () => {
    const supplemental = { ...details(), fileRelevance: 'Supplemental Reported' as const };
    expect(issuesOf(fileDetailsInputSchema, supplemental)).toEqual([]);
    expect(
      issuesOf(fileDetailsInputSchema, { ...supplemental, fileAnnotations: { potentialMeme: true } })[0]
        ?.path,
    ).toBe('fileRelevance');
    expect(issuesOf(fileDetailsInputSchema, { ...supplemental, potentialMeme: true })[0]?.path).toBe(
      'fileRelevance',
    );
    expect(
      issuesOf(fileDetailsInputSchema, { ...supplemental, industryClassification: 'A1' })[0]?.message,
    ).toMatch(/industryClassification/);
    expect(
      issuesOf(fileDetailsInputSchema, { ...supplemental, potentialMeme: false, fileRelevance: 'Reported' }),
    ).toEqual([]);
  });

  it('also checks file details without their ids (files declared inside a JSON report)', () => {
    expect(fileDetailsRuleIssues({ exifViewedByEsp: true, originalFileName: 'x'.repeat(2057) })).toEqual([
      {
        path: ['originalFileName'],
        message: 'At most 2056 characters (CyberTipline documentation); got 2057',
      },
      { path: ['fileViewedByEsp'], message: 'fileViewedByEsp must be true when exifViewedByEsp is true' },
    ]);
  });

  it('refuses a blank fileId and over-long hashes and names', () => {
    const issues = issuesOf(fileDetailsInputSchema, {
      ...details(),
      fileId: '',
      originalFileHash: [{ value: 'a'.repeat(65), hashType: 'MD5' }],
      details: [{ type: 'EXIF', nameValuePair: [{ name: 'n'.repeat(65), value: 'v' }] }],
    });
    expect(issues.map((i) => i.path).sort()).toEqual([
      'details/0/nameValuePair/0/name',
      'fileId',
      'originalFileHash/0/value',
    ]);
  });
});
