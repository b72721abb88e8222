/**
 * What the synthetic data factories need to know about a country: the faker locales for names and
 * places, how its phone numbers look, and a few public IPv4 blocks for geolocation tests.
 *
 * Phone numbers come from ranges the regulator reserves for fiction where one is known, so a fake
 * number never rings a real person:
 *   - US, CA (NANP): NXX-555-0100 to 0199, reserved for fictional use.
 *   - GB (Ofcom drama numbers): 020 7946 0xxx, 0113/0121/0131/0161 496 0xxx. (07700 900xxx is
 *     reserved too, but libphonenumber reports it as no country, which is useless for geolocation.)
 *   - SE (PTS, 2020): 070-174 06 05 to 070-174 06 99.
 *   - AU (ACMA drama numbers as commonly cited, not re-checked against the Numbering Plan here):
 *     (02) 5550 xxxx, (03) 7010 xxxx, (07) 5550 xxxx, (08) 7010 xxxx.
 *   - DK, DE, NO, NL, FR, JP: no reserved range known to us; random numbers in the national
 *     mobile format (fake data, but they may exist).
 *
 * Public IPv4 blocks (used only with `realisticIps: true`; the default is documentation ranges):
 * /16 blocks that DB-IP City Lite (2026-06, the database src/triage/geo uses) places entirely in
 * the country, checked at every /24. They are just numbers; country-profiles.test.ts re-checks
 * generated addresses against that database, so an update that moves a block shows up there.
 *
 * @example
 *   const dk = countryProfile('DK');
 *   syntheticPhone(faker, 'GB'); // { international: '+44 20 7946 0123', national: '020 7946 0123', type: 'Home', countryCallingCode: '+44' }
 *   countryProfile('DK').publicIpv4Blocks; // ['80.160.0.0/16', ...]
 */
import { parsePhoneNumberFromString } from 'libphonenumber-js/max';
import { Faker, base, da, de, en, en_AU, en_CA, en_GB, en_US, fr, ja, nb_NO, nl, sv, type LocaleDefinition } from '@faker-js/faker';

export const syntheticCountries = ['DK', 'US', 'GB', 'DE', 'SE', 'NO', 'NL', 'FR', 'CA', 'AU', 'JP'] as const;
export type SyntheticCountry = (typeof syntheticCountries)[number];

export interface SyntheticPhone {
  /** With the calling code: '+45 20 41 77 13', '+44 20 7946 0123'. */
  international: string;
  /** As dialled inside the country: '20 41 77 13', '020 7946 0123'. */
  national: string;
  type: 'Mobile' | 'Home';
  countryCallingCode: string;
}

export interface SyntheticPlace {
  city: string;
  region: string;
  zipCode: string;
  /** US only: the two-letter code the XSD's `state` element takes. */
  stateCode?: string;
}

export interface CountryProfile {
  country: SyntheticCountry;
  /** Faker locales, most specific first. */
  locales: LocaleDefinition[];
  callingCode: string;
  /** True where phone numbers come from a range reserved for fiction. */
  fictionalPhones: boolean;
  /** National format with its trunk prefix where the country has one ('0' in GB, DE, SE, ...). */
  nationalPhone(f: Faker): NationalPhone;
  /** A city with its region; real place names where a table exists, else faker's. */
  place(f: Faker): SyntheticPlace;
  /** Public IPv4 /16 blocks located in the country (see the module comment). */
  publicIpv4Blocks: readonly string[];
}

const digits = (f: Faker, n: number): string => f.string.numeric({ length: n, allowLeadingZeros: true });

/** Danish towns with their region and a postcode, weighted roughly by population (thousands). */
const danishPlaces: readonly { weight: number; value: SyntheticPlace }[] = [
  { weight: 660, value: { city: 'København', region: 'Region Hovedstaden', zipCode: '2200' } },
  { weight: 290, value: { city: 'Aarhus', region: 'Region Midtjylland', zipCode: '8000' } },
  { weight: 180, value: { city: 'Odense', region: 'Region Syddanmark', zipCode: '5000' } },
  { weight: 120, value: { city: 'Aalborg', region: 'Region Nordjylland', zipCode: '9000' } },
  { weight: 72, value: { city: 'Esbjerg', region: 'Region Syddanmark', zipCode: '6700' } },
  { weight: 63, value: { city: 'Randers', region: 'Region Midtjylland', zipCode: '8900' } },
  { weight: 62, value: { city: 'Kolding', region: 'Region Syddanmark', zipCode: '6000' } },
  { weight: 61, value: { city: 'Horsens', region: 'Region Midtjylland', zipCode: '8700' } },
  { weight: 60, value: { city: 'Vejle', region: 'Region Syddanmark', zipCode: '7100' } },
  { weight: 52, value: { city: 'Roskilde', region: 'Region Sjælland', zipCode: '4000' } },
  { weight: 51, value: { city: 'Herning', region: 'Region Midtjylland', zipCode: '7400' } },
  { weight: 50, value: { city: 'Silkeborg', region: 'Region Midtjylland', zipCode: '8600' } },
  { weight: 47, value: { city: 'Helsingør', region: 'Region Hovedstaden', zipCode: '3000' } },
  { weight: 44, value: { city: 'Næstved', region: 'Region Sjælland', zipCode: '4700' } },
  { weight: 41, value: { city: 'Fredericia', region: 'Region Syddanmark', zipCode: '7000' } },
  { weight: 41, value: { city: 'Viborg', region: 'Region Midtjylland', zipCode: '8800' } },
  { weight: 38, value: { city: 'Køge', region: 'Region Sjælland', zipCode: '4600' } },
  { weight: 37, value: { city: 'Holstebro', region: 'Region Midtjylland', zipCode: '7500' } },
  { weight: 36, value: { city: 'Hillerød', region: 'Region Hovedstaden', zipCode: '3400' } },
  { weight: 34, value: { city: 'Slagelse', region: 'Region Sjælland', zipCode: '4200' } },
  { weight: 29, value: { city: 'Holbæk', region: 'Region Sjælland', zipCode: '4300' } },
  { weight: 27, value: { city: 'Sønderborg', region: 'Region Syddanmark', zipCode: '6400' } },
  { weight: 27, value: { city: 'Svendborg', region: 'Region Syddanmark', zipCode: '5700' } },
  { weight: 26, value: { city: 'Hjørring', region: 'Region Nordjylland', zipCode: '9800' } },
  { weight: 22, value: { city: 'Frederikshavn', region: 'Region Nordjylland', zipCode: '9900' } },
  { weight: 13, value: { city: 'Rønne', region: 'Region Hovedstaden', zipCode: '3700' } },
];

function fakerPlace(f: Faker): SyntheticPlace {
  return { city: f.location.city(), region: f.location.state(), zipCode: f.location.zipCode() };
}

/** A US place whose region and two-letter state code agree (faker's two lists are aligned). */
function usPlace(f: Faker): SyntheticPlace {
  const names = f.definitions.location.state ?? [];
  const codes = f.definitions.location.state_abbr ?? [];
  const i = f.number.int(Math.max(0, Math.min(names.length, codes.length) - 1));
  const stateCode = codes[i];
  return { city: f.location.city(), region: names[i] ?? 'Unknown', zipCode: f.location.zipCode(), ...(stateCode ? { stateCode } : {}) };
}

export interface NationalPhone {
  /** As dialled inside the country, with its trunk prefix (0) where it has one. */
  national: string;
  type: SyntheticPhone['type'];
}

const nanp = (areaCodes: readonly number[]) => (f: Faker): NationalPhone => ({
  national: `${f.helpers.arrayElement(areaCodes)}-555-01${digits(f, 2)}`,
  type: f.helpers.arrayElement(['Mobile', 'Home'] as const),
});

const profiles: Record<SyntheticCountry, CountryProfile> = {
  DK: {
    country: 'DK',
    locales: [da],
    callingCode: '+45',
    fictionalPhones: false,
    nationalPhone: (f) => ({
      // Danish mobile series; eight digits written in pairs, no trunk prefix.
      national: `${f.helpers.arrayElement(['20', '21', '22', '23', '24', '25', '26', '27', '28', '29', '30', '31', '40', '41', '42', '50', '51', '52', '53', '60', '61', '71', '81', '91', '92', '93'])} ${digits(f, 2)} ${digits(f, 2)} ${digits(f, 2)}`,
      type: 'Mobile',
    }),
    place: (f) => f.helpers.weightedArrayElement(danishPlaces),
    publicIpv4Blocks: ['80.160.0.0/16', '80.161.0.0/16', '87.48.0.0/16', '130.225.0.0/16', '188.176.0.0/16', '2.104.0.0/16'],
  },
  US: {
    country: 'US',
    locales: [en_US],
    callingCode: '+1',
    fictionalPhones: true,
    nationalPhone: nanp([202, 212, 305, 312, 415, 617, 713, 206]),
    place: usPlace,
    publicIpv4Blocks: ['12.0.0.0/16', '24.0.0.0/16', '73.0.0.0/16', '73.1.0.0/16', '98.0.0.0/16'],
  },
  GB: {
    country: 'GB',
    locales: [en_GB],
    callingCode: '+44',
    fictionalPhones: true,
    nationalPhone: (f) => ({
      national: f.helpers.arrayElement([
        () => `020 7946 0${digits(f, 3)}`,
        () => `0${f.helpers.arrayElement(['113', '121', '131', '161'])} 496 0${digits(f, 3)}`,
      ])(),
      type: 'Home',
    }),
    place: fakerPlace,
    publicIpv4Blocks: ['81.96.0.0/16', '86.128.0.0/16', '2.96.0.0/16', '31.48.0.0/16', '90.192.0.0/16'],
  },
  DE: {
    country: 'DE',
    locales: [de],
    callingCode: '+49',
    fictionalPhones: false,
    nationalPhone: (f) => ({
      national: `0${f.helpers.arrayElement(['151', '152', '160', '170', '171', '176'])} ${digits(f, 8)}`,
      type: 'Mobile',
    }),
    place: fakerPlace,
    publicIpv4Blocks: ['79.192.0.0/16', '84.128.0.0/16', '87.160.0.0/16', '91.0.0.0/16', '93.192.0.0/16'],
  },
  SE: {
    country: 'SE',
    locales: [sv],
    callingCode: '+46',
    fictionalPhones: true,
    nationalPhone: (f) => ({
      national: `070-174 06 ${f.number.int({ min: 5, max: 99 }).toString().padStart(2, '0')}`,
      type: 'Mobile',
    }),
    place: fakerPlace,
    publicIpv4Blocks: ['78.64.0.0/16', '81.224.0.0/16', '83.248.0.0/16', '90.224.0.0/16', '130.235.0.0/16'],
  },
  NO: {
    country: 'NO',
    locales: [nb_NO],
    callingCode: '+47',
    fictionalPhones: false,
    nationalPhone: (f) => ({
      national: `${f.helpers.arrayElement(['4', '9'])}${digits(f, 2)} ${digits(f, 2)} ${digits(f, 3)}`,
      type: 'Mobile',
    }),
    place: fakerPlace,
    publicIpv4Blocks: ['84.208.0.0/16', '88.88.0.0/16', '77.16.0.0/16', '81.166.0.0/16', '129.240.0.0/16'],
  },
  NL: {
    country: 'NL',
    locales: [nl],
    callingCode: '+31',
    fictionalPhones: false,
    nationalPhone: (f) => ({ national: `06 ${digits(f, 8)}`, type: 'Mobile' }),
    place: fakerPlace,
    publicIpv4Blocks: ['77.160.0.0/16', '84.80.0.0/16', '145.94.0.0/16', '94.208.0.0/16', '62.131.0.0/16'],
  },
  FR: {
    country: 'FR',
    locales: [fr],
    callingCode: '+33',
    fictionalPhones: false,
    nationalPhone: (f) => ({
      national: `0${f.helpers.arrayElement(['6', '7'])} ${digits(f, 2)} ${digits(f, 2)} ${digits(f, 2)} ${digits(f, 2)}`,
      type: 'Mobile',
    }),
    place: fakerPlace,
    publicIpv4Blocks: ['90.0.0.0/16', '86.192.0.0/16', '78.192.0.0/16', '82.64.0.0/16', '88.160.0.0/16'],
  },
  CA: {
    country: 'CA',
    locales: [en_CA],
    callingCode: '+1',
    fictionalPhones: true,
    nationalPhone: nanp([416, 604, 514, 403, 613]),
    place: fakerPlace,
    publicIpv4Blocks: ['24.114.0.0/16', '99.224.0.0/16', '70.24.0.0/16', '142.112.0.0/16', '174.112.0.0/16'],
  },
  AU: {
    country: 'AU',
    locales: [en_AU],
    callingCode: '+61',
    fictionalPhones: true,
    nationalPhone: (f) => ({
      national: f.helpers.arrayElement([
        () => `0${f.helpers.arrayElement(['2', '7'])} 5550 ${digits(f, 4)}`,
        () => `0${f.helpers.arrayElement(['3', '8'])} 7010 ${digits(f, 4)}`,
      ])(),
      type: 'Home',
    }),
    place: fakerPlace,
    publicIpv4Blocks: ['1.120.0.0/16', '101.160.0.0/16', '120.144.0.0/16', '58.104.0.0/16', '124.168.0.0/16'],
  },
  JP: {
    country: 'JP',
    locales: [ja],
    callingCode: '+81',
    fictionalPhones: false,
    nationalPhone: (f) => ({
      national: `0${f.helpers.arrayElement(['70', '80', '90'])}-${digits(f, 4)}-${digits(f, 4)}`,
      type: 'Mobile',
    }),
    place: fakerPlace,
    publicIpv4Blocks: ['126.0.0.0/16', '60.32.0.0/16', '153.128.0.0/16', '219.96.0.0/16', '220.96.0.0/16'],
  },
};

export function isSyntheticCountry(value: unknown): value is SyntheticCountry {
  return typeof value === 'string' && (syntheticCountries as readonly string[]).includes(value);
}

export function countryProfile(country: SyntheticCountry): CountryProfile {
  return profiles[country];
}

/**
 * A phone number of the country in both its national and its international form, valid by
 * libphonenumber's metadata (the library the triage stage geolocates phones with). The national
 * plans allocate ranges more finely than the patterns above, so a drawn number that the metadata
 * does not know is drawn again, rather than keeping a hand-copied table of ranges per country.
 */
export function syntheticPhone(f: Faker, country: SyntheticCountry): SyntheticPhone {
  const profile = profiles[country];
  let phone: SyntheticPhone | undefined;
  for (let attempt = 0; attempt < 50; attempt++) {
    const { national, type } = profile.nationalPhone(f);
    // NANP numbers have no trunk prefix to drop; elsewhere the leading 0 goes when +CC is written.
    const subscriber = profile.callingCode === '+1' ? national : national.replace(/^0/, '');
    phone = { international: `${profile.callingCode} ${subscriber}`, national, type, countryCallingCode: profile.callingCode };
    const parsed = parsePhoneNumberFromString(phone.international);
    if (parsed?.country === country && parsed.isValid()) break;
  }
  return phone!;
}

const fakers = new Map<SyntheticCountry, Faker>();

/**
 * One Faker per country, reseeded by the caller before each use. Building a Faker merges its
 * locales (about a quarter of a millisecond), which adds up over a 1,000-person scenario.
 */
export function fakerFor(country: SyntheticCountry, seed: number): Faker {
  let f = fakers.get(country);
  if (!f) {
    f = new Faker({ locale: [...profiles[country].locales, en, base] });
    fakers.set(country, f);
  }
  f.seed(seed);
  return f;
}
