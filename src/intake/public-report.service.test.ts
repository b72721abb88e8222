import { describe, expect, it } from 'vitest';
import { newReceiptCode, normaliseReceipt, publicReportDocument, publicReportInputSchema } from './public-report.service.js';
import { validateReportSubmission } from '../contracts/report.schema.js';

const now = new Date('2026-02-03T10:11:12.345Z');

describe('public report document', () => {
  it('maps an anonymous submission to a valid CyberTipline report', () => {
    const input = publicReportInputSchema.parse({ language: 'da', kind: 'images', urls: ['https://example.com/a', 'http://example.org/b?c=1'], description: 'Billeder af børn på en offentlig side.' });
    const doc = publicReportDocument(input, now);
    const v = validateReportSubmission(doc);
    expect(v.ok ? [] : v.issues).toEqual([]);
    expect(doc).toMatchObject({
      incidentSummary: { incidentType: 'Child Pornography (possession, manufacture, and distribution)', incidentDateTime: '2026-02-03T10:11:12Z' },
      internetDetails: [{ webPageIncident: { url: ['https://example.com/a', 'http://example.org/b?c=1'] } }],
      reporter: { reportingPerson: { email: [{ value: 'anonymous@public-report.invalid' }] } },
      additionalInfo: 'Billeder af børn på en offentlig side.',
    });
  });

  it('maps an identified submission with a date and no URLs', () => {
    const input = publicReportInputSchema.parse({
      language: 'en',
      kind: 'grooming',
      description: 'An adult asked my daughter for pictures.',
      incidentDate: '2026-01-30',
      contact: { name: 'Alex Q. Example', email: 'alex@example.com', phone: '+45 20 00 00 00' },
    });
    const doc = publicReportDocument(input, now);
    const v = validateReportSubmission(doc);
    expect(v.ok ? [] : v.issues).toEqual([]);
    expect(doc).not.toHaveProperty('internetDetails');
    expect(doc).toMatchObject({
      incidentSummary: { incidentType: 'Online Enticement of Children for Sexual Acts', incidentDateTime: '2026-01-30T12:00:00Z' },
      reporter: { reportingPerson: { firstName: 'Alex', lastName: 'Q. Example', email: [{ value: 'alex@example.com' }], phone: [{ value: '+45 20 00 00 00' }] } },
    });
  });

  it('refuses non-web URLs, short descriptions and unknown fields', () => {
    const r = publicReportInputSchema.safeParse({ language: 'en', kind: 'images', urls: ['javascript:alert(1)'], description: 'short', extra: 1 });
    expect(r.success).toBe(false);
    const paths = r.success ? [] : r.error.issues.map((i) => i.path.join('/'));
    expect(paths).toEqual(expect.arrayContaining(['urls/0', 'description', '']));
  });
});

describe('receipt codes', () => {
  it('are 16 Crockford symbols in groups of four, from 80 bits', () => {
    expect(newReceiptCode(Buffer.alloc(10, 0))).toBe('0000-0000-0000-0000');
    expect(newReceiptCode(Buffer.alloc(10, 0xff))).toBe('ZZZZ-ZZZZ-ZZZZ-ZZZZ');
    expect(newReceiptCode()).toMatch(/^[0-9A-HJKMNP-TV-Z]{4}(-[0-9A-HJKMNP-TV-Z]{4}){3}$/);
  });

  it('normalise what a person types: case, spaces, hyphens and look-alike letters', () => {
    const code = newReceiptCode();
    expect(normaliseReceipt(code)).toBe(code.replace(/-/g, ''));
    expect(normaliseReceipt(` ${code.toLowerCase().replace(/-/g, ' ')} `)).toBe(code.replace(/-/g, ''));
    expect(normaliseReceipt('oooo-iiii-llll-0000')).toBe('0000111111110000');
    expect(normaliseReceipt('UUUU-0000-0000-0000')).toBeUndefined();
    expect(normaliseReceipt('123')).toBeUndefined();
  });
});
