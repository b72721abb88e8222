/**
 * Explainable priority for a report or incident. Pure: the caller passes the clock (`asOf`).
 *
 * Every factor has a value in 0..1 and a configured weight (priority-config.schema.ts);
 * contribution = weight × value and score = max(0, Σ contributions), rounded to two decimals.
 * The level follows the thresholds: score ≥ p1 → P1 (imminent risk), ≥ p2 → P2, ≥ p3 → P3, else
 * informational. With the defaults an escalation alone (60) reaches P1, as the reporter asserted
 * an immediate risk to a child.
 *
 * | factor | value |
 * |---|---|
 * | escalation | 1 when `escalateToHighPriority` has text |
 * | sextortion_enticement | 1 for the sextortion, sadisticOnlineExploitation or csamSolicitation annotation, the enticement incident type, or conduct `solicit` |
 * | production_contact | 1 for conduct `produce`, the physicalHarm or liveStreaming annotation, or a molestation, trafficking or sex-tourism incident type |
 * | young_age | 1 for an infant (annotation or band `infant_toddler`); `prepubescentValue` for band `prepubescent` or classification A1/A2 (a band comes from `depictedAge` when not given) |
 * | new_content | share of files matching no hash bank |
 * | recency | 0.5 ^ (days since the latest conduct or incident date / `recencyHalfLifeDays`) |
 * | volume | log(1 + n) / log(1 + `volumeSaturation`), capped at 1; n = files or incidents, whichever is larger |
 * | reporter_history | (actionable + prior × strength) / (reports + strength) |
 * | low_signal | 1 for the spam annotation; `memeValue` when every file is a potential meme |
 *
 * @example
 *   scorePriority(
 *     { incidentSummary: { escalateToHighPriority: 'Child in danger now', incidentDateTime: '2025-05-01T00:00:00Z' } },
 *     { asOf: new Date('2025-05-02T00:00:00Z') },
 *   );
 *   // { score: 74.77, level: 'P1', factors: [{ factor: 'escalation', weight: 60, value: 1, contribution: 60, reason: '...' }, ...] }
 */
import { ageBandForAge } from '../facts/facts.schema.js';
import { defaultPriorityConfig, type PriorityConfig } from './priority-config.schema.js';

export type PriorityLevel = 'P1' | 'P2' | 'P3' | 'informational';

export type PriorityFactorName =
  | 'escalation'
  | 'sextortion_enticement'
  | 'production_contact'
  | 'young_age'
  | 'new_content'
  | 'recency'
  | 'volume'
  | 'reporter_history'
  | 'low_signal';

export interface PriorityFactor {
  factor: PriorityFactorName;
  weight: number;
  value: number;
  contribution: number;
  reason: string;
}

export interface PriorityResult {
  score: number;
  level: PriorityLevel;
  factors: PriorityFactor[];
}

// Minimal input shapes in the XSD's JSON form, plus what earlier stages add (bank matches, facts).
export interface ReportAnnotationsInput {
  sextortion?: boolean;
  csamSolicitation?: boolean;
  minorToMinorInteraction?: boolean;
  spam?: boolean;
  sadisticOnlineExploitation?: boolean;
}

export interface FileAnnotationsInput {
  animeDrawingVirtualHentai?: boolean;
  potentialMeme?: boolean;
  viral?: boolean;
  possibleSelfProduction?: boolean;
  physicalHarm?: boolean;
  violenceGore?: boolean;
  bestiality?: boolean;
  liveStreaming?: boolean;
  infant?: boolean;
  generativeAi?: boolean;
}

export interface PriorityFileInput {
  fileAnnotations?: FileAnnotationsInput;
  /** The XSD's legacy flag, an alternative to `fileAnnotations.potentialMeme`. */
  potentialMeme?: boolean;
  industryClassification?: string;
  /** Whether the analysis stage matched the file in a hash bank (known content). */
  bankMatched?: boolean;
}

/** The subset of neutral facts (triage facts) that priority reads. */
export interface PriorityFactsInput {
  depictedAgeBand?: string;
  /** Used for the band (facts' `ageBandForAge`) when no band is given. */
  depictedAge?: number;
  conduct?: string;
  conductDate?: string;
}

export interface PriorityInput {
  incidentSummary?: {
    incidentType?: string;
    escalateToHighPriority?: string;
    reportAnnotations?: ReportAnnotationsInput;
    incidentDateTime?: string;
  };
  files?: PriorityFileInput[];
  facts?: PriorityFactsInput[];
  /** Incidents in the report or bundle, when more than the files say. */
  incidentCount?: number;
  /** The reporter's past reports and how many of them proved actionable. */
  reporterHistory?: { reports: number; actionable: number };
}

export interface ScorePriorityOptions {
  asOf: Date;
  config?: PriorityConfig;
}

const dayMs = 86_400_000;
const enticementType = 'Online Enticement of Children for Sexual Acts';
const contactTypes = ['Child Sexual Molestation', 'Child Sex Trafficking', 'Child Sex Tourism'];
const maxQuotedReason = 200;

function round(x: number, digits: number): number {
  const f = 10 ** digits;
  return Math.round(x * f) / f;
}

function list<T>(x: T[] | undefined): T[] {
  return Array.isArray(x) ? x.filter((i) => i !== null && typeof i === 'object') : [];
}

function describeSignals(signals: string[], none: string): string {
  return signals.length === 0 ? none : signals.join('; ');
}

function countFiles(files: PriorityFileInput[], test: (f: PriorityFileInput) => boolean): number {
  return files.reduce((n, f) => n + (test(f) ? 1 : 0), 0);
}

function latestDate(input: PriorityInput, facts: PriorityFactsInput[]): { time: number; text: string; source: string } | undefined {
  const dated = [
    { text: input.incidentSummary?.incidentDateTime, source: 'incident date' },
    ...facts.map((f) => ({ text: f.conductDate, source: 'conduct date' })),
  ];
  let best: { time: number; text: string; source: string } | undefined;
  for (const d of dated) {
    if (typeof d.text !== 'string') continue;
    const time = Date.parse(d.text);
    if (Number.isNaN(time)) continue;
    if (!best || time > best.time) best = { time, text: d.text, source: d.source };
  }
  return best;
}

export function priorityLevel(score: number, thresholds: PriorityConfig['thresholds']): PriorityLevel {
  if (score >= thresholds.p1) return 'P1';
  if (score >= thresholds.p2) return 'P2';
  if (score >= thresholds.p3) return 'P3';
  return 'informational';
}

export function scorePriority(input: PriorityInput, options: ScorePriorityOptions): PriorityResult {
  const config = options.config ?? defaultPriorityConfig;
  const w = config.weights;
  const asOf = options.asOf.getTime();
  const summary = input?.incidentSummary ?? {};
  const annotations = summary.reportAnnotations ?? {};
  const files = list(input?.files);
  const facts = list(input?.facts);
  const conducts = new Set(facts.map((f) => f.conduct));
  const bands = new Set(
    facts.map((f) =>
      f.depictedAgeBand ?? (typeof f.depictedAge === 'number' && Number.isFinite(f.depictedAge) && f.depictedAge >= 0 ? ageBandForAge(f.depictedAge) : undefined),
    ),
  );
  const factors: PriorityFactor[] = [];
  const add = (factor: PriorityFactorName, weight: number, value: number, reason: string) => {
    // The contribution is computed from the value as shown, so an analyst can redo the sum.
    const v = round(Number.isFinite(value) ? Math.min(1, Math.max(0, value)) : 0, 3);
    factors.push({ factor, weight, value: v, contribution: round(weight * v, 2), reason });
  };

  // Escalation: the reporter's own statement of immediate risk.
  const escalation = typeof summary.escalateToHighPriority === 'string' ? summary.escalateToHighPriority.trim() : '';
  const quoted = escalation.length > maxQuotedReason ? `${escalation.slice(0, maxQuotedReason)}…` : escalation;
  add('escalation', w.escalation, escalation ? 1 : 0, escalation ? `reporter escalated: "${quoted}"` : 'no escalation requested');

  // Sextortion and enticement.
  const coercion: string[] = [];
  if (annotations.sextortion === true) coercion.push('sextortion annotation');
  if (annotations.sadisticOnlineExploitation === true) coercion.push('sadistic online exploitation annotation');
  if (annotations.csamSolicitation === true) coercion.push('CSAM solicitation annotation');
  if (summary.incidentType === enticementType) coercion.push('incident type: online enticement');
  if (conducts.has('solicit')) coercion.push('conduct: solicit');
  add('sextortion_enticement', w.sextortionEnticement, coercion.length ? 1 : 0, describeSignals(coercion, 'no sextortion or enticement signal'));

  // Production or contact abuse.
  const contact: string[] = [];
  if (conducts.has('produce')) contact.push('conduct: produce');
  const harmed = countFiles(files, (f) => f.fileAnnotations?.physicalHarm === true);
  if (harmed) contact.push(`physical harm annotation on ${harmed} file(s)`);
  const live = countFiles(files, (f) => f.fileAnnotations?.liveStreaming === true);
  if (live) contact.push(`live streaming annotation on ${live} file(s)`);
  if (typeof summary.incidentType === 'string' && contactTypes.includes(summary.incidentType)) contact.push(`incident type: ${summary.incidentType}`);
  add('production_contact', w.productionContact, contact.length ? 1 : 0, describeSignals(contact, 'no production or contact indicator'));

  // Youngest depicted age band.
  const infants = countFiles(files, (f) => f.fileAnnotations?.infant === true);
  const prepubescentCodes = countFiles(files, (f) => f.industryClassification === 'A1' || f.industryClassification === 'A2');
  if (infants || bands.has('infant_toddler')) {
    add('young_age', w.youngAge, 1, infants ? `infant annotation on ${infants} file(s)` : 'depicted age band: infant_toddler');
  } else if (prepubescentCodes || bands.has('prepubescent')) {
    add(
      'young_age',
      w.youngAge,
      config.prepubescentValue,
      prepubescentCodes ? `industry classification A (prepubescent) on ${prepubescentCodes} file(s)` : 'depicted age band: prepubescent',
    );
  } else {
    add('young_age', w.youngAge, 0, 'no infant or prepubescent indication');
  }

  // New versus known content.
  if (files.length === 0) {
    add('new_content', w.newContent, 0, 'no files reported');
  } else {
    const unmatched = countFiles(files, (f) => f.bankMatched !== true);
    add('new_content', w.newContent, unmatched / files.length, `${unmatched} of ${files.length} file(s) match no hash bank`);
  }

  // Recency.
  const latest = latestDate(input ?? {}, facts);
  if (!latest) {
    add('recency', w.recency, 0, 'no conduct or incident date');
  } else {
    const ageDays = Math.max(0, (asOf - latest.time) / dayMs);
    add('recency', w.recency, 0.5 ** (ageDays / config.recencyHalfLifeDays), `latest ${latest.source} ${latest.text}, ${Math.floor(ageDays)} day(s) before ${options.asOf.toISOString()}`);
  }

  // Volume.
  const incidents = typeof input?.incidentCount === 'number' && Number.isFinite(input.incidentCount) ? Math.max(0, Math.floor(input.incidentCount)) : 0;
  const n = Math.max(files.length, incidents);
  add('volume', w.volume, Math.log(1 + n) / Math.log(1 + config.volumeSaturation), `${files.length} file(s), ${incidents} incident(s)`);

  // Reporter history, shrunk towards the prior while the reporter has few reports.
  const history = input?.reporterHistory;
  const prior = config.reporterHistoryPrior;
  const k = config.reporterHistoryPriorStrength;
  if (history && Number.isFinite(history.reports) && Number.isFinite(history.actionable) && history.reports >= 0 && history.actionable >= 0) {
    const reports = Math.floor(history.reports);
    const actionable = Math.min(reports, Math.floor(history.actionable));
    const value = reports + k > 0 ? (actionable + prior * k) / (reports + k) : prior;
    add('reporter_history', w.reporterHistory, value, `${actionable} of ${reports} past report(s) actionable (prior ${prior} worth ${k} reports)`);
  } else {
    add('reporter_history', w.reporterHistory, prior, 'no reporter history; prior used');
  }

  // Spam and meme signals.
  const memes = countFiles(files, (f) => f.potentialMeme === true || f.fileAnnotations?.potentialMeme === true);
  if (annotations.spam === true) {
    add('low_signal', w.lowSignal, 1, 'spam annotation');
  } else if (files.length > 0 && memes === files.length) {
    add('low_signal', w.lowSignal, config.memeValue, `all ${files.length} file(s) flagged potential meme`);
  } else {
    add('low_signal', w.lowSignal, 0, memes ? `${memes} of ${files.length} file(s) flagged potential meme` : 'no spam or meme signal');
  }

  const score = round(Math.max(0, factors.reduce((sum, f) => sum + f.contribution, 0)), 2);
  return { score, level: priorityLevel(score, config.thresholds), factors };
}
