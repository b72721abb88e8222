/**
 * The queue's filters as a URL query string, so that a view is a link and back/forward work. The
 * parameter names are the queue API's; empty filters are left out and the order is fixed, so one
 * set of filters always has one URL, and that string is the key of the rows in the cache.
 */
export interface QueueFilterState {
  priority: string[];
  status: string;
  assignee: string;
  outcome: string;
  country: string;
  reporter: string;
  bundle: string;
  olderThanDays: string;
  receivedAfter: string;
  receivedBefore: string;
}

export const emptyFilters: QueueFilterState = {
  priority: [],
  status: '',
  assignee: '',
  outcome: '',
  country: '',
  reporter: '',
  bundle: '',
  olderThanDays: '',
  receivedAfter: '',
  receivedBefore: '',
};

export const priorityLevels = ['P1', 'P2', 'P3', 'informational'] as const;
const order = ['priority', 'status', 'assignee', 'outcome', 'country', 'reporter', 'bundle', 'olderThanDays', 'receivedAfter', 'receivedBefore'] as const;

export function filtersFromSearch(search: string): QueueFilterState {
  const p = new URLSearchParams(search);
  const f: QueueFilterState = { ...emptyFilters };
  for (const key of order) {
    const v = p.getAll(key).join(',').trim();
    if (key === 'priority') f.priority = v ? priorityLevels.filter((l) => v.split(',').includes(l)) : [];
    else f[key] = v;
  }
  return f;
}

export function searchFromFilters(f: QueueFilterState): string {
  const p = new URLSearchParams();
  for (const key of order) {
    const v = key === 'priority' ? priorityLevels.filter((l) => f.priority.includes(l)).join(',') : f[key].trim();
    if (v) p.set(key, v);
  }
  return p.toString();
}

/** The one query string of a URL's filters: unknown parameters dropped, known ones in their order. */
export function canonicalQuery(search: string): string {
  return searchFromFilters(filtersFromSearch(search));
}

export function hasFilters(f: QueueFilterState): boolean {
  return searchFromFilters(f) !== '';
}
