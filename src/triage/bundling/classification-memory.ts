/**
 * Classification memory: content is decided once per bundle and the decision applies to every
 * incident in it, as ICCAM does per file. The classification carries content-level facts
 * (depiction, depicted age band, content level); conduct, its date and the suspect's age stay per
 * incident and are not touched here. An incident with its own analyst label keeps it, since an
 * analyst's label on the incident is more specific than one on its bundle.
 *
 * @example
 *   applyBundleClassification(bundle, {
 *     bundleId: bundle.bundleId,
 *     facts: { depiction: 'real', depictedAgeBand: 'adolescent', depictedAge: 15, content: 'sex_act' },
 *     classifiedBy: 'analyst-7',
 *     classifiedAt: '2025-06-01T12:00:00Z',
 *   });
 *   // { status: 'ok', applications: [{ incidentId, bundleId, facts, source }, …], results: [{ incidentId, code: 'applied' }, …] }
 */
import type { Bundle } from './bundle-builder.js';

export interface BundleClassification<F extends object> {
  bundleId: string;
  facts: F;
  classifiedBy: string;
  classifiedAt: string;
}

export interface ClassificationSource {
  kind: 'bundle_classification';
  bundleId: string;
  classifiedBy: string;
  classifiedAt: string;
}

export interface IncidentFactsApplication<F extends object> {
  incidentId: string;
  bundleId: string;
  facts: F;
  source: ClassificationSource;
}

export type ClassificationItemCode = 'applied' | 'kept_own_label';

export interface ClassificationMemoryResult<F extends object> {
  status: 'ok' | 'bundle_mismatch';
  applications: IncidentFactsApplication<F>[];
  results: { incidentId: string; code: ClassificationItemCode }[];
}

export function applyBundleClassification<F extends object>(
  bundle: Bundle,
  classification: BundleClassification<F>,
  options: { incidentsWithOwnLabel?: ReadonlySet<string> } = {},
): ClassificationMemoryResult<F> {
  if (classification.bundleId !== bundle.bundleId) return { status: 'bundle_mismatch', applications: [], results: [] };
  const source: ClassificationSource = {
    kind: 'bundle_classification',
    bundleId: bundle.bundleId,
    classifiedBy: classification.classifiedBy,
    classifiedAt: classification.classifiedAt,
  };
  const own = options.incidentsWithOwnLabel;
  const applications: IncidentFactsApplication<F>[] = [];
  const results: ClassificationMemoryResult<F>['results'] = [];
  for (const m of bundle.members) {
    if (own?.has(m.incidentId)) {
      results.push({ incidentId: m.incidentId, code: 'kept_own_label' });
      continue;
    }
    // A copy per incident, so a later edit to one incident's facts cannot leak into the others.
    applications.push({ incidentId: m.incidentId, bundleId: bundle.bundleId, facts: { ...classification.facts }, source });
    results.push({ incidentId: m.incidentId, code: 'applied' });
  }
  return { status: 'ok', applications, results };
}
