import { describe, expect, it } from 'vitest';
import { bundleIncidents } from './bundle-clusterer.js';
import { applyBundleClassification } from './classification-memory.js';

const facts = { depiction: 'real', depictedAgeBand: 'adolescent', depictedAge: 15, content: 'sex_act' } as const;

function viralBundle() {
  // The scenario: 1,000 synthetic Danish users sharing one (benign, labelled) file.
  const incidents = Array.from({ length: 1000 }, (_, i) => ({
    incidentId: `inc-${String(i).padStart(4, '0')}`,
    uploaderId: `dk-user-${i}`,
    sha256: 'ab'.repeat(32),
  }));
  const [bundle] = bundleIncidents(incidents).bundles;
  return bundle;
}

describe('applyBundleClassification', () => {
  it('applies one classification to every incident of a 1,000-sharer bundle, with its source', () => {
    const bundle = viralBundle();
    expect(bundle.viral).toBe(true);
    const result = applyBundleClassification(bundle, {
      bundleId: bundle.bundleId,
      facts,
      classifiedBy: 'analyst-7',
      classifiedAt: '2025-06-01T12:00:00Z',
    });
    expect(result.status).toBe('ok');
    expect(result.applications).toHaveLength(1000);
    expect(new Set(result.applications.map((a) => a.incidentId)).size).toBe(1000);
    for (const a of result.applications) {
      expect(a.facts).toEqual(facts);
      expect(a.source).toEqual({ kind: 'bundle_classification', bundleId: bundle.bundleId, classifiedBy: 'analyst-7', classifiedAt: '2025-06-01T12:00:00Z' });
    }
    expect(result.results.every((r) => r.code === 'applied')).toBe(true);
  });

  it('gives each incident its own copy of the facts', () => {
    const bundle = viralBundle();
    const { applications } = applyBundleClassification(bundle, { bundleId: bundle.bundleId, facts: { ...facts }, classifiedBy: 'a', classifiedAt: 't' });
    (applications[0].facts as { depictedAge: number }).depictedAge = 17;
    expect(applications[1].facts.depictedAge).toBe(15);
  });

  it('leaves incidents with their own analyst label alone', () => {
    const bundle = viralBundle();
    const own = new Set(['inc-0003', 'inc-0999']);
    const result = applyBundleClassification(bundle, { bundleId: bundle.bundleId, facts, classifiedBy: 'a', classifiedAt: 't' }, { incidentsWithOwnLabel: own });
    expect(result.applications).toHaveLength(998);
    expect(result.results.filter((r) => r.code === 'kept_own_label').map((r) => r.incidentId)).toEqual(['inc-0003', 'inc-0999']);
  });

  it('refuses a classification made for another bundle', () => {
    const bundle = viralBundle();
    expect(applyBundleClassification(bundle, { bundleId: 'bdl_other', facts, classifiedBy: 'a', classifiedAt: 't' })).toEqual({
      status: 'bundle_mismatch',
      applications: [],
      results: [],
    });
  });
});
