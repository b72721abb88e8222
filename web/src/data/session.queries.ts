/**
 * The signed-in session: who the user is, in which organisation, the CSRF token, and (from the
 * server's policy module) what the user may do. Signing in, switching organisation and signing out
 * replace it; switching and signing out also drop every other cached answer, so that nothing of
 * another organisation or user stays in memory or on screen.
 */
import { queryOptions, useMutation, useQuery, useQueryClient, type QueryClient } from '@tanstack/react-query';
import { api, ApiError, setCsrfToken } from './api-client.js';
import { keys } from './query-keys.js';

export type OrgRole = 'reporter' | 'clearinghouse' | 'intermediary' | 'agency';
export type UserRole = 'admin' | 'analyst' | 'supervisor' | 'auditor';

export interface SessionUser {
  id: string;
  email: string;
  role: UserRole;
  org: { id: string; name: string; role: OrgRole };
}

/** One of the organisations the user belongs to, with the user's role there. */
export interface SessionOrganisation {
  id: string;
  name: string;
  role: OrgRole;
  userRole: UserRole;
}

export interface SessionInfo {
  user: SessionUser;
  /** Every organisation the user belongs to (the switcher shows when there are several). */
  organisations?: SessionOrganisation[];
  /** Policy action → whether the server lets this user do it, in the organisation of the session. */
  capabilities: Record<string, boolean>;
  csrfToken: string;
  expiresAt: string;
}

export interface SessionRoutes {
  'GET /api/v1/ui/session': { response: SessionInfo };
  'POST /api/v1/ui/session': { body: { email: string; password: string }; response: SessionInfo };
  'POST /api/v1/ui/session/organisation': { body: { orgId: string }; response: SessionInfo };
  'DELETE /api/v1/ui/session': { response: undefined };
}

/** The session, or null when no one is signed in (401) or the server cannot tell. */
export const sessionQuery = queryOptions({
  queryKey: keys.session,
  queryFn: async ({ signal }): Promise<SessionInfo | null> => {
    try {
      const s = await api('GET /api/v1/ui/session', { signal });
      setCsrfToken(s.csrfToken);
      return s;
    } catch (err) {
      // Not signed in, or the server cannot be asked: the sign-in form either way.
      if (err instanceof ApiError || err instanceof TypeError) return null;
      throw err;
    }
  },
  // The session changes only through the mutations below.
  staleTime: Infinity,
});

export function useSessionQuery() {
  return useQuery(sessionQuery);
}

/** A new session (signed in, or switched organisation): everything cached for the previous one goes. */
export function startSession(client: QueryClient, s: SessionInfo | null, options: { keepCache?: boolean } = {}): void {
  setCsrfToken(s?.csrfToken);
  if (!options.keepCache) client.removeQueries({ predicate: (q) => q.queryKey[0] !== keys.session[0] });
  client.setQueryData(keys.session, s);
}

export function useSignIn() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (body: { email: string; password: string }) => api('POST /api/v1/ui/session', { body }),
    onSuccess: (s) => startSession(client, s),
  });
}

export function useSwitchOrganisation() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (orgId: string) => api('POST /api/v1/ui/session/organisation', { body: { orgId } }),
    onSuccess: (s) => startSession(client, s),
  });
}

/** Signs out (even when the server cannot be reached: the app forgets the session either way). */
export function useSignOut() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: () => api('DELETE /api/v1/ui/session').catch(() => undefined),
    onSettled: () => startSession(client, null),
  });
}

/** Reads the session again (after a change that alters it: a new membership of one's own). */
export function refreshSession(client: QueryClient): Promise<void> {
  return client.invalidateQueries({ queryKey: keys.session });
}
