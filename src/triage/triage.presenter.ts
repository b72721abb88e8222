/**
 * The only way triage data leaves the triage stage over the API: rows → the shapes of
 * contracts/api/triage.api.ts, which the routes declare as their responses. JSON columns hold what
 * triage wrote (the domain's facts, conflicts, evidence, citations, priority factors); they are
 * typed here as the contract names them.
 */
import type {
  AssessmentOutcome,
  BundleDetail,
  IncidentTriage,
  Label,
  QueueItem,
  ReportTriage,
  SourcedFacts,
  TriageAssessment,
} from '../contracts/api/triage.api.js';
import type {
  AssessmentDetailRow,
  BundleDetailRow,
  BundleMemberRow,
  CandidateDetailRow,
  FileFactsRow,
  IncidentDetailRow,
  LabelDetailRow,
  MembershipRow,
  PersonDetailRow,
  QueueRow,
  bundleBreakdown,
} from './triage-query.repository.js';
import { readBaseFacts } from '../domain/facts/incident-facts.js';

/** `DK:national_illegal` → { jurisdiction: 'DK', outcome: 'national_illegal' } (outcomes come from assessments, whose column allows only these). */
export function presentOutcomes(outcomes: readonly string[]): QueueItem['outcomes'] {
  return outcomes.map((o) => {
    const i = o.lastIndexOf(':');
    return { jurisdiction: o.slice(0, i), outcome: o.slice(i + 1) as AssessmentOutcome };
  });
}

export function presentQueueItem(r: QueueRow): QueueItem {
  return {
    reportId: r.report_id,
    status: r.status,
    priority: { score: r.priority_score, level: r.priority_level },
    receivedAt: r.received_at,
    reporterOrgId: r.reporter_org_id,
    incidentType: r.incident_type,
    escalated: r.escalated,
    incidents: r.incident_count,
    countries: r.countries,
    outcomes: presentOutcomes(r.outcomes),
    actionable: r.actionable,
    bundleIds: r.bundle_ids,
  };
}

export function presentAssessment(a: AssessmentDetailRow): TriageAssessment {
  return {
    jurisdiction: a.jurisdiction,
    outcome: a.outcome,
    ruleId: a.rule_id,
    citations: a.citations as TriageAssessment['citations'],
    suspectCriminallyLiable: a.suspect_criminally_liable,
    explanation: a.explanation,
    pack: { id: a.jurisdiction, version: a.pack_version, status: a.pack_status, baselineVersion: a.baseline_pack_version },
    nationalOutcome: a.national_outcome,
    nationalRuleId: a.national_rule_id,
    confidence: a.confidence,
    conductDate: a.conduct_date,
    undeterminedFacts: a.undetermined_facts as string[],
    possibleOutcomes: a.possible_outcomes as TriageAssessment['possibleOutcomes'],
    assessedAt: a.assessed_at,
    runId: a.run_id,
  };
}

type Candidate = NonNullable<IncidentTriage['person']>['candidateJurisdictions'][number];

export function presentCandidate(c: CandidateDetailRow): Candidate {
  return { rank: c.rank, country: c.country, region: c.region, city: c.city, confidence: c.confidence, evidence: c.evidence as Candidate['evidence'] };
}

export function presentLabel(l: LabelDetailRow): Label {
  return {
    labelId: l.id,
    target: { kind: l.target_kind, id: l.target_id },
    facts: l.facts as Label['facts'],
    note: l.note,
    by: { kind: l.actor_kind, id: l.actor_id },
    at: l.created_at,
    supersededAt: l.superseded_at,
  };
}

export function presentMembership(m: MembershipRow | undefined): IncidentTriage['bundle'] {
  return m ? { bundleId: m.bundle_id, origin: m.origin, incidents: m.member_count, uploaders: m.uploader_count, viral: m.viral } : null;
}

export interface IncidentContext {
  assessments: AssessmentDetailRow[];
  person: PersonDetailRow | undefined;
  candidates: CandidateDetailRow[];
  membership: MembershipRow | undefined;
  labels: LabelDetailRow[];
}

export function presentIncident(i: IncidentDetailRow, c: IncidentContext): IncidentTriage {
  const base = readBaseFacts(i.base_facts);
  return {
    incidentId: i.incident_id,
    reportId: i.report_id,
    fileId: i.file_id,
    status: i.status,
    occurredAt: i.occurred_at,
    conductDate: i.conduct_date,
    facts: i.facts as SourcedFacts,
    factsFromReport: base.facts,
    conflicts: i.conflicts as IncidentTriage['conflicts'],
    signals: i.signals as string[],
    notes: i.notes as string[],
    labels: c.labels.map(presentLabel),
    person: i.person_id
      ? {
          personId: i.person_id,
          role: c.person?.role ?? 'reported',
          candidateJurisdictions: c.candidates.map(presentCandidate),
          unlocated: (c.person?.unlocated ?? []) as NonNullable<IncidentTriage['person']>['unlocated'],
        }
      : null,
    assessments: c.assessments.map(presentAssessment),
    priority: { score: i.priority_score, level: i.priority_level, factors: i.priority_factors as IncidentTriage['priority']['factors'] },
    bundle: presentMembership(c.membership),
    triagedAt: i.triaged_at,
    factsUpdatedAt: i.facts_updated_at,
  };
}

export function presentFile(f: FileFactsRow, label: LabelDetailRow | undefined): ReportTriage['files'][number] {
  return {
    fileId: f.file_id,
    ordinal: f.ordinal,
    fileName: f.file_name,
    status: f.status,
    digests: { md5: f.md5, sha1: f.sha1, sha256: f.sha256, pdq: f.pdq },
    facts: f.facts as SourcedFacts,
    signals: f.signals as string[],
    notes: f.notes as string[],
    label: label ? presentLabel(label) : null,
  };
}

export function presentBundle(
  b: BundleDetailRow,
  classification: LabelDetailRow | undefined,
  breakdown: Awaited<ReturnType<typeof bundleBreakdown>>,
  members: BundleMemberRow[],
  nextCursor: string | null,
): BundleDetail {
  return {
    bundle: {
      bundleId: b.bundle_id,
      origin: b.origin,
      splitFrom: b.split_from,
      contentKeys: b.content_keys,
      incidents: b.member_count,
      uploaders: b.uploader_count,
      viral: b.viral,
      createdAt: b.created_at,
      updatedAt: b.updated_at,
    },
    classification: classification ? presentLabel(classification) : null,
    byCountry: breakdown.byCountry.map((r) => ({ country: r.country, incidents: Number(r.incidents) })),
    overTime: breakdown.overTime.map((r) => ({ date: r.date, incidents: Number(r.incidents) })),
    byOutcome: breakdown.byOutcome.map((r) => ({ jurisdiction: r.jurisdiction, outcome: r.outcome, incidents: Number(r.incidents) })),
    byLiability: breakdown.liability.map((r) => ({ jurisdiction: r.jurisdiction, suspectCriminallyLiable: r.liable, incidents: Number(r.incidents) })),
    byReporter: breakdown.byReporter.map((r) => ({ reporterOrgId: r.reporter_org_id, incidents: Number(r.incidents) })),
    byStatus: breakdown.byStatus.map((r) => ({ status: r.status, incidents: Number(r.incidents) })),
    incidents: members.map((m) => ({ incidentId: m.incident_id, reportId: m.report_id, country: m.primary_country, conductDate: m.conduct_date, status: m.status, priority: m.priority_level })),
    nextCursor,
  };
}
