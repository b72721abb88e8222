import { QueryClientProvider } from '@tanstack/react-query';
import { act, fireEvent, render, screen, waitFor } from '@testing-library/react';
import { describe, expect, it, vi } from 'vitest';
import type { QueueItem } from '../../data/queue.queries.js';
import type { SessionInfo } from '../../data/session.queries.js';
import { mockApi, testQueryClient } from '../../testing/mock-api.js';
import { SessionContext } from '../session.js';
import { QueuePage } from './queue.page.js';

const session: SessionInfo = {
  user: { id: 'me-1', email: 'analyst@example.org', role: 'analyst', org: { id: 'ch', name: 'Clearinghouse', role: 'clearinghouse' } },
  capabilities: { 'triage.read': true, 'triage.assign': true, 'queue.views': true },
  csrfToken: 't',
  expiresAt: '2030-01-01T00:00:00Z',
};

const item = (reportId: string, level = 'P2'): QueueItem => ({
  reportId,
  status: 'new',
  priority: { score: 50, level },
  receivedAt: new Date(Date.now() - 3 * 3_600_000).toISOString(),
  reporterOrgId: 'r1',
  reporterName: 'Platform',
  incidentType: 'Online Enticement of Children for Sexual Acts',
  escalated: false,
  incidents: 1,
  countries: ['DK'],
  outcomes: [{ jurisdiction: 'DK', outcome: 'national_illegal' }],
  actionable: true,
  bundleIds: [],
  assignee: null,
});

function serve() {
  const rows = [item('101', 'P1'), item('102'), item('103')];
  const server = mockApi({
    'GET /api/v1/ui/queue': (call) => ({ items: call.query.get('priority') === 'P1' ? rows.slice(0, 1) : rows, nextCursor: null }),
    'GET /api/v1/ui/queue/counts': () => ({ byPriority: { P1: 1, P2: 2 }, total: 3, at: '2026-01-01T10:00:00Z' }),
    'GET /api/v1/ui/queue/options': () => ({ me: 'me-1', assignees: [], reporters: [{ id: 'r1', name: 'Platform' }], jurisdictions: ['DK'], orgCountry: 'DK' }),
    'GET /api/v1/ui/queue/views': () => ({ items: [] }),
    'POST /api/v1/ui/queue/bulk': (call) => ({ results: (call.body as { reportIds: string[] }).reportIds.map((reportId) => ({ reportId, code: 'ok', message: 'Assigned' })) }),
  });
  render(
    <QueryClientProvider client={testQueryClient()}>
      <SessionContext.Provider value={{ session, signOut: async () => undefined, replaceSession: () => undefined }}>
        <QueuePage />
      </SessionContext.Provider>
    </QueryClientProvider>,
  );
  return server;
}

const rowIds = () => [...document.querySelectorAll('.queue-grid tbody tr')].map((tr) => tr.getAttribute('data-report-id'));

describe('the triage queue', () => {
  it('shows the rows, then the live counts, and asks for the counts again every 15 s', async () => {
    vi.useFakeTimers({ toFake: ['setInterval', 'clearInterval'] });
    const server = serve();
    await waitFor(() => expect(rowIds()).toEqual(['101', '102', '103']));
    // Counts wait for the rows and a moment's settling, then show beside the priorities.
    await vi.waitFor(() => expect(screen.getByTestId('queue-status').textContent).toBe('Showing 3 of 3 reports by priority'));
    expect(screen.getByRole('button', { name: 'P1 1' })).toBeTruthy();
    expect(server.callsTo('GET /api/v1/ui/queue/counts')).toHaveLength(1);
    await act(async () => {
      vi.advanceTimersByTime(15_000);
    });
    await vi.waitFor(() => expect(server.callsTo('GET /api/v1/ui/queue/counts')).toHaveLength(2));
    await act(async () => {
      vi.advanceTimersByTime(15_000);
    });
    await vi.waitFor(() => expect(server.callsTo('GET /api/v1/ui/queue/counts')).toHaveLength(3));
    // The rows themselves are not polled.
    expect(server.callsTo('GET /api/v1/ui/queue')).toHaveLength(1);
  });

  it('does not poll the counts while the tab is hidden', async () => {
    vi.useFakeTimers({ toFake: ['setInterval', 'clearInterval'] });
    const server = serve();
    await vi.waitFor(() => expect(server.callsTo('GET /api/v1/ui/queue/counts')).toHaveLength(1));
    const hidden = vi.spyOn(document, 'visibilityState', 'get').mockReturnValue('hidden');
    fireEvent(document, new Event('visibilitychange'));
    await act(async () => {
      vi.advanceTimersByTime(45_000);
    });
    expect(server.callsTo('GET /api/v1/ui/queue/counts')).toHaveLength(1);
    hidden.mockRestore();
  });

  it('moves with j, selects with x and assigns with a, showing the result per row', async () => {
    const server = serve();
    await waitFor(() => expect(rowIds()).toHaveLength(3));
    fireEvent.keyDown(document.body, { key: 'j' });
    await waitFor(() => expect(document.activeElement?.getAttribute('data-report-id')).toBe('101'));
    fireEvent.keyDown(document.activeElement!, { key: 'j' });
    await waitFor(() => expect(document.querySelector('tr[aria-current="true"]')?.getAttribute('data-report-id')).toBe('102'));
    fireEvent.keyDown(document.activeElement!, { key: 'x' });
    await waitFor(() => expect(document.querySelector('.queue-bulk-count')?.textContent).toBe('1 selected'));
    fireEvent.keyDown(document.activeElement!, { key: 'a' });
    await waitFor(() => expect(document.querySelector('tr[data-report-id="102"] .queue-assignee')?.textContent).toBe('me'));
    expect(document.querySelector('tr[data-report-id="102"] .queue-result')?.getAttribute('data-result')).toBe('ok');
    expect(server.callsTo('POST /api/v1/ui/queue/bulk')[0].body).toEqual({ action: 'assign', assignee: 'me', reportIds: ['102'] });
    await screen.findByText('1 report: 1 done. Results are shown per row.');
  });

  it('puts a filter in the URL and shows its rows', async () => {
    const server = serve();
    await waitFor(() => expect(rowIds()).toHaveLength(3));
    fireEvent.click(screen.getByRole('button', { name: /^P1/ }));
    await waitFor(() => expect(rowIds()).toEqual(['101']));
    expect(location.search).toBe('?priority=P1');
    expect(server.callsTo('GET /api/v1/ui/queue').map((c) => c.query.get('priority'))).toEqual([null, 'P1']);
    history.replaceState(null, '', '/');
  });
});
