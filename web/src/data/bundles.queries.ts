/**
 * Bundles: the organisation's list (GET /api/v1/ui/bundles…), one bundle's members (GET
 * /api/v1/triage/bundles/:id, custody-logged) and aggregates, and the analyst's split and merge,
 * each with a result per item. A split or merge changes bundles, the queue's bundle column and the
 * reports' bundle sections: all are read again where shown.
 */
import { keepPreviousData, useMutation, useQuery, useQueryClient, type QueryClient } from '@tanstack/react-query';
import { api } from './api-client.js';
import { keys } from './query-keys.js';

export interface DominantOutcome {
  jurisdiction: string;
  outcome: string;
  incidents: number;
  total: number;
}
export interface BundleListItem {
  bundleId: string;
  origin: 'content' | 'split' | 'merge';
  splitFrom: string | null;
  incidents: number;
  uploaders: number;
  viral: boolean;
  createdAt: string;
  updatedAt: string;
  firstSeen: string | null;
  lastSeen: string | null;
  countries: { country: string | null; incidents: number }[];
  dominantOutcomes: DominantOutcome[];
}
export interface BundleList {
  totals: { bundles: number; viral: number; incidents: number };
  items: BundleListItem[];
  nextCursor: string | null;
}
export interface BundleDetail {
  bundle: {
    bundleId: string;
    origin: string;
    splitFrom: string | null;
    contentKeys: string[];
    incidents: number;
    uploaders: number;
    viral: boolean;
    createdAt: string;
    updatedAt: string;
  };
  classification: { labelId: string; facts: Record<string, unknown>; note: string | null; at: string } | null;
  byCountry: { country: string | null; incidents: number }[];
  overTime: { date: string | null; incidents: number }[];
  byOutcome: { jurisdiction: string; outcome: string; incidents: number }[];
  byStatus: { status: string; incidents: number }[];
  incidents: {
    incidentId: string;
    reportId: string;
    country: string | null;
    conductDate: string | null;
    status: string;
    priority: string;
  }[];
  nextCursor: string | null;
}
export type TimeBucket = 'day' | 'hour';
export interface BundleAggregates {
  bucket: TimeBucket;
  timeline: { at: string; incidents: number }[];
  suspectAges: { age: number | null; incidents: number }[];
  byPriority: { priority: string; incidents: number }[];
}
export interface BundleItemResult {
  id: string;
  code: string;
  bundleId?: string;
}
export interface BundleEditAnswer {
  status: string;
  bundleId: string | null;
  removedBundleIds?: string[];
  results: BundleItemResult[];
}
export type BundleSort = 'size' | 'recent';

export interface BundleRoutes {
  'GET /api/v1/ui/bundles': { response: BundleList };
  'GET /api/v1/ui/bundles/:id/aggregates': { response: BundleAggregates };
  'GET /api/v1/triage/bundles/:id': { response: BundleDetail };
  'POST /api/v1/triage/bundles/merge': { body: { bundleIds: string[] }; response: BundleEditAnswer };
  'POST /api/v1/triage/bundles/:id/split': { body: { incidentIds: string[] }; response: BundleEditAnswer };
}

export const BUNDLES_PAGE = 50;

export function useBundleList(p: { sort: BundleSort; viral: boolean; cursor: string | null }) {
  return useQuery({
    queryKey: keys.bundles.list(p),
    queryFn: ({ signal }) => api('GET /api/v1/ui/bundles', { query: { sort: p.sort, viral: p.viral, limit: BUNDLES_PAGE, cursor: p.cursor }, signal }),
    placeholderData: keepPreviousData,
  });
}

export function useBundleDetail(id: string, cursor: string | null) {
  return useQuery({
    queryKey: keys.bundles.detail(id, cursor),
    queryFn: ({ signal }) => api('GET /api/v1/triage/bundles/:id', { params: { id }, query: { limit: BUNDLES_PAGE, cursor }, signal }),
    placeholderData: keepPreviousData,
    gcTime: 0,
  });
}

export function useBundleAggregates(id: string, bucket: TimeBucket) {
  return useQuery({
    queryKey: keys.bundles.aggregates(id, bucket),
    queryFn: ({ signal }) => api('GET /api/v1/ui/bundles/:id/aggregates', { params: { id }, query: { bucket }, signal }),
    placeholderData: keepPreviousData,
  });
}

/** After a split or merge: bundles (not those merged away: they are gone), the queue's bundle column and the reports' bundle sections. */
function bundlesChanged(client: QueryClient, removed: string[] = []): Promise<unknown> {
  return Promise.all([
    client.invalidateQueries({ queryKey: keys.bundles.all, predicate: (q) => !removed.includes(String(q.queryKey[1])) }),
    client.invalidateQueries({ queryKey: keys.queue.all, refetchType: 'none' }),
    client.invalidateQueries({ queryKey: keys.reports.all, predicate: (q) => q.queryKey[2] === 'triage' }),
  ]);
}

export function useMergeBundles() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (bundleIds: string[]) => api('POST /api/v1/triage/bundles/merge', { body: { bundleIds } }),
    onSuccess: (res) => bundlesChanged(client, res.removedBundleIds),
  });
}

export function useSplitBundle(id: string) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (incidentIds: string[]) => api('POST /api/v1/triage/bundles/:id/split', { params: { id }, body: { incidentIds } }),
    onSuccess: () => bundlesChanged(client),
  });
}
