import { QueryClientProvider, type QueryClient } from '@tanstack/react-query';
import { act, renderHook, waitFor } from '@testing-library/react';
import type { ReactNode } from 'react';
import { describe, expect, it } from 'vitest';
import { mockApi, testQueryClient } from '../testing/mock-api.js';
import { applyBulkResult, prefetchQueue, refreshQueueRows, useBulkAction, useQueueRows, type QueueItem } from './queue.queries.js';

const item = (reportId: string, over: Partial<QueueItem> = {}): QueueItem => ({
  reportId,
  status: 'new',
  priority: { score: 50, level: 'P2' },
  receivedAt: '2026-01-01T00:00:00Z',
  reporterOrgId: 'r1',
  reporterName: 'Platform',
  incidentType: 'Child Pornography (possession, manufacture, and distribution)',
  escalated: false,
  incidents: 1,
  countries: ['DK'],
  outcomes: [],
  actionable: false,
  bundleIds: [],
  assignee: null,
  ...over,
});

const wrapper = (client: QueryClient) =>
  function Wrapper(props: { children: ReactNode }) {
    return <QueryClientProvider client={client}>{props.children}</QueryClientProvider>;
  };

/** A queue of 120 reports served 50 a page, keyset by the last id. */
function queueServer() {
  const all = Array.from({ length: 120 }, (_, i) => item(String(1000 + i)));
  return mockApi({
    'GET /api/v1/ui/queue': (call) => {
      const after = call.query.get('cursor');
      const start = after ? all.findIndex((i) => i.reportId === after) + 1 : 0;
      const limit = Number(call.query.get('limit'));
      const items = all.slice(start, start + limit);
      return { items, nextCursor: start + limit < all.length ? items[items.length - 1].reportId : null };
    },
    'GET /api/v1/ui/queue/counts': () => ({ byPriority: { P2: 120 }, total: 120, at: '2026-01-01T00:00:00Z' }),
    'POST /api/v1/ui/queue/bulk': (call) => ({ results: (call.body as { reportIds: string[] }).reportIds.map((reportId) => ({ reportId, code: reportId === '1001' ? 'not_found' : 'ok', message: '' })) }),
  });
}

describe('queue rows', () => {
  it('pages by cursor with the filters kept, each page tagged with its query', async () => {
    const server = queueServer();
    const client = testQueryClient();
    const { result } = renderHook(() => useQueueRows('status=new'), { wrapper: wrapper(client) });
    await waitFor(() => expect(result.current.data?.pages).toHaveLength(1));
    expect(result.current.data!.pages[0]).toMatchObject({ query: 'status=new', nextCursor: '1049' });
    await act(() => result.current.fetchNextPage());
    await act(() => result.current.fetchNextPage());
    await waitFor(() => expect(result.current.data!.pages.flatMap((p) => p.items)).toHaveLength(120));
    expect(result.current.hasNextPage).toBe(false);
    expect(server.callsTo('GET /api/v1/ui/queue').map((c) => [c.query.get('status'), c.query.get('limit'), c.query.get('cursor')])).toEqual([
      ['new', '50', null],
      ['new', '50', '1049'],
      ['new', '50', '1099'],
    ]);
  });

  it('takes a prefetched first page instead of asking again (the app asks alongside the session check)', async () => {
    const server = queueServer();
    const client = testQueryClient();
    prefetchQueue(client, '');
    const { result } = renderHook(() => useQueueRows(''), { wrapper: wrapper(client) });
    await waitFor(() => expect(result.current.data?.pages[0].items).toHaveLength(50));
    expect(server.callsTo('GET /api/v1/ui/queue')).toHaveLength(1);
  });

  it('keeps the previous rows on screen while another query loads', async () => {
    queueServer();
    const client = testQueryClient();
    const { result, rerender } = renderHook((q: string) => useQueueRows(q), { wrapper: wrapper(client), initialProps: '' });
    await waitFor(() => expect(result.current.data).toBeDefined());
    rerender('priority=P1');
    expect(result.current.isPlaceholderData).toBe(true);
    expect(result.current.data!.pages[0].query).toBe('');
    await waitFor(() => expect(result.current.data!.pages[0].query).toBe('priority=P1'));
  });

  it('refresh asks for the first page again and drops the pages after it', async () => {
    const server = queueServer();
    const client = testQueryClient();
    const { result } = renderHook(() => useQueueRows(''), { wrapper: wrapper(client) });
    await waitFor(() => expect(result.current.data).toBeDefined());
    await act(() => result.current.fetchNextPage());
    await waitFor(() => expect(result.current.data!.pages).toHaveLength(2));
    await act(() => refreshQueueRows(client, ''));
    await waitFor(() => expect(result.current.data!.pages).toHaveLength(1));
    expect(server.callsTo('GET /api/v1/ui/queue').map((c) => c.query.get('cursor'))).toEqual([null, '1049', null]);
  });
});

describe('bulk actions', () => {
  it('changes the rows in place where the action succeeded and asks for the counts again', async () => {
    const server = queueServer();
    const client = testQueryClient();
    const { result } = renderHook(() => ({ rows: useQueueRows(''), bulk: useBulkAction('') }), { wrapper: wrapper(client) });
    await waitFor(() => expect(result.current.rows.data).toBeDefined());
    await client.prefetchQuery({ queryKey: ['queue', 'counts', ''], queryFn: () => ({ total: 0 }) });
    const assignee = { userId: 'me-1', email: 'me@example.org', at: '2026-01-02T00:00:00Z' };
    const results = await act(() => result.current.bulk.mutateAsync({ req: { action: 'assign', assignee: 'me' }, reportIds: ['1000', '1001'], assignee }));
    expect(results.map((r) => r.code)).toEqual(['ok', 'not_found']);
    await waitFor(() => expect(result.current.rows.data!.pages[0].items[0].assignee).toEqual(assignee));
    const rows = result.current.rows.data!.pages[0].items;
    expect(rows.find((r) => r.reportId === '1001')!.assignee).toBeNull();
    // The rows were not fetched again (their results stay beside them); the counts were invalidated.
    expect(server.callsTo('GET /api/v1/ui/queue')).toHaveLength(1);
    expect(client.getQueryState(['queue', 'counts', ''])!.isInvalidated).toBe(true);
  });

  it('sends a large selection in chunks of 200', async () => {
    const server = queueServer();
    const client = testQueryClient();
    const { result } = renderHook(() => useBulkAction(''), { wrapper: wrapper(client) });
    const ids = Array.from({ length: 450 }, (_, i) => String(i));
    const results = await act(() => result.current.mutateAsync({ req: { action: 'unassign' }, reportIds: ids, assignee: null }));
    expect(results).toHaveLength(450);
    expect(server.callsTo('POST /api/v1/ui/queue/bulk').map((c) => (c.body as { reportIds: string[] }).reportIds.length)).toEqual([200, 200, 50]);
  });

  it('applies a result to a row as the server did', () => {
    const row = item('1', { assignee: { userId: 'x', email: null, at: null } });
    expect(applyBulkResult(row, { action: 'unassign' }, null).assignee).toBeNull();
    expect(applyBulkResult(row, { action: 'status', status: 'closed' }, null).status).toBe('closed');
    expect(applyBulkResult(row, { action: 'label', facts: { depiction: 'drawing' } }, null)).toBe(row);
  });
});
