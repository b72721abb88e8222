/** The supervisors' dashboard for a UTC date range (GET /api/v1/ui/dashboard): counts only. */
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { api } from './api-client.js';
import { keys } from './query-keys.js';

export interface Dashboard {
  range: { from: string; to: string };
  generatedAt: string;
  volume: { day: string; P1: number; P2: number; P3: number; informational: number; total: number }[];
  outcomes: { jurisdiction: string; counts: Record<string, number>; total: number }[];
  backlog: { bucket: string; label: string; P1: number; P2: number; P3: number; informational: number; untriaged: number }[];
  intakeToReferral: { week: string; reports: number; medianHours: number; p90Hours: number }[];
  exposure: { days: { day: string; reveals: number; reviewers: number; shownMinutes: number; maxRevealsPerReviewer: number }[] };
}

export interface DashboardRoutes {
  'GET /api/v1/ui/dashboard': { response: Dashboard };
}

export function useDashboard(range: { from: string; to: string }) {
  return useQuery({
    queryKey: keys.dashboard(range),
    queryFn: ({ signal }) => api('GET /api/v1/ui/dashboard', { query: range, signal }),
    placeholderData: keepPreviousData,
  });
}
