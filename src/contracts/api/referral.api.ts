/**
 * The referral API's shapes, shared by the server (routes declare them as their response schemas,
 * so the OpenAPI document is complete) and the web app (which takes its types from here): what a
 * package carries (also the parts of the signed federation format, referral/referral-package.ts),
 * the published keys, peers, routes, referrals with their incidents, thread and chain, the agency
 * inbox and the reporters' notifications.
 *
 * Responses pass through these schemas on their way out (fastify-type-provider-zod), so a field
 * missing here never leaves the server. What is signed or published travels untouched: envelopes
 * and receipts are compact JWS strings, evidence is an opaque general-JSON JWE, and a published
 * key lists its members in the order the database keeps them (see `publicJwkSchema`).
 *
 * @example
 *   import { referralDetailSchema, type ReferralDetail } from '../../src/contracts/api/referral.api.js';
 *   const referral: ReferralDetail = referralDetailSchema.parse(await res.json());
 */
import { z } from 'zod';

/** n lowercase hex digits (digests, PDQ hashes). */
export const hexString = (n: number) => z.string().regex(new RegExp(`^[0-9a-f]{${n}}$`));
const hex = hexString;

// --- what a package carries ----------------------------------------------------------------------------

/** Which field groups a recipient may receive. Reporter contact details are never included. */
export const minimisationPolicySchema = z.strictObject({
  /** Reported persons' names. */
  personNames: z.boolean().default(true),
  dateOfBirth: z.boolean().default(true),
  /** Emails, phones, screen names, profile URLs, account and device ids. */
  identifiers: z.boolean().default(true),
  ipEvents: z.boolean().default(true),
  /** Victims as persons (their age band still travels in the facts). */
  victims: z.boolean().default(false),
  /** Intended recipients as persons. */
  intendedRecipients: z.boolean().default(true),
  /** The reporter's free-text additional information. */
  additionalInfo: z.boolean().default(false),
  internetDetails: z.boolean().default(true),
  fileNames: z.boolean().default(true),
  /** The evidence bytes, when the clearinghouse kept them. */
  evidence: z.boolean().default(true),
});
export type MinimisationPolicy = z.output<typeof minimisationPolicySchema>;
export type MinimisationPolicyInput = z.input<typeof minimisationPolicySchema>;

/** A route's automatic policy: relay on arrival, or refer at once by outcome or priority. */
export const autoPolicySchema = z.strictObject({
  /** An intermediary relays packages bound further along this route as soon as they arrive. */
  relay: z.boolean().default(false),
  /** Refer at once every incident whose outcome under the destination's rule pack is one of these. */
  outcomes: z.array(z.enum(['baseline', 'national_illegal', 'other_offence', 'uncertain', 'not_illegal'])).default([]),
  /** … or whose report's priority level is one of these. */
  priorities: z.array(z.enum(['P1', 'P2', 'P3', 'informational'])).default([]),
});
export type AutoPolicy = z.output<typeof autoPolicySchema>;

export const orgRefSchema = z.object({
  orgId: z.string().min(1).max(100),
  name: z.string().max(200).optional(),
  role: z.string().max(40).optional(),
  country: z.string().max(10).nullable().optional(),
});
export type OrgRef = z.infer<typeof orgRefSchema>;

export const eventKinds = ['message', 'accept', 'decline', 'close', 'outcome', 'retraction', 'update', 'relayed'] as const;
export type EventKind = (typeof eventKinds)[number];

export const outcomeCodes = [
  'not_illegal_here',
  'insufficient_information',
  'safeguarding_referral',
  'suspect_identified',
  'search_executed',
  'arrested',
  'charged',
  'convicted',
  'acquitted',
  'no_further_action',
  'referred_onward',
] as const;
export type OutcomeCode = (typeof outcomeCodes)[number];

export const manifestReportSchema = z.object({
  reportId: z.string(),
  reporterName: z.string().nullable(),
  receivedAt: z.string(),
  documentSha256: hex(64),
  incidentType: z.string(),
  incidentAt: z.string(),
  escalated: z.boolean(),
  status: z.string(),
  incidentSummary: z.record(z.string(), z.unknown()),
  internetDetails: z.array(z.unknown()).optional(),
  additionalInfo: z.unknown().optional(),
  batchedReason: z.string().optional(),
});
export type ManifestReport = z.infer<typeof manifestReportSchema>;

export const manifestPersonSchema = z.object({
  personId: z.string(),
  reportId: z.string(),
  role: z.enum(['reported', 'recipient', 'victim', 'batched']),
  ordinal: z.number().int(),
  firstName: z.string().nullable().optional(),
  lastName: z.string().nullable().optional(),
  age: z.number().nullable().optional(),
  dateOfBirth: z.string().nullable().optional(),
  country: z.string().nullable(),
  identifiers: z.array(z.object({ kind: z.string(), value: z.string() })).optional(),
  ipEvents: z
    .array(z.object({ ip: z.string(), event: z.string().nullable(), at: z.string().nullable(), port: z.number().nullable(), possibleProxy: z.boolean().nullable() }))
    .optional(),
});
export type ManifestPerson = z.infer<typeof manifestPersonSchema>;

export const manifestFileSchema = z.object({
  fileId: z.string(),
  reportId: z.string(),
  ordinal: z.number().int(),
  fileName: z.string().nullable().optional(),
  size: z.number().nullable(),
  md5: hex(32).nullable(),
  sha1: hex(40).nullable(),
  sha256: hex(64).nullable(),
  pdq: z.string().nullable(),
  industryClassification: z.string().nullable(),
  publiclyAvailable: z.boolean().nullable(),
  viewedByReporter: z.boolean().nullable(),
  /** true when the bytes travel in the package's evidence (encrypted for the recipient). */
  evidence: z.boolean(),
});
export type ManifestFile = z.infer<typeof manifestFileSchema>;

export const manifestIncidentSchema = z.object({
  incidentId: z.string(),
  reportId: z.string(),
  personId: z.string().nullable(),
  fileId: z.string().nullable(),
  occurredAt: z.string(),
  incidentType: z.string(),
  factsId: z.string().nullable(),
  country: z.string().nullable(),
});
export type ManifestIncident = z.infer<typeof manifestIncidentSchema>;

export const manifestCustodySchema = z.object({
  seq: z.string(),
  at: z.string(),
  action: z.string(),
  subjectKind: z.string(),
  subjectId: z.string(),
  hash: hex(64),
  prevHash: hex(64),
});
export type ManifestCustody = z.infer<typeof manifestCustodySchema>;

/** The sender's own assessment of one fact set (its jurisdiction and the destination's). */
export const senderAssessmentSchema = z.object({ factsId: z.string(), jurisdiction: z.string(), outcome: z.string(), ruleId: z.string().nullable(), packVersion: z.string() });

// --- assessments, as the recipient's own rule pack made them ------------------------------------------

export const citationSchema = z.object({ statute: z.string(), section: z.string(), text: z.string().optional(), url: z.string().optional() });
export type Citation = z.infer<typeof citationSchema>;

/** What the recipient keeps of its own rule pack's verdict on one fact set, or why none was possible. */
export const storedAssessmentSchema = z.union([
  z.object({
    jurisdiction: z.string(),
    outcome: z.string(),
    nationalOutcome: z.string(),
    ruleId: z.string().nullable(),
    citations: z.array(citationSchema),
    /** false when the suspect is under the age of criminal responsibility (a safeguarding case). */
    suspectCriminallyLiable: z.boolean().nullable().optional(),
    explanation: z.string(),
    packVersion: z.string(),
    packStatus: z.string(),
    undeterminedFacts: z.array(z.string()),
  }),
  z.object({ error: z.string() }),
]);
export type StoredAssessment = z.infer<typeof storedAssessmentSchema>;

// --- federation: published keys, the inbox, peers ------------------------------------------------------

/**
 * A public key as published (RFC 7517; Ed25519 `sig` or X25519 `enc`), with whether it is active
 * or retired (retired keys stay published so older signatures verify). Members in the order the
 * database's jsonb keeps them (by length, then name), `status` last: the document goes out byte
 * for byte as the key service made it.
 */
export const publicJwkSchema = z.looseObject({
  x: z.string(),
  alg: z.string().optional(),
  crv: z.enum(['Ed25519', 'X25519']),
  kid: z.string(),
  kty: z.literal('OKP'),
  use: z.enum(['sig', 'enc']),
  status: z.enum(['active', 'retired']),
});
export type PublicJwk = z.infer<typeof publicJwkSchema>;

export const publishedOrganisationSchema = z.object({
  orgId: z.string(),
  name: z.string(),
  role: z.string(),
  country: z.string().nullable(),
  keys: z.array(publicJwkSchema),
});
export type PublishedOrganisation = z.infer<typeof publishedOrganisationSchema>;

export const wellKnownKeysSchema = z.object({ organisations: z.array(publishedOrganisationSchema) });
export const jwksSchema = z.object({ keys: z.array(publicJwkSchema) });

/** The inbox's (and a file import's) answer: the recipient's signed receipt to carry back. */
export const receivedSchema = z.object({
  /** Compact JWS, signed by the recipient. */
  receipt: z.string(),
  /** The same message arrived before: this is its original receipt, and nothing changed. */
  replayed: z.boolean(),
  messageId: z.string(),
});
export type Received = z.infer<typeof receivedSchema>;

/** An exported package file: the exact body a peer's inbox would receive. */
export const transportFileSchema = z.object({
  /** Compact JWS of the package (or relay) record. */
  message: z.string(),
  /** The evidence, a general-JSON JWE encrypted to the recipient; opaque here and passed on untouched. */
  evidence: z.record(z.string(), z.unknown()).nullable().optional(),
});

export const peerSchema = z.object({
  id: z.string(),
  orgId: z.string(),
  name: z.string(),
  role: z.string(),
  country: z.string().nullable(),
  baseUrl: z.string(),
  /** The peer's keys configured here (public keys only). */
  kids: z.array(z.object({ kid: z.string(), use: z.string(), status: z.string() })),
  createdAt: z.string(),
  updatedAt: z.string(),
  disabledAt: z.string().nullable(),
});
export type Peer = z.infer<typeof peerSchema>;
export const peerListSchema = z.object({ peers: z.array(peerSchema) });
export const rotatedKeysSchema = z.object({ sig: z.string(), enc: z.string() });
export const receiptRecordedSchema = z.object({ referralId: z.string(), messageId: z.string() });

// --- routing ----------------------------------------------------------------------------------------------

export const routeSchema = z.object({
  id: z.string(),
  country: z.string(),
  region: z.string().nullable(),
  recipientOrgId: z.string(),
  finalRecipientOrgId: z.string().nullable(),
  policy: minimisationPolicySchema,
  auto: autoPolicySchema.nullable(),
  createdAt: z.string(),
});
export type Route = z.infer<typeof routeSchema>;
export const routeListSchema = z.object({ routes: z.array(routeSchema) });

export const recipientSchema = z.object({
  orgId: z.string(),
  name: z.string(),
  role: z.string(),
  country: z.string().nullable(),
  /** 'local': an organisation of this deployment; 'peer': a configured peer of another deployment. */
  via: z.enum(['local', 'peer']),
});
export type Recipient = z.infer<typeof recipientSchema>;
export const recipientListSchema = z.object({ recipients: z.array(recipientSchema) });

export const routeSuggestionSchema = z.object({
  incidentId: z.string(),
  country: z.string().nullable(),
  routeId: z.string().nullable(),
  recipientOrgId: z.string().nullable(),
  /** The outcome under the destination's rule pack, when it could be assessed. */
  outcome: z.string().nullable(),
  priority: z.string().nullable(),
});
export type RouteSuggestion = z.infer<typeof routeSuggestionSchema>;
export const routeSuggestionListSchema = z.object({ suggestions: z.array(routeSuggestionSchema) });

// --- referrals ----------------------------------------------------------------------------------------

/** Where a referral stands here: queued, exported, delivered, failed, accepted, declined, closed, relayed, bounced, retracted. */
const referralStatus = z.string();

export const createdReferralSchema = z.object({
  id: z.string(),
  referralId: z.string(),
  packageId: z.string(),
  to: orgRefSchema,
  incidents: z.number(),
  filesWithEvidence: z.number(),
  status: referralStatus,
});
export type CreatedReferral = z.infer<typeof createdReferralSchema>;
export const autoReferralsSchema = z.object({ referrals: z.array(createdReferralSchema) });

export const hopSchema = z.object({ from: orgRefSchema, to: orgRefSchema, issuedAt: z.string(), keySource: z.enum(['configured', 'vouched']) });

export const referralSummarySchema = z.object({
  /** This organisation's row of the referral (its id in every /api/v1/referrals/:id URL). */
  id: z.string(),
  /** The referral's id across every hop of its chain. */
  referralId: z.string(),
  direction: z.enum(['sent', 'received']),
  packageId: z.string(),
  counterparty: z.object({ orgId: z.string(), name: z.string().nullable() }),
  originatorOrgId: z.string(),
  status: referralStatus,
  statusReason: z.string().nullable(),
  incidents: z.number(),
  delivery: z.enum(['network', 'local', 'file']),
  /** The received row a relay was made from. */
  relayedFrom: z.string().nullable(),
  finalRecipient: orgRefSchema.nullable(),
  note: z.string().nullable(),
  /** The verified chain, originator first (received referrals). */
  hops: z.array(hopSchema).nullable(),
  filesVerified: z.number().nullable(),
  hasReceipt: z.boolean(),
  createdAt: z.string(),
  updatedAt: z.string(),
  deliveredAt: z.string().nullable(),
});
export type ReferralSummary = z.infer<typeof referralSummarySchema>;

const countsSchema = z.record(z.string(), z.number());

export const referralListItemSchema = referralSummarySchema.extend({ outcomes: countsSchema });
export const referralListSchema = z.object({ referrals: z.array(referralListItemSchema), next: z.number().nullable() });
export type ReferralListItem = z.infer<typeof referralListItemSchema>;

export const referralDetailSchema = referralSummarySchema.extend({
  /** The recipient's signed receipt (compact JWS). */
  receipt: z.string().nullable(),
  /** Received referrals: incidents per outcome of this organisation's own assessment. */
  triage: countsSchema.optional(),
  outcomes: countsSchema,
  retracted: z.number(),
  /** Received referrals: the minimised manifest as it arrived. */
  manifest: z
    .object({
      reports: z.array(manifestReportSchema),
      persons: z.array(manifestPersonSchema),
      files: z.array(manifestFileSchema),
      /** Facts by id (the facts schema of the triage stage). */
      factSets: z.record(z.string(), z.unknown()),
      senderAssessments: z.array(senderAssessmentSchema),
      custody: z.array(manifestCustodySchema),
    })
    .optional(),
});
export type ReferralDetail = z.infer<typeof referralDetailSchema>;

export const referralIncidentSchema = z.object({
  incidentId: z.string(),
  reportId: z.string(),
  personId: z.string().nullable(),
  fileId: z.string().nullable(),
  occurredAt: z.string().nullable(),
  country: z.string().nullable(),
  factsId: z.string().nullable(),
  /** This organisation's own assessment (received referrals). */
  assessment: storedAssessmentSchema.nullable(),
  outcome: z.object({ code: z.string(), note: z.string().nullable(), at: z.string().nullable() }).nullable(),
  retractedAt: z.string().nullable(),
});
export type ReferralIncident = z.infer<typeof referralIncidentSchema>;
export const referralIncidentListSchema = z.object({ incidents: z.array(referralIncidentSchema) });

export const referralEventSchema = z.object({
  id: z.string(),
  kind: z.string(),
  author: z.string(),
  to: z.string(),
  inReplyTo: z.string().nullable(),
  direction: z.enum(['in', 'out', 'forwarded']),
  body: z.record(z.string(), z.unknown()),
  at: z.string(),
});
export type ReferralEvent = z.infer<typeof referralEventSchema>;
export const referralThreadSchema = z.object({ events: z.array(referralEventSchema) });

export const verifiedHopSchema = z.object({
  packageId: z.string(),
  type: z.enum(['package', 'relay']),
  from: orgRefSchema,
  to: orgRefSchema,
  issuedAt: z.string(),
  kid: z.string(),
  /** The key was configured here, or vouched for by a verified hop. */
  keySource: z.enum(['configured', 'vouched']),
  vouchedBy: z.string().nullable(),
  sha256: z.string(),
});
export type VerifiedHop = z.infer<typeof verifiedHopSchema>;
export type KeySource = VerifiedHop['keySource'];

export const referralChainSchema = z.object({
  verified: z.literal(true),
  hops: z.array(verifiedHopSchema),
  /** Custody records the originator's manifest carries. */
  custodyRecords: z.number(),
  /** This deployment's custody entries about the referral. */
  custody: z.array(z.object({ seq: z.string(), at: z.string(), action: z.string(), hash: z.string(), details: z.unknown() })),
});
export type ReferralChain = z.infer<typeof referralChainSchema>;

export const sentEventSchema = z.object({ eventId: z.string(), to: z.string() });
export const relayedSchema = z.object({ id: z.string(), packageId: z.string(), to: orgRefSchema });

// --- reporters: questions passed down, withdrawals, notifications --------------------------------------

export const questionsPassedSchema = z.object({ notified: z.number() });
export const referralChangeSentSchema = z.object({ referrals: z.number() });
export const answerSentSchema = z.object({ eventId: z.string() });

/** Something that happened to a referral of one of the reporter's reports: an outcome, or a question to answer. */
export const referralNotificationSchema = z.looseObject({
  id: z.string(),
  reportId: z.string(),
  incidentId: z.string().nullable(),
  referralId: z.string(),
  kind: z.enum(['outcome', 'question']),
  /** outcome: the coded outcome, when it was reported and the recipient's country. */
  code: z.string().optional(),
  reportedAt: z.string().optional(),
  recipientCountry: z.string().nullable().optional(),
  /** question: its id (answer it at /api/v1/referral-notifications/:id/answer), text and whether it was answered. */
  questionId: z.string().optional(),
  text: z.string().optional(),
  answeredAt: z.string().optional(),
  at: z.string(),
});
export type ReferralNotification = z.infer<typeof referralNotificationSchema>;
export const referralNotificationListSchema = z.object({ notifications: z.array(referralNotificationSchema) });

// --- the web app: the agency inbox, a report's referrals ------------------------------------------------

export const inboxGroups = ['actionable', 'not_illegal', 'safeguarding', 'uncertain'] as const;
export type InboxGroup = (typeof inboxGroups)[number];

export const inboxAssessmentSchema = z.object({
  jurisdiction: z.string().nullable(),
  outcome: z.string().nullable(),
  ruleId: z.string().nullable(),
  citations: z.array(citationSchema),
  explanation: z.string().nullable(),
  suspectCriminallyLiable: z.boolean().nullable(),
  undeterminedFacts: z.array(z.string()),
  packVersion: z.string().nullable(),
});

export const inboxItemSchema = z.object({
  referral: z.object({
    id: z.string(),
    referralId: z.string(),
    sender: z.object({ orgId: z.string(), name: z.string().nullable() }),
    receivedAt: z.string(),
    status: referralStatus,
  }),
  incidentId: z.string(),
  reportId: z.string(),
  assessment: inboxAssessmentSchema.nullable(),
  outcome: z.string().nullable(),
});
export type InboxItem = z.infer<typeof inboxItemSchema>;

/** How many incidents of a group one rule decided, with its citations: the flood explained, not listed. */
export const inboxRuleSchema = z.object({
  ruleId: z.string().nullable(),
  outcome: z.string().nullable(),
  citations: z.array(citationSchema),
  explanation: z.string().nullable(),
  incidents: z.number(),
});
export type InboxRule = z.infer<typeof inboxRuleSchema>;

export const inboxSchema = z.object({
  counts: z.record(z.enum(inboxGroups), z.number()),
  group: z.enum(inboxGroups),
  rules: z.array(inboxRuleSchema),
  items: z.array(inboxItemSchema),
  next: z.number().nullable(),
});
export type Inbox = z.infer<typeof inboxSchema>;

export const reportReferralSchema = z.object({
  id: z.string(),
  referralId: z.string(),
  direction: z.enum(['sent', 'received']),
  counterparty: z.object({ orgId: z.string(), name: z.string().nullable() }),
  status: referralStatus,
  statusReason: z.string().nullable(),
  delivery: z.enum(['network', 'local', 'file']),
  /** This report's incidents in the referral. */
  incidents: z.number(),
  retracted: z.number(),
  outcomes: z.array(z.object({ outcome: z.string(), incidents: z.number(), lastAt: z.string().nullable() })),
  createdAt: z.string(),
  updatedAt: z.string(),
  deliveredAt: z.string().nullable(),
});
export type ReportReferral = z.infer<typeof reportReferralSchema>;
export const reportReferralListSchema = z.object({ items: z.array(reportReferralSchema) });
