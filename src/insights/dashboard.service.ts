/**
 * The web app's bundle list and bundle aggregates, and the supervisors' dashboard: counts over the
 * triage, referral and exposure tables, scoped to the signed-in user's organisation. Nothing here
 * returns report content, so nothing here is custody-logged; a bundle's member incidents are read
 * through GET /api/v1/triage/bundles/:id, which is.
 *
 * @example
 *   const page = await readBundleList(deps, principal, { sort: 'size', viral: false, limit: 50 });
 *   const board = await readDashboard(deps, principal, { from: '2026-11-01', to: '2026-11-30' }, new Date());
 */
import type { Kysely } from 'kysely';
import { ownerScope, type Principal } from '../access/policy.js';
import type { BundleAggregates, BundleList, BundleListItem, Dashboard } from '../contracts/api/insights.api.js';
import { assessmentOutcomeValues, priorityLevelValues, type AssessmentOutcome } from '../contracts/api/triage.api.js';
import { TiplineError } from '../contracts/errors.js';
import type { Database } from '../platform/db/schema.js';
import { decodeCursor, encodeCursor } from '../platform/http/cursor.js';
import {
  backlogBuckets,
  bundleInOrg,
  bundlePriorities,
  bundlesCountries,
  bundlesOutcomes,
  bundlesSeen,
  bundleSuspectAges,
  bundleTimeline,
  countBundles,
  exposurePerDay,
  intakeToReferral,
  listBundles,
  openBacklog,
  outcomeMix,
  reportsPerDay,
  untriagedBacklog,
  type BundleListAfter,
  type BundleSort,
  type TimeBucket,
} from './dashboard.repository.js';

export interface DashboardDeps {
  db: Kysely<Database>;
}

export const priorityLevels = priorityLevelValues;

/**
 * Outcomes from the most to the least serious (baseline: the INTERPOL baseline criteria are met); a
 * tie for the dominant outcome goes to the more serious.
 */
export const outcomeSeverity = assessmentOutcomeValues;

function severityRank(outcome: AssessmentOutcome): number {
  const i = outcomeSeverity.indexOf(outcome);
  return i === -1 ? outcomeSeverity.length : i;
}

/** Per jurisdiction, the outcome most incidents have (ties: the more serious), its count and the jurisdiction's total. Pure. */
export function dominantOutcomes(
  rows: readonly { jurisdiction: string; outcome: AssessmentOutcome; incidents: number }[],
): BundleListItem['dominantOutcomes'] {
  const byJurisdiction = new Map<string, { outcome: AssessmentOutcome; incidents: number; total: number }>();
  for (const r of rows) {
    const cur = byJurisdiction.get(r.jurisdiction);
    if (!cur) {
      byJurisdiction.set(r.jurisdiction, { outcome: r.outcome, incidents: r.incidents, total: r.incidents });
      continue;
    }
    cur.total += r.incidents;
    if (
      r.incidents > cur.incidents ||
      (r.incidents === cur.incidents && severityRank(r.outcome) < severityRank(cur.outcome))
    ) {
      cur.outcome = r.outcome;
      cur.incidents = r.incidents;
    }
  }
  return [...byJurisdiction.entries()]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([jurisdiction, v]) => ({ jurisdiction, ...v }));
}

export interface BundleListQuery {
  sort: BundleSort;
  viral: boolean;
  limit: number;
  cursor?: string | undefined;
}

export async function readBundleList(deps: DashboardDeps, principal: Principal, q: BundleListQuery): Promise<BundleList> {
  const filters = { sort: q.sort, viral: q.viral };
  let after: BundleListAfter | undefined;
  if (q.cursor) {
    if (q.sort === 'size') {
      const { key } = decodeCursor(q.cursor, filters, ['number', 'string', 'string']);
      after = { sort: 'size', key: key as [number, string, string] };
    } else {
      const { key } = decodeCursor(q.cursor, filters, ['string', 'string']);
      after = { sort: 'recent', key: key as [string, string] };
    }
  }
  const rows = await listBundles(deps.db, ownerScope(principal), {
    sort: q.sort,
    viralOnly: q.viral,
    after,
    limit: q.limit + 1,
  });
  const shown = rows.slice(0, q.limit);
  const ids = shown.map((b) => b.bundle_id);
  const [seen, countries, outcomes, totals] = await Promise.all([
    bundlesSeen(deps.db, ids),
    bundlesCountries(deps.db, ids),
    bundlesOutcomes(deps.db, ids),
    countBundles(deps.db, ownerScope(principal)),
  ]);
  const last = shown[shown.length - 1];
  const nextCursor =
    rows.length > q.limit && last
      ? encodeCursor(
          {
            key:
              q.sort === 'size'
                ? [last.member_count, last.updated_key, last.bundle_id]
                : [last.updated_key, last.bundle_id],
          },
          filters,
        )
      : null;
  return {
    totals,
    items: shown.map((b) => {
      const s = seen.find((x) => x.bundle_id === b.bundle_id);
      return {
        bundleId: b.bundle_id,
        origin: b.origin,
        splitFrom: b.split_from,
        incidents: b.member_count,
        uploaders: b.uploader_count,
        viral: b.viral,
        createdAt: b.created_at,
        updatedAt: b.updated_at,
        firstSeen: s?.first_seen ?? null,
        lastSeen: s?.last_seen ?? null,
        countries: countries
          .filter((c) => c.bundle_id === b.bundle_id)
          .sort((x, y) => y.incidents - x.incidents || String(x.country).localeCompare(String(y.country)))
          .map((c) => ({ country: c.country, incidents: c.incidents })),
        dominantOutcomes: dominantOutcomes(outcomes.filter((o) => o.bundle_id === b.bundle_id)),
      };
    }),
    nextCursor,
  };
}

export async function readBundleAggregates(
  deps: DashboardDeps,
  principal: Principal,
  bundleId: string,
  bucket: TimeBucket,
): Promise<BundleAggregates> {
  if (!(await bundleInOrg(deps.db, ownerScope(principal), bundleId)))
    throw new TiplineError('TIP_ERR_TRIAGE_NOT_FOUND', { message: 'No such bundle in this organisation.' });
  const [timeline, suspectAges, byPriority] = await Promise.all([
    bundleTimeline(deps.db, bundleId, bucket),
    bundleSuspectAges(deps.db, bundleId),
    bundlePriorities(deps.db, bundleId),
  ]);
  return { bundleId, bucket, timeline, suspectAges, byPriority };
}

// ---- Dashboard ------------------------------------------------------------------------------

const dayMs = 86_400_000;
const maxRangeDays = 366;

function isoDay(d: Date): string {
  return d.toISOString().slice(0, 10);
}

/** The dashboard's UTC date range, inclusive of both days: the last 30 days by default; at most 366 days. Pure. */
export function dashboardRange(
  input: { from?: string | undefined; to?: string | undefined },
  now: Date,
): { from: string; to: string; days: string[] } {
  const parse = (s: string, path: string) => {
    const d = /^\d{4}-\d{2}-\d{2}$/.test(s) ? new Date(`${s}T00:00:00Z`) : new Date(Number.NaN);
    if (Number.isNaN(d.getTime()) || isoDay(d) !== s) {
      throw new TiplineError('TIP_ERR_INPUT_INVALID', {
        issues: [{ path, message: 'A date is YYYY-MM-DD.' }],
      });
    }
    return d;
  };
  const to = input.to ? parse(input.to, '/to') : new Date(`${isoDay(now)}T00:00:00Z`);
  const from = input.from ? parse(input.from, '/from') : new Date(to.getTime() - 29 * dayMs);
  const span = Math.round((to.getTime() - from.getTime()) / dayMs) + 1;
  if (span < 1)
    throw new TiplineError('TIP_ERR_INPUT_INVALID', {
      issues: [{ path: '/from', message: 'The range starts after it ends.' }],
    });
  if (span > maxRangeDays)
    throw new TiplineError('TIP_ERR_INPUT_INVALID', {
      issues: [{ path: '/from', message: `The range is at most ${maxRangeDays} days.` }],
    });
  const days = Array.from({ length: span }, (_, i) => isoDay(new Date(from.getTime() + i * dayMs)));
  return { from: isoDay(from), to: isoDay(to), days };
}

export async function readDashboard(
  deps: DashboardDeps,
  principal: Principal,
  input: { from?: string | undefined; to?: string | undefined },
  now: Date,
): Promise<Dashboard> {
  const range = dashboardRange(input, now);
  const sqlRange = {
    from: `${range.from}T00:00:00Z`,
    to: new Date(new Date(`${range.to}T00:00:00Z`).getTime() + dayMs).toISOString(),
  };
  const nowIso = now.toISOString();
  const scope = ownerScope(principal);
  const [volume, outcomes, open, untriaged, referral, exposure] = await Promise.all([
    reportsPerDay(deps.db, scope, sqlRange),
    outcomeMix(deps.db, scope, sqlRange),
    openBacklog(deps.db, scope, nowIso),
    untriagedBacklog(deps.db, scope, nowIso),
    intakeToReferral(deps.db, scope, sqlRange),
    exposurePerDay(deps.db, scope, sqlRange),
  ]);

  const volumeByDay = new Map(
    range.days.map((day) => [day, { day, P1: 0, P2: 0, P3: 0, informational: 0, total: 0 }]),
  );
  for (const v of volume) {
    const row = volumeByDay.get(v.day);
    if (!row) continue;
    row[v.priority] += v.reports;
    row.total += v.reports;
  }

  const jurisdictions = [...new Set(outcomes.map((o) => o.jurisdiction))].sort();
  const outcomeRows = jurisdictions.map((jurisdiction) => {
    const counts = Object.fromEntries(outcomeSeverity.map((o) => [o, 0])) as Record<AssessmentOutcome, number>;
    let total = 0;
    for (const o of outcomes.filter((x) => x.jurisdiction === jurisdiction)) {
      counts[o.outcome] = (counts[o.outcome] ?? 0) + o.incidents;
      total += o.incidents;
    }
    return { jurisdiction, counts, total };
  });

  const backlog = backlogBuckets.map((b) => {
    const row = { bucket: b.id, label: b.label, P1: 0, P2: 0, P3: 0, informational: 0, untriaged: 0 };
    for (const o of open.filter((x) => x.bucket === b.id)) row[o.priority] += o.reports;
    row.untriaged = untriaged.find((x) => x.bucket === b.id)?.reports ?? 0;
    return row;
  });

  return {
    range: { from: range.from, to: range.to },
    generatedAt: nowIso,
    volume: [...volumeByDay.values()],
    outcomes: outcomeRows,
    backlog,
    intakeToReferral: referral.map((r) => ({
      week: r.week,
      reports: r.reports,
      medianHours: round1(r.median_hours),
      p90Hours: round1(r.p90_hours),
    })),
    exposure: {
      // Every day of the range, with zeros on days without reveals.
      days: range.days.map((day) => {
        const e = exposure.find((x) => x.day === day);
        return {
          day,
          reveals: e?.reveals ?? 0,
          reviewers: e?.reviewers ?? 0,
          shownMinutes: round1((e?.shown_ms ?? 0) / 60_000),
          maxRevealsPerReviewer: e?.max_reveals_per_reviewer ?? 0,
        };
      }),
    },
  };
}

function round1(n: number): number {
  return Math.round(n * 10) / 10;
}
