import { describe, expect, it } from 'vitest';
import type { SessionInfo, SessionUser } from '../data/session.queries.js';
import { canDo, navigationFor, rolesCapabilities } from './session.js';

const user = (org: SessionUser['org']['role'], role: SessionUser['role']): SessionUser => ({ id: 'u', email: 'u@example.org', role, org: { id: 'o', name: 'Org', role: org } });
const session = (u: SessionUser, capabilities?: Record<string, boolean>): SessionInfo => ({ user: u, csrfToken: 't', expiresAt: '2030-01-01T00:00:00Z', ...(capabilities ? { capabilities } : {}) });
const labels = (s: SessionInfo) => navigationFor(s).map((i) => i.label);

describe('navigation from the server’s capabilities', () => {
  it('lists a screen only when the server lets the user open it', () => {
    const s = session(user('intermediary', 'analyst'), { 'report.list': true, 'referral.read': true, 'referral.inbox': true, 'triage.read': false, 'bundle.list': false, 'dashboard.read': false, 'admin.users': false });
    expect(labels(s)).toEqual(['Queue', 'Inbox', 'Referrals']);
  });

  it('takes an action the server does not mention as refused', () => {
    const s = session(user('clearinghouse', 'admin'), { 'report.list': true });
    expect(canDo(s, 'triage.read')).toBe(false);
    expect(labels(s)).toEqual(['Our reports', 'API reference']);
  });

  it('follows the capabilities, not the roles, when both are there', () => {
    // A server whose policy gives agencies' analysts the dashboard: the app shows it.
    const s = session(user('agency', 'analyst'), { ...rolesCapabilities(user('agency', 'analyst')), 'dashboard.read': true });
    expect(labels(s)).toContain('Dashboard');
  });
});

describe('navigation from roles (servers that send no capabilities yet)', () => {
  it('gives each kind of organisation and user what the server allowed them', () => {
    expect(labels(session(user('reporter', 'analyst')))).toEqual(['Our reports']);
    expect(labels(session(user('clearinghouse', 'analyst')))).toEqual(['Queue', 'Bundles', 'Referrals']);
    expect(labels(session(user('agency', 'supervisor')))).toEqual(['Queue', 'Inbox', 'Bundles', 'Referrals', 'Dashboard', 'API reference']);
    expect(labels(session(user('intermediary', 'admin')))).toEqual(['Queue', 'Referrals', 'Dashboard', 'Admin', 'API reference']);
    expect(labels(session(user('clearinghouse', 'auditor')))).toEqual(['Queue', 'Bundles', 'Referrals', 'Dashboard']);
  });

  it('lets only clearinghouses and intermediaries refer, and only workers reveal', () => {
    expect(canDo(session(user('clearinghouse', 'analyst')), 'referral.send')).toBe(true);
    expect(canDo(session(user('agency', 'analyst')), 'referral.send')).toBe(false);
    expect(canDo(session(user('clearinghouse', 'auditor')), 'media.reveal')).toBe(false);
  });
});
