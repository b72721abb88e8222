import { describe, expect, it } from 'vitest';
// The server's policy module, to show what each kind of user gets from the capabilities it sends.
import { capabilitiesOf, type OrgRole, type UserRole } from '../../../src/access/policy.js';
import type { SessionInfo } from '../data/session.queries.js';
import { canDo, navigationFor } from './session.js';

const session = (org: OrgRole, role: UserRole, capabilities?: Record<string, boolean>): SessionInfo => ({
  user: { id: 'u', email: 'u@example.org', role, org: { id: 'o', name: 'Org', role: org } },
  csrfToken: 't',
  expiresAt: '2030-01-01T00:00:00Z',
  capabilities: capabilities ?? capabilitiesOf({ kind: 'user', id: 'u', orgId: 'o', orgRole: org, userRole: role }),
});
const labels = (s: SessionInfo) => navigationFor(s).map((i) => i.label);

describe('navigation from the server’s capabilities', () => {
  it('gives each kind of organisation and user the screens the policy lets them open', () => {
    expect(labels(session('reporter', 'analyst'))).toEqual(['Our reports']);
    expect(labels(session('clearinghouse', 'analyst'))).toEqual(['Queue', 'Inbox', 'Bundles', 'Referrals']);
    expect(labels(session('agency', 'supervisor'))).toEqual(['Queue', 'Inbox', 'Bundles', 'Referrals', 'Dashboard', 'API reference']);
    expect(labels(session('intermediary', 'admin'))).toEqual(['Queue', 'Inbox', 'Referrals', 'Dashboard', 'Admin', 'API reference']);
    expect(labels(session('clearinghouse', 'auditor'))).toEqual(['Queue', 'Inbox', 'Bundles', 'Referrals', 'Dashboard']);
  });

  it('lists a screen only when the server lets the user open it', () => {
    const s = session('intermediary', 'analyst', { 'report.list': true, 'referral.read': true, 'referral.inbox': true, 'triage.read': false });
    expect(labels(s)).toEqual(['Queue', 'Inbox', 'Referrals']);
  });

  it('takes an action the server does not name as refused', () => {
    const s = session('clearinghouse', 'admin', { 'report.list': true });
    expect(canDo(s, 'triage.read')).toBe(false);
    expect(labels(s)).toEqual(['Our reports', 'API reference']);
  });

  it('follows the capabilities, not the roles', () => {
    // A server whose policy gave agencies' analysts the dashboard: the app shows it without a change of its own.
    const s = session('agency', 'analyst', { ...capabilitiesOf({ kind: 'user', id: 'u', orgId: 'o', orgRole: 'agency', userRole: 'analyst' }), 'dashboard.read': true });
    expect(labels(s)).toContain('Dashboard');
    expect(labels(session('agency', 'analyst'))).not.toContain('Dashboard');
  });

  it('offers the actions by the same rules the server checks', () => {
    expect(canDo(session('clearinghouse', 'analyst'), 'referral.send')).toBe(true);
    expect(canDo(session('clearinghouse', 'auditor'), 'referral.send')).toBe(false);
    expect(canDo(session('clearinghouse', 'auditor'), 'media.reveal')).toBe(false);
    expect(canDo(session('clearinghouse', 'admin'), 'admin.reporters')).toBe(true);
    expect(canDo(session('agency', 'admin'), 'admin.reporters')).toBe(false);
  });
});
