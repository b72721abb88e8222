/**
 * The casework API's request and response shapes, shared by the server (routes declare them as
 * their schemas, so the OpenAPI document is complete) and the web app (which takes its types from
 * here). Everything is under /api/v1/casework and for agencies; routes authenticate with a web
 * session or the organisation's API key.
 *
 * @example
 *   import { operationDetailSchema, type OperationDetail } from '../../src/contracts/api/casework.api.js';
 *   const op: OperationDetail = operationDetailSchema.parse(await res.json());
 */
import { z } from 'zod';

// --- shared pieces ---------------------------------------------------------------------------------

export const citationSchema = z.object({ statute: z.string(), section: z.string(), text: z.string().optional(), url: z.string().optional() });

/** An assessment of one incident: the sender's (as the package says) or this agency's own. */
export const assessmentViewSchema = z.object({
  jurisdiction: z.string().nullable(),
  outcome: z.string().nullable(),
  ruleId: z.string().nullable(),
  citations: z.array(citationSchema),
  explanation: z.string().nullable(),
  suspectCriminallyLiable: z.boolean().nullable(),
  packVersion: z.string().nullable(),
  /** The suspect age the assessment used (after identification it is the age at the conduct date). */
  suspectAge: z.number().nullable().optional(),
});
export type AssessmentView = z.infer<typeof assessmentViewSchema>;

export const inboxGroupValues = ['actionable', 'safeguarding', 'uncertain', 'not_illegal'] as const;
export const priorityLevelValues = ['P1', 'P2', 'P3', 'informational'] as const;

export const localPrioritySchema = z.object({
  level: z.enum(priorityLevelValues),
  score: z.number(),
  /** Why: escalation, the local outcome, the suspect's liability. */
  factors: z.array(z.object({ factor: z.string(), contribution: z.number(), reason: z.string() })),
});

export const orgRefSchema = z.object({ orgId: z.string(), name: z.string().nullable() });

/** "Referred to X on date (status)": what this organisation already did with these incidents. */
export const referralMarkSchema = z.object({
  referralRowId: z.string(),
  to: orgRefSchema,
  at: z.string(),
  status: z.string(),
  incidents: z.number(),
});
export type ReferralMark = z.infer<typeof referralMarkSchema>;

export const pageSchema = z.object({ total: z.number(), offset: z.number(), limit: z.number(), next: z.number().nullable() });

// --- 1. what the agency received ---------------------------------------------------------------------

export const inboxQuerySchema = z.object({
  group: z.enum(inboxGroupValues).optional(),
  referralRowId: z.string().max(100).optional(),
  bundleKey: z.string().max(200).optional(),
  limit: z.coerce.number().int().min(1).max(500).default(50),
  offset: z.coerce.number().int().min(0).max(10_000_000).default(0),
});

export const inboxItemSchema = z.object({
  referralRowId: z.string(),
  incidentId: z.string(),
  report: z.object({ id: z.string(), name: z.string(), escalated: z.boolean() }),
  bundle: z.object({ key: z.string(), name: z.string() }).nullable(),
  sender: orgRefSchema,
  receivedAt: z.string(),
  group: z.enum(inboxGroupValues),
  priority: localPrioritySchema,
  local: assessmentViewSchema.nullable(),
  suspectLabel: z.string().nullable(),
  operation: z.object({ id: z.string(), name: z.string() }).nullable(),
});
export const inboxResponseSchema = z.object({
  counts: z.record(z.enum(inboxGroupValues), z.number()),
  escalated: z.number(),
  items: z.array(inboxItemSchema),
  page: pageSchema,
});
export type InboxResponse = z.infer<typeof inboxResponseSchema>;

export const receivedBundleSchema = z.object({
  key: z.string(),
  name: z.string(),
  file: z.object({ sha256: z.string().nullable(), md5: z.string().nullable(), fileName: z.string().nullable(), industryClassification: z.string().nullable() }),
  incidents: z.number(),
  reports: z.number(),
  reporters: z.array(z.string()),
  referrals: z.array(z.object({ referralRowId: z.string(), sender: orgRefSchema, receivedAt: z.string() })),
  groups: z.record(z.enum(inboxGroupValues), z.number()),
  escalated: z.number(),
  operations: z.array(z.object({ id: z.string(), name: z.string() })),
});
export const receivedBundlesResponseSchema = z.object({ bundles: z.array(receivedBundleSchema) });
export type ReceivedBundle = z.infer<typeof receivedBundleSchema>;

export const ipEventViewSchema = z.object({ ip: z.string(), at: z.string().nullable(), port: z.number().nullable(), event: z.string().nullable(), possibleProxy: z.boolean().nullable() });
export const personViewSchema = z.object({
  personId: z.string(),
  role: z.string(),
  names: z.array(z.string()),
  firstName: z.string().nullable(),
  lastName: z.string().nullable(),
  age: z.number().nullable(),
  dateOfBirth: z.string().nullable(),
  country: z.string().nullable(),
  emails: z.array(z.object({ value: z.string(), verified: z.boolean() })),
  phones: z.array(z.object({ value: z.string(), e164: z.string().nullable() })),
  screenNames: z.array(z.string()),
  accounts: z.array(z.object({ platform: z.string(), id: z.string() })),
  otherIdentifiers: z.array(z.object({ kind: z.string(), value: z.string() })),
  ipEvents: z.array(ipEventViewSchema),
});
export type PersonView = z.infer<typeof personViewSchema>;

export const receivedFileSchema = z.object({
  fileId: z.string(),
  fileName: z.string().nullable(),
  sha256: z.string().nullable(),
  md5: z.string().nullable(),
  size: z.number().nullable(),
  industryClassification: z.string().nullable(),
  /** The bytes came with the package (encrypted to this agency) and can be previewed blurred. */
  evidence: z.boolean(),
  previewUrl: z.string().nullable(),
  revealUrl: z.string().nullable(),
});

export const receivedReportSchema = z.object({
  reportId: z.string(),
  name: z.string(),
  reporterName: z.string().nullable(),
  platform: z.string().nullable(),
  incidentType: z.string(),
  incidentAt: z.string(),
  receivedAt: z.string(),
  escalated: z.boolean(),
  escalationReason: z.string().nullable(),
  /** The reporter's narrative, when the package carried it (additional information, the incident summary). */
  narrative: z.string().nullable(),
  internetDetails: z.array(z.unknown()),
  batchedReason: z.string().nullable(),
});

export const receivedIncidentSchema = z.object({
  referralRowId: z.string(),
  incidentId: z.string(),
  occurredAt: z.string(),
  incidentType: z.string(),
  report: receivedReportSchema,
  suspect: personViewSchema.nullable(),
  recipients: z.array(personViewSchema),
  files: z.array(receivedFileSchema),
  sender: orgRefSchema,
  /** The sender's assessments as the package carries them (its jurisdiction and the destination's). */
  senderAssessments: z.array(z.object({ jurisdiction: z.string(), outcome: z.string(), ruleId: z.string().nullable(), packVersion: z.string() })),
  local: assessmentViewSchema.nullable(),
  priority: localPrioritySchema,
  group: z.enum(inboxGroupValues),
  policy: z.record(z.string(), z.boolean()),
  operations: z.array(z.object({ id: z.string(), name: z.string(), suspectId: z.string().nullable() })),
});
export type ReceivedIncident = z.infer<typeof receivedIncidentSchema>;

export const receivedReportResponseSchema = z.object({
  report: receivedReportSchema,
  incidents: z.array(receivedIncidentSchema),
  page: pageSchema,
});

// --- 2. operations -------------------------------------------------------------------------------------

export const incidentRefSchema = z.object({ referralRowId: z.string().max(100), incidentId: z.string().max(100) });
export const operationSourceSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('bundle'), bundleKey: z.string().min(1).max(200) }),
  z.object({ kind: z.literal('referral'), referralRowId: z.string().min(1).max(100) }),
  z.object({ kind: z.literal('selection'), incidents: z.array(incidentRefSchema).min(1).max(100_000) }),
]);
export type OperationSource = z.infer<typeof operationSourceSchema>;

export const operationStatusValues = ['open', 'active', 'suspended', 'closed'] as const;
export const deadlineSchema = z.object({ label: z.string().min(1).max(200), due: z.iso.date() });

export const createOperationBodySchema = z.object({
  name: z.string().min(1).max(200),
  source: operationSourceSchema,
  leadUserId: z.string().max(100).optional(),
  team: z.array(z.string().max(100)).max(200).optional(),
  deadlines: z.array(deadlineSchema).max(50).optional(),
});
export const updateOperationBodySchema = z.object({
  name: z.string().min(1).max(200).optional(),
  status: z.enum(operationStatusValues).optional(),
  leadUserId: z.string().max(100).nullable().optional(),
  team: z.array(z.string().max(100)).max(200).optional(),
  deadlines: z.array(deadlineSchema).max(50).optional(),
});

export const dedupSummarySchema = z.object({
  incidents: z.number(),
  added: z.number(),
  alreadyIn: z.number(),
  suspects: z.number(),
  newSuspects: z.number(),
  linkedByStrongIdentifier: z.number(),
  suggestions: z.number(),
  ms: z.number(),
});

export const operationSummarySchema = z.object({
  id: z.string(),
  name: z.string(),
  status: z.enum(operationStatusValues),
  lead: z.object({ userId: z.string(), email: z.string().nullable() }).nullable(),
  team: z.array(z.object({ userId: z.string(), email: z.string().nullable() })),
  deadlines: z.array(deadlineSchema.extend({ overdue: z.boolean() })),
  source: z.record(z.string(), z.unknown()),
  incidents: z.number(),
  suspects: z.number(),
  createdAt: z.string(),
  updatedAt: z.string(),
});
export type OperationSummary = z.infer<typeof operationSummarySchema>;

export const timelineEventSchema = z.object({ id: z.string(), at: z.string(), kind: z.string(), suspectId: z.string().nullable(), actor: z.object({ kind: z.string(), id: z.string().nullable() }), details: z.record(z.string(), z.unknown()) });
export const operationDetailSchema = operationSummarySchema.extend({
  suspectsByStatus: z.record(z.string(), z.number()),
  referrals: z.array(z.object({ referralRowId: z.string(), sender: orgRefSchema, incidents: z.number() })),
  timeline: z.array(timelineEventSchema),
});
export type OperationDetail = z.infer<typeof operationDetailSchema>;
export const createOperationResponseSchema = z.object({ operation: operationSummarySchema, dedup: dedupSummarySchema });
export const operationListResponseSchema = z.object({ operations: z.array(operationSummarySchema) });
export const addIncidentsResponseSchema = z.object({ dedup: dedupSummarySchema });
export const timelineResponseSchema = z.object({ events: z.array(timelineEventSchema), next: z.string().nullable() });

// --- 3. suspects -----------------------------------------------------------------------------------------

export const suspectStatusValues = [
  'unidentified',
  'identification_requested',
  'identified',
  'assigned',
  'in_progress',
  'charged',
  'safeguarding',
  'closed',
] as const;
export const liabilityValues = ['liable', 'not_liable', 'unknown'] as const;

export const addressSchema = z.object({
  street: z.string().nullable().optional(),
  postalCode: z.string().nullable().optional(),
  city: z.string().nullable().optional(),
  municipalityCode: z.string().nullable().optional(),
  country: z.string().nullable().optional(),
});

export const districtRefSchema = z.object({ code: z.string(), name: z.string() });

/** Why an incident belongs to this suspect: the identifier that linked it, or a manual decision. */
export const linkReasonSchema = z.object({
  kind: z.enum(['first', 'strong_identifier', 'manual_merge', 'manual_split', 'subscriber']),
  identifier: z.object({ kind: z.string(), platform: z.string(), display: z.string() }).nullable(),
  withIncidentId: z.string().nullable(),
  explanation: z.string(),
});

export const suspectIncidentSchema = z.object({
  incidentId: z.string(),
  referralRowId: z.string(),
  reportId: z.string(),
  reportName: z.string(),
  occurredAt: z.string().nullable(),
  conductDate: z.string().nullable(),
  link: linkReasonSchema.nullable(),
  assessment: assessmentViewSchema.nullable(),
});

export const suspectSummarySchema = z.object({
  id: z.string(),
  operationId: z.string(),
  label: z.string(),
  name: z.string().nullable(),
  status: z.enum(suspectStatusValues),
  liability: z.enum(liabilityValues),
  ageAtConduct: z.number().nullable(),
  ageSource: z.string().nullable(),
  ageBand: z.string(),
  earliestConduct: z.string().nullable(),
  district: districtRefSchema.nullable(),
  districtSuggestion: z.object({ code: z.string(), name: z.string(), source: z.string(), explanation: z.string() }).nullable(),
  incidents: z.number(),
  identifiers: z.number(),
  outcome: z.string().nullable(),
});
export type SuspectSummary = z.infer<typeof suspectSummarySchema>;

export const suspectIdentifierSchema = z.object({ kind: z.string(), platform: z.string(), value: z.string(), strong: z.boolean() });

export const actionKindValues = [
  'interview',
  'search',
  'charge',
  'indictment',
  'court_outcome',
  'fine',
  'caution',
  'dropped',
  'safeguarding_notification',
  'note',
] as const;
export const actionSchema = z.object({
  id: z.string(),
  kind: z.enum(actionKindValues),
  at: z.string(),
  details: z.record(z.string(), z.unknown()),
  district: z.string().nullable(),
  actor: z.object({ kind: z.string(), id: z.string().nullable() }),
});

export const suspectDetailSchema = suspectSummarySchema.extend({
  firstName: z.string().nullable(),
  lastName: z.string().nullable(),
  dateOfBirth: z.string().nullable(),
  address: addressSchema.nullable(),
  identifierList: z.array(suspectIdentifierSchema),
  incidentList: z.array(suspectIncidentSchema),
  persons: z.array(personViewSchema),
  actions: z.array(actionSchema),
  requests: z.array(z.object({ requestId: z.string(), itemId: z.string(), recipient: z.string(), kind: z.string(), status: z.string() })),
  suggestions: z.array(z.object({ id: z.string(), otherSuspectId: z.string(), otherLabel: z.string(), reason: z.record(z.string(), z.unknown()), status: z.string() })),
});
export type SuspectDetail = z.infer<typeof suspectDetailSchema>;

export const suspectListQuerySchema = z.object({
  status: z.enum(suspectStatusValues).optional(),
  district: z.string().max(20).optional(),
  liability: z.enum(liabilityValues).optional(),
  q: z.string().max(200).optional(),
  limit: z.coerce.number().int().min(1).max(1000).default(100),
  offset: z.coerce.number().int().min(0).max(10_000_000).default(0),
});
export const suspectListResponseSchema = z.object({ suspects: z.array(suspectSummarySchema), page: pageSchema });

export const updateSuspectBodySchema = z.object({
  status: z.enum(suspectStatusValues).optional(),
  firstName: z.string().max(200).nullable().optional(),
  lastName: z.string().max(200).nullable().optional(),
  dateOfBirth: z.iso.date().nullable().optional(),
  address: addressSchema.nullable().optional(),
});

/** Bulk operations answer with one result per item, never stopping at the first failure. */
export const itemResultSchema = z.object({ index: z.number(), ok: z.boolean(), code: z.string().optional(), message: z.string().optional(), id: z.string().optional() });
export const bulkResultSchema = z.object({ results: z.array(itemResultSchema), ok: z.number(), failed: z.number() });
export type BulkResult = z.infer<typeof bulkResultSchema>;

export const mergeBodySchema = z.object({ items: z.array(z.object({ into: z.string().max(100), from: z.array(z.string().max(100)).min(1).max(1000) })).min(1).max(1000), reason: z.string().max(2000).optional() });
export const splitBodySchema = z.object({ items: z.array(z.object({ suspectId: z.string().max(100), incidentIds: z.array(z.string().max(100)).min(1).max(10_000) })).min(1).max(1000), reason: z.string().max(2000).optional() });
export const suggestionSchema = z.object({
  id: z.string(),
  a: z.object({ id: z.string(), label: z.string() }),
  b: z.object({ id: z.string(), label: z.string() }),
  reason: z.record(z.string(), z.unknown()),
  status: z.string(),
});
export const suggestionListResponseSchema = z.object({ suggestions: z.array(suggestionSchema) });

// --- 4. identification requests ----------------------------------------------------------------------------

export const requestStatusValues = ['drafted', 'sent', 'answered', 'overdue', 'closed'] as const;
export const requestRecipientSchema = z.object({
  kind: z.enum(['isp', 'platform', 'unknown']),
  name: z.string(),
  asn: z.number().nullable(),
  providerId: z.string().nullable(),
  contact: z.string().nullable(),
  /** How the recipient was found: the provider directory, the ASN database, the reporting platform. */
  source: z.string(),
});
export const requestItemSchema = z.object({
  id: z.string(),
  suspectId: z.string(),
  suspectLabel: z.string(),
  kind: z.enum(['ip_event', 'platform_account']),
  identifier: z.record(z.string(), z.unknown()),
  status: z.enum(['pending', 'answered', 'no_data']),
  answer: z.record(z.string(), z.unknown()).nullable(),
});
export const requestSummarySchema = z.object({
  id: z.string(),
  recipient: requestRecipientSchema,
  status: z.enum(requestStatusValues),
  items: z.number(),
  answered: z.number(),
  dueAt: z.string().nullable(),
  sentAt: z.string().nullable(),
  answeredAt: z.string().nullable(),
  legalBasis: z.string(),
});
export const requestDetailSchema = requestSummarySchema.extend({ itemList: z.array(requestItemSchema) });
export const requestListResponseSchema = z.object({ requests: z.array(requestSummarySchema), unresolved: z.array(z.object({ suspectId: z.string(), identifier: z.string(), reason: z.string() })) });
export const generateRequestsResponseSchema = z.object({ requests: z.array(requestSummarySchema), itemsAdded: z.number(), itemsAlreadyRequested: z.number(), unresolved: z.number() });
export const requestStatusBodySchema = z.object({ items: z.array(z.object({ id: z.string().max(100), status: z.enum(['sent', 'closed']), dueAt: z.iso.date().optional() })).min(1).max(1000) });
export const answersImportResponseSchema = bulkResultSchema.extend({ suspectsUpdated: z.number(), merged: z.number() });
export const providerSchema = z.object({
  id: z.string(),
  name: z.string(),
  kind: z.enum(['isp', 'platform']),
  asns: z.array(z.number()),
  prefixes: z.array(z.string()),
  platforms: z.array(z.string()),
  contact: z.string().nullable(),
  responseDays: z.number(),
});
export const providerBodySchema = z.object({
  name: z.string().min(1).max(200),
  kind: z.enum(['isp', 'platform']),
  asns: z.array(z.number().int().min(0).max(4_294_967_295)).max(100).default([]),
  prefixes: z.array(z.string().max(60)).max(1000).default([]),
  platforms: z.array(z.string().max(200)).max(100).default([]),
  contact: z.string().max(500).nullable().optional(),
  responseDays: z.number().int().min(1).max(365).default(14),
});
export const providerListResponseSchema = z.object({ providers: z.array(providerSchema) });

// --- 5. police districts ----------------------------------------------------------------------------------

export const districtSchema = z.object({ code: z.string(), name: z.string(), region: z.string(), municipalities: z.array(z.object({ code: z.string(), name: z.string() })) });
export const districtsResponseSchema = z.object({
  districts: z.array(districtSchema),
  source: z.object({ districts: z.string(), municipalities: z.string(), postalCodes: z.string(), licence: z.string(), note: z.string() }),
  postalCodes: z.number(),
});
export const districtLookupResponseSchema = z.object({
  postalCode: z.string().nullable(),
  municipalities: z.array(z.object({ code: z.string(), name: z.string(), district: districtRefSchema })),
  /** The single district, or null when the analyst must choose (the postal code spans two) or it is unknown. */
  district: districtRefSchema.nullable(),
  needsChoice: z.boolean(),
  explanation: z.string(),
});
export const assignDistrictsBodySchema = z.object({
  /** Assign each suspect from its identified address (and say which need a choice); the default. */
  auto: z.boolean().optional(),
  items: z.array(z.object({ suspectId: z.string().max(100), districtCode: z.string().max(20).optional(), municipalityCode: z.string().max(10).optional() })).max(100_000).optional(),
});
export const assignDistrictsResponseSchema = bulkResultSchema.extend({ assigned: z.number(), suggested: z.number(), needsChoice: z.number() });
export const operationDistrictsResponseSchema = z.object({
  districts: z.array(z.object({ code: z.string(), name: z.string(), suspects: z.number(), byStatus: z.record(z.string(), z.number()), handedOverAt: z.string().nullable() })),
  unassigned: z.number(),
  suggested: z.number(),
});
export const districtMemberSchema = z.object({ userId: z.string(), email: z.string().nullable(), districtCode: z.string() });
export const districtMembersResponseSchema = z.object({ members: z.array(districtMemberSchema) });

// --- 6. actions and outcomes -------------------------------------------------------------------------------

export const droppedReasonValues = ['insufficient_evidence', 'not_criminal', 'under_age', 'duplicate', 'other'] as const;
export const courtResultValues = ['convicted', 'acquitted', 'conditional_withdrawal'] as const;
export const recordActionBodySchema = z.object({
  kind: z.enum(actionKindValues),
  at: z.iso.datetime({ offset: true }).optional(),
  note: z.string().max(5000).optional(),
  /** dropped: why. */
  reason: z.enum(droppedReasonValues).optional(),
  /** court_outcome: the result. */
  result: z.enum(courtResultValues).optional(),
  /** fine: the amount in the local currency. */
  amount: z.number().min(0).max(100_000_000).optional(),
  /** safeguarding_notification: the municipality notified. */
  municipalityCode: z.string().max(10).optional(),
});
export const recordActionResponseSchema = z.object({ action: actionSchema, suspect: suspectSummarySchema });
export const outcomePreviewSchema = z.object({
  referrals: z.array(
    z.object({
      referralRowId: z.string(),
      sender: orgRefSchema,
      incidents: z.number(),
      /** Coded outcome → number of incidents: what would travel up (no personal data). */
      counts: z.record(z.string(), z.number()),
      lastReportedAt: z.string().nullable(),
    }),
  ),
});
export const reportOutcomesResponseSchema = z.object({
  results: z.array(z.object({ referralRowId: z.string(), ok: z.boolean(), incidents: z.number(), counts: z.record(z.string(), z.number()), eventId: z.string().nullable(), message: z.string().optional() })),
});

// --- 7. spread ----------------------------------------------------------------------------------------------

export const spreadResponseSchema = z.object({
  nodes: z.array(
    z.object({
      id: z.string(),
      suspectId: z.string().nullable(),
      label: z.string(),
      kind: z.enum(['suspect', 'recipient']),
      firstSharedAt: z.string().nullable(),
      shares: z.number(),
      origin: z.boolean(),
      district: z.string().nullable(),
    }),
  ),
  edges: z.array(z.object({ from: z.string(), to: z.string(), at: z.string().nullable(), incidents: z.number() })),
  origins: z.array(z.string()),
  truncated: z.boolean(),
  ms: z.number(),
});
export type SpreadResponse = z.infer<typeof spreadResponseSchema>;

// --- 8. deconfliction -----------------------------------------------------------------------------------------

export const deconflictionHitSchema = z.object({
  scope: z.enum(['operation', 'district', 'agency']),
  /** Which of our identifiers matched (ours: we know it; the other side never saw it). */
  identifier: z.object({ kind: z.string(), display: z.string() }),
  heldBy: z.string(),
  contact: z.string().nullable(),
  operationId: z.string().nullable(),
  suspectId: z.string().nullable(),
});
export const deconflictionResponseSchema = z.object({
  checked: z.number(),
  hits: z.array(deconflictionHitSchema),
  peers: z.array(z.object({ orgId: z.string(), name: z.string(), ok: z.boolean(), hits: z.number(), message: z.string().optional() })),
});
export const deconflictionGroupBodySchema = z.object({
  groupKey: z.string().min(1).max(100),
  name: z.string().min(1).max(200),
  /** The group's shared HMAC key, base64 (at least 32 bytes), handed over out of band. */
  key: z.string().min(40).max(200),
  contact: z.string().min(1).max(500),
  members: z.array(z.object({ orgId: z.string().max(100), name: z.string().max(200), contact: z.string().max(500).optional() })).max(100).default([]),
});
export const deconflictionGroupSchema = z.object({ id: z.string(), groupKey: z.string(), name: z.string(), contact: z.string(), members: z.array(z.object({ orgId: z.string(), name: z.string(), contact: z.string().optional() })) });
export const deconflictionGroupsResponseSchema = z.object({ groups: z.array(deconflictionGroupSchema) });

// --- 9. overview ---------------------------------------------------------------------------------------------

const countsSchema = z.array(z.object({ key: z.string(), label: z.string(), count: z.number() }));
export const overviewResponseSchema = z.object({
  operationId: z.string(),
  suspects: z.number(),
  byStatus: countsSchema,
  byDistrict: countsSchema,
  byAgeBand: countsSchema,
  byLiability: countsSchema,
  byOutcome: countsSchema,
  /** Per week (ISO Monday): actions recorded of each kind, and suspects identified. */
  overTime: z.array(z.object({ week: z.string(), identified: z.number(), actions: z.record(z.string(), z.number()) })),
});
export type OverviewResponse = z.infer<typeof overviewResponseSchema>;

// --- referral marks (the clearinghouse's queue, report and bundle views) --------------------------------------

export const referralMarksBodySchema = z.object({
  reportIds: z.array(z.string().max(40)).max(1000).optional(),
  bundleIds: z.array(z.string().max(100)).max(1000).optional(),
  incidentIds: z.array(z.string().max(100)).max(100_000).optional(),
});
export const referralMarksResponseSchema = z.object({
  reports: z.record(z.string(), z.array(referralMarkSchema)),
  bundles: z.record(z.string(), z.array(referralMarkSchema)),
  incidents: z.record(z.string(), z.array(referralMarkSchema)),
});
