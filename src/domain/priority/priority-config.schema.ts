/**
 * Priority weights and level thresholds as validated configuration. Every field has a default, so
 * `resolvePriorityConfig({})` is the stock configuration and a deployment overrides only what it
 * wants to change; unknown keys are rejected so a typo cannot silently leave a default in place.
 *
 * @example
 *   const config = resolvePriorityConfig({ weights: { volume: 5 }, thresholds: { p1: 70 } });
 *   config.weights.escalation; // 60 (default kept)
 */
import { z } from 'zod';
import { TiplineError, toJsonPointer } from '../../contracts/errors.js';

const weight = (fallback: number) => z.number().finite().min(-100).max(100).default(fallback);
const unit = (fallback: number) => z.number().finite().min(0).max(1).default(fallback);

export const priorityWeightsSchema = z.strictObject({
  /** The reporter filled in `escalateToHighPriority`: immediate risk to a child, in its judgement. */
  escalation: weight(60),
  /** Sextortion, sadistic online exploitation, solicitation or enticement. */
  sextortionEnticement: weight(35),
  /** Production or contact abuse: conduct `produce`, physical harm, live streaming, molestation, trafficking. */
  productionContact: weight(30),
  /** Infant or prepubescent depicted age band. */
  youngAge: weight(20),
  /** Share of files that match no hash bank: possibly a new victim. */
  newContent: weight(15),
  /** How recent the conduct or incident is. */
  recency: weight(10),
  /** Number of files or incidents. */
  volume: weight(10),
  /** Share of the reporter's past reports that were actionable. */
  reporterHistory: weight(10),
  /** Spam or meme signals; negative so they pull the score down. */
  lowSignal: weight(-25),
});

export const priorityThresholdsSchema = z.strictObject({
  p1: z.number().finite().default(60),
  p2: z.number().finite().default(35),
  p3: z.number().finite().default(15),
});

export const priorityConfigSchema = z
  .strictObject({
    weights: priorityWeightsSchema.prefault({}),
    thresholds: priorityThresholdsSchema.prefault({}),
    /** Recency value halves every this many days after the conduct. */
    recencyHalfLifeDays: z.number().finite().positive().default(30),
    /** Files or incidents at which the volume value reaches 1 (logarithmic below). */
    volumeSaturation: z.number().int().min(1).default(100),
    /** Value of the young-age factor for a prepubescent band (infant is 1). */
    prepubescentValue: unit(0.75),
    /** Value of the low-signal factor when every file is flagged a potential meme (spam is 1). */
    memeValue: unit(0.5),
    /** Reporter history is shrunk towards this actionable share while it has few reports. */
    reporterHistoryPrior: unit(0.5),
    /** How many reports the prior is worth. */
    reporterHistoryPriorStrength: z.number().finite().min(0).max(1_000_000).default(10),
  })
  .superRefine((c, ctx) => {
    if (!(c.thresholds.p1 > c.thresholds.p2 && c.thresholds.p2 > c.thresholds.p3)) {
      ctx.addIssue({ code: 'custom', path: ['thresholds'], message: 'Thresholds must descend: p1 > p2 > p3.' });
    }
  });

export type PriorityConfig = z.output<typeof priorityConfigSchema>;
export type PriorityConfigInput = z.input<typeof priorityConfigSchema>;

/** Validates an override (from a file, the database or a test) and fills in the defaults. */
export function resolvePriorityConfig(input: unknown = {}): PriorityConfig {
  const parsed = priorityConfigSchema.safeParse(input);
  if (!parsed.success) {
    throw new TiplineError('TIP_ERR_INPUT_INVALID', {
      issues: parsed.error.issues.map((i) => ({ path: toJsonPointer(i.path), message: i.message, code: i.code })),
    });
  }
  return parsed.data;
}

export const defaultPriorityConfig: PriorityConfig = resolvePriorityConfig({});
