/**
 * Zod schemas of the triage API: queue filters, labels, bundle edits, status changes. Query
 * strings are parsed here (not in the route schema) so that repeated and comma-separated values
 * both work and every problem comes back with its parameter.
 *
 * @example
 *   parseQueueQuery({ priority: 'P1,P2', outcome: 'DK:national_illegal' });
 *   // { filters: { priority: ['P1', 'P2'], outcome: ['DK:national_illegal'], status: ['new', 'in_review'] }, limit: 50 }
 */
import { z } from 'zod';
import { TiplineError } from '../contracts/errors.js';
import { zodIssues } from '../contracts/report.schema.js';
import { ageBandSchema, conductSchema, contentSchema, depictionSchema } from '../domain/facts/facts.schema.js';
import type { QueueFilters } from './triage-query.repository.js';
import type { TriagePriorityLevel, TriageStatus } from '../platform/db/schema.js';
import { priorityLevelValues, triageStatusValues } from '../contracts/api/triage.api.js';

// One list of statuses and levels: the API's (the database's columns are the same unions).
export { priorityLevelValues, triageStatusValues };
triageStatusValues satisfies readonly TriageStatus[];
priorityLevelValues satisfies readonly TriagePriorityLevel[];

const listParam = z.union([z.string().max(2000), z.array(z.string().max(200)).max(50)]);

/** What the route schema declares for OpenAPI; `parseQueueQuery` does the checking. */
export const queueQuerystring = z.object({
  priority: listParam.optional().describe('P1, P2, P3, informational (repeat or comma-separate)'),
  outcome: listParam.optional().describe('Outcome per jurisdiction, e.g. DK:national_illegal; matches any'),
  country: listParam.optional().describe('Candidate country (ISO 3166-1 alpha-2); matches any'),
  bundle: z.string().max(100).optional(),
  reporter: z.string().max(100).optional().describe('Reporter organisation id'),
  status: listParam.optional().describe('new, in_review, referred, closed or all; default new and in_review'),
  limit: z.string().max(5).optional(),
  cursor: z.string().max(1024).optional(),
});

function list(value: unknown): string[] | undefined {
  if (value === undefined) return undefined;
  const items = Array.isArray(value) ? value : [value];
  return items.flatMap((v) => String(v).split(',')).map((s) => s.trim()).filter((s) => s.length > 0);
}

const jurisdictionCode = /^[A-Z]{2}(-[A-Z0-9]{1,3})?$/;
const outcomeValues = ['baseline', 'national_illegal', 'other_offence', 'not_illegal', 'uncertain'];

const parsedQuery = z.strictObject({
  priority: z.array(z.enum(priorityLevelValues)).max(4).optional(),
  outcome: z
    .array(
      z.string().refine((s) => {
        const i = s.lastIndexOf(':');
        return i > 0 && jurisdictionCode.test(s.slice(0, i)) && outcomeValues.includes(s.slice(i + 1));
      }, `Expected JURISDICTION:OUTCOME, e.g. DK:national_illegal (outcomes: ${outcomeValues.join(', ')})`),
    )
    .max(20)
    .optional(),
  country: z.array(z.string().regex(/^[A-Z]{2}$/, 'Expected an ISO 3166-1 alpha-2 code such as DK')).max(50).optional(),
  bundle: z.string().regex(/^bdl_[0-9a-f]{24}$/, 'Expected a bundle id (bdl_ and 24 hex digits)').optional(),
  reporter: z.string().min(1).max(100).optional(),
  status: z.array(z.enum([...triageStatusValues, 'all'])).max(5).optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
  cursor: z.string().max(1024).optional(),
});

export function parseQueueQuery(raw: Record<string, unknown>): { filters: QueueFilters; limit: number; cursor?: string } {
  const input = {
    ...(raw.priority !== undefined ? { priority: list(raw.priority) } : {}),
    ...(raw.outcome !== undefined ? { outcome: list(raw.outcome)?.map((o) => o.replace(/^[^:]*/, (j) => j.toUpperCase())) } : {}),
    ...(raw.country !== undefined ? { country: list(raw.country)?.map((c) => c.toUpperCase()) } : {}),
    ...(raw.bundle !== undefined ? { bundle: raw.bundle } : {}),
    ...(raw.reporter !== undefined ? { reporter: raw.reporter } : {}),
    ...(raw.status !== undefined ? { status: list(raw.status) } : {}),
    ...(raw.limit !== undefined ? { limit: raw.limit } : {}),
    ...(raw.cursor !== undefined ? { cursor: raw.cursor } : {}),
  };
  const r = parsedQuery.safeParse(input);
  if (!r.success) throw new TiplineError('TIP_ERR_INPUT_INVALID', { issues: zodIssues(r.error).map((i) => ({ ...i, path: `/query${i.path}` })) });
  const q = r.data;
  const status: TriageStatus[] = !q.status || q.status.length === 0 ? ['new', 'in_review'] : q.status.includes('all') ? [...triageStatusValues] : (q.status as TriageStatus[]);
  const filters: QueueFilters = {
    status: [...new Set(status)].sort(),
    ...(q.priority ? { priority: [...new Set(q.priority)].sort() } : {}),
    ...(q.outcome ? { outcome: [...new Set(q.outcome)].sort() } : {}),
    ...(q.country ? { country: [...new Set(q.country)].sort() } : {}),
    ...(q.bundle ? { bundle: q.bundle } : {}),
    ...(q.reporter ? { reporter: q.reporter } : {}),
  };
  return { filters, limit: q.limit, ...(q.cursor ? { cursor: q.cursor } : {}) };
}

export const pageQuerystring = z.object({
  limit: z.coerce.number().int().min(1).max(200).default(50),
  cursor: z.string().max(1024).optional(),
});

const age = z.number().int().min(0).max(130);
const oneOrMany = <T extends z.ZodType>(schema: T) => z.union([schema, z.array(schema).min(1).max(10)]);

/** An analyst's label: any facts, each a value or (for enumerations) the list of values the analyst allows. */
export const analystLabelSchema = z.strictObject({
  depiction: oneOrMany(depictionSchema).optional(),
  depictedAgeBand: oneOrMany(ageBandSchema).optional(),
  depictedAge: age.optional(),
  content: oneOrMany(contentSchema).optional(),
  conduct: oneOrMany(conductSchema).optional(),
  conductDate: z.iso.date().optional(),
  depictedConsentToPossession: z.boolean().optional(),
  selfProduced: z.boolean().optional(),
  suspectAge: age.optional(),
  commercial: z.boolean().optional(),
});

export const labelBodySchema = z.strictObject({
  target: z.strictObject({
    kind: z.enum(['incident', 'file', 'bundle']),
    id: z.string().min(1).max(200),
  }),
  facts: analystLabelSchema,
  note: z.string().max(2000).optional(),
});

export const splitBodySchema = z.strictObject({
  incidentIds: z.array(z.string().min(1).max(200)).min(1).max(10_000),
});

export const mergeBodySchema = z.strictObject({
  bundleIds: z.array(z.string().min(1).max(200)).min(1).max(1000),
});

export const statusBodySchema = z.strictObject({
  status: z.enum(triageStatusValues),
  items: z
    .array(z.strictObject({ kind: z.enum(['incident', 'report', 'bundle']), id: z.string().min(1).max(200) }))
    .min(1)
    .max(1000),
  note: z.string().max(2000).optional(),
});
