/**
 * "Refer" from the report view (clearinghouses and intermediaries): the referrals already made
 * for this report, and a form that asks the routing table for the suggested route per incident
 * (POST /api/v1/routing/suggest), lets the analyst choose the recipient, and on confirmation
 * creates the signed referral (POST /api/v1/referrals).
 */
import { useQueryClient } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { errorText } from '../../data/api-client.js';
import { suggestReferral, useCreateReferral, useReferralsOfReport, type Recipient, type RouteSuggestion } from '../../data/referrals.queries.js';
import { Link } from '../../router.js';
import { ErrorBanner } from '../../ui/error-banner.js';
import { Time } from '../../ui/time.js';
import { countsText, StatusBadge } from '../referrals/referral-format.js';
import { useCan } from '../session.js';

/** Suggestions grouped by country, suggested recipient and assessment there. */
export function groupSuggestions(list: RouteSuggestion[]) {
  const groups = new Map<string, { country: string | null; recipientOrgId: string | null; outcome: string | null; priority: string | null; incidents: number }>();
  for (const s of list) {
    const key = `${s.country}|${s.recipientOrgId}|${s.outcome}`;
    const g = groups.get(key) ?? { country: s.country, recipientOrgId: s.recipientOrgId, outcome: s.outcome, priority: s.priority, incidents: 0 };
    g.incidents++;
    groups.set(key, g);
  }
  return [...groups.values()].sort((a, b) => b.incidents - a.incidents);
}

export function ReferPanel(props: { reportId: string }) {
  const client = useQueryClient();
  const allowed = useCan()('referral.send');
  const { reportId } = props;
  const referrals = useReferralsOfReport(reportId, allowed);
  const made = referrals.isError ? [] : referrals.data;
  const create = useCreateReferral();
  const [open, setOpen] = useState(false);
  const [suggestions, setSuggestions] = useState<RouteSuggestion[] | undefined>();
  const [recipients, setRecipients] = useState<Recipient[]>([]);
  const [to, setTo] = useState('');
  const [note, setNote] = useState('');
  const [message, setMessage] = useState('');
  const [error, setError] = useState('');

  const start = async () => {
    setOpen(true);
    setError('');
    setMessage('');
    try {
      const s = await suggestReferral(client, reportId);
      setSuggestions(s.suggestions);
      setRecipients(s.recipients);
      const groups = groupSuggestions(s.suggestions);
      // The routing table's choice, else an agency of the incidents' country.
      const byCountry = s.recipients.find((x) => x.role === 'agency' && x.country === groups[0]?.country);
      setTo(groups.find((g) => g.recipientOrgId)?.recipientOrgId ?? byCountry?.orgId ?? '');
    } catch (err) {
      setError(errorText(err, 'The routes could not be suggested.', { issues: false }));
    }
  };

  const confirm = (e: FormEvent) => {
    e.preventDefault();
    if (!to) return;
    setError('');
    create.mutate(
      { reportIds: [reportId], toOrgId: to, ...(note.trim() ? { note: note.trim() } : {}) },
      {
        onSuccess: (created) => {
          setMessage(`Referred ${created.incidents} incident${created.incidents === 1 ? '' : 's'} to ${created.to.name ?? created.to.orgId} (${created.status}).`);
          setOpen(false);
          setSuggestions(undefined);
          setNote('');
        },
        onError: (err) => setError(errorText(err, 'The referral could not be made.', { issues: false })),
      },
    );
  };

  if (!allowed) return null;
  const nameOf = (orgId: string | null) => (orgId ? (recipients.find((r) => r.orgId === orgId)?.name ?? orgId) : 'no route');
  return (
    <section className="refer-panel" aria-labelledby="refer-heading">
      <h2 id="refer-heading">Referral</h2>
      {made && made.length > 0 ? (
        <ul className="refer-made">
          {made.map((r) => (
            <li key={r.id}>
              <Link href={`/app/referrals/${r.id}`}>
                Referral to {r.counterparty.name ?? r.counterparty.orgId}
              </Link>{' '}
              <StatusBadge status={r.status} /> · {r.incidents} incident{r.incidents === 1 ? '' : 's'} · outcomes: {countsText(r.outcomes)} · <Time value={r.createdAt} />
            </li>
          ))}
        </ul>
      ) : (
        <p className="hint">{made ? 'Not referred yet.' : 'Loading referrals…'}</p>
      )}
      <p role="status" aria-live="polite" className={message ? 'notice' : 'visually-hidden'}>
        {message}
      </p>
      <ErrorBanner error={error} />
      {!open ? (
        <button type="button" className="primary" onClick={() => void start()}>
          Refer…
        </button>
      ) : (
        <form onSubmit={confirm} className="refer-form">
          {!suggestions ? (
            <p role="status">Asking the routing table…</p>
          ) : suggestions.length === 0 ? (
            <p className="hint">No incident of this report can be referred (is the report finished?).</p>
          ) : (
            <table className="refer-suggestions">
              <caption>Suggested route per incident ({suggestions.length} incidents)</caption>
              <thead>
                <tr>
                  <th scope="col">Country</th>
                  <th scope="col">Suggested recipient</th>
                  <th scope="col">Assessment there</th>
                  <th scope="col">Priority</th>
                  <th scope="col">Incidents</th>
                </tr>
              </thead>
              <tbody>
                {groupSuggestions(suggestions).map((g, i) => (
                  <tr key={i}>
                    <td>{g.country ?? 'unknown'}</td>
                    <td>{nameOf(g.recipientOrgId)}</td>
                    <td>{g.outcome ? g.outcome.replace(/_/g, ' ') : '—'}</td>
                    <td>{g.priority ?? '—'}</td>
                    <td>{g.incidents}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
          <div className="field">
            <label htmlFor="refer-to">Recipient</label>
            <select id="refer-to" value={to} onChange={(e) => setTo(e.target.value)} required>
              <option value="">Choose…</option>
              {recipients.map((r) => (
                <option key={r.orgId} value={r.orgId}>
                  {r.name} ({r.role}
                  {r.country ? `, ${r.country}` : ''}
                  {r.via === 'peer' ? ', federated' : ''})
                </option>
              ))}
            </select>
          </div>
          <div className="field">
            <label htmlFor="refer-note">Note to the recipient (optional)</label>
            <textarea id="refer-note" rows={2} value={note} onChange={(e) => setNote(e.target.value)} />
          </div>
          <div className="toolbar">
            <button type="submit" className="primary" disabled={create.isPending || !to || suggestions?.length === 0}>
              {create.isPending ? 'Referring…' : 'Confirm referral'}
            </button>
            <button type="button" onClick={() => setOpen(false)}>
              Cancel
            </button>
          </div>
        </form>
      )}
    </section>
  );
}
