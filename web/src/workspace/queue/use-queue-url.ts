/**
 * The queue's filters live in the URL: a view is a link, back and forward work. A change pushes a
 * history entry and starts loading the new query's first page at once (in the event, not after
 * the next render); back/forward do the same.
 */
import { useQueryClient } from '@tanstack/react-query';
import { useCallback, useEffect, useMemo, useState } from 'react';
import { canonicalQuery, filtersFromSearch, searchFromFilters, type QueueFilterState } from '../../data/queue-query.js';
import { prefetchQueue } from '../../data/queue.queries.js';

const currentSearch = () => location.search.replace(/^\?/, '');

export function useQueueUrl(onChange: () => void) {
  const client = useQueryClient();
  const [search, setSearch] = useState(currentSearch);
  const filters = useMemo(() => filtersFromSearch(search), [search]);
  const query = useMemo(() => searchFromFilters(filters), [filters]);

  useEffect(() => {
    const onPop = () => {
      if (/^\/app\/?$/.test(location.pathname)) prefetchQueue(client, canonicalQuery(currentSearch()));
      setSearch(currentSearch());
    };
    window.addEventListener('popstate', onPop);
    return () => window.removeEventListener('popstate', onPop);
  }, [client]);

  const applyQuery = useCallback(
    (next: string) => {
      performance.mark('queue:filter-change');
      prefetchQueue(client, canonicalQuery(next));
      if (next !== currentSearch()) history.pushState(null, '', next ? `${location.pathname}?${next}` : location.pathname);
      setSearch(next);
      onChange();
    },
    [client, onChange],
  );
  const applyFilters = useCallback((next: QueueFilterState) => applyQuery(searchFromFilters(next)), [applyQuery]);

  return { filters, query, applyQuery, applyFilters };
}
