import { describe, expect, it } from 'vitest';
import type { Principal } from '../access/access.service.js';
import { TiplineError } from '../contracts/errors.js';
import { normaliseViewQuery, parseWorkspaceQuery, resolveFilters } from './queue-ui.service.js';

const analyst: Principal = { kind: 'user', id: '6f1c2a4e-0000-4000-8000-000000000001', orgId: 'org-1', orgRole: 'clearinghouse', userRole: 'analyst' };

function issuesOf(fn: () => unknown): string[] {
  try {
    fn();
  } catch (err) {
    if (err instanceof TiplineError) return (err.issues ?? []).map((i) => i.path).sort();
    throw err;
  }
  throw new Error('expected an error');
}

describe('queue workspace query', () => {
  it('adds assignee and age to the triage filters, keeping what the user stated for cursors', () => {
    const q = parseWorkspaceQuery({ priority: 'P2,P1', assignee: 'me', olderThanDays: '3', receivedAfter: '2025-01-01', limit: '20' });
    expect(q).toEqual({
      declared: { status: ['in_review', 'new'], priority: ['P1', 'P2'], assignee: 'me', olderThanDays: 3, receivedAfterDate: '2025-01-01' },
      limit: 20,
    });
    const now = new Date('2025-06-10T12:00:00.000Z');
    expect(resolveFilters(q.declared, analyst, now)).toEqual({
      status: ['in_review', 'new'],
      priority: ['P1', 'P2'],
      assignee: analyst.id,
      receivedAfter: '2025-01-01T00:00:00.000Z',
      receivedBefore: '2025-06-07T12:00:00.000Z',
    });
  });

  it('takes the earlier bound when both an age and a last day are given; a last day includes the whole day', () => {
    const now = new Date('2025-06-10T12:00:00.000Z');
    const both = parseWorkspaceQuery({ olderThanDays: '1', receivedBefore: '2025-06-01' });
    expect(resolveFilters(both.declared, analyst, now).receivedBefore).toBe('2025-06-02T00:00:00.000Z');
    const day = parseWorkspaceQuery({ receivedBefore: '2025-06-09' });
    expect(resolveFilters(day.declared, analyst, now).receivedBefore).toBe('2025-06-10T00:00:00.000Z');
    expect(resolveFilters(parseWorkspaceQuery({ assignee: 'none' }).declared, analyst, now).assignee).toBe('none');
  });

  it('names every bad parameter, of the triage filters and its own', () => {
    expect(issuesOf(() => parseWorkspaceQuery({ priority: 'P7', olderThanDays: 'x', assignee: 'bob', receivedAfter: '1 May' }))).toEqual([
      '/query/assignee',
      '/query/olderThanDays',
      '/query/priority/0',
      '/query/receivedAfter',
    ]);
    expect(issuesOf(() => parseWorkspaceQuery({ receivedAfter: '2025-02-01', receivedBefore: '2025-01-01' }))).toEqual(['/query/receivedAfter']);
  });

  it('normalises a saved view: known filters only, fixed order, no cursor or limit', () => {
    expect(normaliseViewQuery('?assignee=me&cursor=abc&limit=5&priority=P1&priority=P2&outcome=DK:national_illegal')).toBe(
      'priority=P1%2CP2&assignee=me&outcome=DK%3Anational_illegal',
    );
    expect(normaliseViewQuery('')).toBe('');
    expect(issuesOf(() => normaliseViewQuery('colour=red'))).toEqual(['/query/colour']);
    expect(issuesOf(() => normaliseViewQuery('status=maybe'))).toEqual(['/query/status/0']);
  });
});
