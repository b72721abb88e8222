/**
 * Turns what a report says about a country (the XSD `country` type allows "country name or two
 * letter country code") into an ISO 3166-1 alpha-2 code. Accepts alpha-2, alpha-3, numeric codes and
 * names in the main European languages (via `i18n-iso-countries`), ignoring case and diacritics.
 * The GeoIP-style pseudo-codes the XSD also allows (A1 anonymous proxy, A2 satellite, O1 other,
 * AP, EU) are recognised and reported as not being a jurisdiction.
 *
 * @example
 *   normaliseCountry('dk');          // { kind: 'country', code: 'DK', name: 'Denmark' }
 *   normaliseCountry('Danmark');     // { kind: 'country', code: 'DK', name: 'Denmark' }
 *   normaliseCountry('USA');         // { kind: 'country', code: 'US', name: 'United States of America' }
 *   normaliseCountry('A1');          // { kind: 'not_a_country', code: 'A1', reason: 'anonymous proxy' }
 */
import countries from 'i18n-iso-countries';

export type CountryNormalisation =
  | { kind: 'country'; code: string; name: string }
  | { kind: 'not_a_country'; code: string; reason: string }
  | { kind: 'unknown'; reason: string };

const pseudoCodes: Record<string, string> = {
  A1: 'anonymous proxy',
  A2: 'satellite provider',
  O1: 'other country (unspecified)',
  AP: 'Asia/Pacific region, not a country',
  EU: 'Europe, not a country',
};

// Codes in use that i18n-iso-countries does not list as alpha-2: Kosovo (user-assigned XK, used by
// the XSD and the EU) and the UK alias.
const extraCodes: Record<string, { code: string; name: string }> = {
  XK: { code: 'XK', name: 'Kosovo' },
  UK: { code: 'GB', name: 'United Kingdom' },
};

// First language wins when two languages spell different countries alike (none known today).
const nameLanguages = ['en', 'da', 'de', 'fr', 'es', 'it', 'nl', 'sv', 'nb', 'nn', 'fi', 'pl', 'pt'];

function fold(text: string): string {
  return text
    .normalize('NFD')
    .replace(/\p{M}/gu, '')
    .toLowerCase()
    .replace(/[.'’]/g, '')
    .replace(/[\s_-]+/g, ' ')
    .trim();
}

let nameIndex: Map<string, string> | undefined;

function names(): Map<string, string> {
  if (nameIndex) return nameIndex;
  const index = new Map<string, string>();
  for (const lang of nameLanguages) {
    const all = countries.getNames(lang, { select: 'all' });
    for (const [code, list] of Object.entries(all)) {
      for (const name of list) {
        const key = fold(name);
        if (key !== '' && !index.has(key)) index.set(key, code);
      }
    }
  }
  index.set('kosovo', 'XK');
  nameIndex = index;
  return index;
}

function englishName(code: string): string {
  return countries.getName(code, 'en') ?? extraCodes[code]?.name ?? code;
}

const maxInputLength = 100;

export function normaliseCountry(text: string): CountryNormalisation {
  if (typeof text !== 'string') return { kind: 'unknown', reason: 'not a string' };
  if (text.length > maxInputLength) return { kind: 'unknown', reason: 'too long to be a country' };
  const trimmed = text.trim();
  if (trimmed === '') return { kind: 'unknown', reason: 'empty' };
  const upper = trimmed.toUpperCase();
  const pseudo = pseudoCodes[upper];
  if (pseudo !== undefined) return { kind: 'not_a_country', code: upper, reason: pseudo };
  if (/^[A-Z]{2}$/.test(upper)) {
    const extra = extraCodes[upper];
    if (extra) return { kind: 'country', code: extra.code, name: extra.name };
    if (countries.isValid(upper)) return { kind: 'country', code: upper, name: englishName(upper) };
  }
  if (/^[A-Z]{3}$/.test(upper)) {
    const code = countries.alpha3ToAlpha2(upper);
    if (code) return { kind: 'country', code, name: englishName(code) };
  }
  if (/^\d{3}$/.test(upper)) {
    const code = countries.numericToAlpha2(upper);
    if (code) return { kind: 'country', code, name: englishName(code) };
  }
  const byName = names().get(fold(trimmed));
  if (byName) return { kind: 'country', code: byName, name: englishName(byName) };
  return { kind: 'unknown', reason: 'not a recognised country code or name' };
}
