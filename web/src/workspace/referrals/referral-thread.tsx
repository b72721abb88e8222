/** The referral's signed thread: every event with who sent it to whom, "pass to the reporter" for questions, and the message form. */
import { useState, type FormEvent } from 'react';
import { api } from '../../data/api-client.js';
import type { MessagePurpose, ReferralDetail, ThreadEvent } from '../../data/referrals.queries.js';
import { Time } from '../../ui/time.js';
import type { Act } from './referral-actions.js';
import { countsText, words } from './referral-format.js';

const str = (v: unknown): string => (typeof v === 'string' ? v : '');

/** One event as a sentence. Pure. */
export function eventText(e: ThreadEvent): string {
  const b = e.body;
  if (e.kind === 'message') return str(b.text);
  if (e.kind === 'decline') return `Declined: ${str(b.reason)}`;
  if (e.kind === 'retraction') return `Retracted${Array.isArray(b.incidentIds) ? ` (${b.incidentIds.length} incidents)` : ''}: ${str(b.reason)}`;
  if (e.kind === 'outcome') return `Outcomes for ${Array.isArray(b.outcomes) ? b.outcomes.length : 0} incident(s): ${countsText(Object.fromEntries(Object.entries(((b.outcomes as { code: string }[] | undefined) ?? []).reduce<Record<string, number>>((m, o) => ((m[o.code] = (m[o.code] ?? 0) + 1), m), {}))))}`;
  if (e.kind === 'relayed') return `Relayed to ${String((b.to as { name?: string; orgId?: string } | undefined)?.name ?? (b.to as { orgId?: string } | undefined)?.orgId ?? '')}`;
  if (e.kind === 'update') return str(b.text);
  return typeof b.note === 'string' && b.note ? `${words(e.kind)}: ${b.note}` : words(e.kind);
}

export function ReferralThread(props: { detail: ReferralDetail; events: ThreadEvent[]; busy: boolean; act: Act }) {
  const { detail, events, busy, act } = props;
  const [purpose, setPurpose] = useState<MessagePurpose>('question');
  const [text, setText] = useState('');
  const received = detail.direction === 'received';
  const originator = received && detail.originatorOrgId !== detail.counterparty.orgId ? detail.originatorOrgId : null;
  const isOriginator = !received && detail.relayedFrom === null;
  const name = (orgId: string) => (orgId === detail.counterparty.orgId ? (detail.counterparty.name ?? orgId) : (detail.hops?.find((h) => h.from.orgId === orgId)?.from.name ?? orgId));

  const send = (e: FormEvent, to?: string) => {
    e.preventDefault();
    if (!text.trim()) return;
    act('Message signed and sent.', async () => {
      await api('POST /api/v1/referrals/:id/messages', { params: { id: detail.id }, body: { purpose, text: text.trim(), ...(to ? { to } : {}) } });
      setText('');
    });
  };
  const askReporter = (e: { preventDefault(): void }) => {
    e.preventDefault();
    if (!text.trim()) return;
    // The question goes to the originating clearinghouse, which passes it to the reporter and signs the answer back.
    act('Question sent to the clearinghouse for the original reporter.', async () => {
      await api('POST /api/v1/referrals/:id/messages', { params: { id: detail.id }, body: { purpose: 'question', text: `[For the original reporter] ${text.trim()}`, to: detail.originatorOrgId } });
      setText('');
    });
  };

  return (
    <section aria-labelledby="thread-heading">
      <h2 id="thread-heading">Signed thread ({events.length})</h2>
      {events.length === 0 && <p className="hint">No events yet.</p>}
      <ol className="thread ref-thread">
        {events.map((e) => {
          const question = e.kind === 'message' && e.body.purpose === 'question' && e.direction === 'in';
          return (
            <li key={e.id} className={`message ${e.direction === 'out' ? 'message-analyst' : ''}`} data-event-kind={e.kind}>
              <p className="message-meta">
                {e.kind === 'message' ? words(str(e.body.purpose) || 'message') : words(e.kind)} · {e.direction === 'out' ? 'us' : name(e.author)} → {e.to === detail.counterparty.orgId ? (detail.counterparty.name ?? e.to) : e.direction === 'out' ? name(e.to) : 'us'} ·{' '}
                <Time value={e.at} />
                {e.direction === 'forwarded' && <span className="badge">passed on</span>}
              </p>
              <p className="message-body">{eventText(e)}</p>
              {question && isOriginator && (
                <button type="button" disabled={busy} onClick={() => act('Question passed to the reporter; the answer comes back signed.', () => api('POST /api/v1/referrals/:id/messages/:eventId/ask-reporter', { params: { id: detail.id, eventId: e.id } }))}>
                  Pass to the reporter
                </button>
              )}
            </li>
          );
        })}
      </ol>
      <form onSubmit={(e) => send(e)} className="ref-message-form">
        <div className="field">
          <label htmlFor="ref-message">Message to {detail.counterparty.name ?? detail.counterparty.orgId}</label>
          <textarea id="ref-message" rows={3} value={text} onChange={(e) => setText(e.target.value)} />
        </div>
        <div className="toolbar">
          <label htmlFor="ref-purpose">Kind</label>
          <select id="ref-purpose" value={purpose} onChange={(e) => setPurpose(e.target.value as typeof purpose)}>
            <option value="question">Question</option>
            <option value="answer">Answer</option>
            <option value="request">Request for more data</option>
            <option value="note">Note</option>
          </select>
          <button type="submit" className="primary" disabled={busy || !text.trim()}>
            Sign and send
          </button>
          {received && (
            <button type="button" disabled={busy || !text.trim()} onClick={askReporter}>
              Ask the original reporter
            </button>
          )}
          {originator && <span className="hint">Through {name(originator)}.</span>}
        </div>
      </form>
    </section>
  );
}
