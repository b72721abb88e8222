/** The signed-in user, shared by the workspace pages. */
import { createContext, useContext } from 'react';

export interface SessionUser {
  id: string;
  email: string;
  role: 'admin' | 'analyst' | 'supervisor' | 'auditor';
  org: { id: string; name: string; role: 'reporter' | 'clearinghouse' | 'intermediary' | 'agency' };
}

export interface SessionInfo {
  user: SessionUser;
  csrfToken: string;
  expiresAt: string;
}

export const SessionContext = createContext<{ session: SessionInfo; signOut: () => Promise<void> } | undefined>(undefined);

export function useSession() {
  const s = useContext(SessionContext);
  if (!s) throw new Error('useSession outside a signed-in workspace');
  return s;
}

/** What each kind of organisation and user can open; the server enforces the same, this only hides what would fail. */
export function navigationFor(user: SessionUser): { href: string; label: string }[] {
  const items: { href: string; label: string }[] = [];
  if (user.org.role !== 'reporter') items.push({ href: '/app', label: 'Queue' });
  else items.push({ href: '/app', label: 'Our reports' });
  if (user.role === 'admin' || user.role === 'supervisor') items.push({ href: '/api/docs', label: 'API reference' });
  return items;
}
