/**
 * Referrals: the lists (outgoing and incoming), one referral (detail, incidents, signed thread; each
 * a custody-logged read), re-verifying its chain, the actions its state allows, and making a
 * referral from the report view (routing suggestions, recipients). Every action reads the referral
 * again, and the lists, the inbox and the report's referral history follow.
 */
import { useMutation, useQuery, useQueryClient, type QueryClient } from '@tanstack/react-query';
import { api } from './api-client.js';
import { keys } from './query-keys.js';

export interface ReferralSummary {
  id: string;
  referralId: string;
  direction: 'sent' | 'received';
  packageId: string;
  counterparty: { orgId: string; name: string | null };
  originatorOrgId: string;
  status: string;
  statusReason: string | null;
  incidents: number;
  delivery: string;
  relayedFrom: string | null;
  finalRecipient: { orgId: string; name?: string } | null;
  note: string | null;
  hops: { from: { orgId: string; name?: string }; to: { orgId: string; name?: string }; issuedAt: string; keySource: string }[] | null;
  filesVerified: number | null;
  hasReceipt: boolean;
  createdAt: string;
  updatedAt: string;
  deliveredAt: string | null;
  outcomes?: Record<string, number>;
}
export interface ReferralCitation {
  statute: string;
  section: string;
  text?: string;
}
export interface ReferralAssessment {
  jurisdiction?: string;
  outcome?: string;
  ruleId?: string | null;
  citations?: ReferralCitation[];
  explanation?: string;
  error?: string;
}
export interface ReferralManifest {
  reports: { reportId: string; reporterName: string | null; receivedAt: string; incidentType: string; escalated: boolean; batchedReason?: string }[];
  persons: { personId: string; role: string; country: string | null; age?: number | null; identifiers?: unknown[]; ipEvents?: unknown[] }[];
  files: { fileId: string; sha256: string | null; md5: string | null; pdq: string | null; industryClassification: string | null; evidence: boolean; size: number | null }[];
  factSets: Record<string, unknown>;
  senderAssessments: { factsId: string; jurisdiction: string; outcome: string }[];
  custody: unknown[];
}
export interface ReferralDetail extends ReferralSummary {
  receipt: string | null;
  triage?: Record<string, number>;
  outcomes: Record<string, number>;
  retracted: number;
  manifest?: ReferralManifest;
}
export interface ReferralIncident {
  incidentId: string;
  reportId: string;
  country: string | null;
  occurredAt: string | null;
  assessment: ReferralAssessment | null;
  outcome: { code: string; note: string | null; at: string | null } | null;
  retractedAt: string | null;
}
export interface ThreadEvent {
  id: string;
  kind: string;
  author: string;
  to: string;
  inReplyTo: string | null;
  direction: 'in' | 'out' | 'forwarded';
  body: Record<string, unknown>;
  at: string;
}
export interface Hop {
  packageId: string;
  type: string;
  from: { orgId: string; name?: string };
  to: { orgId: string; name?: string };
  issuedAt: string;
  kid: string;
  keySource: string;
  vouchedBy: string | null;
  sha256: string;
}
export interface ChainResult {
  verified: true;
  hops: Hop[];
  custodyRecords: number;
  custody: { seq: string; at: string; action: string; hash: string; details: Record<string, unknown> }[];
}
export interface Recipient {
  orgId: string;
  name: string;
  role: string;
  country: string | null;
  via: 'local' | 'peer';
}
export interface RouteSuggestion {
  incidentId: string;
  country: string | null;
  routeId: string | null;
  recipientOrgId: string | null;
  outcome: string | null;
  priority: string | null;
}
export interface ReferralCreated {
  id: string;
  referralId: string;
  to: { orgId: string; name?: string };
  incidents: number;
  status: string;
}

export const OUTCOME_CODES = [
  'not_illegal_here',
  'insufficient_information',
  'safeguarding_referral',
  'suspect_identified',
  'search_executed',
  'arrested',
  'charged',
  'convicted',
  'acquitted',
  'no_further_action',
  'referred_onward',
] as const;
export type OutcomeCode = (typeof OUTCOME_CODES)[number];
export type MessagePurpose = 'question' | 'answer' | 'request' | 'note';

export interface ReferralRoutes {
  'GET /api/v1/referrals': { response: { referrals: ReferralSummary[]; next: number | null } };
  'POST /api/v1/referrals': { body: { reportIds: string[]; toOrgId: string; note?: string }; response: ReferralCreated };
  'GET /api/v1/referrals/:id': { response: ReferralDetail };
  'GET /api/v1/referrals/:id/incidents': { response: { incidents: ReferralIncident[] } };
  'GET /api/v1/referrals/:id/thread': { response: { events: ThreadEvent[] } };
  'GET /api/v1/referrals/:id/chain': { response: ChainResult };
  'POST /api/v1/referrals/:id/accept': { body: { note?: string }; response: unknown };
  'POST /api/v1/referrals/:id/close': { body: { note?: string }; response: unknown };
  'POST /api/v1/referrals/:id/decline': { body: { reason: string }; response: unknown };
  'POST /api/v1/referrals/:id/outcomes': { body: { outcomes: { incidentId: string; code: OutcomeCode; note?: string }[] }; response: unknown };
  'POST /api/v1/referrals/:id/retract': { body: { reason: string; incidentIds?: string[] }; response: unknown };
  'POST /api/v1/referrals/:id/relay': { body: { toOrgId: string; note?: string }; response: unknown };
  'POST /api/v1/referrals/:id/messages': { body: { purpose: MessagePurpose; text: string; to?: string; inReplyTo?: string }; response: unknown };
  'POST /api/v1/referrals/:id/messages/:eventId/ask-reporter': { response: unknown };
  'GET /api/v1/routing/recipients': { response: { recipients: Recipient[] } };
  'POST /api/v1/routing/suggest': { body: { reportIds: string[] }; response: { suggestions: RouteSuggestion[] } };
}

export const REFERRALS_PAGE = 50;

export function useReferralList(p: { direction: 'sent' | 'received'; status: string; offset: number }) {
  return useQuery({
    queryKey: keys.referrals.list(p),
    queryFn: ({ signal }) => api('GET /api/v1/referrals', { query: { direction: p.direction, limit: REFERRALS_PAGE, offset: p.offset, status: p.status }, signal }),
  });
}

/** The referrals this organisation sent with incidents of the report (the report view's Refer panel). */
export function useReferralsOfReport(reportId: string, enabled: boolean) {
  return useQuery({
    queryKey: keys.referrals.list({ direction: 'sent', reportId }),
    queryFn: async ({ signal }) => (await api('GET /api/v1/referrals', { query: { direction: 'sent', reportId, limit: 20 }, signal })).referrals,
    enabled,
  });
}

/** The referral, its incidents and its thread, asked for together (three custody-logged reads, as the page has always made). */
export function useReferral(id: string) {
  const detail = useQuery({ queryKey: keys.referrals.detail(id), queryFn: ({ signal }) => api('GET /api/v1/referrals/:id', { params: { id }, signal }), gcTime: 0 });
  const incidents = useQuery({
    queryKey: keys.referrals.incidents(id),
    queryFn: async ({ signal }) => (await api('GET /api/v1/referrals/:id/incidents', { params: { id }, signal })).incidents,
    gcTime: 0,
  });
  const thread = useQuery({
    queryKey: keys.referrals.thread(id),
    queryFn: async ({ signal }) => (await api('GET /api/v1/referrals/:id/thread', { params: { id }, signal })).events,
    gcTime: 0,
  });
  return { detail, incidents, thread };
}

/** Re-verifies the chain on demand (`refetch`): never on its own, never from a cache. */
export function useReferralChain(id: string) {
  return useQuery({
    queryKey: keys.referrals.chain(id),
    queryFn: ({ signal }) => api('GET /api/v1/referrals/:id/chain', { params: { id }, signal }),
    enabled: false,
    gcTime: 0,
  });
}

export function useRecipients(enabled: boolean) {
  return useQuery({
    queryKey: keys.routing.recipients,
    queryFn: async ({ signal }) => (await api('GET /api/v1/routing/recipients', { signal })).recipients,
    enabled,
    staleTime: 60_000,
  });
}

/** After anything that changes a referral: it, the lists, the inbox and reports' referral histories are read again where shown. */
export function referralChanged(client: QueryClient, id?: string): Promise<unknown> {
  return Promise.all([
    id
      ? client.invalidateQueries({ queryKey: keys.referrals.one(id), predicate: (q) => q.queryKey[2] !== 'chain' })
      : Promise.resolve(),
    client.invalidateQueries({ queryKey: ['referrals', 'list'] }),
    client.invalidateQueries({ queryKey: keys.inbox.all }),
    client.invalidateQueries({ queryKey: keys.reports.all, predicate: (q) => q.queryKey[2] === 'referrals' }),
    // A referral changes the status of the reports it carries: the queue asks again when shown.
    client.invalidateQueries({ queryKey: keys.queue.all, refetchType: 'none' }),
  ]);
}

/** One action on a referral (`run` calls the API); the referral and what shows it are read again. */
export function useReferralAction(id: string) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (run: () => Promise<unknown>) => run(),
    onSuccess: () => referralChanged(client, id),
  });
}

/** The routing table's suggestion per incident of the report, and who may receive it. */
export async function suggestReferral(client: QueryClient, reportId: string) {
  const [s, recipients] = await Promise.all([
    api('POST /api/v1/routing/suggest', { body: { reportIds: [reportId] } }),
    client.fetchQuery({ queryKey: keys.routing.recipients, queryFn: async () => (await api('GET /api/v1/routing/recipients')).recipients, staleTime: 60_000 }),
  ]);
  return { suggestions: s.suggestions, recipients };
}

export function useCreateReferral() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (body: { reportIds: string[]; toOrgId: string; note?: string }) => api('POST /api/v1/referrals', { body }),
    onSuccess: () => referralChanged(client),
  });
}
