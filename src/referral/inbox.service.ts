/**
 * The agency inbox: the incidents of received referrals split by this organisation's own
 * assessment (actionable / not illegal here / safeguarding / uncertain), so that the flood of
 * non-actionable incidents is counted and explained (rule and statute) but out of the way.
 * Every read is written to the custody log.
 *
 * @example
 *   const inbox = await readInbox(ctx, principal, { group: 'actionable', limit: 50, offset: 0 });
 *   inbox.counts.not_illegal; // incidents the local pack finds not illegal here
 */
import type { Citation, Inbox, InboxGroup, InboxItem, InboxRule, StoredAssessment } from '../contracts/api/referral.api.js';
import { appendCustody } from '../platform/custody/custody.repository.js';
import type { AppContext } from '../platform/app-context.js';
import { countInboxGroups, listInboxItems, listInboxRules, type InboxItemRow, type InboxRuleRow } from './inbox.repository.js';

/** An assessment as the recipient stored it (referral.service.ts), read defensively: older rows may lack fields. */
type StoredAssessmentView = Partial<Extract<StoredAssessment, { jurisdiction: string }>> & { error?: string };

const iso = (v: unknown): string => (v instanceof Date ? v.toISOString() : new Date(String(v)).toISOString());

function presentItem(r: InboxItemRow): InboxItem {
  const a = r.assessment as StoredAssessmentView | null;
  return {
    referral: { id: r.referral_row_id, referralId: r.referral_id, sender: { orgId: r.sender_org_id, name: r.sender_name }, receivedAt: iso(r.received_at), status: r.referral_status },
    incidentId: r.incident_id,
    reportId: r.report_id,
    assessment: a
      ? {
          jurisdiction: a.jurisdiction ?? null,
          outcome: a.error ? 'not_assessable' : (a.outcome ?? null),
          ruleId: a.ruleId ?? null,
          citations: a.citations ?? [],
          explanation: a.explanation ?? a.error ?? null,
          suspectCriminallyLiable: a.suspectCriminallyLiable ?? null,
          undeterminedFacts: a.undeterminedFacts ?? [],
          packVersion: a.packVersion ?? null,
        }
      : null,
    outcome: r.outcome,
  };
}

function presentRule(r: InboxRuleRow): InboxRule {
  return { ruleId: r.rule_id, outcome: r.outcome, citations: (r.citations ?? []) as Citation[], explanation: r.explanation, incidents: Number(r.n) };
}

export async function readInbox(
  ctx: Pick<AppContext, 'db'>,
  principal: { id: string; orgId: string },
  query: { group: InboxGroup; limit: number; offset: number; ruleId?: string | undefined },
): Promise<Inbox> {
  const [counts, rules, items] = await Promise.all([
    countInboxGroups(ctx.db, principal.orgId),
    listInboxRules(ctx.db, principal.orgId, query.group),
    listInboxItems(ctx.db, principal.orgId, query.group, query),
  ]);
  await ctx.db.transaction().execute((trx) =>
    appendCustody(trx, [
      {
        actorKind: 'user',
        actorId: principal.id,
        orgId: principal.orgId,
        action: 'referral.inbox.read',
        subjectKind: 'organisation',
        subjectId: principal.orgId,
        details: { group: query.group, offset: query.offset, items: items.length, incidents: items.map((i) => i.incident_id).slice(0, 200) },
      },
    ]),
  );
  return {
    counts,
    group: query.group,
    rules: rules.map(presentRule),
    items: items.map(presentItem),
    next: items.length === query.limit ? query.offset + query.limit : null,
  };
}
