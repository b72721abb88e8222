/**
 * The reviewer's exposure to revealed media today (GET /api/v1/ui/exposure), polled every minute
 * while the workspace is visible and read again at once after each reveal and re-blur; and the
 * team's figures for supervisors.
 */
import { queryOptions, useQuery, type QueryClient } from '@tanstack/react-query';
import { api } from './api-client.js';
import { keys } from './query-keys.js';

export interface ExposureSummary {
  day: string;
  items: number;
  files: number;
  shownMs: number;
  open: number;
  reached: ('items' | 'minutes')[];
  overLimit: boolean;
  limits: { items: number; minutes: number };
}
export interface TeamReviewer extends Omit<ExposureSummary, 'day' | 'limits'> {
  userId: string;
  email: string | null;
  role: string | null;
  lastRevealAt: string | null;
}

export interface ExposureRoutes {
  'GET /api/v1/ui/exposure': { response: ExposureSummary };
  'GET /api/v1/ui/exposure/team': { response: { day: string; reviewers: TeamReviewer[] } };
}

export const EXPOSURE_EVERY_MS = 60_000;

export const exposureQuery = queryOptions({
  queryKey: keys.exposure.own,
  queryFn: ({ signal }) => api('GET /api/v1/ui/exposure', { signal }),
});

export function useExposure(enabled = true) {
  return useQuery({ ...exposureQuery, enabled, refetchInterval: EXPOSURE_EVERY_MS });
}

/** Today's exposure as the server counts it now (before a reveal: over the limit, the analyst is asked first). */
export function fetchExposure(client: QueryClient) {
  return client.fetchQuery({ ...exposureQuery, staleTime: 0 });
}

/** After a reveal or a re-blur: the meter (and the team's figures) follow at once. */
export function exposureChanged(client: QueryClient): Promise<void> {
  return client.invalidateQueries({ queryKey: keys.exposure.all });
}

export function useTeamExposure() {
  return useQuery({
    queryKey: keys.exposure.team,
    queryFn: ({ signal }) => api('GET /api/v1/ui/exposure/team', { signal }),
  });
}
