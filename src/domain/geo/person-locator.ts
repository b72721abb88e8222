/**
 * Where is this person? Collects location evidence from one person block of a report (the JSON form
 * of the CyberTipline XSD: `personOrUserReported`, `intendedRecipient` or `victim`) and ranks the
 * candidate jurisdictions with `rankJurisdictions`. Pure apart from the IP locator passed in.
 *
 * Evidence weights (before ranking; see jurisdiction-ranker.ts for how they combine):
 * | kind | base | adjustments |
 * |---|---|---|
 * | ip (ipCaptureEvent) | 0.6 | × 0.3 if `possibleProxy`; × 0.8 for a Registration event (often old); × recency |
 * | phone | 0.45 | 0.55 if `verified`; × 0.5 if the number is not valid for its country |
 * | address (declared) | 0.35 | country from `country`, else US when a US `state` is given |
 * | estimatedLocation (platform's estimate) | 0.5 | 0.65 if `verified` |
 * | reporter_declared (given by the caller) | 0.7 | |
 * Recency for IP events is relative to the newest dated IP event of the person, so the function
 * needs no clock: factor = max(0.3, 0.5^(days older / 90)); an undated event gets 0.6.
 * Evidence from an `associatedAccount` (billing, linked, parent/guardian…) is weighted × 0.6.
 * Private, reserved and documentation IP addresses, unparseable phones and non-country codes are
 * not evidence; they are listed in `unlocated` with the reason, so an analyst sees they were read.
 *
 * @example
 *   locatePerson(
 *     { ipCaptureEvent: [{ ipAddress: '130.225.0.1', eventName: 'Upload', dateTime: '2025-03-01T10:00:00Z' }],
 *       personOrUserReportedPerson: { phone: [{ value: '+45 20 12 34 56' }] } },
 *     { ipLocator: defaultIpLocator() },
 *   );
 *   // { candidates: [{ country: 'DK', region: 'Central Jutland', confidence: 0.78, evidence: [...] }], unlocated: [] }
 */
import { normaliseCountry } from './country-normaliser.js';
import { classifyIpAddress } from './ip-classifier.js';
import type { IpLocator } from './ip-locator.js';
import { rankJurisdictions, type EvidenceKind, type JurisdictionCandidate, type LocationEvidence, type RankingConfig } from './jurisdiction-ranker.js';
import { locatePhone, phoneText, type PhoneInput } from './phone-locator.js';

// Minimal input shapes, named and nested as in the XSD's JSON form (elements with text and
// attributes are { value, ...attributes }). Intake's generated Zod schema is the full contract.
export interface IpCaptureEventInput {
  ipAddress: string;
  eventName?: string;
  dateTime?: string;
  possibleProxy?: boolean;
  port?: number;
}

export interface AddressInput {
  address?: string;
  city?: string;
  zipCode?: string;
  state?: string;
  nonUsaState?: string;
  country?: string;
  type?: string;
}

export interface EstimatedLocationInput {
  city?: string;
  region?: string;
  countryCode?: string;
  verified?: boolean;
  timestamp?: string;
}

export interface PersonDetailsInput {
  phone?: PhoneInput[];
  address?: AddressInput[];
}

export interface AssociatedAccountInput {
  type?: string;
  phone?: PhoneInput[];
  address?: AddressInput[];
  ipCaptureEvent?: IpCaptureEventInput[];
}

export interface PersonLocationInput {
  personOrUserReportedPerson?: PersonDetailsInput;
  intendedRecipientPerson?: PersonDetailsInput;
  victimPerson?: PersonDetailsInput;
  ipCaptureEvent?: IpCaptureEventInput[];
  estimatedLocation?: EstimatedLocationInput;
  associatedAccount?: AssociatedAccountInput[];
}

export interface DeclaredJurisdiction {
  country: string;
  region?: string;
  detail?: string;
}

export interface UnlocatedEvidence {
  kind: EvidenceKind;
  value: string;
  reason: string;
}

export interface PersonGeolocation {
  candidates: JurisdictionCandidate[];
  unlocated: UnlocatedEvidence[];
}

export interface GeoWeights {
  ip: number;
  ipProxyFactor: number;
  ipRegistrationFactor: number;
  ipRecencyHalfLifeDays: number;
  ipRecencyFloor: number;
  ipUndatedFactor: number;
  phone: number;
  phoneVerified: number;
  phoneInvalidFactor: number;
  address: number;
  estimatedLocation: number;
  estimatedLocationVerified: number;
  reporterDeclared: number;
  associatedAccountFactor: number;
}

export const defaultGeoWeights: GeoWeights = {
  ip: 0.6,
  ipProxyFactor: 0.3,
  ipRegistrationFactor: 0.8,
  ipRecencyHalfLifeDays: 90,
  ipRecencyFloor: 0.3,
  ipUndatedFactor: 0.6,
  phone: 0.45,
  phoneVerified: 0.55,
  phoneInvalidFactor: 0.5,
  address: 0.35,
  estimatedLocation: 0.5,
  estimatedLocationVerified: 0.65,
  reporterDeclared: 0.7,
  associatedAccountFactor: 0.6,
};

export interface LocatePersonOptions {
  ipLocator: IpLocator;
  /** IP events about this person found elsewhere in the report (file upload IPs, peer-to-peer). */
  extraIpEvents?: IpCaptureEventInput[];
  /** Jurisdictions the reporter or an upstream organisation states outright. */
  reporterDeclared?: DeclaredJurisdiction[];
  weights?: Partial<GeoWeights>;
  ranking?: Partial<RankingConfig>;
}

const dayMs = 86_400_000;
const maxItemsPerKind = 1_000;

function arr<T>(x: T[] | undefined): T[] {
  return Array.isArray(x) ? x.slice(0, maxItemsPerKind) : [];
}

function time(text: string | undefined): number | undefined {
  if (typeof text !== 'string') return undefined;
  const t = Date.parse(text);
  return Number.isNaN(t) ? undefined : t;
}

function joinPlace(...parts: (string | undefined)[]): string {
  return parts.filter((p): p is string => typeof p === 'string' && p.trim() !== '').map((p) => p.trim()).join(', ');
}

function nonEmpty(text: string | undefined): string | undefined {
  return typeof text === 'string' && text.trim() !== '' ? text.trim() : undefined;
}

interface IpSource {
  event: IpCaptureEventInput;
  factor: number;
  origin: string;
}

export function collectLocationEvidence(
  person: PersonLocationInput,
  options: LocatePersonOptions,
): { evidence: LocationEvidence[]; unlocated: UnlocatedEvidence[] } {
  const w = { ...defaultGeoWeights, ...options.weights };
  const evidence: LocationEvidence[] = [];
  const unlocated: UnlocatedEvidence[] = [];
  const details = person.personOrUserReportedPerson ?? person.intendedRecipientPerson ?? person.victimPerson ?? {};
  const accounts = arr(person.associatedAccount);

  // IP capture events.
  const ipSources: IpSource[] = [
    ...arr(person.ipCaptureEvent).map((event) => ({ event, factor: 1, origin: 'ipCaptureEvent' })),
    ...arr(options.extraIpEvents).map((event) => ({ event, factor: 1, origin: 'related ipCaptureEvent' })),
    ...accounts.flatMap((a) =>
      arr(a.ipCaptureEvent).map((event) => ({ event, factor: w.associatedAccountFactor, origin: `associated ${a.type ?? 'account'} ipCaptureEvent` })),
    ),
  ];
  const newest = Math.max(-Infinity, ...ipSources.map((s) => time(s.event?.dateTime) ?? -Infinity));
  for (const { event, factor, origin } of ipSources) {
    const value = typeof event?.ipAddress === 'string' ? event.ipAddress : '';
    const c = classifyIpAddress(value);
    if (c.kind === 'invalid') {
      unlocated.push({ kind: 'ip', value, reason: `not an IP address (${c.reason})` });
      continue;
    }
    if (c.kind === 'special') {
      unlocated.push({ kind: 'ip', value, reason: `${c.range}: ${c.description}; not geolocated` });
      continue;
    }
    const location = options.ipLocator.lookup(c.address);
    const country = location ? normaliseCountry(location.country) : undefined;
    if (!location || country?.kind !== 'country') {
      unlocated.push({ kind: 'ip', value, reason: 'public address with no country in the IP database' });
      continue;
    }
    const notes: string[] = [];
    let weight = w.ip * factor;
    if (event.possibleProxy === true) {
      weight *= w.ipProxyFactor;
      notes.push('possible proxy');
    }
    if (event.eventName === 'Registration') {
      weight *= w.ipRegistrationFactor;
      notes.push('registration event');
    }
    const t = time(event.dateTime);
    if (t === undefined) {
      weight *= w.ipUndatedFactor;
      notes.push('undated');
    } else {
      const ageDays = Math.max(0, (newest - t) / dayMs);
      const recency = Math.max(w.ipRecencyFloor, 0.5 ** (ageDays / w.ipRecencyHalfLifeDays));
      weight *= recency;
      if (ageDays >= 1) notes.push(`${Math.round(ageDays)} days before the newest IP event`);
    }
    const via = c.via ? ` (IPv4 ${c.address} inside ${c.via})` : '';
    evidence.push({
      kind: 'ip',
      value,
      detail: `${origin}${event.eventName ? ` ${event.eventName}` : ''}${event.dateTime ? ` at ${event.dateTime}` : ''}${via}: ${location.source} places it in ${joinPlace(location.city, location.region, country.code)}${notes.length ? `; ${notes.join('; ')}` : ''}`,
      country: country.code,
      ...(location.region ? { region: location.region } : {}),
      ...(location.city ? { city: location.city } : {}),
      weight,
    });
  }

  // Phones.
  const phones = [
    ...arr(details.phone).map((phone) => ({ phone, factor: 1, origin: 'phone' })),
    ...accounts.flatMap((a) => arr(a.phone).map((phone) => ({ phone, factor: w.associatedAccountFactor, origin: `associated ${a.type ?? 'account'} phone` }))),
  ];
  for (const { phone, factor, origin } of phones) {
    const value = phoneText(phone);
    const located = locatePhone(phone);
    if (located.kind === 'unlocated') {
      unlocated.push({ kind: 'phone', value, reason: located.reason });
      continue;
    }
    const verified = typeof phone === 'object' && phone.verified === true;
    const weight = (verified ? w.phoneVerified : w.phone) * factor * (located.valid ? 1 : w.phoneInvalidFactor);
    evidence.push({
      kind: 'phone',
      value,
      detail: `${origin} ${located.e164}: numbering plan of ${located.country}${located.lineType ? ` (${located.lineType.toLowerCase()})` : ''}${verified ? '; verified by the platform' : ''}${located.valid ? '' : '; not a valid number there'}`,
      country: located.country,
      weight,
    });
  }

  // Declared addresses.
  const addresses = [
    ...arr(details.address).map((address) => ({ address, factor: 1, origin: 'declared address' })),
    ...accounts.flatMap((a) =>
      arr(a.address).map((address) => ({ address, factor: w.associatedAccountFactor, origin: `associated ${a.type ?? 'account'} address` })),
    ),
  ];
  for (const { address, factor, origin } of addresses) {
    // Street and postcode stay out of the evidence: city, region and country are enough to route.
    const value = joinPlace(address?.city, address?.state ?? address?.nonUsaState, address?.country);
    const region = nonEmpty(address?.state) ?? nonEmpty(address?.nonUsaState);
    let country = nonEmpty(address?.country) ? normaliseCountry(address.country!) : undefined;
    let how = 'country field';
    if (!country && nonEmpty(address?.state)) {
      country = normaliseCountry('US');
      how = 'US state field';
    }
    if (country?.kind !== 'country') {
      unlocated.push({ kind: 'address', value, reason: country ? `country ${country.kind === 'not_a_country' ? `${country.code} is ${country.reason}` : 'not recognised'}` : 'no country or US state' });
      continue;
    }
    const city = nonEmpty(address?.city);
    evidence.push({
      kind: 'address',
      value,
      detail: `${origin}${address?.type ? ` (${address.type})` : ''}, ${how}: ${country.name}`,
      country: country.code,
      ...(region ? { region } : {}),
      ...(city ? { city } : {}),
      weight: w.address * factor,
    });
  }

  // The platform's own estimate.
  const estimate = person.estimatedLocation;
  if (estimate && typeof estimate === 'object') {
    const value = joinPlace(estimate.city, estimate.region, estimate.countryCode);
    const country = nonEmpty(estimate.countryCode) ? normaliseCountry(estimate.countryCode!) : undefined;
    if (country?.kind === 'country') {
      const region = nonEmpty(estimate.region);
      const city = nonEmpty(estimate.city);
      evidence.push({
        kind: 'estimatedLocation',
        value,
        detail: `platform's estimated location${estimate.verified === true ? ', verified' : ''}${estimate.timestamp ? ` at ${estimate.timestamp}` : ''}: ${country.name}`,
        country: country.code,
        ...(region ? { region } : {}),
        ...(city ? { city } : {}),
        weight: estimate.verified === true ? w.estimatedLocationVerified : w.estimatedLocation,
      });
    } else if (value !== '') {
      unlocated.push({
        kind: 'estimatedLocation',
        value,
        reason: country?.kind === 'not_a_country' ? `${country.code} is ${country.reason}` : 'no recognised countryCode',
      });
    }
  }

  for (const declared of arr(options.reporterDeclared)) {
    const country = normaliseCountry(declared?.country ?? '');
    if (country.kind !== 'country') {
      unlocated.push({ kind: 'reporter_declared', value: String(declared?.country ?? ''), reason: 'not a recognised country' });
      continue;
    }
    evidence.push({
      kind: 'reporter_declared',
      value: declared.country,
      detail: declared.detail ?? `declared by the reporter: ${country.name}`,
      country: country.code,
      ...(declared.region ? { region: declared.region } : {}),
      weight: w.reporterDeclared,
    });
  }

  return { evidence, unlocated };
}

export function locatePerson(person: PersonLocationInput, options: LocatePersonOptions): PersonGeolocation {
  const { evidence, unlocated } = collectLocationEvidence(person ?? {}, options);
  return { candidates: rankJurisdictions(evidence, options.ranking), unlocated };
}
