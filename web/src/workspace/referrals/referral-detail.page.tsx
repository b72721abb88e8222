/**
 * One referral: status and parties, the manifest as minimised for the recipient (counts, reports,
 * files by digest, persons by role and country — never names or images), the chain of signatures
 * re-verified on demand with the custody entries, the signed thread (with "ask the original
 * reporter"), the incidents with the local assessment and the recorded outcomes, and the actions
 * the referral's state allows: accept / decline ("not ours"), record outcomes, close, relay,
 * retract. Everything here goes through /api/v1/referrals/:id…, which logs each read in custody.
 */
import { useState } from 'react';
import { errorText } from '../../data/api-client.js';
import { useReferral, useReferralAction, type ReferralDetail } from '../../data/referrals.queries.js';
import { Link } from '../../router.js';
import { Time } from '../../ui/time.js';
import { useSession } from '../session.js';
import { ReferralActions, type Act } from './referral-actions.js';
import { ChainSection } from './referral-chain.js';
import { countsText, StatusBadge } from './referral-format.js';
import { IncidentTable } from './referral-incidents.js';
import { ManifestSummary } from './referral-manifest.js';
import { ReferralThread } from './referral-thread.js';

function ReferralFacts(props: { detail: ReferralDetail }) {
  const { detail } = props;
  return (
    <dl className="facts">
      <dt>Status</dt>
      <dd>
        <StatusBadge status={detail.status} />
        {detail.statusReason && <> — {detail.statusReason}</>}
      </dd>
      <dt>Direction</dt>
      <dd>{detail.direction === 'received' ? 'Incoming' : 'Outgoing'}</dd>
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
  );
}

export function ReferralDetailPage(props: { id: string }) {
  const { id } = props;
  const { session } = useSession();
  const q = useReferral(id);
  const action = useReferralAction(id);
  const [notice, setNotice] = useState('');
  const [selected, setSelected] = useState<ReadonlySet<string>>(new Set());

  const act: Act = (what, run) =>
    action.mutate(run, {
      onSuccess: () => {
        setNotice(what);
        setSelected(new Set());
      },
      onError: (err) => setNotice(errorText(err, 'That did not work.', { issues: false })),
    });

  const error = q.detail.error ?? q.incidents.error ?? q.thread.error;
  if (error) {
    return (
      <>
        <h1>Referral</h1>
        <p className="field-error" role="alert">
          {errorText(error, 'The referral could not be loaded.', { issues: false })}
        </p>
        <Link href="/app/referrals">Back to referrals</Link>
      </>
    );
  }
  const detail = q.detail.data;
  const incidents = q.incidents.data;
  const events = q.thread.data;
  if (!detail || !incidents || !events) return <p role="status">Loading referral…</p>;

  const received = detail.direction === 'received';
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
      <ReferralFacts detail={detail} />
      <ReferralActions detail={detail} orgRole={session.user.org.role} busy={action.isPending} act={act} incidents={incidents} selected={selected} />
      <ChainSection detail={detail} />
      <ReferralThread detail={detail} events={events} busy={action.isPending} act={act} />
      {detail.manifest && <ManifestSummary manifest={detail.manifest} />}
      <section aria-labelledby="incidents-heading">
        <h2 id="incidents-heading">Incidents ({incidents.length})</h2>
        <IncidentTable
          incidents={incidents}
          received={received}
          selectable={received && ['accepted', 'closed'].includes(detail.status)}
          selected={selected}
          onSelect={setSelected}
        />
      </section>
    </>
  );
}
