import { QueryClientProvider } from '@tanstack/react-query';
import { act, renderHook, waitFor } from '@testing-library/react';
import type { ReactNode } from 'react';
import { describe, expect, it } from 'vitest';
import { error, mockApi, testQueryClient } from '../testing/mock-api.js';
import { api } from './api-client.js';
import { keys } from './query-keys.js';
import { sessionQuery, useSessionQuery, useSignIn, useSignOut, useSwitchOrganisation, type SessionInfo } from './session.queries.js';

const info = (orgId: string, csrfToken: string): SessionInfo => ({
  user: { id: 'u1', email: 'a@example.org', role: 'analyst', org: { id: orgId, name: orgId, role: 'clearinghouse' } },
  capabilities: { 'session.use': true },
  csrfToken,
  expiresAt: '2030-01-01T00:00:00Z',
});

function setup(routes: Parameters<typeof mockApi>[0]) {
  const server = mockApi(routes);
  const client = testQueryClient();
  const wrapper = (props: { children: ReactNode }) => <QueryClientProvider client={client}>{props.children}</QueryClientProvider>;
  return { server, client, wrapper };
}

describe('the session', () => {
  it('is null when no one is signed in', async () => {
    const { client } = setup({ 'GET /api/v1/ui/session': () => error(401, 'TIP_ERR_AUTH_REQUIRED') });
    await expect(client.fetchQuery(sessionQuery)).resolves.toBeNull();
  });

  it('signing in keeps the session and its CSRF token for the next change', async () => {
    const { server, wrapper } = setup({
      'GET /api/v1/ui/session': () => error(401, 'TIP_ERR_AUTH_REQUIRED'),
      'POST /api/v1/ui/session': () => info('ch', 'csrf-a'),
      'POST /api/v1/triage/status': () => ({ results: [] }),
    });
    const { result } = renderHook(() => ({ session: useSessionQuery(), signIn: useSignIn() }), { wrapper });
    await waitFor(() => expect(result.current.session.data).toBeNull());
    await act(() => result.current.signIn.mutateAsync({ email: 'a@example.org', password: 'pw' }));
    await waitFor(() => expect(result.current.session.data?.user.org.id).toBe('ch'));
    await api('POST /api/v1/triage/status', { body: { status: 'new', items: [] } });
    expect(server.callsTo('POST /api/v1/triage/status')[0].headers['x-csrf-token']).toBe('csrf-a');
  });

  it('switching organisation forgets everything cached for the other one', async () => {
    const { client, wrapper } = setup({
      'GET /api/v1/ui/session': () => info('ch', 'csrf-a'),
      'POST /api/v1/ui/session/organisation': () => info('agency', 'csrf-b'),
    });
    const { result } = renderHook(() => ({ session: useSessionQuery(), switching: useSwitchOrganisation() }), { wrapper });
    await waitFor(() => expect(result.current.session.data?.user.org.id).toBe('ch'));
    client.setQueryData(keys.reports.view('7'), { id: '7' });
    client.setQueryData(keys.queue.rows(''), { pages: [], pageParams: [] });
    await act(() => result.current.switching.mutateAsync('agency'));
    await waitFor(() => expect(result.current.session.data?.user.org.id).toBe('agency'));
    expect(client.getQueryData(keys.reports.view('7'))).toBeUndefined();
    expect(client.getQueryData(keys.queue.rows(''))).toBeUndefined();
  });

  it('signing out forgets the session and every answer, even when the server cannot be reached', async () => {
    const { client, wrapper } = setup({
      'GET /api/v1/ui/session': () => info('ch', 'csrf-a'),
      'DELETE /api/v1/ui/session': () => new Response('down', { status: 503 }),
    });
    const { result } = renderHook(() => ({ session: useSessionQuery(), signOut: useSignOut() }), { wrapper });
    await waitFor(() => expect(result.current.session.data).toBeTruthy());
    client.setQueryData(keys.exposure.own, { items: 3 });
    await act(() => result.current.signOut.mutateAsync());
    await waitFor(() => expect(result.current.session.data).toBeNull());
    expect(client.getQueryData(keys.exposure.own)).toBeUndefined();
  });
});
