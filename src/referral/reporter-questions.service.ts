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
import { findReportParties } from '../access/visibility.repository.js';
import { TiplineError } from '../contracts/errors.js';
import { appendCustody } from '../platform/custody/custody.repository.js';
import type { Actor } from './peer.service.js';
import type { ReferralDeps } from './referral-deps.js';
import {
  claimQuestionAnswer,
  findEvent,
  findNotification,
  findReferral,
  findReferralById,
  insertNotifications,
  insertPublicMessages,
  listOpenQuestions,
  listOriginatedReferralsOfReport,
  listReferralIncidentIds,
  publicReportIds,
  reopenQuestion,
  reportersOfIncidents,
  type NewNotification,
} from './referral.repository.js';
import { sendReferralEvent } from './referral.service.js';

export async function passQuestionToReporters(deps: ReferralDeps, actor: Actor, referralRowId: string, eventId: string): Promise<{ notified: number }> {
  const row = await findReferral(deps.db, actor.orgId, referralRowId);
  if (!row || row.direction !== 'sent' || row.originator_org_id !== actor.orgId || row.parent_id !== null) {
    throw new TiplineError('TIP_ERR_REFERRAL_NOT_FOUND', { message: 'No referral that this organisation originated has that id.' });
  }
  const question = await findEvent(deps.db, actor.orgId, row.referral_id, eventId);
  const body = question?.body as { purpose?: string; text?: string } | undefined;
  if (!question || question.kind !== 'message' || body?.purpose !== 'question' || question.author_org_id === actor.orgId) {
    throw new TiplineError('TIP_ERR_NOT_FOUND', { message: 'No question from another party on this referral has that id.' });
  }
  const reporters = await reportersOfIncidents(deps.db, await listReferralIncidentIds(deps.db, row.id));
  const byReport = new Map(reporters.map((r) => [`${r.reporter_org_id}|${r.report_id}`, r]));
  const rows = [...byReport.values()].map((r): NewNotification => ({
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
  const toPublic = await publicReportIds(
    deps.db,
    rows.map((r) => r.report_id),
  );
  await deps.db.transaction().execute(async (trx) => {
    await insertNotifications(trx, rows);
    await insertPublicMessages(
      trx,
      [...toPublic].map((reportId) => ({
        id: randomUUID(),
        report_id: reportId,
        author: 'analyst' as const,
        user_id: actor.kind === 'user' ? actor.id : null,
        body: `A question from the authority handling your report: ${body.text ?? ''}`,
      })),
    );
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
  const n = await findNotification(deps.db, actor.orgId, notificationId);
  const body = n?.body as { questionId?: string; referralRowId?: string; askedBy?: string; answeredAt?: string } | undefined;
  if (!n || n.kind !== 'question' || !body?.questionId || !body.referralRowId || !body.askedBy) throw new TiplineError('TIP_ERR_NOT_FOUND', { message: 'No question for this reporter has that id.' });
  if (body.answeredAt) throw new TiplineError('TIP_ERR_REFERRAL_STATE', { message: 'This question was already answered.' });
  const row = await findReferralById(deps.db, body.referralRowId);
  if (!row) throw new TiplineError('TIP_ERR_REFERRAL_NOT_FOUND');
  if (!(await claimQuestionAnswer(deps.db, n.id, new Date().toISOString()))) throw new TiplineError('TIP_ERR_REFERRAL_STATE', { message: 'This question was already answered.' });
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
    await reopenQuestion(deps.db, n.id);
    throw err;
  }
}

/**
 * A public reporter wrote at /report/follow-up: the message answers every question passed to the
 * report's reporter that is still open, and goes back down the chain as the clearinghouse's signed
 * answer. Returns how many questions it answered (0 when none was waiting).
 */
export async function answerFromPublicReporter(deps: ReferralDeps, reportId: string, text: string): Promise<{ answered: number }> {
  const report = await findReportParties(deps.db, reportId);
  if (!report) return { answered: 0 };
  const open = await listOpenQuestions(deps.db, report.reporterOrgId, reportId);
  let answered = 0;
  for (const n of open) {
    await answerReporterQuestion(deps, { kind: 'public', id: null, orgId: report.reporterOrgId }, n.id, text);
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
  // Only the reporter that sent the report changes it (anyone else is answered 404, as for the report itself).
  const report = await findReportParties(deps.db, reportId);
  if (!report || report.reporterOrgId !== actor.orgId) throw new TiplineError('TIP_ERR_REPORT_NOT_FOUND');
  const rows = await listOriginatedReferralsOfReport(deps.db, report.clearinghouseOrgId, reportId);
  let sent = 0;
  for (const r of rows) {
    if (['failed', 'exported', 'declined', 'retracted'].includes(r.status)) continue;
    // The clearinghouse speaks on the chain; custody names the reporter's key as the actor.
    await sendReferralEvent(deps, { kind: actor.kind, id: actor.id, orgId: report.clearinghouseOrgId }, r.id, {
      kind: change.kind,
      body: change.kind === 'retraction' ? { reason: `Withdrawn by the reporter: ${change.reason}`, incidentIds: r.incident_ids } : { text: `Update from the reporter on report ${reportId}: ${change.text}` },
    });
    sent++;
  }
  return { referrals: sent };
}
