import { createMemo } from '../../platform/app-context.js';
import { describe, expect, it } from 'vitest';
import { defaultIpLocator } from './ip-locator.js';

// These assert what the shipped DB-IP Lite database says for long-stable allocations (Google's and
// Cloudflare's public resolvers, RIPE NCC's own network, the Danish research network). If a monthly
// database update ever moves one, the test is to be updated to the database, not the code.
describe('DB-IP City Lite locator', () => {
  const locator = defaultIpLocator(createMemo());

  it.each([
    ['8.8.8.8', 'US'],
    ['1.1.1.1', 'AU'],
    ['193.0.6.139', 'NL'],
    ['130.225.0.1', 'DK'],
    ['2a00:1450:4001::1', 'DE'],
  ])('locates %s in %s', (address, country) => {
    const location = locator.lookup(address);
    expect(location?.country).toBe(country);
    expect(location?.source).toMatch(/^DB-IP City Lite \d{4}-\d{2}$/);
  });

  it('gives a region and a city where the database has them', () => {
    const location = locator.lookup('8.8.8.8');
    expect(location?.region).toBe('California');
    expect(typeof location?.city).toBe('string');
  });

  it.each(['192.0.2.1', '10.0.0.1', '2001:db8::1', 'not an ip', ''])('has no location for %j', (address) => {
    expect(locator.lookup(address)).toBeNull();
  });
});
