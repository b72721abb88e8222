/**
 * What the app asks for before its first render: on a workspace page the session; on the queue
 * also the first page of rows for the filters in the URL, alongside the session check rather than
 * after it (the queue's first paint is the workspace's most frequent wait).
 */
import type { QueryClient } from '@tanstack/react-query';
import { prefetchQueue } from './queue.queries.js';
import { sessionQuery } from './session.queries.js';
import { canonicalQuery } from './queue-query.js';

export function prefetchForPath(client: QueryClient, where: { pathname: string; search: string }): void {
  if (!/^\/app(\/|$)/.test(where.pathname)) return;
  void client.prefetchQuery(sessionQuery);
  if (/^\/app\/?$/.test(where.pathname)) prefetchQueue(client, canonicalQuery(where.search), { startup: true });
}
