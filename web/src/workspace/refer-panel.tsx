/**
 * "Refer" from the report view (clearinghouses and intermediaries): the referrals already made
 * for this report, and a form that asks the routing table for the suggested route per incident
 * (POST /api/v1/routing/suggest), lets the analyst choose the recipient, and on confirmation
 * creates the signed referral (POST /api/v1/referrals).
 */
import { useCallback, useEffect, useState, type FormEvent } from 'react';
import { api } from '../api.js';
import { Link } from '../router.js';
import { countsText, errorText, StatusBadge, Time, type ReferralSummary } from './referrals.page.js';
import { useSession } from './session.js';

/** Dispatched on window after a referral is made from this panel ({ detail: { reportId } }). */
export const REFERRED_EVENT = 'tipline:referred';

interface Suggestion {
  incidentId: string;
  country: string | null;
  routeId: string | null;
  recipientOrgId: string | null;
  outcome: string | null;
  priority: string | null;
}
interface Recipient {
  orgId: string;
  name: string;
  role: string;
  country: string | null;
  via: 'local' | 'peer';
}
interface Created {
  id: string;
  referralId: string;
  to: { orgId: string; name?: string };
  incidents: number;
  status: string;
}

/** Suggestions grouped by country, suggested recipient and assessment there. */
function groupSuggestions(list: Suggestion[]) {
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
  const { session } = useSession();
  const role = session.user.org.role;
  const allowed = role === 'clearinghouse' || role === 'intermediary';
  const { reportId } = props;
  const [made, setMade] = useState<ReferralSummary[] | undefined>();
  const [open, setOpen] = useState(false);
  const [suggestions, setSuggestions] = useState<Suggestion[] | undefined>();
  const [recipients, setRecipients] = useState<Recipient[]>([]);
  const [to, setTo] = useState('');
  const [note, setNote] = useState('');
  const [busy, setBusy] = useState(false);
  const [message, setMessage] = useState('');
  const [error, setError] = useState('');

  const loadMade = useCallback(async () => {
    try {
      const res = await api<{ referrals: ReferralSummary[] }>('GET', `/api/v1/referrals?direction=sent&reportId=${encodeURIComponent(reportId)}&limit=20`);
      setMade(res.referrals);
    } catch {
      setMade([]);
    }
  }, [reportId]);

  useEffect(() => {
    if (allowed) void loadMade();
  }, [allowed, loadMade]);

  const start = async () => {
    setOpen(true);
    setError('');
    setMessage('');
    try {
      const [s, r] = await Promise.all([
        api<{ suggestions: Suggestion[] }>('POST', '/api/v1/routing/suggest', { reportIds: [reportId] }),
        api<{ recipients: Recipient[] }>('GET', '/api/v1/routing/recipients'),
      ]);
      setSuggestions(s.suggestions);
      setRecipients(r.recipients);
      const top = groupSuggestions(s.suggestions).find((g) => g.recipientOrgId);
      // The routing table's choice, else an agency of the incidents' country.
      const country = groupSuggestions(s.suggestions)[0]?.country;
      const byCountry = r.recipients.find((x) => x.role === 'agency' && x.country === country);
      setTo(top?.recipientOrgId ?? byCountry?.orgId ?? '');
    } catch (err) {
      setError(errorText(err, 'The routes could not be suggested.'));
    }
  };

  const confirm = async (e: FormEvent) => {
    e.preventDefault();
    if (!to) return;
    setBusy(true);
    setError('');
    try {
      const created = await api<Created>('POST', '/api/v1/referrals', { reportIds: [reportId], toOrgId: to, ...(note.trim() ? { note: note.trim() } : {}) });
      setMessage(`Referred ${created.incidents} incident${created.incidents === 1 ? '' : 's'} to ${created.to.name ?? created.to.orgId} (${created.status}).`);
      setOpen(false);
      setSuggestions(undefined);
      setNote('');
      await loadMade();
      // The report view's referral history listens for this and reloads.
      window.dispatchEvent(new CustomEvent(REFERRED_EVENT, { detail: { reportId } }));
    } catch (err) {
      setError(errorText(err, 'The referral could not be made.'));
    } finally {
      setBusy(false);
    }
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
      {error && (
        <p className="field-error" role="alert">
          {error}
        </p>
      )}
      {!open ? (
        <button type="button" className="primary" onClick={() => void start()}>
          Refer…
        </button>
      ) : (
        <form onSubmit={(e) => void confirm(e)} className="refer-form">
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
            <button type="submit" className="primary" disabled={busy || !to || suggestions?.length === 0}>
              {busy ? 'Referring…' : 'Confirm referral'}
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
