/**
 * Maps Project VIC (VICS) media categories onto neutral facts. VICS categories are investigative
 * labels, not legal verdicts (research note §3.4): category 1 "Child Abuse Material" follows the
 * US federal idea of sexually explicit conduct, while categories 2 ("exploitive, non-CAM / age
 * difficult") and 3 ("CGI / animation") are exactly where jurisdictions diverge, so they yield
 * few facts and the signal `vicsNeedsNationalAssessment`.
 *
 * A category number means nothing without its scheme: tools disagree on 0 and 5, and the UK
 * variant's numbers are unknown. Callers pass the scheme explicitly (see
 * `vicsSchemeFromOdataContext`); an unknown scheme yields no facts.
 *
 * @example
 *   factsFromVicsCategory(1, 'vics_us').facts.content
 *   // → { oneOf: ['sex_act', 'genital_focus'], source: 'hash_bank_category', detail: 'VICS (US) category 1: Child Abuse Material' }
 */
import type { ContextSignal, MappedFacts } from './cybertip-facts.mapper.js';
import type { AgeBand, Content, Depiction, SourcedFacts } from './facts.schema.js';

/**
 * - `vics_us`: Project VIC US, current (0 Non-Pertinent, 1 CAM, 2 Exploitive non-CAM / age
 *   difficult, 3 CGI/Animation, 4 Comparison), per Autopsy's ImageGalleryService.
 * - `vics_dhs_legacy`: the older DHS / early Project VIC scale (CAT-0 Uncategorized, CAT-1
 *   Illegal, CAT-2 Non-Illegal / Age Difficult, CAT-3 CGI/Animation, CAT-4 Exemplar, CAT-5
 *   Non-pertinent).
 * - `vics_uk`: the UK variant (CAID grades); its numeric codes are not known, so nothing is mapped.
 */
export const vicsCategorySchemes = ['vics_us', 'vics_dhs_legacy', 'vics_uk'] as const;
export type VicsCategoryScheme = (typeof vicsCategorySchemes)[number];

const minorBands: AgeBand[] = ['infant_toddler', 'prepubescent', 'pubescent', 'adolescent'];
const nonCgi: Depiction[] = ['real', 'realistic_synthetic'];
const cgi: Depiction[] = ['realistic_synthetic', 'drawing'];
const explicit: Content[] = ['sex_act', 'genital_focus'];

type Meaning =
  'non_pertinent' | 'cam' | 'exploitive_or_age_difficult' | 'cgi' | 'comparison' | 'uncategorized';

const meanings: Record<'vics_us' | 'vics_dhs_legacy', Record<number, { meaning: Meaning; label: string }>> = {
  vics_us: {
    0: { meaning: 'non_pertinent', label: 'Non-Pertinent' },
    1: { meaning: 'cam', label: 'Child Abuse Material' },
    2: { meaning: 'exploitive_or_age_difficult', label: 'Child Exploitive (Non-CAM) / Age Difficult' },
    3: { meaning: 'cgi', label: 'CGI / Animation - Child Exploitive' },
    4: { meaning: 'comparison', label: 'Comparison Images' },
  },
  vics_dhs_legacy: {
    0: { meaning: 'uncategorized', label: 'Uncategorized' },
    1: { meaning: 'cam', label: 'Child Exploitation (Illegal)' },
    2: { meaning: 'exploitive_or_age_difficult', label: 'Child Exploitation (Non-Illegal / Age Difficult)' },
    3: { meaning: 'cgi', label: 'CGI/Animation (Child Exploitive)' },
    4: { meaning: 'comparison', label: 'Exemplar/Comparison (Internal Use Only)' },
    5: { meaning: 'non_pertinent', label: 'Non-pertinent' },
  },
};

const schemeNames: Record<VicsCategoryScheme, string> = {
  vics_us: 'VICS (US)',
  vics_dhs_legacy: 'VICS (DHS legacy)',
  vics_uk: 'VICS (UK)',
};

/**
 * The scheme named by a VICS 2.0 `@odata.context` (…/2.0.xml/US/$metadata#Media → `vics_us`).
 * Returns undefined for the Default and CUSTOM variants and for 1.x files, whose category
 * meaning depends on the exporting application: the caller must decide.
 */
export function vicsSchemeFromOdataContext(context: string | undefined): VicsCategoryScheme | undefined {
  const match = context ? /\/2\.0\.xml\/([A-Za-z]+)\//.exec(context) : null;
  const variant = match?.[1]?.toUpperCase();
  if (variant === 'US') return 'vics_us';
  if (variant === 'UK') return 'vics_uk';
  return undefined;
}

/** Facts from one VICS category number under an explicit scheme. */
export function factsFromVicsCategory(
  category: number | null | undefined,
  scheme: VicsCategoryScheme,
): MappedFacts {
  if (category === null || category === undefined) return { facts: {}, signals: [], notes: [] };
  if (scheme === 'vics_uk') {
    return {
      facts: {},
      signals: ['vicsNeedsNationalAssessment'],
      notes: [
        `${schemeNames[scheme]} category ${category}: the UK variant's numeric codes are not known; no facts mapped.`,
      ],
    };
  }
  const entry = meanings[scheme][category];
  if (!entry)
    return {
      facts: {},
      signals: [],
      notes: [`${schemeNames[scheme]} category ${category} is not defined; ignored.`],
    };
  const source = 'hash_bank_category' as const;
  const detail = `${schemeNames[scheme]} category ${category}: ${entry.label}`;
  const facts: SourcedFacts = {};
  const signals: ContextSignal[] = [];
  switch (entry.meaning) {
    case 'cam':
      // CGI has its own category, so CAM is photographic or indistinguishable from it.
      facts.depiction = { oneOf: nonCgi, source, detail };
      facts.depictedAgeBand = { oneOf: minorBands, source, detail };
      facts.content = { oneOf: explicit, source, detail };
      break;
    case 'exploitive_or_age_difficult':
      // Either a minor in non-explicit material or explicit material whose age is unclear:
      // no single fact follows, only that a national assessment is needed.
      facts.depiction = { oneOf: nonCgi, source, detail };
      signals.push('vicsNeedsNationalAssessment');
      break;
    case 'cgi':
      facts.depiction = { oneOf: cgi, source, detail };
      facts.depictedAgeBand = { oneOf: minorBands, source, detail };
      signals.push('vicsNeedsNationalAssessment');
      break;
    case 'non_pertinent':
      signals.push('vicsNonPertinent');
      break;
    case 'comparison':
      signals.push('vicsComparisonImage');
      break;
    case 'uncategorized':
      break;
  }
  return { facts, signals, notes: [] };
}
