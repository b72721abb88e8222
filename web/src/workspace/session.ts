/**
 * The signed-in user, shared by the workspace pages, and what the user may do. What may be done is
 * the server's decision: the session carries the policy module's capabilities (action → allowed,
 * src/access/policy.ts), and the app only hides what the server would refuse. No rule is restated
 * here.
 */
import { createContext, useContext } from 'react';
import type { SessionInfo } from '../data/session.queries.js';

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
  | 'admin.reporters'
  | 'admin.users'
  | 'admin.keys'
  | 'bank.manage'
  | 'rulepack.read'
  | 'routing.manage';

/** Whether the session's user may do the action (an action the server does not name is refused). */
export function canDo(session: SessionInfo, action: Action): boolean {
  return session.capabilities[action] === true;
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
