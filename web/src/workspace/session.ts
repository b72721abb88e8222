/**
 * The signed-in user, shared by the workspace pages, and what the user may do. What may be done is
 * the server's decision (the policy module's `capabilities` in the session); the app only hides
 * what the server would refuse. A server that does not send capabilities yet gets the app's old
 * reading of the same rules (`rolesCapabilities`), to be removed once every server sends them.
 */
import { createContext, useContext } from 'react';
import type { SessionInfo, SessionUser } from '../data/session.queries.js';

export type { SessionInfo, SessionOrganisation, SessionUser } from '../data/session.queries.js';

export const SessionContext = createContext<
  { session: SessionInfo; signOut: () => Promise<void>; /** After switching organisation: the new session. */ replaceSession: (s: SessionInfo) => void } | undefined
>(undefined);

export function useSession() {
  const s = useContext(SessionContext);
  if (!s) throw new Error('useSession outside a signed-in workspace');
  return s;
}

/** The policy actions the app asks about (the keys of `rules` in src/access/policy.ts). */
export type Action =
  | 'report.list'
  | 'triage.read'
  | 'bundle.list'
  | 'referral.read'
  | 'referral.send'
  | 'referral.inbox'
  | 'dashboard.read'
  | 'media.reveal'
  | 'exposure.read.own'
  | 'exposure.read.team'
  | 'admin.organisations'
  | 'admin.users'
  | 'admin.keys'
  | 'bank.manage'
  | 'rulepack.read'
  | 'routing.manage';

/** Before the server sent capabilities: what the app used to assume from the organisation's and user's roles. */
export function rolesCapabilities(user: SessionUser): Record<Action, boolean> {
  const org = user.org.role;
  const triaging = org === 'clearinghouse' || org === 'agency';
  const admin = user.role === 'admin';
  const lead = admin || user.role === 'supervisor';
  return {
    'report.list': true,
    'triage.read': triaging,
    'bundle.list': triaging,
    'referral.read': org !== 'reporter',
    'referral.send': org === 'clearinghouse' || org === 'intermediary',
    'referral.inbox': org === 'agency',
    'dashboard.read': org !== 'reporter' && user.role !== 'analyst',
    'media.reveal': user.role !== 'auditor',
    'exposure.read.own': org !== 'reporter',
    'exposure.read.team': lead,
    'admin.organisations': admin,
    'admin.users': admin,
    'admin.keys': admin,
    'bank.manage': admin && triaging,
    'rulepack.read': admin && org !== 'reporter',
    'routing.manage': admin && org !== 'reporter',
  };
}

/** Whether the session's user may do the action: the server's capabilities, or the old reading of roles. */
export function canDo(session: SessionInfo, action: Action): boolean {
  if (session.capabilities) return session.capabilities[action] === true;
  return rolesCapabilities(session.user)[action];
}

export function useCan(): (action: Action) => boolean {
  const { session } = useSession();
  return (action) => canDo(session, action);
}

export interface NavItem {
  href: string;
  label: string;
}

/** The main navigation: a screen is listed when the server lets the user open it. */
export function navigationFor(session: SessionInfo): NavItem[] {
  const can = (a: Action) => canDo(session, a);
  const { user } = session;
  const items: NavItem[] = [];
  items.push({ href: '/app', label: can('triage.read') || can('referral.read') ? 'Queue' : 'Our reports' });
  if (can('referral.inbox')) items.push({ href: '/app/inbox', label: 'Inbox' });
  if (can('bundle.list')) items.push({ href: '/app/bundles', label: 'Bundles' });
  if (can('referral.read')) items.push({ href: '/app/referrals', label: 'Referrals' });
  if (can('dashboard.read')) items.push({ href: '/app/dashboard', label: 'Dashboard' });
  if (can('admin.users')) items.push({ href: '/app/admin', label: 'Admin' });
  // The API reference is public; the link is a shortcut for the people who set up integrations.
  if (user.role === 'admin' || user.role === 'supervisor') items.push({ href: '/api/docs', label: 'API reference' });
  return items;
}
