/**
 * One report in the workspace: the report as received (GET /api/v1/ui/reports/:id, a custody-logged
 * read), its custody trail, its referral history, the thread with a public reporter, and the
 * least-exposure calls for its files (reveal and conceal, each counted and logged by the server).
 *
 * Report content is personal data: its queries are dropped from memory as soon as no screen shows
 * them (`gcTime: 0`), so a report left is not kept in the browser.
 */
import { queryOptions, useMutation, useQuery, useQueryClient, type QueryClient } from '@tanstack/react-query';
import { api, request } from './api-client.js';
import { keys } from './query-keys.js';

export interface KnownContentMatch {
  bankName: string;
  category: string | null;
  kind: 'exact' | 'pdq';
  distance: number;
}
export interface ReportFile {
  fileId: string;
  fileName: string | null;
  status: string;
  size: number | null;
  md5: string | null;
  sha1: string | null;
  sha256: string | null;
  pdq: string | null;
  viewable: boolean;
  knownContent: KnownContentMatch[];
}
export interface ThreadMessage {
  id: string;
  author: 'reporter' | 'analyst';
  body: string;
  at: string;
}
export interface ReportView {
  id: string;
  status: string;
  source: string;
  createdAt: string;
  documentSha256: string;
  incidents: number;
  files: ReportFile[];
  report: Record<string, unknown>;
  publicThread: ThreadMessage[] | null;
}
export interface CustodyItem {
  seq: string;
  at: string;
  actorKind: string;
  actorId: string | null;
  action: string;
  subjectKind: string;
  subjectId: string;
}
export interface ReportReferral {
  id: string;
  referralId: string;
  direction: 'sent' | 'received';
  counterparty: { orgId: string; name: string | null };
  status: string;
  statusReason: string | null;
  delivery: string;
  incidents: number;
  retracted: number;
  outcomes: { outcome: string; incidents: number; lastAt: string | null }[];
  createdAt: string;
  updatedAt: string;
  deliveredAt: string | null;
}
export type ConcealReason = 'timer' | 'user' | 'navigation' | 'other-reveal';

export interface ReportRoutes {
  'GET /api/v1/ui/reports/:id': { response: ReportView };
  'GET /api/v1/ui/reports/:id/custody': { response: { items: CustodyItem[] } };
  'GET /api/v1/ui/reports/:id/referrals': { response: { items: ReportReferral[] } };
  'POST /api/v1/ui/reports/:id/public-thread': { body: { body: string }; response: ThreadMessage };
  'POST /api/v1/ui/reports/:id/files/:fileId/reveal': { response: Blob };
  'POST /api/v1/ui/reports/:id/files/:fileId/conceal': { body: { shownMs: number; reason: ConcealReason }; response: undefined };
}

/** Personal data: forgotten as soon as no screen shows it. */
const FORGET = { gcTime: 0 } as const;

export const reportQuery = (id: string) =>
  queryOptions({
    queryKey: keys.reports.view(id),
    queryFn: ({ signal }) => api('GET /api/v1/ui/reports/:id', { params: { id }, signal }),
    ...FORGET,
  });

export function useReportQuery(id: string) {
  return useQuery(reportQuery(id));
}

/** The custody trail; asked for once the report's own read is logged (`enabled`), so that it shows it. */
export function useReportCustody(id: string, enabled: boolean) {
  return useQuery({
    queryKey: keys.reports.custody(id),
    queryFn: async ({ signal }) => (await api('GET /api/v1/ui/reports/:id/custody', { params: { id }, signal })).items,
    enabled,
    ...FORGET,
  });
}

/** Reads the custody trail again (after a reveal, a label, a message: each adds an entry). */
export function refreshCustody(client: QueryClient, id: string): Promise<void> {
  return client.invalidateQueries({ queryKey: keys.reports.custody(id) });
}

export function useReportReferrals(id: string) {
  return useQuery({
    queryKey: keys.reports.referrals(id),
    queryFn: async ({ signal }) => (await api('GET /api/v1/ui/reports/:id/referrals', { params: { id }, signal })).items,
    ...FORGET,
  });
}

/** An analyst's message to the public reporter: the report (which holds the thread) and its custody are read again. */
export function useSendPublicMessage(id: string) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (body: string) => api('POST /api/v1/ui/reports/:id/public-thread', { params: { id }, body: { body } }),
    onSuccess: () =>
      Promise.all([client.invalidateQueries({ queryKey: keys.reports.view(id) }), client.invalidateQueries({ queryKey: keys.reports.custody(id) })]),
  });
}

/** The file in the clear, as an object URL (the caller revokes it); the server counts it towards exposure and logs it. */
export async function revealFile(reportId: string, fileId: string): Promise<string> {
  const res = await request('POST /api/v1/ui/reports/:id/files/:fileId/reveal', { params: { id: reportId, fileId } });
  return URL.createObjectURL(await res.blob());
}

/** Tells the server the file is blurred again and for how long it was shown (never throws: the blur happens regardless). */
export async function concealFile(reportId: string, fileId: string, shownMs: number, reason: ConcealReason): Promise<void> {
  await request('POST /api/v1/ui/reports/:id/files/:fileId/conceal', { params: { id: reportId, fileId }, body: { shownMs, reason } }).catch(() => undefined);
}
