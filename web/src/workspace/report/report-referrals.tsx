/** The report's referral history in the report view (GET /api/v1/ui/reports/:id/referrals); read again whenever a referral changes. */
import { useReportReferrals } from '../../data/reports.queries.js';
import { Link } from '../../router.js';
import { EmptyState, Loading } from '../../ui/empty-state.js';
import { ErrorBanner } from '../../ui/error-banner.js';

const when = (iso: string | null) => (iso ? new Date(iso).toLocaleString('en-GB') : '—');

export function ReferralHistory(props: { reportId: string }) {
  const { data: items, isError } = useReportReferrals(props.reportId);
  return (
    <section aria-labelledby="referrals-heading">
      <h2 id="referrals-heading">Referral history{items ? ` (${items.length})` : ''}</h2>
      {isError && <ErrorBanner error="The referral history could not be loaded." />}
      {!items && !isError && <Loading />}
      {items && items.length === 0 && <EmptyState>Not referred.</EmptyState>}
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
