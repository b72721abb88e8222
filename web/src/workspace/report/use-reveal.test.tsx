import { QueryClientProvider } from '@tanstack/react-query';
import { act, renderHook, waitFor } from '@testing-library/react';
import type { ReactNode } from 'react';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { mockApi, testQueryClient } from '../../testing/mock-api.js';
import { REVEAL_SECONDS, secondsLeft, useReveal } from './use-reveal.js';

const exposure = (overLimit: boolean) => ({ day: '2026-01-01', items: overLimit ? 50 : 1, files: 1, shownMs: 1000, open: 0, reached: overLimit ? ['items'] : [], overLimit, limits: { items: 50, minutes: 20 } });

function server(overLimit = false) {
  return mockApi({
    'GET /api/v1/ui/exposure': () => exposure(overLimit),
    'POST /api/v1/ui/reports/:id/files/:fileId/reveal': () => new Response(new Uint8Array([1, 2, 3]), { status: 200, headers: { 'content-type': 'image/png' } }),
    'POST /api/v1/ui/reports/:id/files/:fileId/conceal': () => new Response(null, { status: 204 }),
    'GET /api/v1/ui/reports/:id/custody': () => ({ items: [] }),
  });
}

function render() {
  const client = testQueryClient();
  const said: string[] = [];
  const hook = renderHook(() => useReveal('42', (m) => said.push(m)), {
    wrapper: (props: { children: ReactNode }) => <QueryClientProvider client={client}>{props.children}</QueryClientProvider>,
  });
  return { ...hook, said };
}

const conceals = (s: ReturnType<typeof server>) => s.callsTo('POST /api/v1/ui/reports/42/files/f1/conceal').map((c) => c.body as { shownMs: number; reason: string });

let revoked: string[] = [];
beforeEach(() => {
  let n = 0;
  revoked = [];
  vi.spyOn(URL, 'createObjectURL').mockImplementation(() => `blob:test-${++n}`);
  vi.spyOn(URL, 'revokeObjectURL').mockImplementation((url) => void revoked.push(url));
});

describe('the reveal countdown', () => {
  it('counts whole seconds down from the reveal and never below zero', () => {
    expect(secondsLeft(0, 0)).toBe(REVEAL_SECONDS);
    expect(secondsLeft(0, 999)).toBe(REVEAL_SECONDS);
    expect(secondsLeft(0, 1000)).toBe(REVEAL_SECONDS - 1);
    expect(secondsLeft(0, 60_000)).toBe(0);
  });
});

describe('useReveal', () => {
  it('shows the file, counts down, and blurs it again by itself after the reveal time, telling the server for how long', async () => {
    vi.useFakeTimers({ toFake: ['setInterval', 'clearInterval', 'Date'] });
    const s = server();
    const { result, said } = render();
    await act(() => result.current.requestReveal('f1', 'photo.png'));
    expect(result.current.revealed).toMatchObject({ fileId: 'f1', url: 'blob:test-1' });
    expect(result.current.remaining).toBe(REVEAL_SECONDS);
    expect(said.at(-1)).toMatch(/shown for 10 seconds/);

    act(() => {
      vi.advanceTimersByTime(4_100);
    });
    expect(result.current.remaining).toBe(REVEAL_SECONDS - 4);
    act(() => {
      vi.advanceTimersByTime(6_000);
    });
    await waitFor(() => expect(result.current.revealed).toBeUndefined());
    await waitFor(() => expect(conceals(s)).toHaveLength(1));
    expect(conceals(s)[0].reason).toBe('timer');
    expect(conceals(s)[0].shownMs).toBeGreaterThanOrEqual(REVEAL_SECONDS * 1000);
    expect(revoked).toEqual(['blob:test-1']);
    expect(said.at(-1)).toBe('The image is blurred again.');
  });

  it('blurs the shown file before revealing another, and when the page is left', async () => {
    const s = server();
    const { result, unmount } = render();
    await act(() => result.current.requestReveal('f1', 'a.png'));
    await act(() => result.current.requestReveal('f2', 'b.png'));
    expect(result.current.revealed?.fileId).toBe('f2');
    expect(conceals(s).map((c) => c.reason)).toEqual(['other-reveal']);
    unmount();
    await waitFor(() => expect(s.callsTo('POST /api/v1/ui/reports/42/files/f2/conceal')).toHaveLength(1));
    expect((s.callsTo('POST /api/v1/ui/reports/42/files/f2/conceal')[0].body as { reason: string }).reason).toBe('navigation');
  });

  it('blurs when the tab is hidden', async () => {
    const s = server();
    const { result } = render();
    await act(() => result.current.requestReveal('f1', 'a.png'));
    const visibility = vi.spyOn(document, 'visibilityState', 'get').mockReturnValue('hidden');
    act(() => void document.dispatchEvent(new Event('visibilitychange')));
    await waitFor(() => expect(conceals(s).map((c) => c.reason)).toEqual(['navigation']));
    expect(result.current.revealed).toBeUndefined();
    visibility.mockRestore();
  });

  it('over the day’s limit, asks first: nothing is revealed until the analyst confirms', async () => {
    const s = server(true);
    const { result } = render();
    await act(() => result.current.requestReveal('f1', 'a.png'));
    expect(result.current.pending).toMatchObject({ fileId: 'f1', label: 'a.png' });
    expect(s.callsTo('POST /api/v1/ui/reports/42/files/f1/reveal')).toHaveLength(0);
    await act(() => result.current.answerPending(false));
    expect(result.current.pending).toBeUndefined();
    expect(s.callsTo('POST /api/v1/ui/reports/42/files/f1/reveal')).toHaveLength(0);

    await act(() => result.current.requestReveal('f1', 'a.png'));
    await act(() => result.current.answerPending(true));
    expect(s.callsTo('POST /api/v1/ui/reports/42/files/f1/reveal')).toHaveLength(1);
    expect(result.current.revealed?.fileId).toBe('f1');
  });

  it('says so when the file cannot be shown', async () => {
    mockApi({ 'GET /api/v1/ui/exposure': () => exposure(false) });
    const { result, said } = render();
    await act(() => result.current.requestReveal('f1', 'a.png'));
    expect(result.current.revealed).toBeUndefined();
    expect(said.at(-1)).toBe('The file could not be shown.');
  });
});
