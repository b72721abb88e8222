/**
 * The triage queue: a dense table by priority then age, filters kept in the URL, saved views,
 * keyboard navigation, assignment, bulk actions with a result per row, live counts per priority
 * (every 15 s) and keyset paging as the analyst scrolls. The data comes from `data/queue.queries`;
 * this component composes the parts and holds what is the analyst's own: the active row, the
 * selection, the last bulk action's results.
 */
import { useQueryClient } from '@tanstack/react-query';
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { ApiError } from '../../data/api-client.js';
import { hasFilters } from '../../data/queue-query.js';
import {
  QUEUE_PAGE,
  refreshQueueRows,
  useBulkAction,
  useQueueCounts,
  useQueueOptions,
  useQueueRows,
  useQueueViews,
  type BulkRequest,
  type BulkResult,
  type QueueItem,
} from '../../data/queue.queries.js';
import { EmptyState } from '../../ui/empty-state.js';
import { ErrorBanner } from '../../ui/error-banner.js';
import { useDebounced } from '../../ui/use-debounced.js';
import { useSession } from '../session.js';
import { QueueBulkBar, bulkSummary } from './queue-bulk.js';
import { QueueFilters } from './queue-filters.js';
import { QueueHead } from './queue-head.js';
import { QueueHelp } from './queue-help.js';
import { QueueTable } from './queue-table.js';
import { QueueViews } from './queue-views.js';
import { useQueueKeyboard } from './use-queue-keyboard.js';
import { useQueueMarks } from './use-queue-marks.js';
import { useQueueUrl } from './use-queue-url.js';

/** The first problem the server found with the filters, else what went wrong. */
function queueErrorText(err: unknown): string {
  if (!(err instanceof ApiError)) return 'The queue could not be loaded.';
  return err.issues[0] ? `${err.issues[0].path}: ${err.issues[0].message}` : err.message;
}

/** Counts read every matching row: they are asked for once the filters have stayed put this long. */
const COUNTS_SETTLE_MS = 250;

export function TriageQueue() {
  const client = useQueryClient();
  const { session } = useSession();
  const me = session.user.id;
  const [results, setResults] = useState<ReadonlyMap<string, BulkResult>>(new Map());
  const [summary, setSummary] = useState('');
  // The last bulk action's results belong to the rows it was run on.
  const forgetResults = useCallback(() => {
    setResults(new Map());
    setSummary('');
  }, []);
  const { filters, query, applyQuery, applyFilters } = useQueueUrl(forgetResults);

  const rows = useQueueRows(query);
  const items = useMemo(() => rows.data?.pages.flatMap((p) => p.items) ?? [], [rows.data]);
  const shownQuery = rows.isError && !rows.data ? query : rows.data?.pages[0]?.query;
  const started = shownQuery !== undefined;

  // Counts, the filters' options and saved views wait for the rows: they never delay them.
  const settled = useDebounced(shownQuery, COUNTS_SETTLE_MS);
  const counts = useQueueCounts(query, settled === query);
  const options = useQueueOptions(started);
  const views = useQueueViews(started);
  const bulk = useBulkAction(query);

  const [active, setActive] = useState(0);
  const [selected, setSelected] = useState<ReadonlySet<string>>(new Set());
  const [showHelp, setShowHelp] = useState(false);
  const wrapRef = useRef<HTMLDivElement>(null);

  // New rows for another query: back to the top; the selection keeps only rows still shown.
  useEffect(() => setActive(0), [shownQuery]);
  useEffect(() => {
    const ids = new Set(items.map((i) => i.reportId));
    setSelected((s) => (s.size === 0 || [...s].every((id) => ids.has(id)) ? s : new Set([...s].filter((id) => ids.has(id)))));
  }, [items]);
  useQueueMarks(wrapRef, shownQuery === undefined ? undefined : { query: shownQuery, rows: items.length, version: rows.data });

  const { hasNextPage, isFetchingNextPage, fetchNextPage } = rows;
  const loadMore = useCallback(() => {
    if (hasNextPage && !isFetchingNextPage) void fetchNextPage();
  }, [hasNextPage, isFetchingNextPage, fetchNextPage]);
  const refresh = useCallback(() => {
    setActive(0);
    void refreshQueueRows(client, query);
  }, [client, query]);

  const toggle = useCallback((reportId: string) => {
    setSelected((s) => {
      const next = new Set(s);
      if (next.has(reportId)) next.delete(reportId);
      else next.add(reportId);
      return next;
    });
  }, []);
  const toggleAll = useCallback(() => {
    setSelected((s) => (items.length > 0 && items.every((i) => s.has(i.reportId)) ? new Set() : new Set(items.map((i) => i.reportId))));
  }, [items]);
  const onBundle = useCallback((bundleId: string) => applyFilters({ ...filters, bundle: bundleId, status: filters.status || 'all' }), [applyFilters, filters]);

  const runBulk = useCallback(
    (req: BulkRequest, only?: string[]) => {
      const reportIds = only ?? items.filter((i) => selected.has(i.reportId)).map((i) => i.reportId);
      if (reportIds.length === 0) return;
      const userId = req.action === 'assign' ? (req.assignee === 'me' ? me : req.assignee) : null;
      const assignee: QueueItem['assignee'] = userId
        ? { userId, email: options.data?.assignees.find((a) => a.userId === userId)?.email ?? null, at: new Date().toISOString() }
        : null;
      setSummary('Working…');
      bulk.mutate(
        { req, reportIds, assignee },
        {
          onSuccess: (all) => {
            setResults(new Map(all.map((r) => [r.reportId, r])));
            setSummary(bulkSummary(all));
          },
          onError: (err) => setSummary(`Not done: ${err instanceof ApiError ? (err.issues[0]?.message ?? err.message) : 'the server could not be reached.'}`),
        },
      );
    },
    [items, selected, me, options.data, bulk],
  );

  useQueueKeyboard(
    {
      items,
      active,
      setActive,
      selected,
      hasMore: hasNextPage,
      loadMore,
      toggle,
      assignToMe: (only) => runBulk({ action: 'assign', assignee: 'me' }, only),
      clearSelection: () => setSelected(new Set()),
      refresh,
      toggleHelp: () => setShowHelp((h) => !h),
    },
    wrapRef,
  );

  // Keyset paging as the analyst scrolls: the next page when the end of the table comes near.
  const sentinel = useRef<HTMLDivElement>(null);
  useEffect(() => {
    const el = sentinel.current;
    if (!el || !hasNextPage) return;
    const io = new IntersectionObserver((entries) => entries.some((e) => e.isIntersecting) && loadMore(), { rootMargin: '400px' });
    io.observe(el);
    return () => io.disconnect();
  }, [hasNextPage, loadMore, items]);

  const loading = rows.isFetching && !rows.isFetchingNextPage && (rows.isPlaceholderData || !rows.data);
  const error = rows.isFetchNextPageError ? 'More rows could not be loaded; refresh the queue.' : rows.isError ? queueErrorText(rows.error) : '';

  return (
    <>
      <QueueHead
        shown={items.length}
        counts={counts.data}
        loading={loading && !started}
        filtered={hasFilters(filters)}
        onRefresh={refresh}
        onClear={() => applyQuery('')}
      />
      <QueueViews views={views.data ?? []} current={query} onApply={applyQuery} />
      <QueueFilters filters={filters} options={options.data} counts={counts.data} onChange={applyFilters} />
      <QueueBulkBar selected={selected.size} busy={bulk.isPending} options={options.data} summary={summary} onRun={(req) => runBulk(req)} onClear={() => setSelected(new Set())} />
      <QueueHelp open={showHelp} onToggle={() => setShowHelp((h) => !h)} />
      <ErrorBanner error={error} />
      <div className="queue-wrap" ref={wrapRef}>
        <QueueTable
          items={items}
          active={active}
          selected={selected}
          results={results}
          me={me}
          busy={loading || bulk.isPending}
          onActivate={setActive}
          onToggle={toggle}
          onToggleAll={toggleAll}
          onBundle={onBundle}
        />
        {started && items.length === 0 && !loading && <EmptyState className="queue-empty">No reports match these filters.</EmptyState>}
        <div ref={sentinel} />
        {hasNextPage && (
          <button type="button" className="queue-more" disabled={isFetchingNextPage} onClick={loadMore}>
            {isFetchingNextPage ? 'Loading…' : `Load ${QUEUE_PAGE} more`}
          </button>
        )}
      </div>
    </>
  );
}
