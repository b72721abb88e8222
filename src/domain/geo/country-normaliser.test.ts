import { describe, expect, it } from 'vitest';
import { normaliseCountry } from './country-normaliser.js';

describe('normaliseCountry', () => {
  it.each([
    ['DK', 'DK'],
    ['dk', 'DK'],
    [' se ', 'SE'],
    ['DNK', 'DK'],
    ['208', 'DK'],
    ['Denmark', 'DK'],
    ['DENMARK', 'DK'],
    ['Danmark', 'DK'],
    ['Dänemark', 'DK'],
    ['Danemark', 'DK'],
    ['Deutschland', 'DE'],
    ['Sverige', 'SE'],
    ['Norge', 'NO'],
    ['USA', 'US'],
    ['U.S.A.', 'US'],
    ['United States', 'US'],
    ['United States of America', 'US'],
    ['UK', 'GB'],
    ['Great Britain', 'GB'],
    ['GBR', 'GB'],
    ['XK', 'XK'],
    ['Kosovo', 'XK'],
    ['Côte d’Ivoire', 'CI'],
  ])('%j → %s', (text, code) => {
    expect(normaliseCountry(text)).toMatchObject({ kind: 'country', code });
  });

  it('names the country in English', () => {
    expect(normaliseCountry('dk')).toEqual({ kind: 'country', code: 'DK', name: 'Denmark' });
  });

  it.each(['A1', 'A2', 'O1', 'AP', 'EU', 'eu'])('%s is recognised but is not a jurisdiction', (text) => {
    expect(normaliseCountry(text).kind).toBe('not_a_country');
  });

  it.each(['', '  ', 'ZZ', 'QQQ', '999', 'Atlantis', 'x'.repeat(500)])('%j is unknown', (text) => {
    expect(normaliseCountry(text).kind).toBe('unknown');
  });
});
