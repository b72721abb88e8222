/**
 * Re-triage runs (`triage_runs`): created in the transaction of the change that needs them and
 * worked through by the `triage-reassess` job (retriage.service.ts).
 *
 * @example
 *   await createFactsRun(trx, { bundles: [bundleId] }, `label ${labelId} on bundle ${bundleId}`);
 */
import type { Transaction } from 'kysely';
import type { Database } from '../platform/db/schema.js';
import { jobContracts } from '../contracts/jobs.contract.js';
import { enqueueJob } from '../platform/jobs/job-runner.js';

export type RunKind = 'jurisdiction' | 'all' | 'facts';

export interface FactsScope {
  incidents?: string[];
  files?: string[];
  bundles?: string[];
  orgs?: string[];
}

/** The pack a re-assessment run is for: it never applies another one. */
export interface PackTarget {
  version: string;
  sha256: string;
}

export type RunScope = { jurisdiction: string; pack: PackTarget } | { pack: PackTarget } | FactsScope;

export async function createRun(trx: Transaction<Database>, kind: RunKind, scope: RunScope, reason: string): Promise<string> {
  const r = await trx.insertInto('triage_runs').values({ kind, scope: JSON.stringify(scope), reason }).returning('id').executeTakeFirstOrThrow();
  const id = String(r.id);
  await enqueueJob(trx, jobContracts.triageReassess, { runId: id });
  return id;
}

/** A run recomputing facts for the given targets (label or bundle changes). Nothing to do: no run. */
export async function createFactsRun(trx: Transaction<Database>, scope: FactsScope, reason: string): Promise<string | null> {
  const clean: FactsScope = {};
  for (const key of ['incidents', 'files', 'bundles', 'orgs'] as const) {
    const ids = [...new Set(scope[key] ?? [])];
    if (ids.length > 0) clean[key] = ids;
  }
  if (Object.keys(clean).length === 0) return null;
  return createRun(trx, 'facts', clean, reason);
}
