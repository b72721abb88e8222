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
import { z } from 'zod';
import type { AppContext } from '../platform/app-context.js';
import { loadOrCreateBlobKey, type BlobStore } from '../platform/blobs/blob-store.js';
import type { Database } from '../platform/db/schema.js';
import type { RulePackSet } from '../domain/law/rule-pack.evaluator.js';
import { loadRulePacks } from '../domain/law/rule-pack.loader.js';
import { deriveKeyEncryptionKey } from './federation-crypto.js';

/** Delivery settings: TIPLINE_REFERRAL_RETRY_SECONDS (first retry delay, doubling, capped at an hour), TIPLINE_REFERRAL_MAX_ATTEMPTS, TIPLINE_REFERRAL_TIMEOUT_MS. */
export const referralSettingsSchema = z.object({
  retrySeconds: z.coerce.number().positive().max(3600).default(2),
  maxAttempts: z.coerce.number().int().min(1).max(1000).default(40),
  timeoutMs: z.coerce.number().int().positive().default(60_000),
});
export type ReferralSettings = z.infer<typeof referralSettingsSchema>;

export function loadReferralSettings(env: NodeJS.ProcessEnv): ReferralSettings {
  const parsed = referralSettingsSchema.safeParse({
    retrySeconds: env.TIPLINE_REFERRAL_RETRY_SECONDS || undefined,
    maxAttempts: env.TIPLINE_REFERRAL_MAX_ATTEMPTS || undefined,
    timeoutMs: env.TIPLINE_REFERRAL_TIMEOUT_MS || undefined,
  });
  if (!parsed.success) throw new Error(`invalid referral settings: ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`);
  return parsed.data;
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
  logger: Logger;
  settings: ReferralSettings;
  rulePacks(): Promise<RulePackSet>;
  fetch: typeof fetch;
}

let packs: Promise<RulePackSet> | undefined;
const loadPacksOnce = () => {
  packs ??= loadRulePacks().catch((err: unknown) => {
    packs = undefined;
    throw err;
  });
  return packs;
};

const cache = new WeakMap<AppContext, ReferralDeps>();

export function referralDeps(ctx: AppContext): ReferralDeps {
  let deps = cache.get(ctx);
  if (!deps) {
    deps = {
      db: ctx.db,
      blobs: ctx.blobs,
      kek: deriveKeyEncryptionKey(loadOrCreateBlobKey(ctx.config.dataDir, ctx.config.blobKey)),
      logger: ctx.logger,
      settings: loadReferralSettings(process.env),
      rulePacks: loadPacksOnce,
      fetch: (input, init) => fetch(input, init),
    };
    cache.set(ctx, deps);
  }
  return deps;
}
