import { describe, expect, it } from 'vitest';
import { validateReportSubmission } from '../../../contracts/report.schema.js';
import { demoReports } from './demo.command.js';

describe('demo scenario', () => {
  const reports = demoReports(400, 5);

  it('is reproducible from its seed, and every generated report is valid', () => {
    expect(JSON.stringify(demoReports(400, 5))).toBe(JSON.stringify(reports));
    expect(JSON.stringify(demoReports(400, 6))).not.toBe(JSON.stringify(reports));
    for (const r of reports) expect(validateReportSubmission(r).ok).toBe(true);
  });

  it('mixes incident types and countries, with files shared between reports (bundles) and a few escalations', () => {
    const types = new Set(reports.map((r) => r.incidentSummary.incidentType));
    expect(types.size).toBeGreaterThanOrEqual(5);
    const digests = reports.flatMap((r) => (r.files ?? []).flatMap((f) => (f.originalFileHash ?? []).filter((h) => h.hashType === 'SHA256').map((h) => h.value)));
    const counts = new Map<string, number>();
    for (const d of digests) counts.set(d, (counts.get(d) ?? 0) + 1);
    expect([...counts.values()].filter((n) => n >= 2).length).toBeGreaterThanOrEqual(3);
    const escalated = reports.filter((r) => r.incidentSummary.escalateToHighPriority !== undefined).length;
    expect(escalated).toBeGreaterThan(0);
    expect(escalated).toBeLessThan(40);
  });
});
