import { describe, expect, it } from 'vitest';
import { fillTimeline, shortId } from './bundle-format.js';

describe('bundle timeline', () => {
  it('fills the days without incidents with zeros', () => {
    expect(fillTimeline([{ at: '2026-03-01T00:00Z', incidents: 2 }, { at: '2026-03-04T00:00Z', incidents: 1 }], 'day')).toEqual([
      { at: '2026-03-01T00:00Z', incidents: 2 },
      { at: '2026-03-02T00:00Z', incidents: 0 },
      { at: '2026-03-03T00:00Z', incidents: 0 },
      { at: '2026-03-04T00:00Z', incidents: 1 },
    ]);
  });

  it('fills hours, and leaves a very long or unreadable span as it is', () => {
    expect(fillTimeline([{ at: '2026-03-01T10:00Z', incidents: 1 }, { at: '2026-03-01T12:00Z', incidents: 1 }], 'hour').map((p) => p.incidents)).toEqual([1, 0, 1]);
    const long = [{ at: '2000-01-01T00:00Z', incidents: 1 }, { at: '2026-01-01T00:00Z', incidents: 1 }];
    expect(fillTimeline(long, 'hour')).toBe(long);
    expect(fillTimeline([{ at: 'not a date', incidents: 1 }], 'day')).toEqual([{ at: 'not a date', incidents: 1 }]);
    expect(fillTimeline([], 'day')).toEqual([]);
  });

  it('shortens long ids only', () => {
    expect(shortId('bdl_0123456789abcdef')).toBe('bdl_0123456789…');
    expect(shortId('bdl_1')).toBe('bdl_1');
  });
});
