import { describe, expect, it } from 'vitest';
import { buildBundle, type Bundle } from './bundle-builder.js';
import { bundleIncidents, type BundlingIncident } from './bundle-clusterer.js';
import { mergeBundles, splitBundle } from './bundle-editor.js';

const digest = (c: string) => c.repeat(64).slice(0, 64);

/** Bundles A (a1..a4, content 'a'), B (b1, b2, content 'b'), C (c1, content 'c'). */
function fixture(): Bundle[] {
  const incidents: BundlingIncident[] = [
    ...['a1', 'a2', 'a3', 'a4'].map((id) => ({ incidentId: id, uploaderId: `u-${id}`, sha256: digest('a') })),
    ...['b1', 'b2'].map((id) => ({ incidentId: id, uploaderId: `u-${id}`, sha256: digest('b') })),
    { incidentId: 'c1', uploaderId: 'u-c1', sha256: digest('c') },
  ];
  return bundleIncidents(incidents).bundles;
}

function deepFreeze<T>(x: T): T {
  if (x && typeof x === 'object') {
    for (const v of Object.values(x)) deepFreeze(v);
    Object.freeze(x);
  }
  return x;
}

const idOf = (bundles: Bundle[], incidentId: string) => bundles.find((b) => b.members.some((m) => m.incidentId === incidentId))!.bundleId;

describe('splitBundle', () => {
  it('moves the given incidents into a new bundle and keeps the source id', () => {
    const before = deepFreeze(fixture());
    const a = idOf(before, 'a1');
    const result = splitBundle(before, { bundleId: a, incidentIds: ['a3', 'a2'] });
    expect(result.status).toBe('ok');
    expect(result.results).toEqual([
      { id: 'a3', code: 'ok' },
      { id: 'a2', code: 'ok' },
    ]);
    const [remaining, created] = result.changed;
    expect(remaining).toMatchObject({ bundleId: a, uploaderCount: 2 });
    expect(remaining.members.map((m) => m.incidentId)).toEqual(['a1', 'a4']);
    expect(created).toMatchObject({ origin: 'split', uploaderCount: 2, contentKeys: [`sha256:${digest('a')}`] });
    expect(created.members.map((m) => m.incidentId)).toEqual(['a2', 'a3']);
    expect(created.bundleId).not.toBe(a);
    expect(result.bundles).toHaveLength(4);
    expect(result.removedBundleIds).toEqual([]);
  });

  it('is deterministic', () => {
    const before = fixture();
    const a = idOf(before, 'a1');
    const first = splitBundle(before, { bundleId: a, incidentIds: ['a2', 'a3'] });
    const second = splitBundle(before, { bundleId: a, incidentIds: ['a3', 'a2'] });
    expect(second.changed[1].bundleId).toBe(first.changed[1].bundleId);
  });

  it('gives a reason for each incident it cannot move and moves the rest', () => {
    const before = fixture();
    const a = idOf(before, 'a1');
    const result = splitBundle(before, { bundleId: a, incidentIds: ['a2', 'b1', 'nope', 'a2'] });
    expect(result.status).toBe('ok');
    expect(result.results).toEqual([
      { id: 'a2', code: 'ok' },
      { id: 'b1', code: 'not_in_bundle', bundleId: idOf(before, 'b1') },
      { id: 'nope', code: 'unknown_incident' },
      { id: 'a2', code: 'duplicate' },
    ]);
    expect(result.changed[1].members.map((m) => m.incidentId)).toEqual(['a2']);
  });

  it.each([
    ['an unknown bundle', 'bdl_missing', ['a1'], 'unknown_bundle', [{ id: 'a1', code: 'unknown_bundle' }]],
    ['nothing movable', 'A', ['b1'], 'no_change', [{ id: 'b1', code: 'not_in_bundle' }]],
    ['every member', 'A', ['a1', 'a2', 'a3', 'a4'], 'would_empty_bundle', ['a1', 'a2', 'a3', 'a4'].map((id) => ({ id, code: 'would_empty_bundle' }))],
  ] as const)('changes nothing for %s', (_name, bundle, incidentIds, status, results) => {
    const before = deepFreeze(fixture());
    const bundleId = bundle === 'A' ? idOf(before, 'a1') : bundle;
    const result = splitBundle(before, { bundleId, incidentIds });
    expect(result.status).toBe(status);
    expect(result.results).toMatchObject(results);
    expect(result.bundles).toEqual(before);
    expect(result.changed).toEqual([]);
  });

  it('recomputes the viral flag on both sides', () => {
    const incidents = Array.from({ length: 120 }, (_, i) => ({ incidentId: `i${String(i).padStart(3, '0')}`, uploaderId: `u${i}`, sha256: digest('9') }));
    const [viral] = bundleIncidents(incidents).bundles;
    expect(viral.viral).toBe(true);
    const result = splitBundle([viral], { bundleId: viral.bundleId, incidentIds: incidents.slice(0, 30).map((i) => i.incidentId) });
    expect(result.changed.map((b) => [b.uploaderCount, b.viral])).toEqual([
      [90, false],
      [30, false],
    ]);
  });

  it('never reuses the id of an existing bundle', () => {
    const before = fixture();
    const a = idOf(before, 'a1');
    const first = splitBundle(before, { bundleId: a, incidentIds: ['a2'] });
    // Pretend the bundle from that split already exists when the same split is made again.
    const squatter = buildBundle(first.changed[1].bundleId, 'split', [{ incidentId: 'z9', contentKeys: ['md5:' + '0'.repeat(32)] }]);
    const again = splitBundle([...before, squatter], { bundleId: a, incidentIds: ['a2'] });
    expect(again.status).toBe('ok');
    expect(again.changed[1].bundleId).not.toBe(squatter.bundleId);
    const ids = again.bundles.map((b) => b.bundleId);
    expect(new Set(ids).size).toBe(ids.length);
  });
});

describe('mergeBundles', () => {
  it('joins bundles into the one with the smallest id', () => {
    const before = deepFreeze(fixture());
    const ids = [idOf(before, 'a1'), idOf(before, 'b1'), idOf(before, 'c1')];
    const target = [...ids].sort()[0];
    const result = mergeBundles(before, { bundleIds: [ids[1], ids[2], ids[0]] });
    expect(result.status).toBe('ok');
    expect(result.bundles).toHaveLength(1);
    expect(result.changed[0]).toMatchObject({ bundleId: target, origin: 'merge', uploaderCount: 7 });
    expect(result.changed[0].members.map((m) => m.incidentId)).toEqual(['a1', 'a2', 'a3', 'a4', 'b1', 'b2', 'c1']);
    expect(result.changed[0].contentKeys).toHaveLength(3);
    expect(result.removedBundleIds.sort()).toEqual(ids.filter((id) => id !== target).sort());
    expect(result.results.every((r) => r.code === 'ok')).toBe(true);
  });

  it('merges the known bundles and reports unknown and repeated ones', () => {
    const before = fixture();
    const a = idOf(before, 'a1');
    const b = idOf(before, 'b1');
    const result = mergeBundles(before, { bundleIds: [a, 'bdl_missing', b, a] });
    expect(result.status).toBe('ok');
    expect(result.results).toEqual([
      { id: a, code: 'ok' },
      { id: 'bdl_missing', code: 'unknown_bundle' },
      { id: b, code: 'ok' },
      { id: a, code: 'duplicate' },
    ]);
    expect(result.bundles).toHaveLength(2);
  });

  it('needs two bundles', () => {
    const before = fixture();
    const a = idOf(before, 'a1');
    const result = mergeBundles(before, { bundleIds: [a, a, 'bdl_missing'] });
    expect(result.status).toBe('not_enough_bundles');
    expect(result.results).toEqual([
      { id: a, code: 'not_enough_bundles' },
      { id: a, code: 'duplicate' },
      { id: 'bdl_missing', code: 'unknown_bundle' },
    ]);
    expect(result.bundles).toEqual(before);
    expect(mergeBundles(before, { bundleIds: [] }).status).toBe('not_enough_bundles');
  });

  it('flags the merged bundle viral when the uploaders together reach the threshold', () => {
    const half = (tag: string) =>
      Array.from({ length: 60 }, (_, i) => ({ incidentId: `${tag}${i}`, uploaderId: `${tag}-u${i}`, sha256: digest(tag) }));
    const { bundles } = bundleIncidents([...half('d'), ...half('e')]);
    expect(bundles.map((b) => b.viral)).toEqual([false, false]);
    const result = mergeBundles(bundles, { bundleIds: bundles.map((b) => b.bundleId) });
    expect(result.changed[0]).toMatchObject({ uploaderCount: 120, viral: true });
  });
});
