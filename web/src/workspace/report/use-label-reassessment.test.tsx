import { QueryClientProvider } from '@tanstack/react-query';
import { act, renderHook, waitFor } from '@testing-library/react';
import type { ReactNode } from 'react';
import { describe, expect, it, vi } from 'vitest';
import type { ReportTriage, TriageIncident } from '../../data/triage.queries.js';
import { mockApi, testQueryClient } from '../../testing/mock-api.js';
import { outcomeChanges, outcomeKey, REASSESS_BACKOFF_MS, useTriageWithReassessment } from './use-label-reassessment.js';

const incident = (incidentId: string, outcomes: Record<string, string>, at = '2026-01-01T00:00:00Z') =>
  ({
    incidentId,
    factsUpdatedAt: at,
    assessments: Object.entries(outcomes).map(([jurisdiction, outcome]) => ({ jurisdiction, outcome, assessedAt: at })),
  }) as unknown as TriageIncident;
const triage = (...incidents: TriageIncident[]) =>
  ({ report: { reportId: '7', incidents: incidents.length }, files: [], incidents, nextIncidentCursor: null }) as unknown as ReportTriage;

describe('what changed in a re-assessment', () => {
  it('keys the assessment of the labelled incidents only', () => {
    const before = triage(incident('i1', { DK: 'not_illegal' }), incident('i2', { DK: 'uncertain' }));
    const otherChanged = triage(incident('i1', { DK: 'not_illegal' }), incident('i2', { DK: 'national_illegal' }, '2026-01-02T00:00:00Z'));
    expect(outcomeKey(otherChanged, ['i1'])).toBe(outcomeKey(before, ['i1']));
    expect(outcomeKey(otherChanged, ['i2'])).not.toBe(outcomeKey(before, ['i2']));
  });

  it('names each jurisdiction whose outcome changed, once', () => {
    const before = triage(incident('i1', { DK: 'not_illegal', US: 'baseline' }), incident('i2', { DK: 'not_illegal' }));
    const now = triage(incident('i1', { DK: 'national_illegal', US: 'baseline' }), incident('i2', { DK: 'national_illegal' }));
    expect(outcomeChanges(before, now, ['i1', 'i2'])).toEqual(['DK: not illegal → national illegal']);
    expect(outcomeChanges(before, now, [])).toEqual([]);
  });
});

describe('waiting for the re-assessment after a label', () => {
  function render(answers: ReportTriage[]) {
    let n = 0;
    const server = mockApi({ 'GET /api/v1/triage/reports/:id': () => answers[Math.min(n++, answers.length - 1)] });
    const client = testQueryClient();
    const onDone = vi.fn();
    const hook = renderHook(() => useTriageWithReassessment('7', true, onDone), {
      wrapper: (props: { children: ReactNode }) => <QueryClientProvider client={client}>{props.children}</QueryClientProvider>,
    });
    return { ...hook, server, onDone };
  }

  it('polls the triage with a back-off until the labelled incident’s outcome changes, then says what changed', async () => {
    const before = triage(incident('i1', { DK: 'not_illegal' }));
    const after = triage(incident('i1', { DK: 'national_illegal' }, '2026-01-02T00:00:00Z'));
    const { result, server, onDone } = render([before, before, after]);
    await waitFor(() => expect(result.current.query.data).toBeDefined());
    act(() => result.current.start(1, ['i1']));
    expect(result.current.status).toBe('Label applied to 1 incident(s); re-assessing…');
    await waitFor(() => expect(result.current.status).toBe('Assessment updated: DK: not illegal → national illegal.'), { timeout: 5_000 });
    expect(server.callsTo('GET /api/v1/triage/reports/7')).toHaveLength(3);
    expect(onDone).toHaveBeenCalledTimes(1);
    // No more polling once the change is seen.
    await new Promise((r) => setTimeout(r, REASSESS_BACKOFF_MS[2] + 200));
    expect(server.callsTo('GET /api/v1/triage/reports/7')).toHaveLength(3);
  });

  it('gives up after the last poll and says the re-assessment is queued', async () => {
    vi.useFakeTimers({ toFake: ['setInterval', 'clearInterval'] });
    const same = triage(incident('i1', { DK: 'not_illegal' }));
    const { result, server, onDone } = render([same]);
    await vi.waitFor(() => expect(result.current.query.data).toBeDefined());
    act(() => result.current.start(1, ['i1']));
    for (const wait of REASSESS_BACKOFF_MS) {
      const polls = server.calls.length;
      await act(async () => {
        vi.advanceTimersByTime(wait);
      });
      await vi.waitFor(() => expect(server.calls.length).toBe(polls + 1));
    }
    await vi.waitFor(() => expect(result.current.status).toMatch(/re-assessment is queued/));
    expect(server.calls).toHaveLength(1 + REASSESS_BACKOFF_MS.length);
    expect(onDone).not.toHaveBeenCalled();
  });
});
