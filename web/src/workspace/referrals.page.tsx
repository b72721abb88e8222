/**
 * Referrals: outgoing (sent) and incoming (received), a tab each, newest first and paged, with
 * status, the other party, incident and outcome counts and dates. Reads GET /api/v1/referrals.
 */
import { useCallback, useEffect, useState, type KeyboardEvent } from 'react';
import { api, ApiError } from '../api.js';
import { Link } from '../router.js';
import { useSession } from './session.js';

export interface ReferralSummary {
  id: string;
  referralId: string;
  direction: 'sent' | 'received';
  packageId: string;
  counterparty: { orgId: string; name: string | null };
  originatorOrgId: string;
  status: string;
  statusReason: string | null;
  incidents: number;
  delivery: string;
  relayedFrom: string | null;
  finalRecipient: { orgId: string; name?: string } | null;
  note: string | null;
  hops: { from: { orgId: string; name?: string }; to: { orgId: string; name?: string }; issuedAt: string; keySource: string }[] | null;
  filesVerified: number | null;
  hasReceipt: boolean;
  createdAt: string;
  updatedAt: string;
  deliveredAt: string | null;
  outcomes?: Record<string, number>;
}

export const PAGE_SIZE = 50;

export function formatDate(value: string | null | undefined): string {
  if (!value) return '—';
  const d = new Date(value);
  return Number.isNaN(d.getTime()) ? value : d.toLocaleString('en-GB', { dateStyle: 'short', timeStyle: 'short' });
}

export function Time(props: { value: string | null | undefined }) {
  if (!props.value) return <>—</>;
  return <time dateTime={props.value}>{formatDate(props.value)}</time>;
}

/** "charged 2, arrested 1" */
export function countsText(counts: Record<string, number> | undefined): string {
  const entries = Object.entries(counts ?? {}).filter(([, n]) => n > 0);
  if (entries.length === 0) return '—';
  return entries
    .sort((a, b) => b[1] - a[1])
    .map(([k, n]) => `${k.replace(/_/g, ' ')} ${n}`)
    .join(', ');
}

export function StatusBadge(props: { status: string }) {
  return <span className={`ref-status ref-status-${props.status}`}>{props.status.replace(/_/g, ' ')}</span>;
}

export function errorText(err: unknown, fallback: string): string {
  return err instanceof ApiError ? err.message : fallback;
}

type Tab = 'sent' | 'received';

export function ReferralsPage() {
  const { session } = useSession();
  const [tab, setTab] = useState<Tab>(session.user.org.role === 'agency' ? 'received' : 'sent');
  const [status, setStatus] = useState('');
  const [offset, setOffset] = useState(0);
  const [rows, setRows] = useState<ReferralSummary[] | undefined>();
  const [next, setNext] = useState<number | null>(null);
  const [error, setError] = useState('');

  const load = useCallback(async () => {
    setRows(undefined);
    try {
      const q = new URLSearchParams({ direction: tab, limit: String(PAGE_SIZE), offset: String(offset) });
      if (status) q.set('status', status);
      const res = await api<{ referrals: ReferralSummary[]; next: number | null }>('GET', `/api/v1/referrals?${q.toString()}`);
      setRows(res.referrals);
      setNext(res.next);
      setError('');
    } catch (err) {
      setRows([]);
      setError(errorText(err, 'The referrals could not be loaded.'));
    }
  }, [tab, status, offset]);

  useEffect(() => {
    void load();
  }, [load]);

  const choose = (t: Tab) => {
    setTab(t);
    setOffset(0);
  };
  const onTabKey = (e: KeyboardEvent<HTMLDivElement>) => {
    if (e.key !== 'ArrowLeft' && e.key !== 'ArrowRight') return;
    e.preventDefault();
    const t: Tab = tab === 'sent' ? 'received' : 'sent';
    choose(t);
    document.getElementById(`tab-${t}`)?.focus();
  };

  const party = tab === 'sent' ? 'To' : 'From';
  return (
    <>
      <h1>Referrals</h1>
      <div role="tablist" aria-label="Direction" className="ref-tabs" onKeyDown={onTabKey}>
        {(['sent', 'received'] as const).map((t) => (
          <button
            key={t}
            id={`tab-${t}`}
            type="button"
            role="tab"
            aria-selected={tab === t}
            aria-controls="referrals-panel"
            tabIndex={tab === t ? 0 : -1}
            onClick={() => choose(t)}
          >
            {t === 'sent' ? 'Outgoing' : 'Incoming'}
          </button>
        ))}
      </div>
      <div id="referrals-panel" role="tabpanel" aria-labelledby={`tab-${tab}`}>
        <div className="toolbar">
          <label htmlFor="referral-status">Status</label>
          <select
            id="referral-status"
            value={status}
            onChange={(e) => {
              setStatus(e.target.value);
              setOffset(0);
            }}
          >
            <option value="">All</option>
            {['queued', 'delivered', 'accepted', 'declined', 'bounced', 'relayed', 'closed', 'retracted', 'failed', 'exported'].map((s) => (
              <option key={s} value={s}>
                {s}
              </option>
            ))}
          </select>
          <button type="button" onClick={() => void load()}>
            Refresh
          </button>
          <span role="status" className="count">
            {rows ? `${rows.length === 0 ? 'No' : `${offset + 1}–${offset + rows.length} of the`} ${tab === 'sent' ? 'outgoing' : 'incoming'} referrals` : 'Loading…'}
          </span>
        </div>
        {error && (
          <p className="field-error" role="alert">
            {error}
          </p>
        )}
        <table className="referrals">
          <caption className="visually-hidden">{tab === 'sent' ? 'Outgoing referrals' : 'Incoming referrals'}, newest first</caption>
          <thead>
            <tr>
              <th scope="col">Referral</th>
              <th scope="col">{party}</th>
              <th scope="col">Status</th>
              <th scope="col">Incidents</th>
              <th scope="col">Outcomes</th>
              <th scope="col">Delivery</th>
              <th scope="col">Created</th>
              <th scope="col">Updated</th>
            </tr>
          </thead>
          <tbody>
            {rows?.map((r) => (
              <tr key={r.id}>
                <td>
                  <Link href={`/app/referrals/${r.id}`} className="mono">
                    {r.referralId.slice(0, 8)}
                  </Link>
                  {r.relayedFrom && <span className="badge">relay</span>}
                </td>
                <td>
                  {r.counterparty.name ?? r.counterparty.orgId}
                  {r.finalRecipient && <span className="hint"> → {r.finalRecipient.name ?? r.finalRecipient.orgId}</span>}
                </td>
                <td>
                  <StatusBadge status={r.status} />
                  {r.statusReason && <span className="hint"> {r.statusReason}</span>}
                </td>
                <td>{r.incidents}</td>
                <td>{countsText(r.outcomes)}</td>
                <td>
                  {r.delivery}
                  {r.hasReceipt && <span className="badge">receipt</span>}
                </td>
                <td>
                  <Time value={r.createdAt} />
                </td>
                <td>
                  <Time value={r.updatedAt} />
                </td>
              </tr>
            ))}
          </tbody>
        </table>
        <nav className="pager" aria-label="Pages">
          <button type="button" disabled={offset === 0} onClick={() => setOffset(Math.max(0, offset - PAGE_SIZE))}>
            Newer
          </button>
          <button type="button" disabled={next === null} onClick={() => next !== null && setOffset(next)}>
            Older
          </button>
        </nav>
      </div>
    </>
  );
}
