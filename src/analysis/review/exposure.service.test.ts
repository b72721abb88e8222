import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../platform/config.js';
import { limitsOf, reachedLimits, utcDay } from './exposure.service.js';

describe('exposure limits', () => {
  it('reaches a limit at or over it; 0 means no limit', () => {
    const limits = { items: 50, minutes: 20 };
    expect(reachedLimits({ items: 49, shownMs: 19 * 60_000 + 59_999 }, limits)).toEqual([]);
    expect(reachedLimits({ items: 50, shownMs: 0 }, limits)).toEqual(['items']);
    expect(reachedLimits({ items: 3, shownMs: 20 * 60_000 }, limits)).toEqual(['minutes']);
    expect(reachedLimits({ items: 60, shownMs: 25 * 60_000 }, limits)).toEqual(['items', 'minutes']);
    expect(reachedLimits({ items: 10_000, shownMs: 10 * 3_600_000 }, { items: 0, minutes: 0 })).toEqual([]);
  });

  it('reads the limits from the configuration and counts UTC days', () => {
    expect(limitsOf(loadConfig({}))).toEqual({ items: 50, minutes: 20 });
    expect(limitsOf(loadConfig({ TIPLINE_EXPOSURE_LIMIT_ITEMS: '7', TIPLINE_EXPOSURE_LIMIT_MINUTES: '2.5' }))).toEqual({ items: 7, minutes: 2.5 });
    expect(() => loadConfig({ TIPLINE_EXPOSURE_LIMIT_ITEMS: '-1' })).toThrow(/exposureLimitItems/);
    expect(utcDay(new Date('2026-03-01T23:30:00-02:00'))).toBe('2026-03-02');
  });
});
