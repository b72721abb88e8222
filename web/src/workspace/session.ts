/** The signed-in user, shared by the workspace pages. */
import { createContext, useContext } from 'react';

export interface SessionUser {
  id: string;
  email: string;
  role: 'admin' | 'analyst' | 'supervisor' | 'auditor';
  org: { id: string; name: string; role: 'reporter' | 'clearinghouse' | 'intermediary' | 'agency' };
}

/** One of the organisations the user belongs to, with the user's role there. */
export interface SessionOrganisation {
  id: string;
  name: string;
  role: SessionUser['org']['role'];
  userRole: SessionUser['role'];
}

export interface SessionInfo {
  user: SessionUser;
  /** Every organisation the user belongs to (the switcher shows when there are several). */
  organisations?: SessionOrganisation[];
  csrfToken: string;
  expiresAt: string;
}

export const SessionContext = createContext<
  { session: SessionInfo; signOut: () => Promise<void>; /** After switching organisation: the new session. */ replaceSession: (s: SessionInfo) => void } | undefined
>(undefined);

export function useSession() {
  const s = useContext(SessionContext);
  if (!s) throw new Error('useSession outside a signed-in workspace');
  return s;
}

/** What each kind of organisation and user can open; the server enforces the same, this only hides what would fail. */
export function navigationFor(user: SessionUser): { href: string; label: string }[] {
  const items: { href: string; label: string }[] = [];
  const org = user.org.role;
  if (org !== 'reporter') items.push({ href: '/app', label: 'Queue' });
  else items.push({ href: '/app', label: 'Our reports' });
  if (org === 'agency') items.push({ href: '/app/inbox', label: 'Inbox' });
  if (org === 'clearinghouse' || org === 'agency') items.push({ href: '/app/bundles', label: 'Bundles' });
  if (org !== 'reporter') items.push({ href: '/app/referrals', label: 'Referrals' });
  if (org !== 'reporter' && user.role !== 'analyst') items.push({ href: '/app/dashboard', label: 'Dashboard' });
  if (user.role === 'admin') items.push({ href: '/app/admin', label: 'Admin' });
  if (user.role === 'admin' || user.role === 'supervisor') items.push({ href: '/api/docs', label: 'API reference' });
  return items;
}
