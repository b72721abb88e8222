/**
 * Performance marks for the browser benchmark (bench:web): `queue:rendered` (with the query) when a
 * query's rows are on screen after a painted frame, `queue:first-rows` the first time there are
 * rows at all; the table's wrapper carries `data-rendered-query`, the query string of the rows
 * shown. (`queue:filter-change` is marked by the URL hook, `queue:rows-received` by the query.)
 */
import { useEffect, type RefObject } from 'react';

export function useQueueMarks(wrapRef: RefObject<HTMLElement | null>, shown: { query: string; rows: number; version: unknown } | undefined) {
  const query = shown?.query;
  const rows = shown?.rows ?? 0;
  const version = shown?.version;
  useEffect(() => {
    if (query === undefined) return;
    const frame = requestAnimationFrame(() =>
      setTimeout(() => {
        wrapRef.current?.setAttribute('data-rendered-query', query);
        performance.mark('queue:rendered', { detail: query });
        if (rows > 0 && performance.getEntriesByName('queue:first-rows').length === 0) performance.mark('queue:first-rows');
      }, 0),
    );
    return () => cancelAnimationFrame(frame);
  }, [wrapRef, query, rows, version]);
}
