/**
 * A report's triage (GET /api/v1/triage/reports/:id: files, incidents with facts, assessments per
 * candidate jurisdiction, priority, bundles; 200 incidents a page) and the analyst's triage actions
 * on it: a label (which re-assesses the incidents it reaches) and the triage status.
 */
import { useInfiniteQuery, useMutation, useQueryClient, type InfiniteData } from '@tanstack/react-query';
import { api } from './api-client.js';
import { keys } from './query-keys.js';

export interface FactStatement {
  value?: unknown;
  oneOf?: unknown[];
  source: string;
  detail?: string;
}
export type SourcedFacts = Record<string, FactStatement>;

export interface Evidence {
  kind: string;
  value: string;
  detail: string;
  weight: number;
}
export interface Candidate {
  rank: number;
  country: string;
  region: string | null;
  city: string | null;
  confidence: number;
  evidence: Evidence[];
}
export interface Citation {
  url?: string;
  text?: string;
  section?: string;
  statute?: string;
}
export interface Assessment {
  jurisdiction: string;
  outcome: string;
  ruleId: string | null;
  citations: Citation[] | null;
  suspectCriminallyLiable: boolean | null;
  explanation: string;
  pack: { id: string; version: string; status: string; baselineVersion: string | null };
  nationalOutcome: string;
  nationalRuleId: string | null;
  confidence: string;
  conductDate: string;
  undeterminedFacts: string[] | null;
  possibleOutcomes: { ruleId: string; outcome: string }[] | null;
  assessedAt: string;
  runId: string | null;
}
export interface PriorityFactor {
  factor: string;
  value: number;
  weight: number;
  contribution: number;
  reason: string;
}
export interface Label {
  labelId: string;
  target: { kind: string; id: string };
  facts: Record<string, unknown>;
  note: string | null;
  by: { kind: string; id: string | null };
  at: string;
  supersededAt: string | null;
}
export interface TriageIncident {
  incidentId: string;
  reportId: string;
  fileId: string | null;
  status: string;
  occurredAt: string;
  conductDate: string | null;
  facts: SourcedFacts;
  factsFromReport: SourcedFacts;
  conflicts: unknown[] | null;
  signals: unknown[] | null;
  notes: unknown[] | null;
  labels: Label[];
  person: { personId: string; role: string; candidateJurisdictions: Candidate[]; unlocated: { kind: string; value: string; reason: string }[] } | null;
  assessments: Assessment[];
  priority: { score: number; level: string; factors: PriorityFactor[] | null };
  bundle: { bundleId: string; origin: string; incidents: number; uploaders: number; viral: boolean } | null;
  triagedAt: string;
  factsUpdatedAt: string;
}
export interface TriageFile {
  fileId: string;
  ordinal: number;
  fileName: string | null;
  status: string;
  digests: { md5: string | null; sha1: string | null; sha256: string | null; pdq: string | null };
  facts: SourcedFacts;
  signals: unknown[] | null;
  notes: unknown[] | null;
  label: Label | null;
}
export interface ReportTriage {
  report: {
    reportId: string;
    status: string;
    priority: { score: number; level: string };
    escalated: boolean;
    incidents: number;
    countries: string[];
    outcomes: { jurisdiction: string; outcome: string }[];
    actionable: boolean;
    bundleIds: string[];
  };
  files: TriageFile[];
  incidents: TriageIncident[];
  nextIncidentCursor: string | null;
}
export interface LabelApplied {
  labelId: string;
  target: { kind: string; id: string };
  affectedIncidents: number;
  runId: string | null;
}
export type LabelTarget = { kind: 'incident' | 'file'; id: string };

export interface TriageRoutes {
  'GET /api/v1/triage/reports/:id': { response: ReportTriage };
  'POST /api/v1/triage/labels': { body: { target: LabelTarget; facts: Record<string, unknown>; note?: string }; response: LabelApplied };
  'POST /api/v1/triage/status': {
    body: { status: string; items: { kind: 'report' | 'incident' | 'bundle'; id: string }[]; note?: string };
    response: { results: { code: string; incidents: number }[] };
  };
}

export const TRIAGE_PAGE = 200;

/** The pages of a report's triage as one: the report and files of the first, every page's incidents. Pure. */
export function mergeTriagePages(data: InfiniteData<ReportTriage, string | null>): ReportTriage {
  const [first] = data.pages;
  const last = data.pages[data.pages.length - 1];
  return { ...first, incidents: data.pages.flatMap((p) => p.incidents), nextIncidentCursor: last.nextIncidentCursor };
}

/**
 * The report's triage, 200 incidents a page (`fetchNextPage` for more). `refetchInterval` is the
 * caller's: the report view polls with a back-off while a label is being re-assessed.
 */
export function useReportTriage(id: string, options: { enabled: boolean; refetchInterval?: number | false }) {
  return useInfiniteQuery({
    queryKey: keys.reports.triage(id),
    queryFn: ({ pageParam, signal }) =>
      api('GET /api/v1/triage/reports/:id', { params: { id }, query: { limit: TRIAGE_PAGE, cursor: pageParam }, signal }),
    initialPageParam: null as string | null,
    getNextPageParam: (last) => last.nextIncidentCursor,
    select: mergeTriagePages,
    enabled: options.enabled,
    refetchInterval: options.refetchInterval ?? false,
    gcTime: 0,
  });
}

/** A label on an incident or a file: the triage, custody and queue rows of the report are read again. */
export function useApplyLabel(reportId: string) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (body: { target: LabelTarget; facts: Record<string, unknown>; note?: string }) => api('POST /api/v1/triage/labels', { body }),
    onSuccess: () =>
      Promise.all([
        client.invalidateQueries({ queryKey: keys.reports.custody(reportId) }),
        client.invalidateQueries({ queryKey: keys.queue.all, refetchType: 'none' }),
      ]),
  });
}

/** The report's triage status (every incident of it). */
export function useSetReportStatus(reportId: string) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (status: string) => api('POST /api/v1/triage/status', { body: { status, items: [{ kind: 'report', id: reportId }] } }),
    onSuccess: () =>
      Promise.all([
        client.invalidateQueries({ queryKey: keys.reports.triage(reportId) }),
        client.invalidateQueries({ queryKey: keys.reports.custody(reportId) }),
        client.invalidateQueries({ queryKey: keys.queue.all, refetchType: 'none' }),
      ]),
  });
}
