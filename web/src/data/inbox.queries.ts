/**
 * The agency inbox (GET /api/v1/ui/inbox, custody-logged): counts per group, and each group's
 * incidents with the rules and statutes that put them there, 50 at a time.
 */
import { useInfiniteQuery, useQuery } from '@tanstack/react-query';
import { api } from './api-client.js';
import { keys } from './query-keys.js';

export type InboxGroup = 'actionable' | 'not_illegal' | 'safeguarding' | 'uncertain';

export interface InboxCitation {
  statute: string;
  section: string;
  text?: string;
  url?: string;
}
export interface InboxItem {
  referral: { id: string; referralId: string; sender: { orgId: string; name: string | null }; receivedAt: string; status: string };
  incidentId: string;
  reportId: string;
  assessment: {
    jurisdiction: string | null;
    outcome: string | null;
    ruleId: string | null;
    citations: InboxCitation[];
    explanation: string | null;
    suspectCriminallyLiable: boolean | null;
    undeterminedFacts: string[];
  } | null;
  outcome: string | null;
}
export interface RuleCount {
  ruleId: string | null;
  outcome: string | null;
  citations: InboxCitation[];
  explanation: string | null;
  incidents: number;
}
export interface InboxPage {
  counts: Record<InboxGroup, number>;
  rules: RuleCount[];
  items: InboxItem[];
  next: number | null;
}

export interface InboxRoutes {
  'GET /api/v1/ui/inbox': { response: InboxPage };
}

export const INBOX_PAGE = 50;

/** The counts of every group (the first row of one group, for its counts). */
export function useInboxCounts() {
  return useQuery({
    queryKey: keys.inbox.counts,
    queryFn: async ({ signal }) => (await api('GET /api/v1/ui/inbox', { query: { group: 'actionable', limit: 1 }, signal })).counts,
  });
}

/** One group, 50 incidents a page; the first page carries the rules and counts. */
export function useInboxGroup(group: InboxGroup, enabled: boolean) {
  return useInfiniteQuery({
    queryKey: keys.inbox.group(group),
    queryFn: ({ pageParam, signal }) => api('GET /api/v1/ui/inbox', { query: { group, limit: INBOX_PAGE, offset: pageParam }, signal }),
    initialPageParam: 0,
    getNextPageParam: (last) => last.next,
    enabled,
    gcTime: 0,
  });
}
