/** One bundle's facts: incidents, uploaders, when seen, origin, classification, priority and status mix, content keys. */
import type { BundleAggregates, BundleDetail } from '../../data/bundles.queries.js';
import { Link } from '../../router.js';
import { formatNumber } from '../charts.js';
import { shortId } from './bundle-format.js';

const factText = (v: unknown) => (typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean' ? String(v) : JSON.stringify(v));

export function BundleFacts(props: { detail: BundleDetail; aggregates: BundleAggregates | undefined; seen: string }) {
  const { detail, aggregates: agg } = props;
  const b = detail.bundle;
  return (
    <dl className="facts bundle-facts">
      <dt>Incidents</dt>
      <dd data-testid="bundle-incidents">{formatNumber(b.incidents)}</dd>
      <dt>Uploaders</dt>
      <dd>{formatNumber(b.uploaders)}</dd>
      <dt>Seen</dt>
      <dd>{props.seen}</dd>
      <dt>Origin</dt>
      <dd>
        {b.origin}
        {b.splitFrom ? (
          <>
            {' '}
            (split from <Link href={`/app/bundles/${b.splitFrom}`}>{shortId(b.splitFrom)}</Link>)
          </>
        ) : null}
      </dd>
      <dt>Classification</dt>
      <dd>
        {detail.classification
          ? Object.entries(detail.classification.facts)
              .map(([k, v]) => `${k}: ${factText(v)}`)
              .join('; ')
          : 'none (each incident is assessed on its own facts)'}
      </dd>
      <dt>Priority</dt>
      <dd>{agg ? agg.byPriority.map((p) => `${p.priority} ${formatNumber(p.incidents)}`).join(', ') : '…'}</dd>
      <dt>Status</dt>
      <dd>{detail.byStatus.map((s) => `${s.status.replace(/_/g, ' ')} ${formatNumber(s.incidents)}`).join(', ')}</dd>
      <dt>Content</dt>
      <dd className="mono">{b.contentKeys.map((k) => (k.length > 40 ? `${k.slice(0, 40)}…` : k)).join(' ')}</dd>
    </dl>
  );
}
