/**
 * The durable jobs by which stages meet: each job's queue name, payload schema and deduplication
 * key. A stage enqueues another stage's work through its contract (never by importing that
 * stage); the stage that owns the work binds a handler to the contract (platform/jobs), and the
 * assembly point (app/workers.ts) runs every handler. Deduplication makes enqueueing idempotent:
 * a retried request, or a second finish of the same report, enqueues nothing new.
 *
 * @example
 *   await enqueueJobs(trx, jobContracts.triageReport, reportIds.map((reportId) => ({ reportId })));
 *   defineJob(jobContracts.triageReport, async ({ reportId }) => { … });
 */
import { z } from 'zod';

export interface JobContract<P> {
  queue: string;
  schema: z.ZodType<P>;
  /** One job per key: a second enqueue with the same key is skipped. */
  dedupeKey(payload: P): string;
}

function contract<P>(queue: string, schema: z.ZodType<P>, dedupeKey: (payload: P) => string): JobContract<P> {
  return { queue, schema, dedupeKey };
}

const rowId = z.string().regex(/^\d{1,19}$/);

export const jobContracts = {
  /** Triage a finished report (intake → triage). */
  triageReport: contract('triage-report', z.object({ reportId: rowId }), (p) => `report:${p.reportId}`),
  /** Work through a re-triage run (rule pack change, label, facts run). */
  triageReassess: contract('triage-reassess', z.object({ runId: rowId }), (p) => `run:${p.runId}`),
  /** Hash a received file (PDQ) and match it against the hash banks (intake → analysis). */
  hashFile: contract('hash-file', z.object({ fileId: z.string().min(1).max(64) }), (p) => `file:${p.fileId}`),
  /** Match files already received against a bank's entries added after `afterEntryId`. */
  bankRematch: contract('bank-rematch', z.object({ bankId: z.string().min(1).max(100), afterEntryId: rowId }), (p) => `rematch:${p.bankId}:${p.afterEntryId}`),
  /** A file gained bank matches after its report was triaged: apply them as facts (analysis → triage). */
  triageApplyMatches: contract('triage-apply-matches', z.object({ fileId: z.string().min(1).max(64), matchedAt: z.string().max(40) }), (p) => `matches:${p.fileId}:${p.matchedAt}`),
  /** Refer at once what a route's automatic policy asks for, after triage (triage → referral). */
  routingAutoRefer: contract('routing-auto-refer', z.object({ reportId: rowId }), (p) => `auto-refer:${p.reportId}`),
  /** Deliver one federation message to a peer, until it answers with a signed receipt. */
  referralDeliver: contract('referral-deliver', z.object({ deliveryId: z.string().min(1).max(100) }), (p) => p.deliveryId),
} as const;

export type JobName = keyof typeof jobContracts;
