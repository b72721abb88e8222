/**
 * The supervisors' dashboard: reports per day by priority, outcome mix per jurisdiction, backlog
 * by age, time from intake to referral per week, and reviewers' exposure to media, over a chosen
 * UTC date range. Counts only (GET /api/v1/ui/dashboard); every chart has its data as a table.
 */
import { useEffect, useState, type FormEvent } from 'react';
import { ApiError } from '../data/api-client.js';
import { useDashboard } from '../data/dashboard.queries.js';
import { Link } from '../router.js';
import { ErrorBanner } from '../ui/error-banner.js';
import {
  formatNumber,
  LineChart,
  outcomeColours,
  palette,
  priorityColours,
  StackedColumnChart,
  type Series,
} from './charts.js';
import { outcomeLabel, outcomeOrder } from './outcome-format.js';

const prioritySeries: Series[] = [
  { key: 'P1', label: 'P1', colour: priorityColours.P1 },
  { key: 'P2', label: 'P2', colour: priorityColours.P2 },
  { key: 'P3', label: 'P3', colour: priorityColours.P3 },
  { key: 'informational', label: 'Informational', colour: priorityColours.informational },
];

const dayMs = 86_400_000;
const isoDay = (t: number) => new Date(t).toISOString().slice(0, 10);
const todayUtc = () => isoDay(Date.now());

/** Hours as a short duration: "45 min", "5.5 h", "3.2 d". Pure. */
export function formatHours(h: number): string {
  if (h < 1) return `${Math.round(h * 60)} min`;
  if (h < 48) return `${Math.round(h * 10) / 10} h`;
  return `${Math.round((h / 24) * 10) / 10} d`;
}

export function DashboardPage() {
  const [to, setTo] = useState(todayUtc);
  const [from, setFrom] = useState(() => isoDay(Date.now() - 29 * dayMs));
  const [applied, setApplied] = useState({ from, to });
  const dashboard = useDashboard(applied);
  const data = dashboard.data;
  const loading = dashboard.isFetching;

  useEffect(() => {
    document.title = 'Dashboard · Tipline';
  }, []);

  const submit = (e: FormEvent) => {
    e.preventDefault();
    setApplied({ from, to });
  };
  const quick = (days: number) => {
    const end = todayUtc();
    const start = isoDay(Date.parse(`${end}T00:00:00Z`) - (days - 1) * dayMs);
    setFrom(start);
    setTo(end);
    setApplied({ from: start, to: end });
  };

  const totalReports = data?.volume.reduce((n, v) => n + v.total, 0) ?? 0;
  const openNow = data?.backlog.reduce((n, b) => n + b.P1 + b.P2 + b.P3 + b.informational, 0) ?? 0;
  const untriaged = data?.backlog.reduce((n, b) => n + b.untriaged, 0) ?? 0;
  const referred = data?.intakeToReferral.reduce((n, w) => n + w.reports, 0) ?? 0;
  const outcomeKeys = outcomeOrder.filter((o) => data?.outcomes.some((j) => (j.counts[o] ?? 0) > 0));
  const outcomeSeries: Series[] = outcomeKeys.map((o) => ({
    key: o,
    label: outcomeLabel(o),
    colour: outcomeColours[o] ?? palette[5],
  }));

  return (
    <section className="dashboard">
      <h1>Dashboard</h1>
      <form className="toolbar dashboard-range" onSubmit={submit} aria-label="Date range">
        <label htmlFor="dash-from">From</label>
        <input
          id="dash-from"
          type="date"
          value={from}
          max={to}
          onChange={(e) => setFrom(e.target.value)}
          required
        />
        <label htmlFor="dash-to">To</label>
        <input
          id="dash-to"
          type="date"
          value={to}
          min={from}
          onChange={(e) => setTo(e.target.value)}
          required
        />
        <button type="submit" className="primary" disabled={loading}>
          Show
        </button>
        <span className="quick-ranges">
          <button type="button" onClick={() => quick(7)}>
            7 days
          </button>
          <button type="button" onClick={() => quick(30)}>
            30 days
          </button>
          <button type="button" onClick={() => quick(90)}>
            90 days
          </button>
        </span>
      </form>
      <p className="count" role="status" aria-live="polite">
        {loading
          ? 'Loading…'
          : data
            ? `UTC days ${data.range.from} to ${data.range.to}; backlog as of ${data.generatedAt.slice(0, 16).replace('T', ' ')} UTC.`
            : ''}
      </p>
      <ErrorBanner error={dashboard.error} fallback="The dashboard could not be loaded." issues={!(dashboard.error instanceof ApiError && dashboard.error.status === 403)} />
      {data ? (
        <>
          <dl className="dashboard-stats">
            <div>
              <dt>Reports received</dt>
              <dd data-testid="stat-reports">{formatNumber(totalReports)}</dd>
            </div>
            <div>
              <dt>Open now</dt>
              <dd>
                <Link href="/app" title="Open the queue">
                  {formatNumber(openNow)}
                </Link>
              </dd>
            </div>
            <div>
              <dt>Waiting for triage</dt>
              <dd>{formatNumber(untriaged)}</dd>
            </div>
            <div>
              <dt>Reports referred</dt>
              <dd>
                <Link href="/app/referrals" title="Open the referrals">
                  {formatNumber(referred)}
                </Link>
              </dd>
            </div>
          </dl>
          <div className="chart-grid">
            <StackedColumnChart
              title="Reports per day, by priority"
              testId="chart-volume"
              categoryLabel="Day"
              categories={data.volume.map((v) => ({ key: v.day, label: v.day, short: v.day.slice(5) }))}
              series={prioritySeries}
              values={data.volume.map((v) => ({
                P1: v.P1,
                P2: v.P2,
                P3: v.P3,
                informational: v.informational,
              }))}
            />
            <StackedColumnChart
              title="Outcome mix per jurisdiction (incidents)"
              testId="chart-outcome-mix"
              categoryLabel="Jurisdiction"
              categories={data.outcomes.map((o) => ({ key: o.jurisdiction, label: o.jurisdiction }))}
              series={outcomeSeries}
              values={data.outcomes.map((o) => o.counts)}
            />
            <StackedColumnChart
              title="Backlog by age (open and untriaged reports)"
              testId="chart-backlog"
              categoryLabel="Age"
              summary="Open: new or in review, by priority. Untriaged: finished reports triage has not reached yet."
              categories={data.backlog.map((b) => ({ key: b.bucket, label: b.label }))}
              series={[...prioritySeries, { key: 'untriaged', label: 'Untriaged', colour: palette[6] }]}
              values={data.backlog.map((b) => ({
                P1: b.P1,
                P2: b.P2,
                P3: b.P3,
                informational: b.informational,
                untriaged: b.untriaged,
              }))}
            />
            <LineChart
              title="Time from intake to first referral, per week (hours)"
              testId="chart-referral-time"
              categoryLabel="Week of"
              summary={
                data.intakeToReferral.length > 0
                  ? `Latest week: median ${formatHours(data.intakeToReferral[data.intakeToReferral.length - 1].medianHours)}, 90th percentile ${formatHours(data.intakeToReferral[data.intakeToReferral.length - 1].p90Hours)}.`
                  : undefined
              }
              unit="h"
              points={data.intakeToReferral.map((w) => ({ key: w.week, label: w.week }))}
              series={[
                { key: 'median', label: 'Median', colour: palette[0] },
                { key: 'p90', label: '90th percentile', colour: palette[1] },
              ]}
              values={data.intakeToReferral.map((w) => ({ median: w.medianHours, p90: w.p90Hours }))}
            />
            <LineChart
              title="Reviewer exposure per day (media revealed)"
              testId="chart-exposure"
              categoryLabel="Day"
              summary={`${formatNumber(data.exposure.days.reduce((n, d) => n + d.reveals, 0))} reveals, ${formatNumber(Math.round(data.exposure.days.reduce((n, d) => n + d.shownMinutes, 0)))} minutes shown in the period.`}
              points={data.exposure.days.map((d) => ({ key: d.day, label: d.day, short: d.day.slice(5) }))}
              series={[
                { key: 'reveals', label: 'Reveals', colour: palette[1] },
                { key: 'max', label: 'Most by one reviewer', colour: palette[2] },
                { key: 'minutes', label: 'Minutes shown', colour: palette[0] },
              ]}
              values={data.exposure.days.map((d) => ({
                reveals: d.reveals,
                max: d.maxRevealsPerReviewer,
                minutes: d.shownMinutes,
              }))}
            />
          </div>
        </>
      ) : null}
    </section>
  );
}
