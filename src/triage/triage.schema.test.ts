import { describe, expect, it } from 'vitest';
import { TiplineError } from '../contracts/errors.js';
import { decodeCursor, encodeCursor } from '../platform/http/cursor.js';
import { labelBodySchema, parseQueueQuery } from './triage.schema.js';

function issues(fn: () => unknown) {
  try {
    fn();
  } catch (err) {
    expect(err).toBeInstanceOf(TiplineError);
    return (err as TiplineError).issues?.map((i) => i.path);
  }
  throw new Error('expected an error');
}

describe('parseQueueQuery', () => {
  it('defaults to the open statuses and 50 rows', () => {
    expect(parseQueueQuery({})).toEqual({ filters: { status: ['in_review', 'new'] }, limit: 50 });
  });

  it('reads repeated and comma-separated values, normalises case, sorts and dedupes', () => {
    const q = parseQueueQuery({ priority: ['P2,P1', 'P1'], outcome: 'dk:national_illegal,NO:uncertain', country: 'dk, se', status: 'all', limit: '10', reporter: 'org-1' });
    expect(q).toEqual({
      filters: {
        status: ['closed', 'in_review', 'new', 'referred'],
        priority: ['P1', 'P2'],
        outcome: ['DK:national_illegal', 'NO:uncertain'],
        country: ['DK', 'SE'],
        reporter: 'org-1',
      },
      limit: 10,
    });
    expect(parseQueueQuery({ outcome: 'gb-eaw:baseline' }).filters.outcome).toEqual(['GB-EAW:baseline']);
  });

  it('points at every bad parameter', () => {
    expect(issues(() => parseQueueQuery({ priority: 'P9', outcome: 'DK:illegal', country: 'Denmark', bundle: 'x', limit: '1000', status: 'open' }))).toEqual([
      '/query/priority/0',
      '/query/outcome/0',
      '/query/country/0',
      '/query/bundle',
      '/query/status/0',
      '/query/limit',
    ]);
  });
});

describe('queue cursors', () => {
  const filters = { status: ['new'] };
  it('round-trips and belongs to its filters', () => {
    const cursor = encodeCursor({ key: [2, '2025-01-01T00:00:00.000Z', '1000001'] }, filters);
    expect(decodeCursor(cursor, filters, ['number', 'string', 'string'])).toEqual({ key: [2, '2025-01-01T00:00:00.000Z', '1000001'] });
    expect(() => decodeCursor(cursor, { status: ['closed'] }, ['number', 'string', 'string'])).toThrow(/other filters/);
    expect(() => decodeCursor(cursor, filters, ['string'])).toThrow(TiplineError);
  });

  it('refuses anything that is not a cursor of ours', () => {
    const forged = Buffer.from(JSON.stringify({ v: 1, k: [{}, 'a', 'b'], f: 'x' })).toString('base64url');
    for (const bad of ['', '***', 'e30', forged, 'a'.repeat(2000)]) {
      expect(() => decodeCursor(bad, filters, ['number', 'string', 'string'])).toThrow(TiplineError);
    }
  });
});

describe('labelBodySchema', () => {
  it('takes facts with lists where an analyst allows several values, and refuses unknown ones', () => {
    expect(labelBodySchema.safeParse({ target: { kind: 'bundle', id: 'bdl_1' }, facts: { depiction: ['real', 'realistic_synthetic'], depictedAge: 15 } }).success).toBe(true);
    expect(labelBodySchema.safeParse({ target: { kind: 'bundle', id: 'bdl_1' }, facts: { depiction: 'photo' } }).success).toBe(false);
    expect(labelBodySchema.safeParse({ target: { kind: 'report', id: '1' }, facts: {} }).success).toBe(false);
    expect(labelBodySchema.safeParse({ target: { kind: 'file', id: 'f' }, facts: { illegal: true } }).success).toBe(false);
  });
});
