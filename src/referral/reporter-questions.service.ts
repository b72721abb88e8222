/**
 * Questions that only the original reporter can answer: the clearinghouse passes a question it
 * received on a referral to the reporters whose reports the referral holds (as a notification
 * they read over the API); a reporter's answer goes back down the chain as the clearinghouse's
 * signed answer to the question, so the recipient sees one thread. Custody records who asked,
 * who answered, and when.
 *
 * @example
 *   await passQuestionToReporters(deps, clearinghouseActor, rowId, questionEventId);
 *   await answerReporterQuestion(deps, reporterActor, notificationId, 'The account was closed on 3 May.');
 */
import { randomUUID } from 'node:crypto';
import { sql } from 'kysely';
import { TiplineError } from '../contracts/errors.js';
import { appendCustody } from '../platform/custody/custody.repository.js';
import type { Actor } from './peer.service.js';
import type { ReferralDeps } from './referral-deps.js';
import { findReferral, insertNotifications, reportersOfIncidents } from './referral.repository.js';
import { sendReferralEvent } from './referral.service.js';

export async function passQuestionToReporters(deps: ReferralDeps, actor: Actor, referralRowId: string, eventId: string): Promise<{ notified: number }> {
  const row = await findReferral(deps.db, actor.orgId, referralRowId);
  if (!row || row.direction !== 'sent' || row.originator_org_id !== actor.orgId || row.parent_id !== null) {
    throw new TiplineError('TIP_ERR_REFERRAL_NOT_FOUND', { message: 'No referral that this organisation originated has that id.' });
  }
  const question = await deps.db.selectFrom('referral_events').selectAll().where('org_id', '=', actor.orgId).where('id', '=', eventId).where('referral_id', '=', row.referral_id).executeTakeFirst();
  const body = question?.body as { purpose?: string; text?: string } | undefined;
  if (!question || question.kind !== 'message' || body?.purpose !== 'question' || question.author_org_id === actor.orgId) {
    throw new TiplineError('TIP_ERR_NOT_FOUND', { message: 'No question from another party on this referral has that id.' });
  }
  const incidents = await deps.db.selectFrom('referral_incidents').select('incident_id').where('referral_row_id', '=', row.id).execute();
  const reporters = await reportersOfIncidents(deps.db, incidents.map((i) => i.incident_id));
  const byReport = new Map(reporters.map((r) => [`${r.reporter_org_id}|${r.report_id}`, r]));
  const rows = [...byReport.values()].map((r) => ({
    id: randomUUID(),
    org_id: r.reporter_org_id,
    report_id: String(r.report_id),
    incident_id: null,
    referral_id: row.referral_id,
    kind: 'question',
    body: { questionId: eventId, text: body.text ?? '', referralRowId: row.id, askedBy: question.author_org_id },
  }));
  // A report from the public web form has no API client to read notifications: its reporter reads
  // the question at /report/follow-up with the receipt, and answers there (answerFromPublicReporter).
  const publicReports = rows.length
    ? await deps.db.selectFrom('public_receipts').select('report_id').where('report_id', 'in', rows.map((r) => r.report_id as never)).execute()
    : [];
  const toPublic = new Set(publicReports.map((p) => String(p.report_id)));
  await deps.db.transaction().execute(async (trx) => {
    await insertNotifications(trx, rows);
    if (toPublic.size > 0) {
      await trx
        .insertInto('public_messages')
        .values(
          [...toPublic].map((reportId) => ({
            id: randomUUID(),
            report_id: reportId,
            author: 'analyst' as const,
            user_id: actor.kind === 'user' ? actor.id : null,
            body: `A question from the authority handling your report: ${body.text ?? ''}`,
          })),
        )
        .execute();
    }
    await appendCustody(trx, [
      {
        actorKind: actor.kind,
        actorId: actor.id,
        orgId: actor.orgId,
        action: 'referral.question.to_reporter',
        subjectKind: 'referral',
        subjectId: row.id,
        details: { referralId: row.referral_id, eventId, reporters: [...new Set(rows.map((r) => r.org_id))], reports: rows.map((r) => r.report_id), publicReports: [...toPublic] },
      },
    ]);
  });
  return { notified: rows.length };
}

/** A reporter answers a question passed to it; the clearinghouse's signed answer goes to whoever asked. */
export async function answerReporterQuestion(deps: ReferralDeps, actor: Actor, notificationId: string, text: string): Promise<{ eventId: string }> {
  const n = await deps.db.selectFrom('referral_notifications').selectAll().where('id', '=', notificationId).where('org_id', '=', actor.orgId).executeTakeFirst();
  const body = n?.body as { questionId?: string; referralRowId?: string; askedBy?: string; answeredAt?: string } | undefined;
  if (!n || n.kind !== 'question' || !body?.questionId || !body.referralRowId || !body.askedBy) throw new TiplineError('TIP_ERR_NOT_FOUND', { message: 'No question for this reporter has that id.' });
  if (body.answeredAt) throw new TiplineError('TIP_ERR_REFERRAL_STATE', { message: 'This question was already answered.' });
  const row = await deps.db.selectFrom('referrals').select(['org_id']).where('id', '=', body.referralRowId).executeTakeFirst();
  if (!row) throw new TiplineError('TIP_ERR_REFERRAL_NOT_FOUND');
  const claimed = await sql`UPDATE referral_notifications SET body = body || ${JSON.stringify({ answeredAt: new Date().toISOString() })}::jsonb WHERE id = ${n.id} AND NOT (body ? 'answeredAt')`.execute(deps.db);
  if (Number(claimed.numAffectedRows ?? 0n) === 0) throw new TiplineError('TIP_ERR_REFERRAL_STATE', { message: 'This question was already answered.' });
  // The clearinghouse speaks on the chain; the custody entry names the reporter's key as the actor.
  try {
    const sent = await sendReferralEvent(deps, { kind: actor.kind, id: actor.id, orgId: row.org_id }, body.referralRowId, {
      kind: 'message',
      body: { purpose: 'answer', text: `Answer from the reporter: ${text}` },
      to: body.askedBy,
      inReplyTo: body.questionId,
    });
    return { eventId: sent.eventId };
  } catch (err) {
    // Not sent: the question is open again.
    await sql`UPDATE referral_notifications SET body = body - 'answeredAt' WHERE id = ${n.id}`.execute(deps.db);
    throw err;
  }
}

/**
 * A public reporter wrote at /report/follow-up: the message answers every question passed to the
 * report's reporter that is still open, and goes back down the chain as the clearinghouse's signed
 * answer. Returns how many questions it answered (0 when none was waiting).
 */
export async function answerFromPublicReporter(deps: ReferralDeps, reportId: string, text: string): Promise<{ answered: number }> {
  const report = await deps.db.selectFrom('reports').select(['reporter_org_id']).where('id', '=', reportId as never).executeTakeFirst();
  if (!report) return { answered: 0 };
  const open = await deps.db
    .selectFrom('referral_notifications')
    .select('id')
    .where('org_id', '=', report.reporter_org_id)
    .where('report_id', '=', reportId)
    .where('kind', '=', 'question')
    .where(sql<boolean>`NOT (body ? 'answeredAt')`)
    .orderBy('created_at')
    .execute();
  let answered = 0;
  for (const n of open) {
    await answerReporterQuestion(deps, { kind: 'public', id: null, orgId: report.reporter_org_id }, n.id, text);
    answered++;
  }
  return { answered };
}

/**
 * A reporter withdraws a finished report (or sends a correction) after it was referred: the
 * clearinghouse's referrals that hold its incidents carry a retraction (or an update) down
 * their chains. Reports still open are retracted through intake instead.
 */
export async function propagateReporterChange(
  deps: ReferralDeps,
  actor: Actor,
  reportId: string,
  change: { kind: 'retraction'; reason: string } | { kind: 'update'; text: string },
): Promise<{ referrals: number }> {
  const report = await deps.db.selectFrom('reports').select(['id', 'reporter_org_id', 'clearinghouse_org_id']).where('id', '=', reportId as never).executeTakeFirst();
  if (!report || report.reporter_org_id !== actor.orgId) throw new TiplineError('TIP_ERR_REPORT_NOT_FOUND');
  const rows = await deps.db
    .selectFrom('referrals')
    .innerJoin('referral_incidents', 'referral_incidents.referral_row_id', 'referrals.id')
    .select(['referrals.id', 'referrals.status', (eb) => eb.fn.agg<string[]>('array_agg', ['referral_incidents.incident_id']).as('incident_ids')])
    .where('referrals.org_id', '=', report.clearinghouse_org_id)
    .where('referrals.direction', '=', 'sent')
    .where('referrals.parent_id', 'is', null)
    .where('referral_incidents.report_id', '=', reportId)
    .groupBy(['referrals.id', 'referrals.status'])
    .execute();
  let sent = 0;
  for (const r of rows) {
    if (['failed', 'exported', 'declined', 'retracted'].includes(r.status)) continue;
    // The clearinghouse speaks on the chain; custody names the reporter's key as the actor.
    await sendReferralEvent(deps, { kind: actor.kind, id: actor.id, orgId: report.clearinghouse_org_id }, r.id, {
      kind: change.kind,
      body: change.kind === 'retraction' ? { reason: `Withdrawn by the reporter: ${change.reason}`, incidentIds: r.incident_ids } : { text: `Update from the reporter on report ${reportId}: ${change.text}` },
    });
    sent++;
  }
  return { referrals: sent };
}
