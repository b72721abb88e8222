import { describe, expect, it } from 'vitest';
import { locatePhone } from './phone-locator.js';

describe('locatePhone', () => {
  it.each([
    ['+45 20 12 34 56', 'DK'],
    ['+46 70 123 45 67', 'SE'],
    ['+44 20 7946 0958', 'GB'],
    ['0044 20 7946 0958', 'GB'],
    ['+1 212 555 0123', 'US'],
    ['+1 416 555 0123', 'CA'],
  ])('%s → %s', (value, country) => {
    expect(locatePhone(value)).toMatchObject({ kind: 'located', country, valid: true });
  });

  it('uses the countryCallingCode attribute for a national number', () => {
    expect(locatePhone({ value: '20 12 34 56', countryCallingCode: '+45' })).toEqual({
      kind: 'located',
      country: 'DK',
      e164: '+4520123456',
      valid: true,
      lineType: 'FIXED_LINE_OR_MOBILE',
    });
  });

  it('ignores the attribute when the number carries its own prefix', () => {
    expect(locatePhone({ value: '+46 70 123 45 67', countryCallingCode: '+45' })).toMatchObject({ country: 'SE' });
  });

  it('marks a number that does not fit its country as not valid, but still located', () => {
    expect(locatePhone('+45 1')).toEqual({ kind: 'unlocated', reason: 'not a parseable phone number' });
    expect(locatePhone('+45 2012 3456 7890')).toMatchObject({ kind: 'located', country: 'DK', valid: false });
  });

  it.each([
    ['12345', 'no international prefix or countryCallingCode'],
    ['', 'empty phone number'],
    ['+882 1234 5678', 'calling code +882 does not identify one country'],
    ['call me maybe', 'no international prefix or countryCallingCode'],
    ['+'.repeat(200), 'too long to be a phone number'],
  ])('%j is not located: %s', (value, reason) => {
    expect(locatePhone(value)).toEqual({ kind: 'unlocated', reason });
  });

  it('survives a malformed object', () => {
    expect(locatePhone({} as { value: string }).kind).toBe('unlocated');
  });
});
