/** One bundle's charts: incidents by country, over time (per day or hour), outcome per jurisdiction, suspects' ages. */
import { useMemo } from 'react';
import type { BundleAggregates, BundleDetail, TimeBucket } from '../../data/bundles.queries.js';
import { BarChart, formatNumber, LineChart, outcomeColours, palette, StackedColumnChart, type Series } from '../charts.js';
import { outcomeLabel, outcomeOrder } from '../outcome-format.js';
import { countryName, fillTimeline } from './bundle-format.js';

export function BundleCharts(props: { detail: BundleDetail; aggregates: BundleAggregates | undefined; bucket: TimeBucket; onBucket: (b: TimeBucket) => void }) {
  const { detail, aggregates: agg, bucket } = props;
  const timeline = useMemo(() => fillTimeline(agg?.timeline ?? [], bucket), [agg, bucket]);
  const jurisdictions = [...new Set(detail.byOutcome.map((o) => o.jurisdiction))].sort();
  const outcomeSeries: Series[] = outcomeOrder
    .filter((o) => detail.byOutcome.some((x) => x.outcome === o))
    .map((o) => ({ key: o, label: outcomeLabel(o), colour: outcomeColours[o] ?? palette[5] }));
  const ages = agg?.suspectAges ?? [];
  const unknownAges = ages.find((a) => a.age === null)?.incidents ?? 0;

  return (
    <div className="chart-grid">
      <BarChart
        title="Incidents by country"
        testId="chart-by-country"
        categoryLabel="Country"
        valueLabel="Incidents"
        data={detail.byCountry.map((c) => ({ label: countryName(c.country), value: c.incidents }))}
      />
      <div>
        <fieldset className="inline-choice">
          <legend>Over time, per</legend>
          {(['day', 'hour'] as const).map((v) => (
            <label key={v} className="choice">
              <input type="radio" name="bucket" value={v} checked={bucket === v} onChange={() => props.onBucket(v)} />
              {v}
            </label>
          ))}
        </fieldset>
        <LineChart
          title={`Incidents per ${bucket} (UTC)`}
          testId="chart-over-time"
          categoryLabel={bucket === 'day' ? 'Day' : 'Hour'}
          area
          points={timeline.map((p) => ({
            key: p.at,
            label: bucket === 'day' ? p.at.slice(0, 10) : `${p.at.slice(0, 10)} ${p.at.slice(11, 16)}`,
            short: bucket === 'day' ? p.at.slice(5, 10) : `${p.at.slice(5, 10)} ${p.at.slice(11, 16)}`,
          }))}
          series={[{ key: 'incidents', label: 'Incidents', colour: palette[0] }]}
          values={timeline.map((p) => ({ incidents: p.incidents }))}
        />
      </div>
      <StackedColumnChart
        title="Outcome per jurisdiction"
        testId="chart-outcomes"
        categoryLabel="Jurisdiction"
        categories={jurisdictions.map((j) => ({ key: j, label: j }))}
        series={outcomeSeries}
        values={jurisdictions.map((j) => Object.fromEntries(detail.byOutcome.filter((o) => o.jurisdiction === j).map((o) => [o.outcome, o.incidents])))}
      />
      <BarChart
        title="Suspects’ ages"
        testId="chart-ages"
        categoryLabel="Age"
        valueLabel="Incidents"
        colour={palette[3]}
        summary={unknownAges > 0 ? `Age unknown for ${formatNumber(unknownAges)} incidents.` : undefined}
        data={ages.filter((a) => a.age !== null).map((a) => ({ label: String(a.age), value: a.incidents }))}
      />
    </div>
  );
}

/** The first and last day of the bundle's timeline, for its facts. Pure. */
export function seenRange(agg: BundleAggregates | undefined, bucket: TimeBucket): string {
  const timeline = fillTimeline(agg?.timeline ?? [], bucket);
  const first = timeline[0]?.at;
  const last = timeline[timeline.length - 1]?.at;
  return first ? `${first.slice(0, 10)} to ${last?.slice(0, 10)}` : '—';
}
