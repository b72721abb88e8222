import { describe, expect, it } from 'vitest';
import { TiplineError } from '../contracts/errors.js';
import { authorize } from '../access/policy.js';
import { dashboardRange, dominantOutcomes } from './dashboard.service.js';

describe('dominantOutcomes', () => {
  it('picks per jurisdiction the outcome most incidents have, with the jurisdiction’s total', () => {
    const rows = [
      { jurisdiction: 'DK', outcome: 'not_illegal', incidents: 700 } as const,
      { jurisdiction: 'DK', outcome: 'national_illegal', incidents: 300 } as const,
      { jurisdiction: 'CA', outcome: 'uncertain', incidents: 5 } as const,
    ];
    expect(dominantOutcomes(rows)).toEqual([
      { jurisdiction: 'CA', outcome: 'uncertain', incidents: 5, total: 5 },
      { jurisdiction: 'DK', outcome: 'not_illegal', incidents: 700, total: 1000 },
    ]);
  });

  it('breaks a tie towards the more serious outcome, whatever the order of the rows', () => {
    const a = { jurisdiction: 'NO', outcome: 'not_illegal', incidents: 4 } as const;
    const b = { jurisdiction: 'NO', outcome: 'baseline', incidents: 4 } as const;
    const c = { jurisdiction: 'NO', outcome: 'uncertain', incidents: 4 } as const;
    expect(dominantOutcomes([a, b, c])[0]).toMatchObject({ outcome: 'baseline', total: 12 });
    expect(dominantOutcomes([c, a, b])[0]).toMatchObject({ outcome: 'baseline', total: 12 });
  });

  it('gives nothing for no assessments', () => {
    expect(dominantOutcomes([])).toEqual([]);
  });
});

describe('dashboardRange', () => {
  const now = new Date('2026-12-05T21:00:00Z');

  it('defaults to the last 30 UTC days, today included', () => {
    const r = dashboardRange({}, now);
    expect(r).toMatchObject({ from: '2026-11-06', to: '2026-12-05' });
    expect(r.days).toHaveLength(30);
    expect(r.days[0]).toBe('2026-11-06');
    expect(r.days[29]).toBe('2026-12-05');
  });

  it('takes both days inclusive, across a month end and a leap day', () => {
    expect(dashboardRange({ from: '2028-02-27', to: '2028-03-01' }, now).days).toEqual([
      '2028-02-27',
      '2028-02-28',
      '2028-02-29',
      '2028-03-01',
    ]);
    expect(dashboardRange({ from: '2026-12-05', to: '2026-12-05' }, now).days).toEqual(['2026-12-05']);
  });

  it('refuses impossible dates, reversed ranges and ranges over 366 days with a 400', () => {
    for (const input of [
      { from: '2026-02-29' },
      { to: '2026-13-01' },
      { from: '2026-12-06', to: '2026-12-05' },
      { from: '2025-01-01', to: '2026-12-05' },
    ]) {
      let err: unknown;
      try {
        dashboardRange(input, now);
      } catch (e) {
        err = e;
      }
      expect(err, JSON.stringify(input)).toBeInstanceOf(TiplineError);
      expect((err as TiplineError).code).toBe('TIP_ERR_INPUT_INVALID');
    }
    expect(dashboardRange({ from: '2025-12-05', to: '2026-12-05' }, now).days).toHaveLength(366);
  });
});

// Who sees the dashboard is the policy's `dashboard.read` rule, which its route declares.
const requireDashboardAccess = (principal: Parameters<typeof authorize>[0]) => authorize(principal, 'dashboard.read');

describe('dashboard.read (access/policy.ts)', () => {
  const principal = (
    orgRole: 'reporter' | 'clearinghouse' | 'intermediary' | 'agency',
    userRole?: 'admin' | 'analyst' | 'supervisor' | 'auditor',
  ) => ({
    kind: 'user' as const,
    id: 'u',
    orgId: 'o',
    orgRole,
    ...(userRole ? { userRole } : {}),
  });

  it('lets supervisors, admins and auditors of clearinghouses, intermediaries and agencies in', () => {
    for (const org of ['clearinghouse', 'intermediary', 'agency'] as const) {
      for (const role of ['admin', 'supervisor', 'auditor'] as const)
        expect(() => requireDashboardAccess(principal(org, role))).not.toThrow();
    }
  });

  it('keeps analysts, reporters and keys without a user role out', () => {
    expect(() => requireDashboardAccess(principal('clearinghouse', 'analyst'))).toThrow(TiplineError);
    expect(() => requireDashboardAccess(principal('reporter', 'admin'))).toThrow(TiplineError);
    expect(() => requireDashboardAccess(principal('clearinghouse'))).toThrow(TiplineError);
  });
});
