/**
 * Maps what a CyberTipline report says (industry classification A1/A2/B1/B2, file annotations,
 * report annotations, incident type, dates, the reported person's age) onto neutral facts.
 * Never onto legal outcomes: rule packs do that. What the report does not say stays unknown,
 * and what it says only vaguely becomes a `oneOf` list (an A1 file is prepubescent and shows a
 * sex act, but may be a photograph, a realistic synthetic image or a drawing).
 *
 * Flags that matter for priority and bundling but are not facts about content or conduct
 * (viral, potentialMeme, physicalHarm, sextortion, …) come back as `signals`.
 *
 * Input types are the minimal slices of the report JSON this needs (element names of
 * cyber_tipline.xsd, camelCase; repeated elements are arrays; presence flags are `true`).
 *
 * @example
 *   const mapped = factsFromCybertipIncident({
 *     incidentSummary: { incidentType: 'Child Pornography (possession, manufacture, and distribution)', incidentDateTime: '2024-03-01T10:00:00Z' },
 *     file: { industryClassification: 'B1', publiclyAvailable: true },
 *     reportedPerson: { age: 14 },
 *   });
 *   // mapped.facts.content → { value: 'sex_act', source: 'reporter_classification', detail: 'industryClassification B1' }
 */
import { mergeFacts, type FactConflict } from './facts.merger.js';
import type { AgeBand, Conduct, Content, Depiction, FactSource, SourcedFacts } from './facts.schema.js';

/** Report- and file-level flags that are context for triage rather than facts for the law. */
export const contextSignalValues = [
  'viral',
  'potentialMeme',
  'physicalHarm',
  'violenceGore',
  'bestiality',
  'liveStreaming',
  'sextortion',
  'csamSolicitation',
  'minorToMinorInteraction',
  'spam',
  'sadisticOnlineExploitation',
  'escalatedToHighPriority',
  'childSexTrafficking',
  'childSexTourism',
  'childSexualMolestation',
  'onlineEnticement',
  'misleadingDomainName',
  'misleadingWordsOrImages',
  'unsolicitedObsceneMaterialToChild',
  'supplementalFile',
  'vicsNonPertinent',
  'vicsComparisonImage',
  'vicsNeedsNationalAssessment',
] as const;
export type ContextSignal = (typeof contextSignalValues)[number];

/** Facts from one input, plus context signals and notes on anything that was ignored. */
export interface MappedFacts {
  facts: SourcedFacts;
  signals: ContextSignal[];
  notes: string[];
}

export interface CybertipFileAnnotations {
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

export interface CybertipReportAnnotations {
  sextortion?: boolean;
  csamSolicitation?: boolean;
  minorToMinorInteraction?: boolean;
  spam?: boolean;
  sadisticOnlineExploitation?: boolean;
}

/** The slice of `fileDetails` this mapper reads. */
export interface CybertipFileInput {
  fileRelevance?: string;
  industryClassification?: string;
  fileAnnotations?: CybertipFileAnnotations;
  /** The XSD allows `potentialMeme` directly on the file as an alternative to the annotation. */
  potentialMeme?: boolean;
  publiclyAvailable?: boolean;
  uploadedToEspTimestamp?: string;
}

/** The slice of `incidentSummary` this mapper reads. */
export interface CybertipIncidentSummaryInput {
  incidentType?: string;
  incidentDateTime?: string;
  escalateToHighPriority?: string;
  reportAnnotations?: CybertipReportAnnotations;
}

/** The slice of a `person` record (the reported person) this mapper reads. */
export interface CybertipPersonInput {
  age?: number;
  dateOfBirth?: string;
}

const visualDepictions: Depiction[] = ['real', 'realistic_synthetic', 'drawing'];

const industryClassifications: Record<string, { band: AgeBand[]; content: Content; label: string }> = {
  // A = prepubescent (which includes infants); B = pubescent. 1 = sex act; 2 = lascivious exhibition.
  A1: { band: ['infant_toddler', 'prepubescent'], content: 'sex_act', label: 'prepubescent minor, sex act' },
  A2: {
    band: ['infant_toddler', 'prepubescent'],
    content: 'genital_focus',
    label: 'prepubescent minor, lascivious exhibition',
  },
  B1: { band: ['pubescent'], content: 'sex_act', label: 'pubescent minor, sex act' },
  B2: { band: ['pubescent'], content: 'genital_focus', label: 'pubescent minor, lascivious exhibition' },
};

function enumStatement<T extends string>(values: T[], source: FactSource, detail: string) {
  return values.length === 1 ? { value: values[0], source, detail } : { oneOf: values, source, detail };
}

/**
 * The CyberTipline industry classification (A1, A2, B1, B2). Also serves hash banks whose
 * categories use the same scale: pass `source: 'hash_bank_category'`.
 * The scale covers only visual material, so depiction becomes "photograph, realistic synthetic or
 * drawing"; the file annotations or an analyst narrow it.
 */
export function factsFromIndustryClassification(
  code: string | undefined,
  source: FactSource = 'reporter_classification',
): MappedFacts {
  if (code === undefined || code === '') return { facts: {}, signals: [], notes: [] };
  const entry = industryClassifications[code.trim().toUpperCase()];
  if (!entry)
    return {
      facts: {},
      signals: [],
      notes: [`Unknown industry classification "${code}" ignored (expected A1, A2, B1 or B2).`],
    };
  const detail = `industryClassification ${code.trim().toUpperCase()} (${entry.label})`;
  return {
    facts: {
      depiction: enumStatement(visualDepictions, source, detail),
      depictedAgeBand: enumStatement(entry.band, source, detail),
      content: enumStatement([entry.content], source, detail),
    },
    signals: [],
    notes: [],
  };
}

/** The per-file annotations of the CyberTipline API. Only flags that are `true` count. */
export function factsFromFileAnnotations(annotations: CybertipFileAnnotations | undefined): MappedFacts {
  const facts: SourcedFacts = {};
  const signals: ContextSignal[] = [];
  if (!annotations) return { facts, signals, notes: [] };
  const source: FactSource = 'file_annotation';
  const drawn = annotations.animeDrawingVirtualHentai === true;
  const generated = annotations.generativeAi === true;
  if (drawn && generated) {
    facts.depiction = enumStatement<Depiction>(
      ['drawing', 'realistic_synthetic'],
      source,
      'animeDrawingVirtualHentai, generativeAi',
    );
  } else if (drawn) {
    // "Virtual" may mean photo-realistic CGI, so a drawing is likely but not certain.
    facts.depiction = enumStatement<Depiction>(
      ['drawing', 'realistic_synthetic'],
      source,
      'animeDrawingVirtualHentai',
    );
  } else if (generated) {
    // Generative AI can produce photo-realistic or drawn images; the flag does not say which.
    facts.depiction = enumStatement<Depiction>(['realistic_synthetic', 'drawing'], source, 'generativeAi');
  }
  if (annotations.infant === true)
    facts.depictedAgeBand = { value: 'infant_toddler', source, detail: 'infant' };
  if (annotations.possibleSelfProduction === true) {
    facts.selfProduced = { value: true, source, detail: 'possibleSelfProduction (the reporter believes so)' };
  }
  if (annotations.bestiality === true) {
    // The industry scale counts bestiality as a sex act; the flag alone says nothing about age.
    facts.content = { value: 'sex_act', source, detail: 'bestiality' };
    signals.push('bestiality');
  }
  if (annotations.viral === true) signals.push('viral');
  if (annotations.potentialMeme === true) signals.push('potentialMeme');
  if (annotations.physicalHarm === true) signals.push('physicalHarm');
  if (annotations.violenceGore === true) signals.push('violenceGore');
  if (annotations.liveStreaming === true) signals.push('liveStreaming');
  return { facts, signals, notes: [] };
}

/** Report-level annotations: only `csamSolicitation` is a fact (conduct); the rest are signals. */
export function factsFromReportAnnotations(annotations: CybertipReportAnnotations | undefined): MappedFacts {
  const facts: SourcedFacts = {};
  const signals: ContextSignal[] = [];
  if (!annotations) return { facts, signals, notes: [] };
  if (annotations.csamSolicitation === true) {
    // Report annotations describe the incident, which is what incident_type describes too.
    facts.conduct = {
      value: 'solicit',
      source: 'incident_type',
      detail: 'reportAnnotations.csamSolicitation',
    };
    signals.push('csamSolicitation');
  }
  if (annotations.sextortion === true) signals.push('sextortion');
  if (annotations.minorToMinorInteraction === true) signals.push('minorToMinorInteraction');
  if (annotations.spam === true) signals.push('spam');
  if (annotations.sadisticOnlineExploitation === true) signals.push('sadisticOnlineExploitation');
  return { facts, signals, notes: [] };
}

export const cybertipIncidentTypes = [
  'Child Pornography (possession, manufacture, and distribution)',
  'Child Sex Trafficking',
  'Child Sex Tourism',
  'Child Sexual Molestation',
  'Misleading Domain Name',
  'Misleading Words or Digital Images on the Internet',
  'Online Enticement of Children for Sexual Acts',
  'Unsolicited Obscene Material Sent to a Child',
] as const;

const incidentTypeMapping: Record<
  string,
  { conduct?: Conduct[]; commercial?: boolean; signal?: ContextSignal }
> = {
  'Child Pornography (possession, manufacture, and distribution)': {
    conduct: ['possess', 'produce', 'distribute'],
  },
  'Child Sex Trafficking': { commercial: true, signal: 'childSexTrafficking' },
  'Child Sex Tourism': { signal: 'childSexTourism' },
  'Child Sexual Molestation': { signal: 'childSexualMolestation' },
  'Misleading Domain Name': { signal: 'misleadingDomainName' },
  'Misleading Words or Digital Images on the Internet': { signal: 'misleadingWordsOrImages' },
  'Online Enticement of Children for Sexual Acts': { conduct: ['solicit'], signal: 'onlineEnticement' },
  // The child receives adult material here: nothing about a depicted child follows from it.
  'Unsolicited Obscene Material Sent to a Child': { signal: 'unsolicitedObsceneMaterialToChild' },
};

/** The incident type of the report: the coarsest source of facts. */
export function factsFromIncidentType(incidentType: string | undefined): MappedFacts {
  if (incidentType === undefined || incidentType === '') return { facts: {}, signals: [], notes: [] };
  const entry = incidentTypeMapping[incidentType];
  if (!entry) return { facts: {}, signals: [], notes: [`Unknown incident type "${incidentType}" ignored.`] };
  const facts: SourcedFacts = {};
  const detail = `incidentType "${incidentType}"`;
  if (entry.conduct) facts.conduct = enumStatement(entry.conduct, 'incident_type', detail);
  if (entry.commercial) facts.commercial = { value: true, source: 'incident_type', detail };
  return { facts, signals: entry.signal ? [entry.signal] : [], notes: [] };
}

const dateTimePrefix = /^(\d{4}-\d{2}-\d{2})(?:$|T)/;

/**
 * The calendar date of an XSD dateTime, as the reporter wrote it. Near midnight the date in the
 * receiving jurisdiction may differ by a day; rule changes are rare enough that an analyst can
 * re-check a conduct date that falls on a boundary.
 */
export function conductDateFromDateTime(dateTime: string | undefined): string | undefined {
  const match = dateTime ? dateTimePrefix.exec(dateTime.trim()) : null;
  if (!match?.[1]) return undefined;
  const date = match[1];
  const parsed = new Date(`${date}T00:00:00Z`);
  return Number.isNaN(parsed.getTime()) || parsed.toISOString().slice(0, 10) !== date ? undefined : date;
}

/** Whole years between a date of birth and a date (both ISO dates); undefined if either is invalid. */
export function ageOnDate(dateOfBirth: string, onDate: string): number | undefined {
  const birth = conductDateFromDateTime(dateOfBirth);
  const on = conductDateFromDateTime(onDate);
  if (!birth || !on || birth > on) return undefined;
  const [by, bm, bd] = birth.split('-').map(Number) as [number, number, number];
  const [oy, om, od] = on.split('-').map(Number) as [number, number, number];
  return oy - by - (om < bm || (om === bm && od < bd) ? 1 : 0);
}

export interface CybertipIncidentInput {
  incidentSummary?: CybertipIncidentSummaryInput;
  /** The file this incident concerns (one person, one file, one time). */
  file?: CybertipFileInput;
  /** The reported person (the suspect of this incident). */
  reportedPerson?: CybertipPersonInput;
  /** The report's intended recipients, if any: naming one means the file was sent to someone. */
  intendedRecipient?: readonly unknown[];
}

/**
 * Every fact one incident of a CyberTipline report yields, merged by source precedence.
 * Combine the result with hash-bank and analyst facts through `mergeFacts`.
 */
export function factsFromCybertipIncident(
  input: CybertipIncidentInput,
): MappedFacts & { conflicts: FactConflict[] } {
  const parts: MappedFacts[] = [];
  const notes: string[] = [];
  const signals: ContextSignal[] = [];
  const summary = input.incidentSummary ?? {};
  const file = input.file;

  // Report annotations first: they share the incident_type rank and are the more specific of the two.
  parts.push(factsFromReportAnnotations(summary.reportAnnotations));
  parts.push(factsFromIncidentType(summary.incidentType));
  if (summary.escalateToHighPriority && summary.escalateToHighPriority.trim() !== '')
    signals.push('escalatedToHighPriority');

  if (file) {
    const supplemental = file.fileRelevance === 'Supplemental Reported';
    if (supplemental) signals.push('supplementalFile');
    if (supplemental && file.industryClassification) {
      // Only files marked Reported may carry an industry classification (18 U.S.C. § 2258A(b)(5)).
      notes.push('Industry classification on a Supplemental Reported file ignored.');
    } else {
      parts.push(factsFromIndustryClassification(file.industryClassification));
    }
    parts.push(factsFromFileAnnotations(file.fileAnnotations));
    if (file.potentialMeme === true) signals.push('potentialMeme');
  }

  const detailFacts: SourcedFacts = {};
  const uploadDate = conductDateFromDateTime(file?.uploadedToEspTimestamp);
  const incidentDate = conductDateFromDateTime(summary.incidentDateTime);
  if (uploadDate)
    detailFacts.conductDate = {
      value: uploadDate,
      source: 'report_detail',
      detail: 'fileDetails.uploadedToEspTimestamp',
    };
  else if (incidentDate)
    detailFacts.conductDate = {
      value: incidentDate,
      source: 'report_detail',
      detail: 'incidentSummary.incidentDateTime',
    };
  if (file?.uploadedToEspTimestamp && !uploadDate)
    notes.push(`Unreadable uploadedToEspTimestamp "${file.uploadedToEspTimestamp}" ignored.`);
  if (summary.incidentDateTime && !incidentDate)
    notes.push(`Unreadable incidentDateTime "${summary.incidentDateTime}" ignored.`);

  if (file?.publiclyAvailable === true) {
    detailFacts.conduct = {
      value: 'distribute',
      source: 'report_detail',
      detail: 'fileDetails.publiclyAvailable',
    };
  } else if ((input.intendedRecipient?.length ?? 0) > 0) {
    detailFacts.conduct = {
      value: 'distribute',
      source: 'report_detail',
      detail: 'the report names intended recipients',
    };
  }

  const person = input.reportedPerson;
  const conductDate = detailFacts.conductDate?.value;
  const bornAge = person?.dateOfBirth && conductDate ? ageOnDate(person.dateOfBirth, conductDate) : undefined;
  if (bornAge !== undefined) {
    detailFacts.suspectAge = {
      value: bornAge,
      source: 'report_detail',
      detail: 'reported person dateOfBirth at the conduct date',
    };
  } else if (
    person?.age !== undefined &&
    Number.isInteger(person.age) &&
    person.age >= 0 &&
    person.age <= 130
  ) {
    detailFacts.suspectAge = { value: person.age, source: 'report_detail', detail: 'reported person age' };
  }
  parts.push({ facts: detailFacts, signals: [], notes: [] });

  const merged = mergeFacts(parts.map((p) => p.facts));
  for (const part of parts) {
    signals.push(...part.signals);
    notes.push(...part.notes);
  }
  return { facts: merged.facts, signals: [...new Set(signals)], notes, conflicts: merged.conflicts };
}
