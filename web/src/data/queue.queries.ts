/**
 * The triage queue's data: pages of rows for a query string (keyset paging as an infinite query),
 * live counts per priority (polled every 15 s while shown), the filters' options, saved views,
 * bulk actions; and the report list of organisations that do not triage.
 *
 * The first page of a query is asked for as early as possible: when the app opens on the queue
 * (alongside the session check, `prefetchQueue` in main.tsx) and when a filter changes (in the
 * event, before the next render). Pages count as fresh for QUEUE_FRESH_MS, so the page that mounts
 * takes the response already on its way instead of asking again.
 */
import {
  infiniteQueryOptions,
  useInfiniteQuery,
  useMutation,
  useQuery,
  useQueryClient,
  keepPreviousData,
  type InfiniteData,
  type QueryClient,
} from '@tanstack/react-query';
import { api } from './api-client.js';
import { keys } from './query-keys.js';

export interface QueueItem {
  reportId: string;
  status: string;
  priority: { score: number; level: string };
  receivedAt: string;
  reporterOrgId: string;
  reporterName: string | null;
  incidentType: string;
  escalated: boolean;
  incidents: number;
  countries: string[];
  outcomes: { jurisdiction: string; outcome: string }[];
  actionable: boolean;
  bundleIds: string[];
  assignee: { userId: string; email: string | null; at: string | null } | null;
}
export interface QueuePage {
  items: QueueItem[];
  nextCursor: string | null;
}
export interface QueueCounts {
  byPriority: Record<string, number>;
  total: number;
  at: string;
}
export interface QueueOptions {
  me: string;
  assignees: { userId: string; email: string; role: string }[];
  reporters: { id: string; name: string }[];
  jurisdictions: string[];
  orgCountry: string | null;
}
export interface SavedView {
  viewId: string;
  name: string;
  query: string;
  shared: boolean;
  mine: boolean;
  owner: string | null;
}
export interface BulkResult {
  reportId: string;
  code: 'ok' | 'unchanged' | 'not_found' | 'too_many' | 'failed';
  message: string;
}
export type BulkRequest =
  | { action: 'assign'; assignee: string }
  | { action: 'unassign' }
  | { action: 'status'; status: string; note?: string }
  | { action: 'label'; facts: Record<string, string> };

/** A report in the list of organisations that do not triage. */
export interface ReportListItem {
  id: string;
  status: string;
  incidentType: string;
  createdAt: string;
  escalated: boolean;
  reporterName: string;
  fromPublic: boolean;
  files: number;
}
export type ReportListStatus = '' | 'open' | 'finished' | 'retracted';

export interface QueueRoutes {
  'GET /api/v1/ui/queue': { response: QueuePage };
  'GET /api/v1/ui/queue/counts': { response: QueueCounts };
  'GET /api/v1/ui/queue/options': { response: QueueOptions };
  'GET /api/v1/ui/queue/views': { response: { items: SavedView[] } };
  'POST /api/v1/ui/queue/views': { body: { name: string; query: string; shared: boolean }; response: SavedView };
  'DELETE /api/v1/ui/queue/views/:id': { response: undefined };
  'POST /api/v1/ui/queue/bulk': { body: BulkRequest & { reportIds: string[] }; response: { results: BulkResult[] } };
  'GET /api/v1/ui/reports': { response: { items: ReportListItem[] } };
}

export const QUEUE_PAGE = 50;
/**
 * Rows are kept this long: fetched less than this long ago they are shown without asking again
 * (the page that mounts takes the first page prefetched in the filter change's event), and rows no
 * screen shows are dropped after it, so that a filter the analyst comes back to is read afresh,
 * the previous rows staying on screen until its own arrive (as every filter change does).
 */
export const QUEUE_FRESH_MS = 1_000;
/** The first page asked for alongside the session check waits longer for the queue to mount. */
const STARTUP_KEEP_MS = 10_000;
export const COUNTS_EVERY_MS = 15_000;
/** Reports per bulk request: a larger selection goes in several. */
export const BULK_CHUNK = 200;

const withParams = (query: string, extra: string) => [query, extra].filter(Boolean).join('&');

/** The rows of a query (the canonical query string of the filters), page by page. */
export const queueRowsQuery = (query: string, keepMs = QUEUE_FRESH_MS) =>
  infiniteQueryOptions({
    queryKey: keys.queue.rows(query),
    queryFn: async ({ pageParam, signal }): Promise<QueueRowsPage> => {
      const page = await api('GET /api/v1/ui/queue', {
        query: withParams(query, `limit=${QUEUE_PAGE}${pageParam ? `&cursor=${encodeURIComponent(pageParam)}` : ''}`),
        signal,
      });
      // For the browser benchmark (bench:web): the first rows of a query are in.
      if (!pageParam) performance.mark('queue:rows-received');
      return { ...page, query };
    },
    initialPageParam: null as string | null,
    getNextPageParam: (last) => last.nextCursor,
    staleTime: keepMs,
    gcTime: keepMs,
  });

/** A page as cached: with the query it answers (while another query loads, the rows shown are of this one). */
export type QueueRowsPage = QueuePage & { query: string };
export type QueueRows = InfiniteData<QueueRowsPage, string | null>;

/** Starts loading the first page of a query now: a filter change, or the app's start on the queue (`startup`). */
export function prefetchQueue(client: QueryClient, query: string, options: { startup?: boolean } = {}): void {
  void client.prefetchInfiniteQuery(queueRowsQuery(query, options.startup ? STARTUP_KEEP_MS : QUEUE_FRESH_MS));
}

/**
 * The rows of the query; while another query's rows are loading, the previous rows stay on screen
 * (`isPlaceholderData`), so a filter change never blanks the table.
 */
export function useQueueRows(query: string) {
  return useInfiniteQuery({ ...queueRowsQuery(query), placeholderData: keepPreviousData });
}

/** Refresh: the first page again, the rows shown until it arrives (the pages after it are dropped, as a new query would). */
export async function refreshQueueRows(client: QueryClient, query: string): Promise<void> {
  client.setQueryData<QueueRows>(keys.queue.rows(query), (d) => d && { pages: d.pages.slice(0, 1), pageParams: d.pageParams.slice(0, 1) });
  await client.invalidateQueries({ queryKey: keys.queue.rows(query), exact: true });
}

/** Live counts per priority for the query, every 15 s while the tab is visible; `enabled` holds them back until the rows are in. */
export function useQueueCounts(query: string, enabled: boolean) {
  return useQuery({
    queryKey: keys.queue.counts(query),
    queryFn: ({ signal }) => api('GET /api/v1/ui/queue/counts', { query, signal }),
    enabled,
    refetchInterval: COUNTS_EVERY_MS,
  });
}

export function useQueueOptions(enabled: boolean) {
  return useQuery({
    queryKey: keys.queue.options,
    queryFn: ({ signal }) => api('GET /api/v1/ui/queue/options', { signal }),
    enabled,
    staleTime: 5 * 60_000,
  });
}

export function useQueueViews(enabled: boolean) {
  return useQuery({
    queryKey: keys.queue.views,
    queryFn: async ({ signal }) => (await api('GET /api/v1/ui/queue/views', { signal })).items,
    enabled,
    staleTime: 60_000,
  });
}

export function useSaveView() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (body: { name: string; query: string; shared: boolean }) => api('POST /api/v1/ui/queue/views', { body }),
    onSuccess: () => client.invalidateQueries({ queryKey: keys.queue.views }),
  });
}

export function useDeleteView() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (viewId: string) => api('DELETE /api/v1/ui/queue/views/:id', { params: { id: viewId } }),
    onSuccess: () => client.invalidateQueries({ queryKey: keys.queue.views }),
  });
}

/** A row as a bulk action that succeeded on it leaves it. Pure. */
export function applyBulkResult(item: QueueItem, req: BulkRequest, assignee: QueueItem['assignee']): QueueItem {
  if (req.action === 'assign' || req.action === 'unassign') return { ...item, assignee: req.action === 'assign' ? assignee : null };
  if (req.action === 'status') return { ...item, status: req.status };
  return item;
}

/**
 * A bulk action on reports, in chunks, with one result per report. The rows shown are changed in
 * place where the action succeeded (not fetched again: a row that no longer matches the filters
 * stays, with its result beside it, until the analyst refreshes); the counts and every cached view
 * of the reports are refreshed.
 */
export function useBulkAction(query: string) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: async (v: { req: BulkRequest; reportIds: string[]; assignee: QueueItem['assignee'] }) => {
      const results: BulkResult[] = [];
      for (let i = 0; i < v.reportIds.length; i += BULK_CHUNK) {
        const res = await api('POST /api/v1/ui/queue/bulk', { body: { ...v.req, reportIds: v.reportIds.slice(i, i + BULK_CHUNK) } });
        results.push(...res.results);
      }
      return results;
    },
    // Not awaited: the caller shows the per-row results at once, beside the rows changed here.
    onSuccess: (results, v) => {
      const ok = new Set(results.filter((r) => r.code === 'ok').map((r) => r.reportId));
      client.setQueryData<QueueRows>(keys.queue.rows(query), (d) =>
        d && { ...d, pages: d.pages.map((p) => ({ ...p, items: p.items.map((it) => (ok.has(it.reportId) ? applyBulkResult(it, v.req, v.assignee) : it)) })) },
      );
      void Promise.all([
        client.invalidateQueries({ queryKey: ['queue', 'counts'] }),
        // Other filters' rows are stale now; they are asked again when shown.
        client.invalidateQueries({ queryKey: ['queue', 'rows'], predicate: (q) => q.queryKey[2] !== query, refetchType: 'none' }),
        ...[...ok].map((id) => client.invalidateQueries({ queryKey: keys.reports.one(id) })),
      ]);
    },
  });
}

export function useReportList(status: ReportListStatus) {
  return useQuery({
    queryKey: keys.reports.list(status),
    queryFn: async ({ signal }) => (await api('GET /api/v1/ui/reports', { query: { limit: 200, status }, signal })).items,
  });
}
