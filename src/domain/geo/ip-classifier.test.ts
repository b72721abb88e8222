import { describe, expect, it } from 'vitest';
import { classifyIpAddress } from './ip-classifier.js';

describe('classifyIpAddress', () => {
  it.each([
    ['192.0.2.10', 'documentation'],
    ['198.51.100.7', 'documentation'],
    ['203.0.113.255', 'documentation'],
    ['2001:db8::1', 'documentation'],
    ['2001:DB8:0:0:0:0:0:42', 'documentation'],
    ['3fff:1::1', 'documentation'],
    ['10.1.2.3', 'private'],
    ['172.16.0.1', 'private'],
    ['172.31.255.254', 'private'],
    ['192.168.1.20', 'private'],
    ['127.0.0.1', 'loopback'],
    ['::1', 'loopback'],
    ['169.254.10.10', 'link_local'],
    ['fe80::1', 'link_local'],
    ['fe80::1%eth0', 'link_local'],
    ['100.64.0.1', 'cgnat'],
    ['100.127.255.254', 'cgnat'],
    ['0.0.0.0', 'unspecified'],
    ['::', 'unspecified'],
    ['255.255.255.255', 'broadcast'],
    ['224.0.0.251', 'multicast'],
    ['ff02::1', 'multicast'],
    ['fd12:3456:789a::1', 'unique_local'],
    ['198.18.0.1', 'benchmarking'],
    ['240.0.0.1', 'reserved'],
    ['::ffff:192.168.0.1', 'private'],
    ['::ffff:203.0.113.9', 'documentation'],
  ])('%s is %s and is not geolocated', (text, range) => {
    const c = classifyIpAddress(text);
    expect(c.kind).toBe('special');
    if (c.kind === 'special') {
      expect(c.range).toBe(range);
      expect(c.description.length).toBeGreaterThan(10);
    }
  });

  it.each([
    ['8.8.8.8', '8.8.8.8', 4, undefined],
    ['  80.62.116.1 ', '80.62.116.1', 4, undefined],
    ['80.62.116.1:443', '80.62.116.1', 4, undefined],
    ['172.32.0.1', '172.32.0.1', 4, undefined],
    ['100.128.0.1', '100.128.0.1', 4, undefined],
    ['2a00:1450:4001::1', '2a00:1450:4001::1', 6, undefined],
    ['[2A00:1450:4001:0:0:0:0:1]:443', '2a00:1450:4001::1', 6, undefined],
    ['::ffff:8.8.8.8', '8.8.8.8', 4, 'ipv4Mapped'],
    ['64:ff9b::808:808', '8.8.8.8', 4, 'nat64'],
    ['2002:808:808::1', '8.8.8.8', 4, '6to4'],
    // Teredo: client 8.8.8.8 stored inverted (f7f7:f7f7) in the last 32 bits.
    ['2001:0:4136:e378:8000:63bf:f7f7:f7f7', '8.8.8.8', 4, 'teredo'],
  ])('%s is public and looked up as %s', (text, address, version, via) => {
    const c = classifyIpAddress(text);
    expect(c).toEqual(via === undefined ? { kind: 'public', address, version } : { kind: 'public', address, version, via });
  });

  it('reduces an embedded private address to a special range, never to a lookup', () => {
    expect(classifyIpAddress('2002:c0a8:0101::1')).toMatchObject({ kind: 'special', range: 'private', address: '192.168.1.1' });
  });

  it.each(['', '   ', 'localhost', '1.2.3', '1.2.3.4.5', '256.1.1.1', '127.1', '0x7f.0.0.1', '1.2.3.4/24', 'gggg::1', 'x'.repeat(1000)])(
    'rejects %j as invalid without throwing',
    (text) => {
      expect(classifyIpAddress(text).kind).toBe('invalid');
    },
  );

  it('rejects non-string input without throwing', () => {
    expect(classifyIpAddress(42 as unknown as string).kind).toBe('invalid');
  });
});
