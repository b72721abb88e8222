import { describe, expect, it } from 'vitest';
import { canonicalQuery, emptyFilters, filtersFromSearch, hasFilters, searchFromFilters } from './queue-query.js';

describe('queue filters in the URL', () => {
  it('reads every filter, priorities in their fixed order, unknown levels dropped', () => {
    const f = filtersFromSearch('?priority=P3,P1,P9&status=all&assignee=me&outcome=DK:national_illegal&olderThanDays=7');
    expect(f).toEqual({ ...emptyFilters, priority: ['P1', 'P3'], status: 'all', assignee: 'me', outcome: 'DK:national_illegal', olderThanDays: '7' });
  });

  it('accepts repeated parameters as one list', () => {
    expect(filtersFromSearch('priority=P2&priority=P1').priority).toEqual(['P1', 'P2']);
  });

  it('writes one URL per set of filters: fixed order, empty ones left out, trimmed', () => {
    expect(searchFromFilters({ ...emptyFilters, reporter: ' r1 ', priority: ['P2', 'P1'], status: '' })).toBe('priority=P1%2CP2&reporter=r1');
    expect(searchFromFilters(emptyFilters)).toBe('');
  });

  it('is canonical: the same filters in another order or with foreign parameters give one query key', () => {
    expect(canonicalQuery('reporter=r1&utm=x&priority=P1')).toBe(canonicalQuery('?priority=P1&reporter=r1'));
    expect(canonicalQuery(canonicalQuery('status=new&priority=P2,P1'))).toBe(canonicalQuery('status=new&priority=P2,P1'));
  });

  it('tells whether any filter is set', () => {
    expect(hasFilters(emptyFilters)).toBe(false);
    expect(hasFilters({ ...emptyFilters, bundle: 'bdl_1' })).toBe(true);
    expect(hasFilters({ ...emptyFilters, bundle: '   ' })).toBe(false);
  });
});
