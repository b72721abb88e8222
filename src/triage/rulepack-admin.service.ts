/**
 * Rule-pack administration: the packs this process runs with, what the database records as active
 * per jurisdiction, the latest re-assessment runs, and recording a changed pack (which starts its
 * re-assessment).
 *
 * @example
 *   const { packs, runs } = await rulePackStatus(deps);
 *   await syncRulePacksFor(deps, principal);
 */
import type { Kysely } from 'kysely';
import type { Principal } from '../access/policy.js';
import type { RulePackStatus, RulePackSync } from '../contracts/api/triage.api.js';
import type { RulePackSet } from '../domain/law/rule-pack.evaluator.js';
import { packIdentities } from '../domain/law/rulepack-registry.js';
import { appendCustody } from '../platform/custody/custody.repository.js';
import type { Database } from '../platform/db/schema.js';
import { syncRulePackVersions } from './retriage.service.js';
import { listRecentPackRuns, listRecordedRulePacks } from './rulepack-admin.repository.js';

export interface RulePackAdminDeps {
  db: Kysely<Database>;
  /** The rule packs this process runs with. */
  rulePacks: () => Promise<RulePackSet>;
}

/** The packs this process runs with, what the database records as active per jurisdiction, and the latest re-assessment runs. */
export async function rulePackStatus(deps: RulePackAdminDeps): Promise<RulePackStatus> {
  const set = await deps.rulePacks();
  const recorded = new Map((await listRecordedRulePacks(deps.db)).map((r) => [r.jurisdiction, r]));
  const packs = packIdentities(set).map((id) => {
    const pack = id.jurisdiction === set.baseline?.jurisdiction && !set.packs.has(id.jurisdiction) ? set.baseline : set.packs.get(id.jurisdiction);
    const rec = recorded.get(id.jurisdiction);
    return {
      jurisdiction: id.jurisdiction,
      name: pack?.name ?? id.jurisdiction,
      kind: pack?.kind ?? 'national',
      version: id.version,
      status: id.status,
      rules: pack?.rules.length ?? 0,
      sha256: id.sha256,
      active: rec ? { version: rec.version, sha256: rec.content_sha256, since: rec.updated_at } : null,
      inSync: !!rec && rec.version === id.version && rec.content_sha256 === id.sha256,
    };
  });
  const runs = (await listRecentPackRuns(deps.db, 20)).map((r) => ({
    id: r.id,
    kind: r.kind,
    reason: r.reason,
    status: r.status,
    processed: r.processed,
    changed: r.changed,
    createdAt: r.created_at,
    finishedAt: r.finished_at,
  }));
  return { packs, runs };
}

/** Records the loaded packs' versions and starts a re-assessment run for each pack that changed. */
export async function syncRulePacksFor(deps: RulePackAdminDeps, admin: Principal): Promise<RulePackSync> {
  const rulePacks = await deps.rulePacks();
  const results = await syncRulePackVersions({ db: deps.db, rulePacks }, `rule packs checked by an administrator`);
  await deps.db.transaction().execute((trx) =>
    appendCustody(trx, [
      { actorKind: admin.kind, actorId: admin.id, orgId: admin.orgId, action: 'triage.rulepack.sync', subjectKind: 'rulepack', subjectId: 'all', details: { changed: results.map((r) => ({ jurisdiction: r.jurisdiction, version: r.version, runId: r.runId })) } },
    ]),
  );
  return { changed: results };
}
