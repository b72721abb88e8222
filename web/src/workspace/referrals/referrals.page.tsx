/**
 * Referrals: outgoing (sent) and incoming (received), a tab each, newest first and paged, with
 * status, the other party, incident and outcome counts and dates. Reads GET /api/v1/referrals.
 */
import { useState, type KeyboardEvent } from 'react';
import { REFERRALS_PAGE, useReferralList } from '../../data/referrals.queries.js';
import { Link } from '../../router.js';
import { ErrorBanner } from '../../ui/error-banner.js';
import { Pager } from '../../ui/pager.js';
import { Time } from '../../ui/time.js';
import { useSession } from '../session.js';
import { countsText, StatusBadge } from './referral-format.js';

type Tab = 'sent' | 'received';

export function ReferralsPage() {
  const { session } = useSession();
  const [tab, setTab] = useState<Tab>(session.user.org.role === 'agency' ? 'received' : 'sent');
  const [status, setStatus] = useState('');
  const [offset, setOffset] = useState(0);
  const list = useReferralList({ direction: tab, status, offset });
  const rows = list.isError ? [] : list.data?.referrals;
  const next = list.data?.next ?? null;

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
          <button type="button" onClick={() => void list.refetch()}>
            Refresh
          </button>
          <span role="status" className="count">
            {rows ? `${rows.length === 0 ? 'No' : `${offset + 1}–${offset + rows.length} of the`} ${tab === 'sent' ? 'outgoing' : 'incoming'} referrals` : 'Loading…'}
          </span>
        </div>
        <ErrorBanner error={list.error} fallback="The referrals could not be loaded." issues={false} />
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
        <Pager
          label="Pages"
          hasPrevious={offset > 0}
          hasNext={next !== null}
          onPrevious={() => setOffset(Math.max(0, offset - REFERRALS_PAGE))}
          onNext={() => next !== null && setOffset(next)}
          previousLabel="Newer"
          nextLabel="Older"
        />
      </div>
    </>
  );
}
