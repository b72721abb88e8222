import { parsePhoneNumberFromString } from 'libphonenumber-js/max';
import { describe, expect, it } from 'vitest';
import { createDbIpCityLocator } from '../domain/geo/ip-locator.js';
import { countryProfile, fakerFor, isSyntheticCountry, syntheticCountries, syntheticPhone } from './country-profiles.js';
import { syntheticReport } from './synthetic-report.factory.js';

describe('phone numbers', () => {
  it('are valid numbers of the country in both forms, as libphonenumber reads them', () => {
    for (const country of syntheticCountries) {
      const f = fakerFor(country, 7);
      for (let i = 0; i < 100; i++) {
        const p = syntheticPhone(f, country);
        const international = parsePhoneNumberFromString(p.international);
        expect(international?.country, `${country} ${p.international}`).toBe(country);
        expect(international?.isValid(), p.international).toBe(true);
        const national = parsePhoneNumberFromString(p.national, { defaultCallingCode: p.countryCallingCode.slice(1) });
        expect(national?.number, `${country} ${p.national}`).toBe(international?.number);
      }
    }
  });

  it('come from the ranges reserved for fiction where the country has one', () => {
    const reserved: Partial<Record<string, RegExp>> = {
      US: /^\+1 \d{3}-555-01\d\d$/,
      CA: /^\+1 \d{3}-555-01\d\d$/,
      GB: /^\+44 (20 7946 0\d{3}|(113|121|131|161) 496 0\d{3})$/,
      SE: /^\+46 70-174 06 (0[5-9]|[1-9]\d)$/,
      AU: /^\+61 ([27] 5550|[38] 7010) \d{4}$/,
    };
    for (const country of syntheticCountries) {
      expect(countryProfile(country).fictionalPhones).toBe(reserved[country] !== undefined);
      const pattern = reserved[country];
      if (!pattern) continue;
      const f = fakerFor(country, 3);
      for (let i = 0; i < 200; i++) expect(syntheticPhone(f, country).international).toMatch(pattern);
    }
  });

  it('appear in reports in the country of the report', () => {
    for (const country of syntheticCountries) {
      for (let seed = 0; seed < 10; seed++) {
        const phone = syntheticReport({ seed, country }).personOrUserReported![0].personOrUserReportedPerson!.phone![0];
        const parsed = parsePhoneNumberFromString(phone.value, phone.countryCallingCode ? { defaultCallingCode: phone.countryCallingCode.slice(1) } : {});
        expect(parsed?.country, phone.value).toBe(country);
      }
    }
  });
});

describe('public IPv4 blocks for realisticIps', () => {
  const locator = createDbIpCityLocator();

  it('lie entirely in their country according to DB-IP City Lite, at every /24', () => {
    for (const country of syntheticCountries) {
      const blocks = countryProfile(country).publicIpv4Blocks;
      expect(blocks.length).toBeGreaterThanOrEqual(5);
      for (const block of blocks) {
        expect(block).toMatch(/^\d+\.\d+\.0\.0\/16$/);
        const [a, b] = block.split('.');
        for (let c = 0; c < 256; c++) {
          for (const d of [1, 254]) expect(locator.lookup(`${a}.${b}.${c}.${d}`)?.country, `${block} ${c}.${d}`).toBe(country);
        }
      }
    }
  });

  it('give reports whose every IP address geolocates to the chosen country', () => {
    for (const country of syntheticCountries) {
      for (let seed = 0; seed < 10; seed++) {
        const report = syntheticReport({ seed, country, realisticIps: true, persons: 2 });
        const addresses = report.personOrUserReported!.flatMap((p) => p.ipCaptureEvent!.map((e) => e.ipAddress));
        expect(addresses).toHaveLength(6);
        for (const address of addresses) expect(locator.lookup(address)?.country, address).toBe(country);
      }
    }
  });
});

describe('isSyntheticCountry', () => {
  it('accepts the supported codes only', () => {
    expect(isSyntheticCountry('DK')).toBe(true);
    expect(isSyntheticCountry('dk')).toBe(false);
    expect(isSyntheticCountry('XX')).toBe(false);
    expect(isSyntheticCountry(45)).toBe(false);
  });
});
