/** The casework section of the policy module: agencies only, workers act, district users see and act only in their districts. */
import { describe, expect, it } from 'vitest';
import { can, requireDistrictAccess, requireNationalScope, suspectScope, suspectVisible, type Principal } from './policy.js';

const user = (orgRole: Principal['orgRole'], userRole: Principal['userRole']): Principal => ({ kind: 'user', id: 'u1', orgId: 'org-a', orgRole, userRole });

describe('casework policy', () => {
  it('is for agencies: clearinghouses and reporters are refused every casework action', () => {
    for (const action of ['casework.read', 'casework.operation.manage', 'casework.action.record'] as const) {
      expect(can(user('agency', 'analyst'), action)).toBe(true);
      expect(can(user('clearinghouse', 'admin'), action)).toBe(false);
      expect(can(user('reporter', 'admin'), action)).toBe(false);
    }
  });

  it('auditors read but never act; the overview is for supervisors, admins and auditors', () => {
    expect(can(user('agency', 'auditor'), 'casework.read')).toBe(true);
    expect(can(user('agency', 'auditor'), 'casework.suspect.edit')).toBe(false);
    expect(can(user('agency', 'auditor'), 'casework.request.manage')).toBe(false);
    expect(can(user('agency', 'analyst'), 'casework.overview')).toBe(false);
    expect(can(user('agency', 'supervisor'), 'casework.overview')).toBe(true);
    expect(can(user('agency', 'analyst'), 'casework.admin')).toBe(false);
    expect(can(user('agency', 'admin'), 'casework.admin')).toBe(true);
  });

  it('a district user sees only the suspects assigned to its districts', () => {
    const scope = suspectScope(user('agency', 'analyst'), ['DK-FYN']);
    expect(suspectVisible(scope, { orgId: 'org-a', districtCode: 'DK-FYN' })).toBe(true);
    expect(suspectVisible(scope, { orgId: 'org-a', districtCode: 'DK-KBH' })).toBe(false);
    expect(suspectVisible(scope, { orgId: 'org-a', districtCode: null })).toBe(false);
    expect(() => requireNationalScope(scope)).toThrow(/District users/);
    expect(() => requireDistrictAccess(scope, 'DK-KBH')).toThrow(/another district/);
    expect(() => requireDistrictAccess(scope, 'DK-FYN')).not.toThrow();
  });

  it('the national unit (no district membership) sees every suspect of its organisation, and no other organisation’s', () => {
    const scope = suspectScope(user('agency', 'analyst'), []);
    expect(scope.districts).toBeNull();
    expect(suspectVisible(scope, { orgId: 'org-a', districtCode: null })).toBe(true);
    expect(suspectVisible(scope, { orgId: 'org-b', districtCode: null })).toBe(false);
    expect(() => requireNationalScope(scope)).not.toThrow();
    // API keys act as the organisation: national.
    expect(suspectScope({ kind: 'api_key', id: 'k', orgId: 'org-a', orgRole: 'agency' }, ['DK-FYN']).districts).toBeNull();
  });
});
