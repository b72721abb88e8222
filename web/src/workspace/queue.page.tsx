/**
 * The report queue, keyboard-navigable (j/k or arrows to move, Enter to open). It reads the triage
 * queue (by priority, with candidate countries and outcomes) for clearinghouses and agencies, and
 * otherwise, or with a status filter, the organisation's reports, newest first.
 */
import { useCallback, useEffect, useRef, useState, type KeyboardEvent } from 'react';
import { api } from '../api.js';
import { Link, navigate } from '../router.js';

interface TriageItem {
  reportId: string;
  status: string;
  priority: { score: number; level: string };
  receivedAt: string;
  incidentType: string;
  escalated: boolean;
  countries: string[];
  outcomes: { jurisdiction: string; outcome: string }[];
}

interface Item {
  id: string;
  priority?: string;
  countries?: string[];
  outcomes?: string;
  status: string;
  incidentType: string;
  incidentAt: string;
  createdAt: string;
  escalated: boolean;
  reporterName: string;
  fromPublic: boolean;
  files: number;
}

type StatusFilter = '' | 'open' | 'finished' | 'retracted';

export function QueuePage() {
  const [items, setItems] = useState<Item[] | undefined>();
  const [status, setStatus] = useState<StatusFilter>('');
  const [error, setError] = useState('');
  const [active, setActive] = useState(0);
  const rowRefs = useRef<(HTMLTableRowElement | null)[]>([]);

  const [source, setSource] = useState<'triage' | 'reports'>('reports');

  const load = useCallback(async () => {
    try {
      if (!status) {
        try {
          const triage = await api<{ items: TriageItem[] }>('GET', '/api/v1/ui/triage/queue?limit=200');
          setItems(
            triage.items.map((t) => ({
              id: t.reportId,
              priority: t.priority.level,
              countries: t.countries,
              outcomes: t.outcomes.map((o) => `${o.jurisdiction}: ${o.outcome.replace(/_/g, ' ')}`).join('; '),
              status: t.status,
              incidentType: t.incidentType,
              incidentAt: t.receivedAt,
              createdAt: t.receivedAt,
              escalated: t.escalated,
              reporterName: '',
              fromPublic: false,
              files: Number.NaN,
            })),
          );
          setSource('triage');
          setError('');
          return;
        } catch {
          // The triage queue is not available to this session: fall back to the report list.
        }
      }
      const res = await api<{ items: Item[] }>('GET', `/api/v1/ui/reports?limit=200${status ? `&status=${status}` : ''}`);
      setItems(res.items);
      setSource('reports');
      setError('');
    } catch {
      setError('The queue could not be loaded.');
    }
  }, [status]);

  useEffect(() => {
    void load();
  }, [load]);

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
      <h1>Queue</h1>
      <div className="toolbar">
        <label htmlFor="status-filter">Status</label>
        <select id="status-filter" value={status} onChange={(e) => setStatus(e.target.value as StatusFilter)}>
          <option value="">All</option>
          <option value="open">Open</option>
          <option value="finished">Finished</option>
          <option value="retracted">Retracted</option>
        </select>
        <button type="button" onClick={() => void load()}>
          Refresh
        </button>
        <span role="status" className="count">
          {items ? `${items.length} report${items.length === 1 ? '' : 's'}${source === 'triage' ? ' by priority' : ', newest first'}` : 'Loading…'}
        </span>
      </div>
      {error && <p className="field-error" role="alert">{error}</p>}
      <table className="queue">
        <caption className="visually-hidden">Reports. Use the arrow keys or j and k to move, Enter to open.</caption>
        <thead>
          <tr>
            {source === 'triage' && <th scope="col">Priority</th>}
            <th scope="col">Report</th>
            <th scope="col">Received</th>
            <th scope="col">Incident</th>
            {source === 'triage' ? (
              <>
                <th scope="col">Countries</th>
                <th scope="col">Outcomes</th>
              </>
            ) : (
              <>
                <th scope="col">Reporter</th>
                <th scope="col">Files</th>
              </>
            )}
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
              {source === 'triage' && <td>{item.priority}</td>}
              <td>
                <Link href={`/app/reports/${item.id}`}>#{item.id}</Link>
                {item.escalated && <span className="badge badge-urgent">escalated</span>}
              </td>
              <td>
                <time dateTime={item.createdAt}>{new Date(item.createdAt).toLocaleString('en-GB', { dateStyle: 'short', timeStyle: 'short' })}</time>
              </td>
              <td>{item.incidentType}</td>
              {source === 'triage' ? (
                <>
                  <td>{item.countries?.join(', ')}</td>
                  <td>{item.outcomes}</td>
                </>
              ) : (
                <>
                  <td>
                    {item.reporterName}
                    {item.fromPublic && <span className="badge">public</span>}
                  </td>
                  <td>{item.files}</td>
                </>
              )}
              <td>{item.status}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </>
  );
}
