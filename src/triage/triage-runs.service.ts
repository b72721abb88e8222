/**
 * Re-triage runs (`triage_runs`): created in the transaction of the change that needs them and
 * worked through by the `triage-reassess` job (retriage.service.ts). The run and its job are
 * written in the caller's transaction, so a change and the work it needs commit together.
 *
 * @example
 *   await createFactsRun(trx, { bundles: [bundleId] }, `label ${labelId} on bundle ${bundleId}`);
 */
import type { Transaction } from 'kysely';
import type { Database } from '../platform/db/schema.js';
import { jobContracts } from '../contracts/jobs.contract.js';
import { enqueueJob } from '../platform/jobs/job-runner.js';
import { insertRun, type RunRow } from './retriage.repository.js';

export type RunKind = RunRow['kind'];

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
  const id = await insertRun(trx, { kind, scope, reason });
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
