import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { reportToXml } from '../contracts/cybertip-xml.js';
import { sampleReportUsingEverything } from '../contracts/cybertip-samples.js';
import { TiplineError } from '../contracts/errors.js';
import { describeIssues, parseIspwsDocument } from './ispws.service.js';
import { cybertipXsdValidator } from './xsd-validator.js';

const xsd = cybertipXsdValidator();
const recorded = (name: string) =>
  readFileSync(new URL(`../../test/fixtures/ncmec/recorded-2016/${name}`, import.meta.url));

function refusal(root: 'report' | 'fileDetails', body: string | Buffer | undefined): TiplineError {
  try {
    parseIspwsDocument(root, typeof body === 'string' ? Buffer.from(body) : body, xsd);
  } catch (err) {
    if (err instanceof TiplineError) return err;
    throw err;
  }
  throw new Error('the document was accepted');
}

describe('parseIspwsDocument', () => {
  it('returns the JSON form and the text exactly as received', () => {
    const bytes = recorded('submit-request-minimal-report.xml');
    const { value, text } = parseIspwsDocument('report', bytes, xsd);
    expect(text).toBe(bytes.toString('utf8'));
    expect(value.incidentSummary).toEqual({
      incidentType: 'Child Pornography (possession, manufacture, and distribution)',
      incidentDateTime: '2012-10-15T09:00:00-06:00',
    });
  });

  it('gives the XSD verdict (4100) with the element named, as NCMEC did in 2016', () => {
    const err = refusal('report', recorded('submit-request-missing-incidentSummary.xml').toString());
    expect(err.code).toBe('TIP_ERR_INPUT_INVALID');
    expect(err.message).toBe(
      "Element 'reporter': This element is not expected. Expected is one of ( batchedReport, incidentSummary ). (at /report/reporter)",
    );
  });

  it('applies the documented rules once the XSD is satisfied', () => {
    const xml = reportToXml({
      ...sampleReportUsingEverything(3),
      reporter: { reportingPerson: { firstName: 'No', lastName: 'Email' } },
    });
    const err = refusal('report', xml);
    expect(err.code).toBe('TIP_ERR_INPUT_INVALID');
    expect(err.message).toBe(
      "Element 'email' (at /report/reporter/reportingPerson/email): The reporting person's email is required (CyberTipline documentation)",
    );
  });

  it('refuses a document of the other kind', () => {
    expect(
      refusal('fileDetails', recorded('submit-request-minimal-report.xml').toString()).message,
    ).toContain('Expected <fileDetails> as the document element');
  });

  it('keeps hostile and broken documents away from libxml2 (4110) and oversized ones out (413)', () => {
    expect(refusal('report', '<!DOCTYPE report [<!ENTITY a "b">]><report>&a;</report>').code).toBe(
      'TIP_ERR_INPUT_MALFORMED',
    );
    expect(refusal('report', Buffer.from([0x3c, 0x72, 0xff, 0x3e])).code).toBe('TIP_ERR_INPUT_MALFORMED');
    expect(refusal('report', '').code).toBe('TIP_ERR_INPUT_MALFORMED');
    expect(refusal('report', undefined).code).toBe('TIP_ERR_INPUT_MALFORMED');
    expect(refusal('report', '<report><a>').code).toBe('TIP_ERR_INPUT_MALFORMED');
    expect(refusal('report', `<report>${'<a>'.repeat(100)}${'</a>'.repeat(100)}</report>`).code).toBe(
      'TIP_ERR_INPUT_INVALID',
    );
    const big = Buffer.from(`<report>${' '.repeat(2000)}</report>`);
    let tooLarge: unknown;
    try {
      parseIspwsDocument('report', big, xsd, { maxBytes: 1000 });
    } catch (err) {
      tooLarge = err;
    }
    expect(tooLarge).toMatchObject({ code: 'TIP_ERR_INPUT_TOO_LARGE' });
  });
});

describe('describeIssues', () => {
  it('names the element or attribute and the rule, and counts what it leaves out', () => {
    expect(
      describeIssues([
        { message: 'At most 256 characters', xpath: '/report/personOrUserReported[2]/screenName' },
      ]),
    ).toBe("Element 'screenName' (at /report/personOrUserReported[2]/screenName): At most 256 characters");
    expect(
      describeIssues([{ message: 'Expected true or false', xpath: '/report/x/email[1]/@verified' }]),
    ).toBe(
      "Attribute 'verified' of element 'email' (at /report/x/email[1]/@verified): Expected true or false",
    );
    expect(describeIssues([{ message: 'Not well-formed XML: x', xpath: 'line 1, column 3' }])).toBe(
      'Not well-formed XML: x (at line 1, column 3)',
    );
    const many = Array.from({ length: 7 }, (_, i) => ({ message: `m${i}`, xpath: '' }));
    expect(describeIssues(many)).toBe('m0; m1; m2; m3; m4 (and 2 more)');
  });
});
