/**
 * What the referral services need from the running process, built once per AppContext: the
 * database, the evidence store, the key-encryption key for organisation private keys (derived
 * from the blob key, so every process of a deployment that shares the blob key can open them),
 * the rule packs for the recipient's triage, and delivery settings from the environment.
 *
 * @example
 *   const deps = referralDeps(ctx);
 *   await createReferral(deps, principal, { reportIds: ['1000001'], toOrgId });
 */
import type { Kysely } from 'kysely';
import type { Logger } from 'pino';
import type { AppContext } from '../platform/app-context.js';
import { loadOrCreateBlobKey, type BlobStore } from '../platform/blobs/blob-store.js';
import type { Database } from '../platform/db/schema.js';
import type { RulePackSet } from '../domain/law/rule-pack.evaluator.js';
import { sharedRulePacks } from '../domain/law/rulepack-registry.js';
import type { TiplineConfig } from '../platform/config.js';
import { deriveKeyEncryptionKey } from './federation-crypto.js';
import type { OrgKeyCache } from './org-keys.service.js';

/** Delivery settings (TIPLINE_REFERRAL_RETRY_SECONDS, TIPLINE_REFERRAL_MAX_ATTEMPTS, TIPLINE_REFERRAL_TIMEOUT_MS). */
export interface ReferralSettings {
  /** First retry delay, doubling, capped at an hour. */
  retrySeconds: number;
  maxAttempts: number;
  timeoutMs: number;
}

export function referralSettingsOf(config: TiplineConfig): ReferralSettings {
  return { retrySeconds: config.referralRetrySeconds, maxAttempts: config.referralMaxAttempts, timeoutMs: config.referralTimeoutMs };
}

/** Exponential backoff from the configured first delay, capped at an hour, with jitter. */
export function deliveryRetrySeconds(attempt: number, settings: ReferralSettings): number {
  const base = Math.min(3600, settings.retrySeconds * 2 ** Math.max(0, attempt - 1));
  return base * (0.75 + Math.random() * 0.5);
}

export interface ReferralDeps {
  db: Kysely<Database>;
  blobs: BlobStore;
  kek: Buffer;
  /** This process's active organisation keys (org-keys.service.ts). */
  keyCache: OrgKeyCache;
  logger: Logger;
  settings: ReferralSettings;
  rulePacks(): Promise<RulePackSet>;
  fetch: typeof fetch;
}

/** The referral dependencies of a process, built once and kept in its context. */
export function referralDeps(ctx: AppContext): ReferralDeps {
  return ctx.memo('referral-deps', () => ({
    db: ctx.db,
    blobs: ctx.blobs,
    kek: deriveKeyEncryptionKey(loadOrCreateBlobKey(ctx.config.dataDir, ctx.config.blobKey)),
    keyCache: new Map(),
    logger: ctx.logger,
    settings: referralSettingsOf(ctx.config),
    rulePacks: () => sharedRulePacks(ctx),
    fetch: (input, init) => fetch(input, init),
  }));
}
