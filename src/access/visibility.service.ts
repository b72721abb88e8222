/**
 * Visibility checks for any stage: whether a principal may see a subject, decided by the policy
 * module's rules (policy.ts) over the parties read from the database. A subject the principal may
 * not see is answered as missing (404), never as forbidden, so that its existence does not leak.
 *
 * @example
 *   await requireVisibleReport(ctx, principal, reportId);                          // TIP_ERR_REPORT_NOT_FOUND otherwise
 *   await requireVisibleReport(ctx, principal, reportId, { logRead: 'ui-referrals' }); // and a custody entry
 */
import { TiplineError } from '../contracts/errors.js';
import type { Kysely } from 'kysely';
import { appendCustody } from '../platform/custody/custody.repository.js';
import type { Database } from '../platform/db/schema.js';
import { reportScope, reportVisible, type Principal } from './policy.js';
import { findReportParties, type ReportParties } from './visibility.repository.js';

/**
 * The report's parties when the principal may see it; TIP_ERR_REPORT_NOT_FOUND otherwise. With
 * `logRead`, the read is written to the custody log (`report.read` with that purpose) before the
 * caller shows anything of the report.
 */
export async function requireVisibleReport(
  deps: { db: Kysely<Database> },
  principal: Principal,
  reportId: string,
  options: { logRead?: string } = {},
): Promise<ReportParties> {
  const parties = await findReportParties(deps.db, reportId);
  if (!parties || !reportVisible(reportScope(principal), parties)) throw new TiplineError('TIP_ERR_REPORT_NOT_FOUND');
  const purpose = options.logRead;
  if (purpose) {
    await deps.db.transaction().execute((trx) =>
      appendCustody(trx, [
        { actorKind: principal.kind, actorId: principal.id, orgId: principal.orgId, action: 'report.read', subjectKind: 'report', subjectId: reportId, details: { purpose } },
      ]),
    );
  }
  return parties;
}
