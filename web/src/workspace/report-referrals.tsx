/** The report's referral history in the report view (GET /api/v1/ui/reports/:id/referrals). */
import { useEffect, useState } from 'react';
import { REFERRED_EVENT } from './refer-panel.js';
import { api } from '../api.js';
import { Link } from '../router.js';

export interface ReportReferral {
  id: string;
  referralId: string;
  direction: 'sent' | 'received';
  counterparty: { orgId: string; name: string | null };
  status: string;
  statusReason: string | null;
  delivery: string;
  incidents: number;
  retracted: number;
  outcomes: { outcome: string; incidents: number; lastAt: string | null }[];
  createdAt: string;
  updatedAt: string;
  deliveredAt: string | null;
}

const when = (iso: string | null) => (iso ? new Date(iso).toLocaleString('en-GB') : '—');

export function ReferralHistory(props: { reportId: string; refreshKey?: number }) {
  const [items, setItems] = useState<ReportReferral[] | undefined>();
  const [error, setError] = useState('');
  const [referred, setReferred] = useState(0);
  useEffect(() => {
    const onReferred = (e: Event) => {
      if ((e as CustomEvent<{ reportId: string }>).detail.reportId === props.reportId) setReferred((n) => n + 1);
    };
    window.addEventListener(REFERRED_EVENT, onReferred);
    return () => window.removeEventListener(REFERRED_EVENT, onReferred);
  }, [props.reportId]);
  useEffect(() => {
    api<{ items: ReportReferral[] }>('GET', `/api/v1/ui/reports/${props.reportId}/referrals`)
      .then((r) => setItems(r.items))
      .catch(() => setError('The referral history could not be loaded.'));
  }, [props.reportId, props.refreshKey, referred]);

  return (
    <section aria-labelledby="referrals-heading">
      <h2 id="referrals-heading">Referral history{items ? ` (${items.length})` : ''}</h2>
      {error && <p className="field-error">{error}</p>}
      {!items && !error && <p role="status">Loading…</p>}
      {items && items.length === 0 && <p>Not referred.</p>}
      {items && items.length > 0 && (
        <table className="dense referral-history">
          <caption className="visually-hidden">Referrals carrying this report</caption>
          <thead>
            <tr>
              <th scope="col">Referral</th>
              <th scope="col">Direction</th>
              <th scope="col">Counterparty</th>
              <th scope="col">Status</th>
              <th scope="col">Incidents</th>
              <th scope="col">Outcomes</th>
              <th scope="col">Created</th>
              <th scope="col">Delivered</th>
            </tr>
          </thead>
          <tbody>
            {items.map((r) => (
              <tr key={r.id} data-status={r.status}>
                <th scope="row">
                  <Link href={`/app/referrals/${encodeURIComponent(r.id)}`}>{r.referralId.slice(0, 12)}</Link>
                </th>
                <td>{r.direction === 'sent' ? 'sent to' : 'received from'}</td>
                <td>{r.counterparty.name ?? r.counterparty.orgId}</td>
                <td>
                  {r.status.replace(/_/g, ' ')}
                  {r.statusReason && <div className="muted small">{r.statusReason}</div>}
                </td>
                <td>
                  {r.incidents}
                  {r.retracted > 0 && <div className="muted small">{r.retracted} retracted</div>}
                </td>
                <td>{r.outcomes.length ? r.outcomes.map((o) => `${o.outcome.replace(/_/g, ' ')} (${o.incidents})`).join(', ') : '—'}</td>
                <td>{when(r.createdAt)}</td>
                <td>{when(r.deliveredAt)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}
