/**
 * Triage of a finished report, as one transaction: facts for each incident (with sources), the
 * reported persons' candidate jurisdictions, an assessment in each candidate jurisdiction that has
 * a rule pack (and always in the clearinghouse's own country), priority, and bundle membership
 * across all reporters. Run by the durable job `triage-report` (triage.jobs.ts), enqueued when
 * the report is finished.
 *
 * `recomputeIncidents` is the shared second half: labels on top of the stored report facts, then
 * assessments and priority. Re-triage (retriage.service.ts) uses it for label and bundle changes.
 *
 * @example
 *   const outcome = await triageReport(deps, '1000001'); // { status: 'triaged', incidents: 1000, bundles: ['bdl_…'] }
 */
import type { Kysely, Transaction } from 'kysely';
import type { Logger } from 'pino';
import { appendCustody } from '../platform/custody/custody.repository.js';
import type { Database } from '../platform/db/schema.js';
import { applyBundleClassification } from './bundling/classification-memory.js';
import { buildBundle } from './bundling/bundle-builder.js';
import type { AnalystLabel } from '../domain/facts/analyst-label.mapper.js';
import type { EvaluationFacts } from '../domain/facts/facts.schema.js';
import type { IpLocator } from '../domain/geo/ip-locator.js';
import { locatePerson, type PersonGeolocation } from '../domain/geo/person-locator.js';
import { factsWithLabels, priorityFacts, readBaseFacts, type AppliedLabel, type IncidentLabels, type StoredBaseFacts } from '../domain/facts/incident-facts.js';
import type { PriorityConfig } from '../domain/priority/priority-config.schema.js';
import { scorePriority, type PriorityInput } from '../domain/priority/priority-scorer.js';
import type { Assessment, RulePackSet } from '../domain/law/rule-pack.evaluator.js';
import { AssessmentCache } from '../domain/law/rulepack-registry.js';
import { assignBundles, type BundlingDeps } from './bundle.service.js';
import { createFactsRun } from './triage-runs.service.js';
import { factsFromBankMatches, withBankFacts, type BankMatchInput } from '../domain/facts/bank-facts.mapper.js';
import {
  assessmentText,
  factSetId,
  fileContentKeys,
  fileDetailsOf,
  fileFacts,
  incidentBaseFacts,
  incidentJurisdictions,
  locationInput,
  priorityInputOf,
  partyOf,
  reportJson,
  uploaderIdOf,
} from '../domain/facts/triage-input.js';
import {
  currentLabels,
  findOrganisationCountry,
  findReportForTriage,
  insertAssessmentTexts,
  insertCandidates,
  insertFactSets,
  insertFileFacts,
  insertIncidentJurisdictions,
  insertPersonLocations,
  insertTriageIncidents,
  insertTriageReport,
  isReportTriaged,
  jurisdictionsOfIncidents,
  listFilesOfReport,
  listIncidentsOfReport,
  listPersonsOfReport,
  loadIncidentsForRecompute,
  lockOrgTriage,
  refreshReports,
  insertFactSetAssessments,
  reporterHistory,
  updateIncidentFacts,
  type FactSetAssessmentRow,
  type AssessmentTextRow,
  type IncidentFactsUpdate,
  type LabelRow,
  bankMatchesOfFiles,
  findReportOfFile,
  incidentsOfFile,
  setIncidentBaseFacts,
} from './triage.repository.js';

export interface TriageDeps extends BundlingDeps {
  db: Kysely<Database>;
  rulePacks: RulePackSet;
  ipLocator: IpLocator;
  now?: () => Date;
  priorityConfig?: PriorityConfig;
  /** Incidents per transaction in label and bundle re-triage. */
  factsBatchSize?: number;
  /** Fact sets re-assessed per transaction when a rule pack changed. */
  reassessBatchSize?: number;
  /** Incidents whose queue rows are refreshed per transaction after their assessment changed. */
  refreshBatchSize?: number;
  logger?: Logger;
}

const caches = new WeakMap<RulePackSet, AssessmentCache>();

/** One assessment cache per loaded pack set, shared by every job of the process. */
export function assessmentCache(packs: RulePackSet): AssessmentCache {
  let cache = caches.get(packs);
  if (!cache) caches.set(packs, (cache = new AssessmentCache(packs)));
  return cache;
}

export type TriageReportOutcome =
  | { status: 'triaged'; reportId: string; incidents: number; bundles: string[] }
  | { status: 'missing' | 'not_finished' | 'already_triaged'; reportId: string };

function parseDocument(document: string): unknown {
  try {
    return JSON.parse(document);
  } catch {
    return {};
  }
}

export async function triageReport(deps: TriageDeps, reportId: string): Promise<TriageReportOutcome> {
  const db = deps.db;
  const report = await findReportForTriage(db, reportId);
  if (!report) return { status: 'missing', reportId };
  if (report.status !== 'finished') return { status: 'not_finished', reportId };
  if (await isReportTriaged(db, reportId)) return { status: 'already_triaged', reportId };

  const now = (deps.now ?? (() => new Date()))();
  const nowIso = now.toISOString();
  const orgId = report.clearinghouse_org_id;
  // XML submissions keep their JSON form in `body`; a JSON submission is its own JSON form.
  const body = reportJson(report.body ?? parseDocument(report.document));
  const [country, persons, files, incidents, history] = await Promise.all([
    findOrganisationCountry(db, orgId),
    listPersonsOfReport(db, reportId),
    listFilesOfReport(db, reportId),
    listIncidentsOfReport(db, reportId),
    reporterHistory(db, report.reporter_org_id),
  ]);

  const fileById = new Map(files.map((f) => [f.id, { row: f, details: fileDetailsOf(body, f), keys: fileContentKeys(f) }] as const));
  const personById = new Map(persons.filter((p) => p.role === 'reported').map((p) => [p.id, { row: p, party: partyOf(body, p) }] as const));

  const geoByPerson = new Map<string, PersonGeolocation>();
  for (const [personId, { party }] of personById) {
    const firstFile = files[0] ? fileById.get(files[0].id)?.details : undefined;
    const { person, extraIpEvents } = locationInput(body, party, firstFile);
    geoByPerson.set(personId, locatePerson(person, { ipLocator: deps.ipLocator, extraIpEvents }));
  }

  const prepared = incidents.map((incident) => {
    const file = incident.file_id ? fileById.get(incident.file_id) : undefined;
    const person = incident.person_id ? personById.get(incident.person_id) : undefined;
    const base = incidentBaseFacts({ report: body, file: file?.details, party: person?.party });
    const candidates = incident.person_id ? (geoByPerson.get(incident.person_id)?.candidates ?? []) : [];
    return {
      incident,
      base,
      keys: file?.keys ?? [],
      uploaderId: uploaderIdOf(report.reporter_org_id, person?.party, incident.person_id),
      countries: candidates.map((c) => c.country),
      jurisdictions: incidentJurisdictions(candidates, country),
      priorityInput: priorityInputOf(body, file?.details, incidents.length),
    };
  });

  let bundleIds: string[] = [];
  const committed = await db.transaction().execute(async (trx) => {
    await lockOrgTriage(trx, orgId);
    if (await isReportTriaged(trx, reportId)) return false;
    // Bank matches read under the triage lock: the hash-file job takes it too before it updates
    // triaged incidents (applyBankMatches), so a match lands either here or there, never nowhere.
    const bank = bankFactsByFile(await bankMatchesOfFiles(trx, files.map((f) => f.id), orgId));
    for (const p of prepared) {
      const fromBank = p.incident.file_id ? bank.get(p.incident.file_id) : undefined;
      if (fromBank) p.base = withBankFacts(p.base, fromBank);
    }
    const assigned = await assignBundles(trx, deps, {
      orgId,
      incidents: prepared.map((p) => ({ incidentId: p.incident.id, keys: p.keys, uploaderId: p.uploaderId })),
      now: nowIso,
    });
    bundleIds = [...new Set(assigned.bundleOf.values())].sort();

    await insertFileFacts(
      trx,
      files.map((f) => {
        const mapped = fileFacts(fileById.get(f.id)?.details);
        return { file_id: f.id, report_id: reportId, facts: mapped.facts, signals: mapped.signals, notes: mapped.notes };
      }),
    );
    await insertPersonLocations(
      trx,
      [...geoByPerson].map(([personId, geo]) => ({ person_id: personId, report_id: reportId, unlocated: geo.unlocated, located_at: nowIso })),
    );
    await insertCandidates(
      trx,
      [...geoByPerson].flatMap(([personId, geo]) =>
        geo.candidates.map((c, rank) => ({ person_id: personId, country: c.country, rank: rank + 1, region: c.region ?? null, city: c.city ?? null, confidence: c.confidence, evidence: c.evidence })),
      ),
    );
    await insertIncidentJurisdictions(
      trx,
      prepared.flatMap((p) => p.jurisdictions.map((j) => ({ jurisdiction: j.jurisdiction, incident_id: p.incident.id, reason: j.reason }))),
    );
    await insertTriageIncidents(
      trx,
      prepared.map((p) => ({
        incident_id: p.incident.id,
        report_id: reportId,
        org_id: orgId,
        file_id: p.incident.file_id,
        person_id: p.incident.person_id,
        base_facts: { facts: p.base.facts, conflicts: p.base.conflicts } satisfies StoredBaseFacts,
        facts: p.base.facts,
        fact_set_id: null,
        conduct_date: null,
        signals: p.base.signals,
        notes: p.base.notes,
        conflicts: p.base.conflicts,
        label_ids: [],
        countries: p.countries,
        primary_country: p.countries[0] ?? null,
        uploader_id: p.uploaderId,
        priority_input: p.priorityInput,
        priority_score: 0,
        priority_level: 'informational',
        priority_factors: [],
        triaged_at: nowIso,
        facts_updated_at: nowIso,
      })),
    );
    await insertTriageReport(trx, {
      report_id: reportId,
      org_id: orgId,
      reporter_org_id: report.reporter_org_id,
      incident_type: report.incident_type,
      escalated: report.escalated,
      received_at: report.created_at,
      now: nowIso,
    });
    const incidentIds = prepared.map((p) => p.incident.id);
    const touched = await recomputeIncidents(trx, deps, incidentIds, { runId: null, now, reporterHistory: history });
    await refreshReports(trx, [...new Set([reportId, ...touched])], nowIso);
    // Earlier incidents that joined a bundle, and every incident of a bundle that absorbed others,
    // may now fall under another classification: re-triaged by a run, as label changes are.
    await createFactsRun(
      trx,
      { incidents: assigned.movedIncidents, bundles: assigned.autoMerges.map((m) => m.target) },
      `bundle membership changed by report ${reportId}`,
    );
    await appendCustody(trx, [
      {
        actorKind: 'system',
        actorId: null,
        orgId,
        action: 'triage.report',
        subjectKind: 'report',
        subjectId: reportId,
        details: { incidents: incidents.length, bundles: bundleIds, autoMerges: assigned.autoMerges },
      },
    ]);
    return true;
  });
  if (!committed) return { status: 'already_triaged', reportId };
  return { status: 'triaged', reportId, incidents: incidents.length, bundles: bundleIds };
}

function labelView(label: LabelRow): AppliedLabel {
  return { id: label.id, facts: label.facts as AnalystLabel, detail: `label ${label.id} on ${label.target_kind} ${label.target_id}` };
}

export function factSetAssessmentRow(factSetId: string, a: Assessment, textId: string, runId: string | null, at: string): FactSetAssessmentRow {
  return {
    fact_set_id: factSetId,
    jurisdiction: a.jurisdiction,
    outcome: a.outcome,
    rule_id: a.ruleId,
    national_outcome: a.nationalOutcome,
    national_rule_id: a.nationalRuleId,
    suspect_criminally_liable: a.suspectCriminallyLiable,
    confidence: a.confidence,
    pack_version: a.packVersion,
    pack_status: a.packStatus,
    baseline_pack_version: a.baselinePackVersion,
    conduct_date: a.conductDate,
    text_id: textId,
    run_id: runId,
    assessed_at: at,
  };
}

export function assessmentTextRow(a: Assessment): AssessmentTextRow {
  const t = assessmentText(a);
  return { id: t.id, explanation: t.explanation, citations: t.citations, undetermined_facts: t.undeterminedFacts, possible_outcomes: t.possibleOutcomes };
}

/**
 * Recomputes facts (labels on top of the report's facts), assessments in every jurisdiction of
 * each incident (each new fact set assessed once per jurisdiction), and priority, for incidents
 * already triaged. Returns the reports touched (their
 * queue rows need `refreshReports`). Call inside a transaction.
 */
export async function recomputeIncidents(
  trx: Transaction<Database>,
  deps: TriageDeps,
  incidentIds: readonly string[],
  options: { runId: string | null; now: Date; reporterHistory?: { reports: number; actionable: number } },
): Promise<string[]> {
  if (incidentIds.length === 0) return [];
  const rows = await loadIncidentsForRecompute(trx, incidentIds);
  const jurisdictions = await jurisdictionsOfIncidents(trx, incidentIds);
  const fileIds = [...new Set(rows.map((r) => r.file_id).filter((x): x is string => x !== null))];
  const bundleIds = [...new Set(rows.map((r) => r.bundle_id).filter((x): x is string => x !== null))];
  const labels = await currentLabels(trx, { incidentIds: rows.map((r) => r.incident_id), fileIds, bundleIds });
  const incidentLabel = new Map(labels.filter((l) => l.target_kind === 'incident').map((l) => [l.target_id, l]));
  const fileLabel = new Map(labels.filter((l) => l.target_kind === 'file').map((l) => [l.target_id, l]));
  const bundleLabel = new Map(labels.filter((l) => l.target_kind === 'bundle').map((l) => [l.target_id, l]));

  // Classification memory: a bundle's label reaches every incident of it without a label of its own.
  const fromBundle = new Map<string, AppliedLabel>();
  for (const bundleId of bundleIds) {
    const label = bundleLabel.get(bundleId);
    if (!label) continue;
    const members = rows.filter((r) => r.bundle_id === bundleId).map((r) => ({ incidentId: r.incident_id, contentKeys: [] as string[] }));
    const own = new Set(rows.filter((r) => r.bundle_id === bundleId && (incidentLabel.has(r.incident_id) || (r.file_id !== null && fileLabel.has(r.file_id)))).map((r) => r.incident_id));
    const applied = applyBundleClassification(
      buildBundle(bundleId, 'content', members, { sorted: true }),
      { bundleId, facts: label.facts as AnalystLabel, classifiedBy: label.actor_id ?? label.actor_kind, classifiedAt: label.created_at },
      { incidentsWithOwnLabel: own },
    );
    for (const a of applied.applications) fromBundle.set(a.incidentId, { ...labelView(label), facts: a.facts });
  }

  const cache = assessmentCache(deps.rulePacks);
  const nowIso = options.now.toISOString();
  const histories = new Map<string, { reports: number; actionable: number }>();
  const updates: IncidentFactsUpdate[] = [];
  const factSets = new Map<string, EvaluationFacts>();
  const texts = new Map<string, AssessmentTextRow>();
  const assessments = new Map<string, FactSetAssessmentRow>();
  for (const row of rows) {
    const labelsOf: IncidentLabels = {
      incident: incidentLabel.has(row.incident_id) ? labelView(incidentLabel.get(row.incident_id)!) : undefined,
      file: row.file_id && fileLabel.has(row.file_id) ? labelView(fileLabel.get(row.file_id)!) : undefined,
      bundle: fromBundle.get(row.incident_id),
    };
    const computed = factsWithLabels(readBaseFacts(row.base_facts), labelsOf);
    const setId = computed.evaluation ? factSetId(computed.evaluation) : null;
    if (computed.evaluation && setId) {
      factSets.set(setId, computed.evaluation);
      for (const jurisdiction of jurisdictions.get(row.incident_id) ?? []) {
        const key = `${jurisdiction}\u0000${setId}`;
        if (assessments.has(key)) continue;
        const a = cache.assess(jurisdiction, setId, computed.evaluation);
        if (!a) continue;
        const text = assessmentTextRow(a);
        texts.set(text.id, text);
        assessments.set(key, factSetAssessmentRow(setId, a, text.id, options.runId, nowIso));
      }
    }
    let history = options.reporterHistory ?? histories.get(row.reporter_org_id);
    if (!history) histories.set(row.reporter_org_id, (history = await reporterHistory(trx, row.reporter_org_id)));
    const input = row.priority_input as PriorityInput;
    const priority = scorePriority(
      { ...input, facts: priorityFacts(computed.evaluation), incidentCount: Math.max(input.incidentCount ?? 0, row.bundle_members ?? 0), reporterHistory: history },
      { asOf: options.now, ...(deps.priorityConfig ? { config: deps.priorityConfig } : {}) },
    );
    updates.push({
      incident_id: row.incident_id,
      facts: computed.facts,
      fact_set_id: setId,
      conduct_date: computed.evaluation?.conductDate ?? null,
      conflicts: computed.conflicts,
      label_ids: computed.labelIds,
      priority_score: priority.score,
      priority_level: priority.level,
      priority_factors: priority.factors,
      facts_updated_at: nowIso,
    });
  }
  await insertFactSets(trx, [...factSets].map(([id, facts]) => ({ id, facts })));
  await insertAssessmentTexts(trx, [...texts.values()]);
  await insertFactSetAssessments(trx, [...assessments.values()]);
  await updateIncidentFacts(trx, updates);
  return [...new Set(rows.map((r) => r.report_id))];
}

/** Facts per file from its bank matches. */
function bankFactsByFile(matches: readonly (BankMatchInput & { fileId: string })[]): Map<string, ReturnType<typeof factsFromBankMatches>> {
  const byFile = new Map<string, BankMatchInput[]>();
  for (const m of matches) byFile.set(m.fileId, [...(byFile.get(m.fileId) ?? []), m]);
  return new Map([...byFile].map(([fileId, list]) => [fileId, factsFromBankMatches(list)]));
}

/**
 * A file matched a bank after its report was triaged (the hash-file job runs beside triage):
 * the incidents of the file get their report facts again with the bank's on top, and a facts run
 * re-assesses them (labels stay on top). Nothing to do when the report is not triaged yet: triage
 * reads the matches itself. Idempotent: the base facts are rebuilt from the report, not patched.
 */
export async function applyBankMatches(deps: TriageDeps, fileId: string): Promise<{ incidents: number; runId: string | null }> {
  const reportId = await findReportOfFile(deps.db, fileId);
  if (!reportId) return { incidents: 0, runId: null };
  const report = await findReportForTriage(deps.db, reportId);
  if (!report) return { incidents: 0, runId: null };
  const orgId = report.clearinghouse_org_id;
  return deps.db.transaction().execute(async (trx) => {
    await lockOrgTriage(trx, orgId);
    if (!(await isReportTriaged(trx, reportId))) return { incidents: 0, runId: null };
    const rows = await incidentsOfFile(trx, orgId, fileId);
    if (rows.length === 0) return { incidents: 0, runId: null };
    const body = reportJson(report.body ?? parseDocument(report.document));
    const [persons, files] = await Promise.all([listPersonsOfReport(trx, reportId), listFilesOfReport(trx, reportId)]);
    const f = files.find((x) => x.id === fileId);
    const details = f ? fileDetailsOf(body, f) : undefined;
    const parties = new Map(persons.filter((p) => p.role === 'reported').map((p) => [p.id, partyOf(body, p)] as const));
    const bank = bankFactsByFile(await bankMatchesOfFiles(trx, [fileId], orgId)).get(fileId);
    for (const row of rows) {
      const own = incidentBaseFacts({ report: body, file: details, party: row.person_id ? parties.get(row.person_id) : undefined });
      const base = bank ? withBankFacts(own, bank) : own;
      await setIncidentBaseFacts(trx, row.incident_id, { facts: base.facts, conflicts: base.conflicts } satisfies StoredBaseFacts);
    }
    const runId = await createFactsRun(trx, { files: [fileId] }, `bank match on file ${fileId}`);
    return { incidents: rows.length, runId };
  });
}
