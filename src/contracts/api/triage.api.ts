/**
 * What the triage stage answers (src/triage): the triage API (/api/v1/triage), the web app's queue
 * workspace (/api/v1/ui/queue…) and rule-pack administration (/api/v1/admin/rulepacks). The
 * routes declare these as response schemas, so the API reference lists them and the server
 * serialises through them; the web app imports the same types.
 *
 * Objects are complete: a field a presenter adds must be added here too, or it is dropped on the
 * way out. Facts, labels and evidence are the domain's JSON (domain/facts, domain/geo,
 * domain/law); their schemas name the fields and let the domain add more (`looseObject`).
 *
 * @example
 *   import type { QueuePage } from '../../src/contracts/api/triage.api.js';
 */
import { z } from 'zod';

export const priorityLevelValues = ['P1', 'P2', 'P3', 'informational'] as const;
export const triageStatusValues = ['new', 'in_review', 'referred', 'closed'] as const;
/** Outcomes of an assessment, from the most to the least serious (`baseline`: the INTERPOL baseline is met). */
export const assessmentOutcomeValues = ['baseline', 'national_illegal', 'other_offence', 'uncertain', 'not_illegal'] as const;
export const bundleOriginValues = ['content', 'split', 'merge'] as const;
export const userRoleValues = ['admin', 'analyst', 'supervisor', 'auditor'] as const;

export const priorityLevelSchema = z.enum(priorityLevelValues);
export const triageStatusSchema = z.enum(triageStatusValues);
export const assessmentOutcomeSchema = z.enum(assessmentOutcomeValues);
export const bundleOriginSchema = z.enum(bundleOriginValues);
export type PriorityLevel = z.infer<typeof priorityLevelSchema>;
export type TriageStatus = z.infer<typeof triageStatusSchema>;
export type AssessmentOutcome = z.infer<typeof assessmentOutcomeSchema>;
const count = z.number().int().min(0);
const timestamp = z.string().describe('ISO 8601 timestamp');
const day = z.string().describe('YYYY-MM-DD');

export const jurisdictionOutcomeSchema = z.object({ jurisdiction: z.string(), outcome: assessmentOutcomeSchema });

/** A report in the triage queue. */
export const queueItemSchema = z.object({
  reportId: z.string(),
  status: triageStatusSchema,
  priority: z.object({ score: z.number(), level: priorityLevelSchema }),
  receivedAt: timestamp,
  reporterOrgId: z.string(),
  incidentType: z.string(),
  escalated: z.boolean(),
  incidents: count,
  countries: z.array(z.string()).describe('Candidate countries of the reported persons (ISO 3166-1 alpha-2)'),
  outcomes: z.array(jurisdictionOutcomeSchema),
  actionable: z.boolean().describe('Baseline or nationally illegal in some jurisdiction'),
  bundleIds: z.array(z.string()),
});
export type QueueItem = z.infer<typeof queueItemSchema>;

export const queuePageSchema = z.object({ items: z.array(queueItemSchema), nextCursor: z.string().nullable() });
export type QueuePage = z.infer<typeof queuePageSchema>;

// ---- facts, labels, assessments (the domain's JSON) ----------------------------------------------

/** One fact with where it came from: a value, or the values still possible (`oneOf`). */
export const sourcedFactSchema = z.looseObject({
  value: z.unknown().optional(),
  oneOf: z.array(z.unknown()).optional(),
  source: z.string().describe('analyst_label, hash_bank_category, file_annotation, reporter_classification, report_detail or incident_type'),
  detail: z.string().optional(),
});
export const sourcedFactsSchema = z.record(z.string(), sourcedFactSchema).describe('Facts by name (depiction, depictedAgeBand, depictedAge, content, conduct, conductDate, …)');
export type SourcedFacts = z.infer<typeof sourcedFactsSchema>;

export const factConflictSchema = z.looseObject({ fact: z.string(), kept: sourcedFactSchema, overruled: sourcedFactSchema, reason: z.string() });

export const labelTargetKindSchema = z.enum(['incident', 'file', 'bundle']);

/** An analyst's label: facts stated by a person, each a value or the values allowed. */
export const labelSchema = z.object({
  labelId: z.string(),
  target: z.object({ kind: labelTargetKindSchema, id: z.string() }),
  facts: z.record(z.string(), z.unknown()),
  note: z.string().nullable(),
  by: z.object({ kind: z.string(), id: z.string().nullable() }),
  at: timestamp,
  supersededAt: timestamp.nullable(),
});
export type Label = z.infer<typeof labelSchema>;

export const citationSchema = z.looseObject({ statute: z.string(), section: z.string(), text: z.string().optional(), url: z.string().optional() });

export const assessmentSchema = z.object({
  jurisdiction: z.string(),
  outcome: assessmentOutcomeSchema,
  ruleId: z.string().nullable(),
  citations: z.array(citationSchema),
  suspectCriminallyLiable: z.boolean().nullable(),
  explanation: z.string(),
  pack: z.object({ id: z.string(), version: z.string(), status: z.string(), baselineVersion: z.string().nullable() }),
  nationalOutcome: z.string(),
  nationalRuleId: z.string().nullable(),
  confidence: z.string(),
  conductDate: day,
  undeterminedFacts: z.array(z.string()),
  possibleOutcomes: z.array(z.looseObject({ outcome: z.string(), ruleId: z.string() })),
  assessedAt: timestamp,
  runId: z.string().nullable(),
});
export type TriageAssessment = z.infer<typeof assessmentSchema>;

export const candidateJurisdictionSchema = z.object({
  rank: z.number().int(),
  country: z.string(),
  region: z.string().nullable(),
  city: z.string().nullable(),
  confidence: z.number(),
  evidence: z.array(z.looseObject({ kind: z.string(), value: z.string(), detail: z.string(), weight: z.number() })),
});

export const priorityFactorSchema = z.looseObject({ factor: z.string(), weight: z.number(), value: z.number(), contribution: z.number(), reason: z.string() });

export const bundleMembershipSchema = z.object({ bundleId: z.string(), origin: bundleOriginSchema, incidents: count, uploaders: count, viral: z.boolean() });

/** An incident's triage: facts with sources, candidate jurisdictions, assessments, priority and bundle. */
export const incidentTriageSchema = z.object({
  incidentId: z.string(),
  reportId: z.string(),
  fileId: z.string().nullable(),
  status: triageStatusSchema,
  occurredAt: timestamp,
  conductDate: day.nullable(),
  facts: sourcedFactsSchema,
  factsFromReport: sourcedFactsSchema,
  conflicts: z.array(factConflictSchema),
  signals: z.array(z.string()),
  notes: z.array(z.string()),
  labels: z.array(labelSchema),
  person: z
    .object({
      personId: z.string(),
      role: z.string(),
      candidateJurisdictions: z.array(candidateJurisdictionSchema),
      unlocated: z.array(z.looseObject({ kind: z.string(), value: z.string(), reason: z.string() })),
    })
    .nullable(),
  assessments: z.array(assessmentSchema),
  priority: z.object({ score: z.number(), level: priorityLevelSchema, factors: z.array(priorityFactorSchema) }),
  bundle: bundleMembershipSchema.nullable(),
  triagedAt: timestamp,
  factsUpdatedAt: timestamp,
});
export type IncidentTriage = z.infer<typeof incidentTriageSchema>;

export const fileTriageSchema = z.object({
  fileId: z.string(),
  ordinal: z.number().int(),
  fileName: z.string().nullable(),
  status: z.string(),
  digests: z.object({ md5: z.string().nullable(), sha1: z.string().nullable(), sha256: z.string().nullable(), pdq: z.string().nullable() }),
  facts: sourcedFactsSchema,
  signals: z.array(z.string()),
  notes: z.array(z.string()),
  label: labelSchema.nullable(),
});

export const reportTriageSchema = z.object({
  report: queueItemSchema,
  files: z.array(fileTriageSchema),
  incidents: z.array(incidentTriageSchema),
  nextIncidentCursor: z.string().nullable(),
});
export type ReportTriage = z.infer<typeof reportTriageSchema>;

// ---- bundles ------------------------------------------------------------------------------------

export const bundleDetailSchema = z.object({
  bundle: z.object({
    bundleId: z.string(),
    origin: bundleOriginSchema,
    splitFrom: z.string().nullable(),
    contentKeys: z.array(z.string()),
    incidents: count,
    uploaders: count,
    viral: z.boolean(),
    createdAt: timestamp,
    updatedAt: timestamp,
  }),
  classification: labelSchema.nullable(),
  byCountry: z.array(z.object({ country: z.string().nullable(), incidents: count })),
  overTime: z.array(z.object({ date: day.nullable(), incidents: count })),
  byOutcome: z.array(z.object({ jurisdiction: z.string(), outcome: assessmentOutcomeSchema, incidents: count })),
  byLiability: z.array(z.object({ jurisdiction: z.string(), suspectCriminallyLiable: z.boolean().nullable(), incidents: count })),
  byReporter: z.array(z.object({ reporterOrgId: z.string(), incidents: count })),
  byStatus: z.array(z.object({ status: triageStatusSchema, incidents: count })),
  incidents: z.array(
    z.object({ incidentId: z.string(), reportId: z.string(), country: z.string().nullable(), conductDate: day.nullable(), status: triageStatusSchema, priority: priorityLevelSchema }),
  ),
  nextCursor: z.string().nullable(),
});
export type BundleDetail = z.infer<typeof bundleDetailSchema>;

// ---- changes ------------------------------------------------------------------------------------

export const labelOutcomeSchema = z.object({
  labelId: z.string(),
  supersededLabelId: z.string().nullable(),
  target: z.object({ kind: labelTargetKindSchema, id: z.string() }),
  affectedIncidents: count,
  runId: z.string().nullable().describe('The re-triage run that re-assesses what the label reaches'),
});
export type LabelOutcome = z.infer<typeof labelOutcomeSchema>;

const bundleEditStatusSchema = z.enum(['ok', 'unknown_bundle', 'no_change', 'would_empty_bundle', 'not_enough_bundles']);

export const splitItemCodeValues = ['ok', 'not_in_bundle', 'unknown_incident', 'duplicate', 'unknown_bundle', 'would_empty_bundle'] as const;
export const mergeItemCodeValues = ['ok', 'unknown_bundle', 'duplicate', 'not_enough_bundles'] as const;

export const splitOutcomeSchema = z.object({
  status: bundleEditStatusSchema,
  bundleId: z.string().nullable().describe('The new bundle'),
  results: z.array(z.object({ id: z.string(), code: z.enum(splitItemCodeValues), bundleId: z.string().optional().describe('For not_in_bundle: the bundle the incident is in') })),
  runId: z.string().nullable(),
});
export type SplitOutcome = z.infer<typeof splitOutcomeSchema>;

export const mergeOutcomeSchema = z.object({
  status: bundleEditStatusSchema,
  bundleId: z.string().nullable().describe('The bundle kept'),
  removedBundleIds: z.array(z.string()),
  results: z.array(z.object({ id: z.string(), code: z.enum(mergeItemCodeValues), bundleId: z.string().optional() })),
  runId: z.string().nullable(),
});
export type MergeOutcome = z.infer<typeof mergeOutcomeSchema>;

export const statusItemCodeValues = ['ok', 'unchanged', 'not_found'] as const;
export const statusOutcomeSchema = z.object({
  results: z.array(z.object({ kind: z.enum(['incident', 'report', 'bundle']), id: z.string(), code: z.enum(statusItemCodeValues), incidents: count })),
});
export type StatusOutcome = z.infer<typeof statusOutcomeSchema>;

// ---- the web app's queue workspace --------------------------------------------------------------

export const workspaceItemSchema = queueItemSchema.extend({
  reporterName: z.string().nullable(),
  assignee: z.object({ userId: z.string(), email: z.string().nullable(), at: timestamp.nullable() }).nullable(),
});
export type WorkspaceItem = z.infer<typeof workspaceItemSchema>;

export const workspacePageSchema = z.object({ items: z.array(workspaceItemSchema), nextCursor: z.string().nullable() });
export type WorkspacePage = z.infer<typeof workspacePageSchema>;

export const queueCountsSchema = z.object({
  byPriority: z.object({ P1: count, P2: count, P3: count, informational: count }),
  total: count,
  at: timestamp,
});
export type QueueCounts = z.infer<typeof queueCountsSchema>;

export const queueOptionsSchema = z.object({
  me: z.string().describe('The signed-in user’s id'),
  assignees: z.array(z.object({ userId: z.string(), email: z.string(), role: z.enum(userRoleValues) })),
  reporters: z.array(z.object({ id: z.string(), name: z.string() })),
  jurisdictions: z.array(z.string()),
  orgCountry: z.string().nullable(),
});
export type QueueOptions = z.infer<typeof queueOptionsSchema>;

export const savedViewSchema = z.object({
  viewId: z.string(),
  name: z.string(),
  query: z.string().describe('The filters as a URL query string'),
  shared: z.boolean(),
  mine: z.boolean(),
  owner: z.string().nullable().describe('The owner’s email'),
  updatedAt: timestamp,
});
export type SavedView = z.infer<typeof savedViewSchema>;

export const savedViewsSchema = z.object({ items: z.array(savedViewSchema) });

export const viewSavedSchema = z.object({ viewId: z.string(), name: z.string(), query: z.string(), shared: z.boolean(), created: z.boolean() });
export type ViewSaved = z.infer<typeof viewSavedSchema>;

export const bulkCodeValues = ['ok', 'unchanged', 'not_found', 'too_many', 'failed'] as const;
export const bulkResultSchema = z.object({ reportId: z.string(), code: z.enum(bulkCodeValues), message: z.string() });
export type BulkResult = z.infer<typeof bulkResultSchema>;
export const bulkOutcomeSchema = z.object({ results: z.array(bulkResultSchema) });

// ---- rule-pack administration -------------------------------------------------------------------

export const triageRunKindValues = ['jurisdiction', 'all', 'facts'] as const;
export const triageRunStatusValues = ['pending', 'running', 'done', 'failed', 'superseded'] as const;

export const rulePackStatusSchema = z.object({
  packs: z.array(
    z.object({
      jurisdiction: z.string(),
      name: z.string(),
      kind: z.string(),
      version: z.string(),
      status: z.string().describe('reviewed or reference'),
      rules: count,
      sha256: z.string(),
      active: z.object({ version: z.string(), sha256: z.string(), since: timestamp }).nullable().describe('What the database records as active'),
      inSync: z.boolean(),
    }),
  ),
  runs: z.array(
    z.object({
      id: z.string(),
      kind: z.enum(triageRunKindValues),
      reason: z.string(),
      status: z.enum(triageRunStatusValues),
      processed: count,
      changed: count,
      createdAt: timestamp,
      finishedAt: timestamp.nullable(),
    }),
  ),
});
export type RulePackStatus = z.infer<typeof rulePackStatusSchema>;

export const rulePackSyncSchema = z.object({
  changed: z.array(z.object({ jurisdiction: z.string(), version: z.string(), previousVersion: z.string().nullable(), runId: z.string().nullable() })),
});
export type RulePackSync = z.infer<typeof rulePackSyncSchema>;
