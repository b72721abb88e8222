/** The queue's heading line: how many reports are shown of how many, when the counts were taken, refresh, clear filters. */
import type { QueueCounts } from '../../data/queue.queries.js';

/** "Showing 50 of 1,234 reports by priority". Pure. */
export function queueStatusText(shown: number, total: number | undefined, loading: boolean): string {
  if (loading) return 'Loading…';
  return `Showing ${shown.toLocaleString('en-GB')}${total !== undefined ? ` of ${total.toLocaleString('en-GB')}` : ''} report${(total ?? shown) === 1 ? '' : 's'} by priority`;
}

export function QueueHead(props: {
  shown: number;
  counts: QueueCounts | undefined;
  loading: boolean;
  filtered: boolean;
  onRefresh: () => void;
  onClear: () => void;
}) {
  const { counts } = props;
  return (
    <div className="queue-head">
      <h1>Queue</h1>
      <span role="status" className="count" data-testid="queue-status">
        {queueStatusText(props.shown, counts?.total, props.loading)}
      </span>
      <span className="count queue-updated">{counts ? `counts at ${new Date(counts.at).toLocaleTimeString('en-GB')}` : ''}</span>
      <button type="button" onClick={props.onRefresh}>
        Refresh
      </button>
      {props.filtered && (
        <button type="button" onClick={props.onClear}>
          Clear filters
        </button>
      )}
    </div>
  );
}
