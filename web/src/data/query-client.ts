/**
 * The app's one QueryClient and its defaults. Reading a report (and a bundle, a referral) is a
 * custody-logged access on the server, so nothing is fetched behind the analyst's back: no refetch
 * when the window regains focus or the network comes back, no automatic retries (an error is shown
 * and the analyst refreshes). Data that changes by itself is polled where it is shown
 * (`refetchInterval`, paused while the tab is hidden).
 */
import { QueryClient } from '@tanstack/react-query';

export function createQueryClient(): QueryClient {
  return new QueryClient({
    defaultOptions: {
      queries: {
        retry: false,
        refetchOnWindowFocus: false,
        refetchOnReconnect: false,
      },
      mutations: { retry: false },
    },
  });
}

/** The browser app's client (tests make their own with `createQueryClient()`). */
export const queryClient = createQueryClient();
