/**
 * What the read models of src/insights answer: the web app's bundle list and bundle aggregates
 * (/api/v1/ui/bundles…) and the supervisors' dashboard (/api/v1/ui/dashboard). Counts only,
 * never report content. The routes declare these as response schemas; the web app imports the
 * same types.
 */
import { z } from 'zod';
import { assessmentOutcomeSchema, assessmentOutcomeValues, bundleOriginSchema, priorityLevelSchema } from './triage.api.js';

const count = z.number().int().min(0);
const timestamp = z.string().describe('ISO 8601 timestamp');
const day = z.string().describe('YYYY-MM-DD (UTC)');

export const bundleListItemSchema = z.object({
  bundleId: z.string(),
  origin: bundleOriginSchema,
  splitFrom: z.string().nullable(),
  incidents: count,
  uploaders: count,
  viral: z.boolean(),
  createdAt: timestamp,
  updatedAt: timestamp,
  firstSeen: day.nullable(),
  lastSeen: day.nullable(),
  countries: z.array(z.object({ country: z.string().nullable(), incidents: count })),
  dominantOutcomes: z.array(
    z.object({
      jurisdiction: z.string(),
      outcome: assessmentOutcomeSchema.describe('The outcome most incidents have (ties: the more serious)'),
      incidents: count,
      total: count.describe('Incidents assessed in the jurisdiction'),
    }),
  ),
});
export type BundleListItem = z.infer<typeof bundleListItemSchema>;

export const bundleListSchema = z.object({
  totals: z.object({ bundles: count, viral: count, incidents: count }),
  items: z.array(bundleListItemSchema),
  nextCursor: z.string().nullable(),
});
export type BundleList = z.infer<typeof bundleListSchema>;

export const bundleAggregatesSchema = z.object({
  bundleId: z.string(),
  bucket: z.enum(['day', 'hour']),
  timeline: z.array(z.object({ at: z.string().describe('Start of the UTC day or hour, YYYY-MM-DDTHH:00Z'), incidents: count })),
  suspectAges: z.array(z.object({ age: z.number().int().nullable(), incidents: count })),
  byPriority: z.array(z.object({ priority: priorityLevelSchema, incidents: count })),
});
export type BundleAggregates = z.infer<typeof bundleAggregatesSchema>;

const perPriority = { P1: count, P2: count, P3: count, informational: count };

export const dashboardSchema = z.object({
  range: z.object({ from: day, to: day }),
  generatedAt: timestamp,
  volume: z.array(z.object({ day, ...perPriority, total: count })),
  outcomes: z.array(
    z.object({
      jurisdiction: z.string(),
      counts: z.record(z.enum(assessmentOutcomeValues), count),
      total: count,
    }),
  ),
  backlog: z.array(z.object({ bucket: z.string(), label: z.string(), ...perPriority, untriaged: count })),
  intakeToReferral: z.array(z.object({ week: day.describe('The Monday of the UTC week'), reports: count, medianHours: z.number(), p90Hours: z.number() })),
  exposure: z.object({
    days: z.array(z.object({ day, reveals: count, reviewers: count, shownMinutes: z.number(), maxRevealsPerReviewer: count })),
  }),
});
export type Dashboard = z.infer<typeof dashboardSchema>;
