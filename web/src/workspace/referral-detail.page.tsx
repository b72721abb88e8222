/**
 * One referral: status and parties, the manifest as minimised for the recipient (counts, reports,
 * files by digest, persons by role and country — never names or images), the chain of signatures
 * re-verified on demand with the custody entries, the signed thread (with "ask the original
 * reporter"), the incidents with the local assessment and the recorded outcomes, and the actions
 * the referral's state allows: accept / decline ("not ours"), record outcomes, close, relay,
 * retract. Everything here goes through /api/v1/referrals/:id…, which logs each read in custody.
 */
import { useCallback, useEffect, useState, type FormEvent } from 'react';
import { api } from '../api.js';
import { Link } from '../router.js';
import { countsText, errorText, StatusBadge, Time, type ReferralSummary } from './referrals.page.js';
import { useSession } from './session.js';

interface Citation {
  statute: string;
  section: string;
  text?: string;
}
interface Assessment {
  jurisdiction?: string;
  outcome?: string;
  ruleId?: string | null;
  citations?: Citation[];
  explanation?: string;
  error?: string;
}
interface Detail extends ReferralSummary {
  receipt: string | null;
  triage?: Record<string, number>;
  outcomes: Record<string, number>;
  retracted: number;
  manifest?: {
    reports: { reportId: string; reporterName: string | null; receivedAt: string; incidentType: string; escalated: boolean; batchedReason?: string }[];
    persons: { personId: string; role: string; country: string | null; age?: number | null; identifiers?: unknown[]; ipEvents?: unknown[] }[];
    files: { fileId: string; sha256: string | null; md5: string | null; pdq: string | null; industryClassification: string | null; evidence: boolean; size: number | null }[];
    factSets: Record<string, unknown>;
    senderAssessments: { factsId: string; jurisdiction: string; outcome: string }[];
    custody: unknown[];
  };
}
interface Incident {
  incidentId: string;
  reportId: string;
  country: string | null;
  occurredAt: string | null;
  assessment: Assessment | null;
  outcome: { code: string; note: string | null; at: string | null } | null;
  retractedAt: string | null;
}
interface ThreadEvent {
  id: string;
  kind: string;
  author: string;
  to: string;
  inReplyTo: string | null;
  direction: 'in' | 'out' | 'forwarded';
  body: Record<string, unknown>;
  at: string;
}
interface Hop {
  packageId: string;
  type: string;
  from: { orgId: string; name?: string };
  to: { orgId: string; name?: string };
  issuedAt: string;
  kid: string;
  keySource: string;
  vouchedBy: string | null;
  sha256: string;
}
interface ChainResult {
  verified: true;
  hops: Hop[];
  custodyRecords: number;
  custody: { seq: string; at: string; action: string; hash: string; details: Record<string, unknown> }[];
}
interface Recipient {
  orgId: string;
  name: string;
  role: string;
  country: string | null;
}

export const OUTCOME_CODES = [
  'not_illegal_here',
  'insufficient_information',
  'safeguarding_referral',
  'suspect_identified',
  'search_executed',
  'arrested',
  'charged',
  'convicted',
  'acquitted',
  'no_further_action',
  'referred_onward',
] as const;

const label = (s: string) => s.replace(/_/g, ' ');

function citationText(c: Citation[] | undefined): string {
  return (c ?? []).map((x) => `${x.statute} ${x.section}`).join('; ');
}

const str = (v: unknown): string => (typeof v === 'string' ? v : '');

function eventText(e: ThreadEvent): string {
  const b = e.body;
  if (e.kind === 'message') return str(b.text);
  if (e.kind === 'decline') return `Declined: ${str(b.reason)}`;
  if (e.kind === 'retraction') return `Retracted${Array.isArray(b.incidentIds) ? ` (${b.incidentIds.length} incidents)` : ''}: ${str(b.reason)}`;
  if (e.kind === 'outcome') return `Outcomes for ${Array.isArray(b.outcomes) ? b.outcomes.length : 0} incident(s): ${countsText(Object.fromEntries(Object.entries(((b.outcomes as { code: string }[] | undefined) ?? []).reduce<Record<string, number>>((m, o) => ((m[o.code] = (m[o.code] ?? 0) + 1), m), {}))))}`;
  if (e.kind === 'relayed') return `Relayed to ${String((b.to as { name?: string; orgId?: string } | undefined)?.name ?? (b.to as { orgId?: string } | undefined)?.orgId ?? '')}`;
  if (e.kind === 'update') return str(b.text);
  return typeof b.note === 'string' && b.note ? `${label(e.kind)}: ${b.note}` : label(e.kind);
}

export function ReferralDetailPage(props: { id: string }) {
  const { id } = props;
  const { session } = useSession();
  const me = session.user.org;
  const [detail, setDetail] = useState<Detail | undefined>();
  const [incidents, setIncidents] = useState<Incident[]>([]);
  const [events, setEvents] = useState<ThreadEvent[]>([]);
  const [error, setError] = useState('');
  const [notice, setNotice] = useState('');
  const [chain, setChain] = useState<{ ok: ChainResult } | { error: string } | undefined>();
  const [verifying, setVerifying] = useState(false);
  const [busy, setBusy] = useState(false);
  const [selected, setSelected] = useState<Set<string>>(new Set());

  const load = useCallback(async () => {
    try {
      const [d, inc, thread] = await Promise.all([
        api<Detail>('GET', `/api/v1/referrals/${id}`),
        api<{ incidents: Incident[] }>('GET', `/api/v1/referrals/${id}/incidents`),
        api<{ events: ThreadEvent[] }>('GET', `/api/v1/referrals/${id}/thread`),
      ]);
      setDetail(d);
      setIncidents(inc.incidents);
      setEvents(thread.events);
      setError('');
    } catch (err) {
      setError(errorText(err, 'The referral could not be loaded.'));
    }
  }, [id]);

  useEffect(() => {
    void load();
  }, [load]);

  const act = async (what: string, run: () => Promise<unknown>) => {
    setBusy(true);
    try {
      await run();
      setNotice(what);
      setSelected(new Set());
      await load();
    } catch (err) {
      setNotice(errorText(err, 'That did not work.'));
    } finally {
      setBusy(false);
    }
  };

  const verify = async () => {
    setVerifying(true);
    try {
      setChain({ ok: await api<ChainResult>('GET', `/api/v1/referrals/${id}/chain`) });
    } catch (err) {
      setChain({ error: errorText(err, 'The chain could not be verified.') });
    } finally {
      setVerifying(false);
    }
  };

  if (error) {
    return (
      <>
        <h1>Referral</h1>
        <p className="field-error" role="alert">
          {error}
        </p>
        <Link href="/app/referrals">Back to referrals</Link>
      </>
    );
  }
  if (!detail) return <p role="status">Loading referral…</p>;

  const received = detail.direction === 'received';
  const s = detail.status;
  return (
    <>
      <p>
        <Link href="/app/referrals">← Referrals</Link>
      </p>
      <h1>
        Referral <span className="mono">{detail.referralId.slice(0, 8)}</span> {received ? 'from' : 'to'} {detail.counterparty.name ?? detail.counterparty.orgId}
      </h1>
      <p role="status" aria-live="polite" className={notice ? 'notice' : 'visually-hidden'}>
        {notice}
      </p>
      <dl className="facts">
        <dt>Status</dt>
        <dd>
          <StatusBadge status={s} />
          {detail.statusReason && <> — {detail.statusReason}</>}
        </dd>
        <dt>Direction</dt>
        <dd>{received ? 'Incoming' : 'Outgoing'}</dd>
        <dt>Referral id</dt>
        <dd className="mono">{detail.referralId}</dd>
        {detail.finalRecipient && (
          <>
            <dt>Final recipient</dt>
            <dd>{detail.finalRecipient.name ?? detail.finalRecipient.orgId}</dd>
          </>
        )}
        <dt>Incidents</dt>
        <dd>
          {detail.incidents}
          {detail.retracted > 0 && ` (${detail.retracted} retracted)`}
        </dd>
        {detail.triage && (
          <>
            <dt>Our assessment</dt>
            <dd>{countsText(detail.triage)}</dd>
          </>
        )}
        <dt>Outcomes</dt>
        <dd>{countsText(detail.outcomes)}</dd>
        <dt>Delivery</dt>
        <dd>
          {detail.delivery}
          {detail.hasReceipt ? ', signed receipt held' : ', no receipt yet'}
          {detail.filesVerified !== null && `, ${detail.filesVerified} evidence file(s) verified`}
        </dd>
        <dt>Created</dt>
        <dd>
          <Time value={detail.createdAt} />
        </dd>
        <dt>Delivered</dt>
        <dd>
          <Time value={detail.deliveredAt} />
        </dd>
        {detail.note && (
          <>
            <dt>Note</dt>
            <dd>{detail.note}</dd>
          </>
        )}
      </dl>

      <Actions detail={detail} orgRole={me.role} busy={busy} act={act} incidents={incidents} selected={selected} />

      <section aria-labelledby="chain-heading">
        <h2 id="chain-heading">Chain of signatures</h2>
        <button type="button" className="primary" onClick={() => void verify()} disabled={verifying}>
          {verifying ? 'Verifying…' : 'Verify chain'}
        </button>
        {chain && 'error' in chain && (
          <p className="field-error chain-result" role="alert" data-testid="chain-result">
            The chain does not verify: {chain.error}
          </p>
        )}
        {chain && 'ok' in chain && (
          <p className="chain-ok chain-result" role="status" data-testid="chain-result">
            Chain verified: {chain.ok.hops.length} signature{chain.ok.hops.length === 1 ? '' : 's'} valid; {chain.ok.custodyRecords} custody record(s) of the reports carried.
          </p>
        )}
        <table className="chain">
          <caption className="visually-hidden">Hops of the referral, first signer first</caption>
          <thead>
            <tr>
              <th scope="col">#</th>
              <th scope="col">Signed by</th>
              <th scope="col">To</th>
              <th scope="col">Key</th>
              <th scope="col">Issued</th>
              <th scope="col">Signature</th>
            </tr>
          </thead>
          <tbody>
            {(chain && 'ok' in chain ? chain.ok.hops : (detail.hops ?? [])).map((h, i) => {
              const full = h as Partial<Hop> & { from: Hop['from']; to: Hop['to']; issuedAt: string; keySource: string };
              const state = chain ? ('ok' in chain ? 'valid' : 'invalid') : 'not checked';
              return (
                <tr key={i} data-hop-state={state}>
                  <td>{i + 1}</td>
                  <td>{full.from.name ?? full.from.orgId}</td>
                  <td>{full.to.name ?? full.to.orgId}</td>
                  <td>
                    {full.kid && <span className="mono">{full.kid}</span>} <span className="hint">({full.keySource}{full.vouchedBy ? `, vouched by ${full.vouchedBy}` : ''})</span>
                  </td>
                  <td>
                    <Time value={full.issuedAt} />
                  </td>
                  <td>
                    <span className={`sig sig-${state.replace(' ', '-')}`}>{state}</span>
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
        {!detail.hops && !(chain && 'ok' in chain) && <p className="hint">The hops are listed once the chain is verified.</p>}
        {chain && 'ok' in chain && (
          <>
            <h3>Custody entries for this referral</h3>
            <table className="custody referral-custody">
              <thead>
                <tr>
                  <th scope="col">Seq</th>
                  <th scope="col">When</th>
                  <th scope="col">Action</th>
                  <th scope="col">Hash</th>
                </tr>
              </thead>
              <tbody>
                {chain.ok.custody.map((c) => (
                  <tr key={c.seq} data-action={c.action}>
                    <td>{c.seq}</td>
                    <td>
                      <Time value={c.at} />
                    </td>
                    <td>{c.action}</td>
                    <td className="mono">{c.hash.slice(0, 16)}…</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </>
        )}
      </section>

      <Thread detail={detail} events={events} orgRole={me.role} busy={busy} act={act} />

      {detail.manifest && <ManifestSummary manifest={detail.manifest} />}

      <section aria-labelledby="incidents-heading">
        <h2 id="incidents-heading">Incidents ({incidents.length})</h2>
        <IncidentTable incidents={incidents} received={received} selectable={received && ['accepted', 'closed'].includes(s)} selected={selected} onSelect={setSelected} />
      </section>
    </>
  );
}

function IncidentTable(props: { incidents: Incident[]; received: boolean; selectable: boolean; selected: Set<string>; onSelect: (s: Set<string>) => void }) {
  const [all, setAll] = useState(false);
  const shown = all ? props.incidents : props.incidents.slice(0, 100);
  const toggle = (id: string) => {
    const next = new Set(props.selected);
    if (next.has(id)) next.delete(id);
    else next.add(id);
    props.onSelect(next);
  };
  const open = props.incidents.filter((i) => !i.retractedAt);
  return (
    <>
      {props.selectable && <p className="hint">Select incidents to record an outcome for them only; with none selected it applies to every incident without one.</p>}
      <table className="ref-incidents">
        <thead>
          <tr>
            {props.selectable && (
              <th scope="col">
                <input
                  type="checkbox"
                  aria-label="Select all open incidents"
                  checked={open.length > 0 && open.every((i) => props.selected.has(i.incidentId))}
                  onChange={(e) => props.onSelect(new Set(e.target.checked ? open.map((i) => i.incidentId) : []))}
                />
              </th>
            )}
            <th scope="col">Incident</th>
            <th scope="col">Report</th>
            <th scope="col">Country</th>
            {props.received && <th scope="col">Our assessment</th>}
            <th scope="col">Outcome</th>
          </tr>
        </thead>
        <tbody>
          {shown.map((i) => (
            <tr key={i.incidentId} className={i.retractedAt ? 'retracted' : undefined}>
              {props.selectable && (
                <td>
                  {!i.retractedAt && <input type="checkbox" aria-label={`Select incident ${i.incidentId}`} checked={props.selected.has(i.incidentId)} onChange={() => toggle(i.incidentId)} />}
                </td>
              )}
              <td className="mono">
                {i.incidentId}
                {i.retractedAt && <span className="badge">retracted</span>}
              </td>
              <td>#{i.reportId}</td>
              <td>{i.country ?? '—'}</td>
              {props.received && (
                <td>
                  {i.assessment ? (i.assessment.error ? 'not assessable' : `${label(i.assessment.outcome ?? '')}${i.assessment.ruleId ? ` (${i.assessment.ruleId})` : ''}`) : 'not assessed'}
                  {i.assessment?.citations?.length ? <span className="hint"> {citationText(i.assessment.citations)}</span> : null}
                </td>
              )}
              <td>{i.outcome ? `${label(i.outcome.code)}${i.outcome.note ? ` — ${i.outcome.note}` : ''}` : '—'}</td>
            </tr>
          ))}
        </tbody>
      </table>
      {props.incidents.length > shown.length && (
        <button type="button" onClick={() => setAll(true)}>
          Show all {props.incidents.length} incidents
        </button>
      )}
    </>
  );
}

function ManifestSummary(props: { manifest: NonNullable<Detail['manifest']> }) {
  const m = props.manifest;
  const byRole = m.persons.reduce<Record<string, number>>((acc, p) => ((acc[p.role] = (acc[p.role] ?? 0) + 1), acc), {});
  const countries = m.persons.reduce<Record<string, number>>((acc, p) => (p.country ? ((acc[p.country] = (acc[p.country] ?? 0) + 1), acc) : acc), {});
  const withIds = m.persons.filter((p) => p.identifiers?.length).length;
  return (
    <section aria-labelledby="manifest-heading">
      <h2 id="manifest-heading">Package (as minimised for the recipient)</h2>
      <dl className="facts">
        <dt>Reports</dt>
        <dd>{m.reports.length}</dd>
        <dt>Persons</dt>
        <dd>
          {m.persons.length} ({countsText(byRole)}); countries: {countsText(countries)}; {withIds} with identifiers
        </dd>
        <dt>Files</dt>
        <dd>
          {m.files.length}, {m.files.filter((f) => f.evidence).length} with encrypted evidence
        </dd>
        <dt>Distinct fact sets</dt>
        <dd>{Object.keys(m.factSets).length}</dd>
        <dt>Sender’s assessments</dt>
        <dd>{countsText(m.senderAssessments.reduce<Record<string, number>>((acc, a) => ((acc[`${a.jurisdiction} ${a.outcome}`] = (acc[`${a.jurisdiction} ${a.outcome}`] ?? 0) + 1), acc), {}))}</dd>
        <dt>Custody records carried</dt>
        <dd>{m.custody.length}</dd>
      </dl>
      <table className="manifest-reports">
        <caption>Reports in the package</caption>
        <thead>
          <tr>
            <th scope="col">Report</th>
            <th scope="col">Reporter</th>
            <th scope="col">Received</th>
            <th scope="col">Incident type</th>
          </tr>
        </thead>
        <tbody>
          {m.reports.map((r) => (
            <tr key={r.reportId}>
              <td>
                #{r.reportId}
                {r.escalated && <span className="badge badge-urgent">escalated</span>}
                {r.batchedReason && <span className="badge">{r.batchedReason}</span>}
              </td>
              <td>{r.reporterName ?? '—'}</td>
              <td>
                <Time value={r.receivedAt} />
              </td>
              <td>{r.incidentType}</td>
            </tr>
          ))}
        </tbody>
      </table>
      {m.files.length > 0 && (
        <table className="manifest-files">
          <caption>Files (digests only; no media is shown)</caption>
          <thead>
            <tr>
              <th scope="col">SHA-256</th>
              <th scope="col">Classification</th>
              <th scope="col">Evidence</th>
            </tr>
          </thead>
          <tbody>
            {m.files.slice(0, 50).map((f) => (
              <tr key={f.fileId}>
                <td className="mono">{f.sha256 ?? f.md5 ?? '—'}</td>
                <td>{f.industryClassification ?? '—'}</td>
                <td>{f.evidence ? 'encrypted, verified' : 'not carried'}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}

type Act = (what: string, run: () => Promise<unknown>) => Promise<void>;

function Actions(props: { detail: Detail; orgRole: string; busy: boolean; act: Act; incidents: Incident[]; selected: Set<string> }) {
  const { detail, busy, act } = props;
  const id = detail.id;
  const s = detail.status;
  const received = detail.direction === 'received';
  const [reason, setReason] = useState('');
  const [retractReason, setRetractReason] = useState('');
  const [code, setCode] = useState<string>('');
  const [note, setNote] = useState('');
  const [relayTo, setRelayTo] = useState('');
  const [recipients, setRecipients] = useState<Recipient[]>([]);
  const canRelay = received && props.orgRole === 'intermediary' && ['delivered', 'accepted', 'declined'].includes(s);

  useEffect(() => {
    if (!canRelay) return;
    void api<{ recipients: Recipient[] }>('GET', '/api/v1/routing/recipients').then(
      (r) => setRecipients(r.recipients.filter((x) => x.orgId !== detail.counterparty.orgId)),
      () => setRecipients([]),
    );
  }, [canRelay, detail.counterparty.orgId]);

  const open = props.incidents.filter((i) => !i.retractedAt);
  const chosen = open.filter((i) => props.selected.has(i.incidentId));
  const without = open.filter((i) => !i.outcome);
  const outcomeTargets = chosen.length ? chosen : without.length ? without : open;
  const targetText = chosen.length ? `the ${chosen.length} selected incident(s)` : without.length ? `the ${without.length} incident(s) without one` : `all ${open.length} incident(s)`;
  const decline = (e: FormEvent) => {
    e.preventDefault();
    if (!reason.trim()) return;
    void act('Declined; the referral goes back to the sender.', () => api('POST', `/api/v1/referrals/${id}/decline`, { reason: reason.trim() }));
  };
  const outcomes = (e: FormEvent) => {
    e.preventDefault();
    if (!code) return;
    const targets = outcomeTargets;
    void act(`Outcome “${label(code)}” recorded for ${targets.length} incident(s); it travels back to the sender.`, () =>
      api('POST', `/api/v1/referrals/${id}/outcomes`, { outcomes: targets.map((i) => ({ incidentId: i.incidentId, code, ...(note.trim() ? { note: note.trim() } : {}) })) }),
    );
  };
  const retract = (e: FormEvent) => {
    e.preventDefault();
    if (!retractReason.trim()) return;
    void act('Retracted; the retraction travels down the chain.', () => api('POST', `/api/v1/referrals/${id}/retract`, { reason: retractReason.trim() }));
  };
  const relay = (e: FormEvent) => {
    e.preventDefault();
    if (!relayTo) return;
    void act('Relayed onward under this organisation’s signature.', () => api('POST', `/api/v1/referrals/${id}/relay`, { toOrgId: relayTo }));
  };

  const blocks = [];
  if (received && s === 'delivered') {
    blocks.push(
      <div key="accept" className="action-block">
        <button type="button" className="primary" disabled={busy} onClick={() => void act('Accepted.', () => api('POST', `/api/v1/referrals/${id}/accept`, {}))}>
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
          <select id="outcome-code" value={code} onChange={(e) => setCode(e.target.value)}>
            <option value="">Choose…</option>
            {OUTCOME_CODES.map((c) => (
              <option key={c} value={c}>
                {label(c)}
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
        <button type="button" disabled={busy} onClick={() => void act('Closed.', () => api('POST', `/api/v1/referrals/${id}/close`, {}))}>
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

function Thread(props: { detail: Detail; events: ThreadEvent[]; orgRole: string; busy: boolean; act: Act }) {
  const { detail, events, busy, act } = props;
  const [purpose, setPurpose] = useState<'question' | 'answer' | 'request' | 'note'>('question');
  const [text, setText] = useState('');
  const received = detail.direction === 'received';
  const originator = received && detail.originatorOrgId !== detail.counterparty.orgId ? detail.originatorOrgId : null;
  const isOriginator = !received && detail.relayedFrom === null;
  const name = (orgId: string) => (orgId === detail.counterparty.orgId ? (detail.counterparty.name ?? orgId) : (detail.hops?.find((h) => h.from.orgId === orgId)?.from.name ?? orgId));

  const send = (e: FormEvent, to?: string) => {
    e.preventDefault();
    if (!text.trim()) return;
    void act('Message signed and sent.', async () => {
      await api('POST', `/api/v1/referrals/${detail.id}/messages`, { purpose, text: text.trim(), ...(to ? { to } : {}) });
      setText('');
    });
  };
  const askReporter = (e: { preventDefault(): void }) => {
    e.preventDefault();
    if (!text.trim()) return;
    // The question goes to the originating clearinghouse, which passes it to the reporter and signs the answer back.
    void act('Question sent to the clearinghouse for the original reporter.', async () => {
      await api('POST', `/api/v1/referrals/${detail.id}/messages`, { purpose: 'question', text: `[For the original reporter] ${text.trim()}`, to: detail.originatorOrgId });
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
                {e.kind === 'message' ? label(str(e.body.purpose) || 'message') : label(e.kind)} · {e.direction === 'out' ? 'us' : name(e.author)} → {e.to === detail.counterparty.orgId ? (detail.counterparty.name ?? e.to) : e.direction === 'out' ? name(e.to) : 'us'} ·{' '}
                <Time value={e.at} />
                {e.direction === 'forwarded' && <span className="badge">passed on</span>}
              </p>
              <p className="message-body">{eventText(e)}</p>
              {question && isOriginator && (
                <button type="button" disabled={busy} onClick={() => void act('Question passed to the reporter; the answer comes back signed.', () => api('POST', `/api/v1/referrals/${detail.id}/messages/${e.id}/ask-reporter`))}>
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
