/**
 * The triage and insights rules of the policy (access/policy.ts), which the routes of src/triage
 * and src/insights declare: what `requireTriageOrg`, the queue's "signed-in users only" check and
 * the bundle list's guard used to decide inside the services.
 */
import { describe, expect, it } from 'vitest';
import { authorize, can, orgRoles, type OrgRole, type Principal, type UserRole } from './policy.js';
import { TiplineError } from '../contracts/errors.js';

const key = (orgRole: OrgRole): Principal => ({ kind: 'api_key', id: 'k', orgId: 'o', orgRole });
const user = (orgRole: OrgRole, userRole: UserRole): Principal => ({ kind: 'user', id: 'u', orgId: 'o', orgRole, userRole });
const triaging = ['clearinghouse', 'agency'] as const;
const notTriaging = ['reporter', 'intermediary'] as const;

function refusal(principal: Principal, action: Parameters<typeof authorize>[1]): TiplineError {
  try {
    authorize(principal, action);
  } catch (err) {
    if (err instanceof TiplineError) return err;
    throw err;
  }
  throw new Error(`${action} was allowed`);
}

describe('triage actions', () => {
  const apiActions = ['triage.read', 'triage.label', 'triage.status', 'triage.bundle.edit'] as const;

  it('let the API keys of clearinghouses and agencies triage, and refuse other organisations with the reason', () => {
    for (const action of apiActions) {
      for (const org of triaging) expect(can(key(org), action), `${action} ${org}`).toBe(true);
      for (const org of notTriaging) {
        const err = refusal(key(org), action);
        expect(err.code).toBe('TIP_ERR_AUTH_FORBIDDEN');
        expect(err.message).toBe('Only clearinghouse and agency organisations triage.');
      }
    }
  });

  it('let every signed-in role of a triaging organisation read, and the people who do the work change', () => {
    for (const org of triaging) {
      for (const role of ['admin', 'supervisor', 'analyst', 'auditor'] as const) expect(can(user(org, role), 'triage.read')).toBe(true);
      for (const action of ['triage.label', 'triage.status', 'triage.bundle.edit', 'triage.assign'] as const) {
        for (const role of ['admin', 'supervisor', 'analyst'] as const) expect(can(user(org, role), action), `${action} ${role}`).toBe(true);
        // Auditors only read (the policy's rule for every stage).
        expect(can(user(org, 'auditor'), action)).toBe(false);
      }
    }
    for (const org of notTriaging) expect(can(user(org, 'admin'), 'triage.read')).toBe(false);
  });

  it('keep the queue workspace (assignments, saved views, bundle list) to people of triaging organisations', () => {
    for (const action of ['triage.assign', 'queue.views', 'bundle.list'] as const) {
      for (const org of triaging) {
        expect(can(user(org, 'analyst'), action)).toBe(true);
        // Keys never reach the workspace: it is for signed-in users.
        expect(can(key(org), action)).toBe(false);
      }
      for (const org of notTriaging) expect(refusal(user(org, 'admin'), action).message).toBe('Only clearinghouse and agency organisations triage.');
    }
    expect(can(user('clearinghouse', 'auditor'), 'queue.views')).toBe(true);
    expect(can(user('clearinghouse', 'auditor'), 'bundle.list')).toBe(true);
  });

  it('keep rule-pack administration to admins of organisations that are not reporters', () => {
    for (const org of orgRoles) {
      for (const action of ['rulepack.read', 'rulepack.sync'] as const) {
        expect(can(user(org, 'admin'), action)).toBe(org !== 'reporter');
        expect(can(user(org, 'supervisor'), action)).toBe(false);
        expect(can(key(org), action)).toBe(false);
      }
    }
  });

  it('trust the deployment itself (jobs, tipline demo) and never the public', () => {
    const system: Principal = { kind: 'system', id: 'tipline-demo', orgId: 'o', orgRole: 'clearinghouse' };
    expect(can(system, 'triage.label')).toBe(true);
    expect(can({ kind: 'public', id: 'p', orgId: 'o', orgRole: 'clearinghouse' }, 'triage.read')).toBe(false);
  });
});
