/**
 * The actions a referral's state allows this organisation: accept, decline ("not ours"), record
 * outcomes (for the selected incidents, or those without one), close, relay (intermediaries),
 * retract (the sender). Each runs through the page's `act`, which reads the referral again.
 */
import { useState, type FormEvent } from 'react';
import { api } from '../../data/api-client.js';
import { OUTCOME_CODES, useRecipients, type OutcomeCode, type ReferralDetail, type ReferralIncident } from '../../data/referrals.queries.js';
import { words } from './referral-format.js';

/** Runs a referral action and announces `what` when it is done. */
export type Act = (what: string, run: () => Promise<unknown>) => void;

export function ReferralActions(props: { detail: ReferralDetail; orgRole: string; busy: boolean; act: Act; incidents: ReferralIncident[]; selected: ReadonlySet<string> }) {
  const { detail, busy, act } = props;
  const id = detail.id;
  const s = detail.status;
  const received = detail.direction === 'received';
  const [reason, setReason] = useState('');
  const [retractReason, setRetractReason] = useState('');
  const [code, setCode] = useState<OutcomeCode | ''>('');
  const [note, setNote] = useState('');
  const [relayTo, setRelayTo] = useState('');
  const canRelay = received && props.orgRole === 'intermediary' && ['delivered', 'accepted', 'declined'].includes(s);
  const recipients = (useRecipients(canRelay).data ?? []).filter((x) => x.orgId !== detail.counterparty.orgId);

  const open = props.incidents.filter((i) => !i.retractedAt);
  const chosen = open.filter((i) => props.selected.has(i.incidentId));
  const without = open.filter((i) => !i.outcome);
  const outcomeTargets = chosen.length ? chosen : without.length ? without : open;
  const targetText = chosen.length ? `the ${chosen.length} selected incident(s)` : without.length ? `the ${without.length} incident(s) without one` : `all ${open.length} incident(s)`;
  const decline = (e: FormEvent) => {
    e.preventDefault();
    if (!reason.trim()) return;
    act('Declined; the referral goes back to the sender.', () => api('POST /api/v1/referrals/:id/decline', { params: { id }, body: { reason: reason.trim() } }));
  };
  const outcomes = (e: FormEvent) => {
    e.preventDefault();
    if (!code) return;
    const targets = outcomeTargets;
    act(`Outcome “${words(code)}” recorded for ${targets.length} incident(s); it travels back to the sender.`, () =>
      api('POST /api/v1/referrals/:id/outcomes', { params: { id }, body: { outcomes: targets.map((i) => ({ incidentId: i.incidentId, code, ...(note.trim() ? { note: note.trim() } : {}) })) } }),
    );
  };
  const retract = (e: FormEvent) => {
    e.preventDefault();
    if (!retractReason.trim()) return;
    act('Retracted; the retraction travels down the chain.', () => api('POST /api/v1/referrals/:id/retract', { params: { id }, body: { reason: retractReason.trim() } }));
  };
  const relay = (e: FormEvent) => {
    e.preventDefault();
    if (!relayTo) return;
    act('Relayed onward under this organisation’s signature.', () => api('POST /api/v1/referrals/:id/relay', { params: { id }, body: { toOrgId: relayTo } }));
  };

  const blocks = [];
  if (received && s === 'delivered') {
    blocks.push(
      <div key="accept" className="action-block">
        <button type="button" className="primary" disabled={busy} onClick={() => act('Accepted.', () => api('POST /api/v1/referrals/:id/accept', { params: { id }, body: {} }))}>
          Accept
        </button>
      </div>,
    );
  }
  if (received && ['delivered', 'accepted'].includes(s)) {
    blocks.push(
      <form key="decline" className="action-block" onSubmit={decline}>
        <div className="field">
          <label htmlFor="decline-reason">Reason for declining (“not ours”)</label>
          <input id="decline-reason" type="text" value={reason} onChange={(e) => setReason(e.target.value)} placeholder="e.g. the suspect is not in our jurisdiction" />
        </div>
        <button type="submit" disabled={busy || !reason.trim()}>
          Decline: not ours
        </button>
      </form>,
    );
  }
  if (received && ['accepted', 'closed'].includes(s) && open.length > 0) {
    blocks.push(
      <form key="outcome" className="action-block" onSubmit={outcomes}>
        <div className="field">
          <label htmlFor="outcome-code">Outcome (for {targetText})</label>
          <select id="outcome-code" value={code} onChange={(e) => setCode(e.target.value as OutcomeCode | '')}>
            <option value="">Choose…</option>
            {OUTCOME_CODES.map((c) => (
              <option key={c} value={c}>
                {words(c)}
              </option>
            ))}
          </select>
        </div>
        <div className="field">
          <label htmlFor="outcome-note">Note (optional)</label>
          <input id="outcome-note" type="text" value={note} onChange={(e) => setNote(e.target.value)} />
        </div>
        <button type="submit" disabled={busy || !code}>
          Record outcome
        </button>
      </form>,
    );
  }
  if (received && s === 'accepted') {
    blocks.push(
      <div key="close" className="action-block">
        <button type="button" disabled={busy} onClick={() => act('Closed.', () => api('POST /api/v1/referrals/:id/close', { params: { id }, body: {} }))}>
          Close referral
        </button>
      </div>,
    );
  }
  if (canRelay) {
    blocks.push(
      <form key="relay" className="action-block" onSubmit={relay}>
        <div className="field">
          <label htmlFor="relay-to">Relay to</label>
          <select id="relay-to" value={relayTo} onChange={(e) => setRelayTo(e.target.value)}>
            <option value="">Choose…</option>
            {recipients.map((r) => (
              <option key={r.orgId} value={r.orgId}>
                {r.name} ({r.role}
                {r.country ? `, ${r.country}` : ''})
              </option>
            ))}
          </select>
        </div>
        <button type="submit" disabled={busy || !relayTo}>
          Relay
        </button>
      </form>,
    );
  }
  if (!received && !['retracted', 'failed'].includes(s)) {
    blocks.push(
      <form key="retract" className="action-block" onSubmit={retract}>
        <div className="field">
          <label htmlFor="retract-reason">Reason for retracting</label>
          <input id="retract-reason" type="text" value={retractReason} onChange={(e) => setRetractReason(e.target.value)} placeholder="e.g. the reporter withdrew the report" />
        </div>
        <button type="submit" className="danger" disabled={busy || !retractReason.trim()}>
          Retract referral
        </button>
      </form>,
    );
  }
  if (blocks.length === 0) return null;
  return (
    <section aria-labelledby="actions-heading" className="ref-actions">
      <h2 id="actions-heading">Actions</h2>
      {blocks}
    </section>
  );
}
