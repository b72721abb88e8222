/**
 * The queue table: one dense row per report, the active row (keyboard focus) marked with
 * aria-current, selected rows with aria-selected, and the last bulk action's result per row.
 */
import { memo } from 'react';
import type { BulkResult, QueueItem } from '../../data/queue.queries.js';
import { Link } from '../../router.js';
import { ageOf, outcomeLabels, priorityShort, statusLabels } from './queue-format.js';

const Row = memo(function Row(props: {
  item: QueueItem;
  index: number;
  active: boolean;
  selected: boolean;
  result: BulkResult | undefined;
  me: string | undefined;
  now: number;
  onActivate: (index: number) => void;
  onToggle: (reportId: string) => void;
  onBundle: (bundleId: string) => void;
}) {
  const { item, active, selected, result } = props;
  const received = new Date(item.receivedAt);
  return (
    <tr
      data-report-id={item.reportId}
      tabIndex={active ? 0 : -1}
      aria-selected={selected}
      aria-current={active ? 'true' : undefined}
      className={`${active ? 'active' : ''}${selected ? ' selected' : ''}`}
      onFocus={() => props.onActivate(props.index)}
      onClick={() => props.onActivate(props.index)}
    >
      <td className="queue-select">
        <input type="checkbox" tabIndex={-1} checked={selected} aria-label={`Select report #${item.reportId}`} onChange={() => props.onToggle(item.reportId)} />
      </td>
      <td>
        <span className={`queue-priority queue-priority-${item.priority.level}`}>{priorityShort[item.priority.level] ?? item.priority.level}</span>
      </td>
      <td className="queue-report">
        <Link href={`/app/reports/${item.reportId}`} tabIndex={-1}>
          #{item.reportId}
        </Link>
        {item.escalated && <span className="badge badge-urgent">escalated</span>}
      </td>
      <td>
        <time dateTime={item.receivedAt} title={received.toLocaleString('en-GB', { dateStyle: 'medium', timeStyle: 'short' })}>
          {ageOf(item.receivedAt, props.now)}
        </time>
      </td>
      <td className="queue-reporter">{item.reporterName ?? item.reporterOrgId}</td>
      <td className="queue-type" title={item.incidentType}>
        {item.incidentType}
      </td>
      <td className="queue-num">{item.incidents}</td>
      <td>{item.countries.join(' ')}</td>
      <td className="queue-outcomes">
        {item.outcomes.map((o) => (
          <span key={`${o.jurisdiction}:${o.outcome}`} className={`queue-outcome queue-outcome-${o.outcome}`}>
            {o.jurisdiction} {outcomeLabels[o.outcome] ?? o.outcome}
          </span>
        ))}
      </td>
      <td>
        {item.bundleIds.map((b) => (
          <button key={b} type="button" tabIndex={-1} className="link-button queue-bundle" title={`Show bundle ${b}`} onClick={() => props.onBundle(b)}>
            {b.slice(0, 10)}…
          </button>
        ))}
      </td>
      <td>{statusLabels[item.status] ?? item.status}</td>
      <td className="queue-assignee">{item.assignee ? (item.assignee.userId === props.me ? 'me' : item.assignee.email) : <span className="queue-none">—</span>}</td>
      <td className={`queue-result${result ? ` queue-result-${result.code}` : ''}`} data-result={result?.code}>
        {result && (
          <>
            <span aria-hidden="true">{result.code === 'ok' ? '✓ ' : result.code === 'unchanged' ? '= ' : '✗ '}</span>
            {result.message}
          </>
        )}
      </td>
    </tr>
  );
});

export function QueueTable(props: {
  items: QueueItem[];
  active: number;
  selected: ReadonlySet<string>;
  results: ReadonlyMap<string, BulkResult>;
  me: string | undefined;
  busy: boolean;
  onActivate: (index: number) => void;
  onToggle: (reportId: string) => void;
  onToggleAll: () => void;
  onBundle: (bundleId: string) => void;
}) {
  // Ages to the minute, so that rows re-render only when they change.
  const now = Math.floor(Date.now() / 60_000) * 60_000;
  const allSelected = props.items.length > 0 && props.items.every((i) => props.selected.has(i.reportId));
  return (
    <table className="queue queue-grid" role="grid" aria-multiselectable="true" aria-busy={props.busy} aria-describedby="queue-help-text">
      <caption>Triage queue by priority, oldest first</caption>
      <thead>
        <tr>
          <th scope="col" className="queue-select">
            <input type="checkbox" checked={allSelected} aria-label="Select all shown reports" onChange={props.onToggleAll} />
          </th>
          <th scope="col">Priority</th>
          <th scope="col">Report</th>
          <th scope="col">Age</th>
          <th scope="col">Reporter</th>
          <th scope="col">Incident type</th>
          <th scope="col" className="queue-num">
            <abbr title="Incidents">Inc.</abbr>
          </th>
          <th scope="col">Countries</th>
          <th scope="col">Outcomes</th>
          <th scope="col">Bundle</th>
          <th scope="col">Status</th>
          <th scope="col">Assignee</th>
          <th scope="col">Result</th>
        </tr>
      </thead>
      <tbody>
        {props.items.map((item, i) => (
          <Row
            key={item.reportId}
            item={item}
            index={i}
            active={i === props.active}
            selected={props.selected.has(item.reportId)}
            result={props.results.get(item.reportId)}
            me={props.me}
            now={now}
            onActivate={props.onActivate}
            onToggle={props.onToggle}
            onBundle={props.onBundle}
          />
        ))}
      </tbody>
    </table>
  );
}
