/**
 * The one configuration module: every setting Tipline reads from the environment, with the
 * defaults of the quick start, read once when a process starts (never at module load) and passed
 * on in the app context. The README's settings table lists the same names.
 *
 * @example
 *   const config = loadConfig(process.env); // PORT=8080, TIPLINE_DATA_DIR=./data, …
 */
import { resolve } from 'node:path';
import { z } from 'zod';

const configSchema = z.object({
  port: z.coerce.number().int().min(0).max(65535).default(8080),
  host: z.string().default('0.0.0.0'),
  dataDir: z.string().default('./data'),
  databaseUrl: z.string().optional(),
  /** Keep uploaded bytes (encrypted) or hash and discard them. */
  keepFileBytes: z.enum(['true', 'false']).default('true').transform((v) => v === 'true'),
  /** base64 AES-256 key for the blob store; on the embedded default a key file is made in dataDir. */
  blobKey: z.string().optional(),
  maxUploadBytes: z.coerce.number().int().positive().default(256 * 1024 * 1024),
  maxBodyBytes: z.coerce.number().int().positive().default(10 * 1024 * 1024),
  logLevel: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  workers: z.enum(['true', 'false']).default('true').transform((v) => v === 'true'),
  /** A reviewer's daily exposure to revealed media (UTC day) above which the web app warns; 0: no limit. */
  exposureLimitItems: z.coerce.number().int().min(0).default(50),
  exposureLimitMinutes: z.coerce.number().min(0).default(20),
  /** Largest PDQ Hamming distance that matches a hash-bank entry. */
  pdqMatchDistance: z.coerce.number().int().min(0).max(255).default(31),
  /** PDQ hashes of lower quality are too flat to mean anything: not PDQ-matched (digests still are). */
  pdqMinQuality: z.coerce.number().int().min(0).max(100).default(50),
  /** First retry delay of a federation delivery in seconds; doubles per attempt, capped at an hour. */
  referralRetrySeconds: z.coerce.number().positive().max(3600).default(2),
  referralMaxAttempts: z.coerce.number().int().min(1).max(1000).default(40),
  /** Timeout of one delivery request to a peer. */
  referralTimeoutMs: z.coerce.number().int().positive().default(60_000),
});

export type TiplineConfig = z.infer<typeof configSchema>;

export function loadConfig(env: NodeJS.ProcessEnv, overrides: Partial<Record<string, string>> = {}): TiplineConfig {
  const parsed = configSchema.safeParse({
    port: env.PORT,
    host: env.HOST,
    dataDir: env.TIPLINE_DATA_DIR,
    databaseUrl: env.DATABASE_URL || undefined,
    keepFileBytes: env.TIPLINE_KEEP_FILE_BYTES,
    blobKey: env.TIPLINE_BLOB_KEY,
    maxUploadBytes: env.TIPLINE_MAX_UPLOAD_BYTES,
    maxBodyBytes: env.TIPLINE_MAX_BODY_BYTES,
    logLevel: env.LOG_LEVEL,
    workers: env.TIPLINE_WORKERS,
    exposureLimitItems: env.TIPLINE_EXPOSURE_LIMIT_ITEMS,
    exposureLimitMinutes: env.TIPLINE_EXPOSURE_LIMIT_MINUTES,
    pdqMatchDistance: env.TIPLINE_PDQ_MATCH_DISTANCE || undefined,
    pdqMinQuality: env.TIPLINE_PDQ_MIN_QUALITY || undefined,
    referralRetrySeconds: env.TIPLINE_REFERRAL_RETRY_SECONDS || undefined,
    referralMaxAttempts: env.TIPLINE_REFERRAL_MAX_ATTEMPTS || undefined,
    referralTimeoutMs: env.TIPLINE_REFERRAL_TIMEOUT_MS || undefined,
    ...overrides,
  });
  if (!parsed.success) {
    const problems = parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ');
    throw new Error(`invalid configuration: ${problems}`);
  }
  return { ...parsed.data, dataDir: resolve(parsed.data.dataDir) };
}
