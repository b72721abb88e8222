import { describe, expect, it } from 'vitest';
import { expiresAt, isExpired } from './report-lifecycle.js';

describe('report expiry', () => {
  const created = '2025-01-01T00:00:00.000Z';
  it('expires 24 h after opening when idle', () => {
    const r = { status: 'open', created_at: created, updated_at: created };
    expect(expiresAt(r).toISOString()).toBe('2025-01-02T00:00:00.000Z');
    expect(isExpired(r, new Date('2025-01-01T23:59:59Z'))).toBe(false);
    expect(isExpired(r, new Date('2025-01-02T00:00:00Z'))).toBe(true);
  });
  it('extends to 1 h after the last change when that is later', () => {
    const r = { status: 'open', created_at: created, updated_at: '2025-01-01T23:30:00.000Z' };
    expect(expiresAt(r).toISOString()).toBe('2025-01-02T00:30:00.000Z');
  });
  it('never expires finished or retracted reports', () => {
    expect(isExpired({ status: 'finished', created_at: created, updated_at: created }, new Date('2030-01-01'))).toBe(false);
  });
});
