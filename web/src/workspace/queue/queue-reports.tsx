/**
 * The report list of organisations that do not triage (reporters, intermediaries): their reports,
 * newest first, keyboard-navigable (j/k or arrows to move, Enter to open).
 */
import { useRef, useState, type KeyboardEvent } from 'react';
import { useReportList, type ReportListStatus } from '../../data/queue.queries.js';
import { Link, navigate } from '../../router.js';
import { ErrorBanner } from '../../ui/error-banner.js';


export function ReportList(props: { title: string }) {
  const [status, setStatus] = useState<ReportListStatus>('');
  const list = useReportList(status);
  const items = list.data;
  const [active, setActive] = useState(0);
  const rowRefs = useRef<(HTMLTableRowElement | null)[]>([]);

  const onKey = (e: KeyboardEvent<HTMLTableSectionElement>) => {
    if (!items?.length) return;
    let next = active;
    if (e.key === 'ArrowDown' || e.key === 'j') next = Math.min(items.length - 1, active + 1);
    else if (e.key === 'ArrowUp' || e.key === 'k') next = Math.max(0, active - 1);
    else if (e.key === 'Enter') return navigate(`/app/reports/${items[active].id}`);
    else return;
    e.preventDefault();
    setActive(next);
    rowRefs.current[next]?.focus();
  };

  return (
    <>
      <h1>{props.title}</h1>
      <div className="toolbar">
        <label htmlFor="status-filter">Status</label>
        <select id="status-filter" value={status} onChange={(e) => setStatus(e.target.value as ReportListStatus)}>
          <option value="">All</option>
          <option value="open">Open</option>
          <option value="finished">Finished</option>
          <option value="retracted">Retracted</option>
        </select>
        <button type="button" onClick={() => void list.refetch()}>
          Refresh
        </button>
        <span role="status" className="count">
          {items ? `${items.length} report${items.length === 1 ? '' : 's'}, newest first` : 'Loading…'}
        </span>
      </div>
      {list.isError && <ErrorBanner error="The reports could not be loaded." />}
      <table className="queue">
        <caption className="visually-hidden">Reports. Use the arrow keys or j and k to move, Enter to open.</caption>
        <thead>
          <tr>
            <th scope="col">Report</th>
            <th scope="col">Received</th>
            <th scope="col">Incident</th>
            <th scope="col">Reporter</th>
            <th scope="col">Files</th>
            <th scope="col">Status</th>
          </tr>
        </thead>
        <tbody onKeyDown={onKey}>
          {items?.map((item, i) => (
            <tr
              key={item.id}
              ref={(el) => {
                rowRefs.current[i] = el;
              }}
              tabIndex={i === active ? 0 : -1}
              className={i === active ? 'active' : undefined}
              onFocus={() => setActive(i)}
            >
              <td>
                <Link href={`/app/reports/${item.id}`}>#{item.id}</Link>
                {item.escalated && <span className="badge badge-urgent">escalated</span>}
              </td>
              <td>
                <time dateTime={item.createdAt}>{new Date(item.createdAt).toLocaleString('en-GB', { dateStyle: 'short', timeStyle: 'short' })}</time>
              </td>
              <td>{item.incidentType}</td>
              <td>
                {item.reporterName}
                {item.fromPublic && <span className="badge">public</span>}
              </td>
              <td>{item.files}</td>
              <td>{item.status}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </>
  );
}
