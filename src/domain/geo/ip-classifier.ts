/**
 * Decides whether an IP address from a report may be geolocated at all. Private, loopback,
 * link-local, CGNAT, documentation, multicast and other special-purpose addresses say nothing about
 * where a person is, so they are recognised and never looked up; an address embedding a public
 * IPv4 address (IPv4-mapped, NAT64, 6to4, Teredo) is reduced to that address.
 *
 * @example
 *   classifyIpAddress('192.0.2.10');   // { kind: 'special', range: 'documentation', ... }
 *   classifyIpAddress('::ffff:8.8.8.8'); // { kind: 'public', address: '8.8.8.8', version: 4, via: 'ipv4Mapped' }
 *   classifyIpAddress('not an ip');    // { kind: 'invalid', reason: '...' }
 */
import ipaddr from 'ipaddr.js';

/** Special-purpose ranges, named for analysts. `reserved` covers whatever else IANA set aside. */
export type SpecialRange =
  | 'private'
  | 'loopback'
  | 'link_local'
  | 'cgnat'
  | 'documentation'
  | 'unspecified'
  | 'broadcast'
  | 'multicast'
  | 'unique_local'
  | 'benchmarking'
  | 'anycast_service'
  | 'reserved';

export type IpClassification =
  | {
      kind: 'public';
      /** The address to look up: canonical text, IPv4 when an IPv4 address was embedded. */
      address: string;
      version: 4 | 6;
      /** How an IPv4 address was found inside an IPv6 one, when it was. */
      via?: 'ipv4Mapped' | 'nat64' | '6to4' | 'teredo';
    }
  | { kind: 'special'; address: string; version: 4 | 6; range: SpecialRange; description: string }
  | { kind: 'invalid'; reason: string };

// ipaddr.js files the documentation blocks under 'reserved'; analysts (and tests with the
// RFC 5737 / RFC 3849 / RFC 9637 addresses) need them named, so they are matched first.
const documentationRanges: [ipaddr.IPv4 | ipaddr.IPv6, number][] = [
  ipaddr.parseCIDR('192.0.2.0/24'),
  ipaddr.parseCIDR('198.51.100.0/24'),
  ipaddr.parseCIDR('203.0.113.0/24'),
  ipaddr.parseCIDR('2001:db8::/32'),
  ipaddr.parseCIDR('3fff::/20'),
];
const benchmarkingV4 = ipaddr.parseCIDR('198.18.0.0/15');
const nat64WellKnown = ipaddr.parseCIDR('64:ff9b::/96');

const rangeNames: Record<string, SpecialRange> = {
  private: 'private',
  loopback: 'loopback',
  linkLocal: 'link_local',
  carrierGradeNat: 'cgnat',
  unspecified: 'unspecified',
  broadcast: 'broadcast',
  multicast: 'multicast',
  uniqueLocal: 'unique_local',
  benchmarking: 'benchmarking',
  as112: 'anycast_service',
  as112v6: 'anycast_service',
  amt: 'anycast_service',
};

const descriptions: Record<SpecialRange, string> = {
  private: 'private network address (RFC 1918); never routed on the internet',
  loopback: 'loopback address; the machine itself',
  link_local: 'link-local address; valid only on one network segment',
  cgnat: 'carrier-grade NAT address (100.64.0.0/10); shared by many subscribers of one provider',
  documentation: 'documentation address (RFC 5737 / RFC 3849 / RFC 9637); not a real host',
  unspecified: 'unspecified address',
  broadcast: 'broadcast address',
  multicast: 'multicast address',
  unique_local: 'unique local IPv6 address (fc00::/7); private network',
  benchmarking: 'benchmarking address (RFC 2544 / RFC 5180); not a real host',
  anycast_service: 'anycast infrastructure address (AS112 / AMT); not a subscriber',
  reserved: 'reserved special-purpose address; not assigned to a subscriber',
};

const maxInputLength = 100;

/** Accepts the forms platforms send: surrounding whitespace, `[v6]`, `v6%zone`, `v4:port`. */
function cleanAddressText(text: string): string {
  let s = text.trim();
  const bracketed = /^\[([^\]]+)\](?::\d{1,5})?$/.exec(s);
  if (bracketed?.[1] !== undefined) s = bracketed[1];
  const v4WithPort = /^(\d{1,3}(?:\.\d{1,3}){3}):\d{1,5}$/.exec(s);
  if (v4WithPort?.[1] !== undefined) s = v4WithPort[1];
  const zone = s.indexOf('%');
  if (zone > 0 && s.includes(':')) s = s.slice(0, zone);
  return s;
}

function special(address: string, version: 4 | 6, range: SpecialRange): IpClassification {
  return { kind: 'special', address, version, range, description: descriptions[range] };
}

function classifyV4(ip: ipaddr.IPv4, via?: 'ipv4Mapped' | 'nat64' | '6to4' | 'teredo'): IpClassification {
  const address = ip.toString();
  if (documentationRanges.some((r) => r[0].kind() === 'ipv4' && ip.match(r))) return special(address, 4, 'documentation');
  if (ip.match(benchmarkingV4)) return special(address, 4, 'benchmarking');
  const range = ip.range();
  if (range === 'unicast') return via === undefined ? { kind: 'public', address, version: 4 } : { kind: 'public', address, version: 4, via };
  return special(address, 4, rangeNames[range] ?? 'reserved');
}

function v4FromParts(hi: number, lo: number): ipaddr.IPv4 {
  return new ipaddr.IPv4([hi >> 8, hi & 0xff, lo >> 8, lo & 0xff]);
}

function classifyV6(ip: ipaddr.IPv6): IpClassification {
  const address = ip.toRFC5952String();
  if (documentationRanges.some((r) => r[0].kind() === 'ipv6' && ip.match(r))) return special(address, 6, 'documentation');
  const p = ip.parts;
  const range = ip.range();
  switch (range) {
    case 'unicast':
      return { kind: 'public', address, version: 6 };
    case 'ipv4Mapped':
    case 'rfc6145':
      return classifyV4(ip.toIPv4Address(), 'ipv4Mapped');
    case 'rfc6052':
      // Only the well-known prefix carries a global IPv4 address; 64:ff9b:1::/48 is local use.
      return ip.match(nat64WellKnown) ? classifyV4(v4FromParts(p[6], p[7]), 'nat64') : special(address, 6, 'reserved');
    case '6to4':
      return classifyV4(v4FromParts(p[1], p[2]), '6to4');
    case 'teredo':
      // The client's public IPv4 address is stored inverted in the last 32 bits (RFC 4380).
      return classifyV4(v4FromParts(~p[6] & 0xffff, ~p[7] & 0xffff), 'teredo');
    default:
      return special(address, 6, rangeNames[range] ?? 'reserved');
  }
}

/** Classifies an address as sent in an `ipCaptureEvent/ipAddress`; never throws. */
export function classifyIpAddress(text: string): IpClassification {
  if (typeof text !== 'string') return { kind: 'invalid', reason: 'not a string' };
  if (text.length > maxInputLength) return { kind: 'invalid', reason: 'too long to be an IP address' };
  const s = cleanAddressText(text);
  if (s === '') return { kind: 'invalid', reason: 'empty' };
  // Strict dotted-quad only: ipaddr.js would also read '127.1' or '0x7f.1', which platforms do not
  // send and which would turn typos into confident lookups.
  if (ipaddr.IPv4.isValidFourPartDecimal(s)) return classifyV4(ipaddr.IPv4.parse(s));
  if (s.includes(':') && ipaddr.IPv6.isValid(s)) return classifyV6(ipaddr.IPv6.parse(s));
  return { kind: 'invalid', reason: 'not an IPv4 dotted-quad or IPv6 address' };
}
