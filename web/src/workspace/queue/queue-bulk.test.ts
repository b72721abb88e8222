import { describe, expect, it } from 'vitest';
import { bulkSummary } from './queue-bulk.js';
import { queueStatusText } from './queue-head.js';

describe('bulk summary', () => {
  it('counts each kind of result, leaving out the kinds that did not happen', () => {
    const r = (code: 'ok' | 'unchanged' | 'not_found' | 'too_many' | 'failed') => ({ reportId: '1', code, message: '' });
    expect(bulkSummary([r('ok'), r('ok'), r('not_found')])).toBe('3 reports: 2 done, 1 not found. Results are shown per row.');
    expect(bulkSummary([r('unchanged')])).toBe('1 report: 0 done, 1 unchanged. Results are shown per row.');
    expect(bulkSummary([r('too_many'), r('failed')])).toBe('2 reports: 0 done, 1 too large, 1 failed. Results are shown per row.');
  });
});

describe('queue status line', () => {
  it('says how many are shown of how many, once the count is known', () => {
    expect(queueStatusText(0, undefined, true)).toBe('Loading…');
    expect(queueStatusText(50, undefined, false)).toBe('Showing 50 reports by priority');
    expect(queueStatusText(50, 12345, false)).toBe('Showing 50 of 12,345 reports by priority');
    expect(queueStatusText(1, 1, false)).toBe('Showing 1 of 1 report by priority');
  });
});
