import { createHash } from 'node:crypto';
import { describe, expect, it, vi } from 'vitest';
import { bundleIdFor } from './bundle-builder.js';
import { bundleIncidents, type BundlingIncident } from './bundle-clusterer.js';

/** Deterministic fake digest of the given hex length. */
function hex(seed: string, length: number): string {
  let out = '';
  for (let i = 0; out.length < length; i++) out += createHash('sha256').update(`${seed}/${i}`).digest('hex');
  return out.slice(0, length);
}
const sha256 = (s: string) => hex(`sha256:${s}`, 64);
const md5 = (s: string) => hex(`md5:${s}`, 32);
const pdq = (s: string) => hex(`pdq:${s}`, 64);

function membersOf(result: ReturnType<typeof bundleIncidents>): string[][] {
  return result.bundles.map((b) => b.members.map((m) => m.incidentId)).sort((a, b) => (a[0] < b[0] ? -1 : 1));
}

describe('bundleIncidents', () => {
  it('joins incidents that share any exact digest, transitively, across digest kinds', () => {
    const result = bundleIncidents([
      { incidentId: 'a', uploaderId: 'u1', sha256: sha256('x') },
      { incidentId: 'b', uploaderId: 'u2', sha256: sha256('x'), md5: md5('x') },
      { incidentId: 'c', uploaderId: 'u3', md5: md5('x') },
      { incidentId: 'd', uploaderId: 'u4', sha256: sha256('y') },
    ]);
    expect(membersOf(result)).toEqual([['a', 'b', 'c'], ['d']]);
    const abc = result.bundles.find((b) => b.members.length === 3)!;
    expect(abc.contentKeys).toEqual([`md5:${md5('x')}`, `sha256:${sha256('x')}`].sort());
    expect(abc.uploaderCount).toBe(3);
    expect(abc.origin).toBe('content');
    expect(result.stats).toMatchObject({ incidents: 4, bundled: 4, bundles: 2, multiMemberBundles: 1, largestBundle: 3 });
  });

  it('derives the bundle id from the smallest member content key', () => {
    const result = bundleIncidents([
      { incidentId: 'a', sha256: sha256('x') },
      { incidentId: 'b', sha256: sha256('x'), md5: md5('x') },
    ]);
    // 'md5:' sorts before 'sha256:'
    expect(result.bundles[0].bundleId).toBe(bundleIdFor(`content:md5:${md5('x')}`));
    expect(result.bundles[0].bundleId).toMatch(/^bdl_[0-9a-f]{24}$/);
  });

  it('gives the same bundles whatever the input order', () => {
    const incidents: BundlingIncident[] = Array.from({ length: 60 }, (_, i) => ({
      incidentId: `inc-${i}`,
      uploaderId: `u-${i % 7}`,
      sha256: sha256(String(i % 11)),
      ...(i % 5 === 0 ? { md5: md5(String(i % 3)) } : {}),
    }));
    const forward = bundleIncidents(incidents);
    const reversed = bundleIncidents([...incidents].reverse());
    expect(reversed.bundles).toEqual(forward.bundles);
  });

  it('joins near-duplicates through the caller’s PDQ neighbour function, asked once per distinct hash', () => {
    const neighbours = vi.fn((hash: string, threshold: number): string[] => {
      expect(threshold).toBe(31);
      if (hash === pdq('p1')) return [pdq('p2'), pdq('not-in-input')];
      return [];
    });
    const result = bundleIncidents(
      [
        { incidentId: 'a', sha256: sha256('a'), pdq: pdq('p1') },
        { incidentId: 'b', sha256: sha256('b'), pdq: pdq('p2') },
        { incidentId: 'c', sha256: sha256('c'), pdq: pdq('p1') },
        { incidentId: 'd', sha256: sha256('d'), pdq: pdq('p3') },
      ],
      { pdqNeighbours: neighbours },
    );
    expect(membersOf(result)).toEqual([['a', 'b', 'c'], ['d']]);
    expect(neighbours).toHaveBeenCalledTimes(3);
    expect(result.stats.pdqLinks).toBe(1);
  });

  it('passes a configured threshold and accepts precomputed near-duplicate pairs', () => {
    const seen: number[] = [];
    const result = bundleIncidents(
      [
        { incidentId: 'a', pdq: pdq('p1') },
        { incidentId: 'b', pdq: pdq('p2') },
        { incidentId: 'c', pdq: pdq('p3') },
      ],
      {
        pdqThreshold: 20,
        pdqNeighbours: (_h, t) => (seen.push(t), []),
        nearDuplicatePairs: [
          [pdq('p2').toUpperCase(), pdq('p3')],
          [pdq('p9'), pdq('p1')],
        ],
      },
    );
    expect(seen).toEqual([20, 20, 20]);
    expect(membersOf(result)).toEqual([['a'], ['b', 'c']]);
  });

  it('counts distinct uploaders and flags viral at the threshold', () => {
    const incidents = (uploaders: number, copies: number): BundlingIncident[] =>
      Array.from({ length: uploaders * copies }, (_, i) => ({ incidentId: `i${i}`, uploaderId: `u${i % uploaders}`, sha256: sha256('meme') }));
    expect(bundleIncidents(incidents(99, 3)).bundles[0]).toMatchObject({ uploaderCount: 99, viral: false });
    expect(bundleIncidents(incidents(100, 1)).bundles[0]).toMatchObject({ uploaderCount: 100, viral: true });
    expect(bundleIncidents(incidents(5, 2), { viralThreshold: 5 }).bundles[0]).toMatchObject({ uploaderCount: 5, viral: true });
    const noUploader = bundleIncidents([{ incidentId: 'x', sha256: sha256('m') }, { incidentId: 'y', uploaderId: '', sha256: sha256('m') }]);
    expect(noUploader.bundles[0]).toMatchObject({ uploaderCount: 0, unknownUploaderCount: 2, viral: false });
  });

  it('reports every incident it could not bundle and warns about malformed digests', () => {
    const result = bundleIncidents([
      { incidentId: 'ok', sha256: sha256('x'), md5: 'not-hex' },
      { incidentId: 'ok', sha256: sha256('y') },
      { incidentId: 'empty' },
      { incidentId: '', sha256: sha256('z') },
      null as never,
      { incidentId: 'x'.repeat(500), sha256: sha256('z') },
    ]);
    expect(result.issues.map((i) => [i.incidentId.slice(0, 5), i.code])).toEqual([
      ['ok', 'invalid_digest'],
      ['ok', 'duplicate_incident'],
      ['empty', 'no_content_key'],
      ['', 'invalid_incident'],
      ['', 'invalid_incident'],
      ['xxxxx', 'invalid_incident'],
    ]);
    expect(membersOf(result)).toEqual([['ok']]);
    expect(result.stats).toMatchObject({ incidents: 6, bundled: 1 });
  });

  it('returns nothing for no incidents', () => {
    expect(bundleIncidents([])).toMatchObject({ bundles: [], issues: [], stats: { bundles: 0 } });
  });

  it('forms one viral bundle of 1,000 sharers among unrelated incidents', () => {
    const viralFile = { sha256: sha256('viral-video'), md5: md5('viral-video'), pdq: pdq('viral-video') };
    const sharers: BundlingIncident[] = Array.from({ length: 1000 }, (_, i) => ({
      incidentId: `dk-${String(i).padStart(4, '0')}`,
      uploaderId: `dk-user-${i}`,
      // Platforms send different subsets of digests; any one shared digest is enough.
      ...(i % 3 === 0 ? { sha256: viralFile.sha256 } : i % 3 === 1 ? { md5: viralFile.md5, sha256: viralFile.sha256 } : { md5: viralFile.md5 }),
    }));
    // Ten re-encoded copies: different digests, PDQ near-duplicates of the original.
    const reencoded: BundlingIncident[] = Array.from({ length: 10 }, (_, i) => ({
      incidentId: `re-${i}`,
      uploaderId: `re-user-${i}`,
      sha256: sha256(`re-${i}`),
      pdq: pdq(`re-${i}`),
    }));
    const unrelated: BundlingIncident[] = Array.from({ length: 500 }, (_, i) => ({ incidentId: `other-${i}`, uploaderId: `o-${i}`, sha256: sha256(`other-${i}`) }));
    const anchor: BundlingIncident = { incidentId: 'anchor', uploaderId: 'dk-user-0', md5: viralFile.md5, pdq: viralFile.pdq };
    const result = bundleIncidents([...unrelated, ...sharers, anchor, ...reencoded], {
      nearDuplicatePairs: reencoded.map((r) => [viralFile.pdq, r.pdq!] as const),
    });
    expect(result.stats).toMatchObject({ bundles: 501, multiMemberBundles: 1, viralBundles: 1, largestBundle: 1011, pdqLinks: 10 });
    const viral = result.bundles.find((b) => b.viral)!;
    expect(viral.members).toHaveLength(1011);
    // dk-user-0 shared twice (as dk-0000 and as the anchor): 1,000 + 10 distinct uploaders.
    expect(viral.uploaderCount).toBe(1010);
    expect(viral.members.map((m) => m.incidentId)).toEqual([...viral.members.map((m) => m.incidentId)].sort());
    expect(viral.bundleId).toBe(bundleIdFor(`content:md5:${md5('viral-video')}`));
  });
});
