/**
 * Every query key of the app, by resource, so that what a mutation invalidates can be read in one
 * place. Keys are arrays from the general to the particular: invalidating `keys.reports.one(id)`
 * reaches the report's view, triage, custody and referrals.
 */
export const keys = {
  session: ['session'] as const,
  queue: {
    all: ['queue'] as const,
    rows: (query: string) => ['queue', 'rows', query] as const,
    counts: (query: string) => ['queue', 'counts', query] as const,
    options: ['queue', 'options'] as const,
    views: ['queue', 'views'] as const,
  },
  reports: {
    all: ['reports'] as const,
    list: (status: string) => ['reports', 'list', status] as const,
    one: (id: string) => ['reports', id] as const,
    view: (id: string) => ['reports', id, 'view'] as const,
    triage: (id: string) => ['reports', id, 'triage'] as const,
    custody: (id: string) => ['reports', id, 'custody'] as const,
    referrals: (id: string) => ['reports', id, 'referrals'] as const,
  },
  exposure: {
    all: ['exposure'] as const,
    own: ['exposure', 'own'] as const,
    team: ['exposure', 'team'] as const,
  },
  bundles: {
    all: ['bundles'] as const,
    list: (p: { sort: string; viral: boolean; cursor: string | null }) => ['bundles', 'list', p] as const,
    one: (id: string) => ['bundles', id] as const,
    detail: (id: string, cursor: string | null) => ['bundles', id, 'detail', cursor] as const,
    aggregates: (id: string, bucket: string) => ['bundles', id, 'aggregates', bucket] as const,
  },
  referrals: {
    all: ['referrals'] as const,
    list: (p: { direction: string; status?: string; offset?: number; reportId?: string }) => ['referrals', 'list', p] as const,
    one: (id: string) => ['referrals', id] as const,
    detail: (id: string) => ['referrals', id, 'detail'] as const,
    incidents: (id: string) => ['referrals', id, 'incidents'] as const,
    thread: (id: string) => ['referrals', id, 'thread'] as const,
    chain: (id: string) => ['referrals', id, 'chain'] as const,
  },
  routing: {
    all: ['routing'] as const,
    recipients: ['routing', 'recipients'] as const,
    routes: ['routing', 'routes'] as const,
    peers: ['routing', 'peers'] as const,
  },
  inbox: {
    all: ['inbox'] as const,
    counts: ['inbox', 'counts'] as const,
    group: (group: string) => ['inbox', 'group', group] as const,
  },
  dashboard: (range: { from: string; to: string }) => ['dashboard', range] as const,
  admin: {
    all: ['admin'] as const,
    organisations: ['admin', 'organisations'] as const,
    users: (orgId: string) => ['admin', 'users', orgId] as const,
    keys: (orgId: string) => ['admin', 'keys', orgId] as const,
    banks: ['admin', 'banks'] as const,
    bankEntries: (bankId: string, cursor: string | null) => ['admin', 'banks', bankId, 'entries', cursor] as const,
    rulepacks: ['admin', 'rulepacks'] as const,
  },
};
