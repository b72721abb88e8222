/**
 * Neutral facts about one file or incident: what is depicted, how old the depicted person appears,
 * what the content shows, what the suspect did and when. Facts never say "illegal"; rule packs
 * (src/triage/rules) turn them into a legal outcome per jurisdiction.
 *
 * Three shapes:
 * - `Facts` (`factsSchema`): the complete plain form of issue 4, one value per fact.
 * - `AssessableFacts` (`assessableFactsSchema`): the plain form with every fact optional except
 *   `conductDate`; an omitted fact is unknown. This is what `tipline assess` reads.
 * - `SourcedFacts` (`sourcedFactsSchema`): each fact with the source it came from and, for the
 *   enumerated facts, either one `value` or a `oneOf` list of possible values (an A1 industry
 *   classification says "prepubescent" but not whether the image is a photograph or a drawing).
 *   Mappers produce this form; `mergeFacts` combines it by source precedence.
 *
 * @example
 *   const facts = assessableFactsSchema.parse({
 *     depiction: 'real', depictedAge: 15, content: 'sex_act', conduct: 'distribute', conductDate: '2024-03-01',
 *   });
 */
import { z } from 'zod';

export const depictionValues = ['real', 'realistic_synthetic', 'drawing', 'text', 'audio'] as const;
export const ageBandValues = [
  'infant_toddler',
  'prepubescent',
  'pubescent',
  'adolescent',
  'adult',
  'unknown',
] as const;
export const contentValues = [
  'sex_act',
  'genital_focus',
  'sexual_posing',
  'nudity',
  'clothed_sexualised',
  'clothed',
] as const;
export const conductValues = ['produce', 'distribute', 'possess', 'access', 'solicit'] as const;

export const depictionSchema = z.enum(depictionValues);
export const ageBandSchema = z.enum(ageBandValues);
export const contentSchema = z.enum(contentValues);
export const conductSchema = z.enum(conductValues);

export type Depiction = z.infer<typeof depictionSchema>;
export type AgeBand = z.infer<typeof ageBandSchema>;
/** An age band that says something: every band except `unknown`. */
export type KnownAgeBand = Exclude<AgeBand, 'unknown'>;
export type Content = z.infer<typeof contentSchema>;
export type Conduct = z.infer<typeof conductSchema>;

export const knownAgeBandValues = ageBandValues.filter((b): b is KnownAgeBand => b !== 'unknown');

/**
 * Whole years each band spans (inclusive). A working definition, not a legal one: the bands come
 * from the CyberTipline's "prepubescent" / "pubescent" axis and the research note's §7. "pubescent"
 * is wide on purpose (a B-classified file can show anyone from the start of puberty to 17);
 * "adolescent" is a visibly teenage person. Rules compare ages against these bounds when the
 * exact age is unknown, so a pubescent person is certainly under 18 but not certainly 15 or over.
 */
export const ageBandRanges: Readonly<Record<KnownAgeBand, { min: number; max: number }>> = {
  infant_toddler: { min: 0, max: 2 },
  prepubescent: { min: 0, max: 12 },
  pubescent: { min: 9, max: 17 },
  adolescent: { min: 13, max: 17 },
  adult: { min: 18, max: Number.POSITIVE_INFINITY },
};

/** The narrowest band for an exact age, used when an age is known but no band was given. */
export function ageBandForAge(age: number): KnownAgeBand {
  if (age <= 2) return 'infant_toddler';
  if (age <= 12) return 'prepubescent';
  if (age <= 17) return 'adolescent';
  return 'adult';
}

/** True when `age` lies inside the band's span (`unknown` admits every age). */
export function ageFitsBand(age: number, band: AgeBand): boolean {
  if (band === 'unknown') return true;
  const range = ageBandRanges[band];
  return age >= range.min && age <= range.max;
}

const ageSchema = z.number().int().min(0).max(130);
const isoDateSchema = z.iso.date();

const factShape = {
  depiction: depictionSchema,
  depictedAgeBand: ageBandSchema,
  /** The depicted person's apparent age in whole years, when known. */
  depictedAge: ageSchema.optional(),
  content: contentSchema,
  conduct: conductSchema,
  /** The date of the conduct (not of the report): rules are evaluated as the law stood then. */
  conductDate: isoDateSchema,
  /** The depicted person consents to the suspect possessing the material (DK § 235 stk. 3, NO § 311, …). */
  depictedConsentToPossession: z.boolean().optional(),
  /** The depicted person made the material themselves. */
  selfProduced: z.boolean().optional(),
  suspectAge: ageSchema.optional(),
  /** The conduct was for payment or gain. */
  commercial: z.boolean().optional(),
};

function checkAgeAgainstBand(
  facts: { depictedAge?: number; depictedAgeBand?: AgeBand },
  ctx: z.RefinementCtx,
): void {
  const { depictedAge, depictedAgeBand } = facts;
  if (depictedAge === undefined || depictedAgeBand === undefined || ageFitsBand(depictedAge, depictedAgeBand))
    return;
  const range = ageBandRanges[depictedAgeBand as KnownAgeBand];
  const span = Number.isFinite(range.max) ? `${range.min}–${range.max}` : `${range.min} or over`;
  ctx.addIssue({
    code: 'custom',
    path: ['depictedAge'],
    message: `depictedAge ${depictedAge} does not fit depictedAgeBand "${depictedAgeBand}" (ages ${span})`,
  });
}

/**
 * Run the age/band check even when other facts are invalid, so one error lists every problem;
 * skip it only when the age or band themselves failed (their values are then not to be trusted).
 */
const ageCheckParams = {
  when: (payload: { value: unknown; issues: readonly { path?: readonly PropertyKey[] }[] }) =>
    typeof payload.value === 'object' &&
    payload.value !== null &&
    !Array.isArray(payload.value) &&
    !payload.issues.some((i) => i.path?.[0] === 'depictedAge' || i.path?.[0] === 'depictedAgeBand'),
};

/** The complete plain facts of issue 4: one value per fact. */
export const factsSchema = z.strictObject(factShape).superRefine(checkAgeAgainstBand, ageCheckParams);
export type Facts = z.infer<typeof factsSchema>;

/** Plain facts where everything but `conductDate` may be omitted (= unknown). */
export const assessableFactsSchema = z
  .strictObject({
    ...factShape,
    depiction: depictionSchema.optional(),
    depictedAgeBand: ageBandSchema.optional(),
    content: contentSchema.optional(),
    conduct: conductSchema.optional(),
  })
  .superRefine(checkAgeAgainstBand, ageCheckParams);
export type AssessableFacts = z.infer<typeof assessableFactsSchema>;

/** Every fact name, in a stable order (used in explanations and condition schemas). */
export const factNames = [
  'depiction',
  'depictedAgeBand',
  'depictedAge',
  'content',
  'conduct',
  'conductDate',
  'depictedConsentToPossession',
  'selfProduced',
  'suspectAge',
  'commercial',
] as const;
export type FactName = (typeof factNames)[number];

type OneOrMany<T> = T | readonly T[];

/**
 * What the rule evaluator reads: plain facts where an enumerated fact may also be a list of
 * possible values (from `oneOf` sources). `AssessableFacts` is assignable to it.
 */
export interface EvaluationFacts {
  depiction?: OneOrMany<Depiction>;
  depictedAgeBand?: OneOrMany<AgeBand>;
  depictedAge?: number;
  content?: OneOrMany<Content>;
  conduct?: OneOrMany<Conduct>;
  conductDate: string;
  depictedConsentToPossession?: boolean;
  selfProduced?: boolean;
  suspectAge?: number;
  commercial?: boolean;
}

function oneOrMany<T extends z.ZodType>(schema: T) {
  return z.union([schema, z.array(schema).min(1)]);
}

/** `EvaluationFacts` as a schema (used by the rule-pack case tables). */
export const evaluationFactsSchema = z
  .strictObject({
    ...factShape,
    depiction: oneOrMany(depictionSchema).optional(),
    depictedAgeBand: oneOrMany(ageBandSchema).optional(),
    content: oneOrMany(contentSchema).optional(),
    conduct: oneOrMany(conductSchema).optional(),
  })
  .superRefine((facts, ctx) => {
    if (typeof facts.depictedAgeBand === 'string')
      checkAgeAgainstBand({ ...facts, depictedAgeBand: facts.depictedAgeBand }, ctx);
  }, ageCheckParams);

// ---------------------------------------------------------------------------------------------
// Sources and precedence
// ---------------------------------------------------------------------------------------------

/**
 * Where a fact came from, strongest first. The order is the precedence `mergeFacts` applies:
 * 1. `analyst_label`: a trained analyst looked (or a classification memory of such a look); wins
 *    over everything else and is never refined by weaker sources.
 * 2. `hash_bank_category`: a category from a curated hash bank (Project VIC, NCMEC-style lists),
 *    assigned by investigators who viewed the file.
 * 3. `file_annotation`: the reporter's per-file flags (infant, generativeAi, …): specific but
 *    unreviewed.
 * 4. `reporter_classification`: the reporter's A1/A2/B1/B2 industry classification.
 * 5. `report_detail`: other report fields (incident date, upload timestamp, the reported person's
 *    age, public availability). Not in issue 4's list; added because conduct date and suspect age
 *    need a source too.
 * 6. `incident_type`: the report-level incident type, the coarsest signal.
 */
export const factSourceValues = [
  'analyst_label',
  'hash_bank_category',
  'file_annotation',
  'reporter_classification',
  'report_detail',
  'incident_type',
] as const;
export const factSourceSchema = z.enum(factSourceValues);
export type FactSource = z.infer<typeof factSourceSchema>;

/** Precedence rank of a source: 0 is strongest. */
export function factSourceRank(source: FactSource): number {
  return factSourceValues.indexOf(source);
}

const sourceFields = {
  source: factSourceSchema,
  /** Human-readable provenance, e.g. "industryClassification A1". */
  detail: z.string().optional(),
};

function sourcedEnum<T extends readonly [string, ...string[]]>(values: T) {
  const value = z.enum(values);
  return z.union([
    z.strictObject({ value, ...sourceFields }),
    z.strictObject({ oneOf: z.array(value).min(2), ...sourceFields }),
  ]);
}

function sourcedScalar<T extends z.ZodType>(schema: T) {
  return z.strictObject({ value: schema, ...sourceFields });
}

export const sourcedFactsSchema = z.strictObject({
  depiction: sourcedEnum(depictionValues).optional(),
  depictedAgeBand: sourcedEnum(ageBandValues).optional(),
  depictedAge: sourcedScalar(ageSchema).optional(),
  content: sourcedEnum(contentValues).optional(),
  conduct: sourcedEnum(conductValues).optional(),
  conductDate: sourcedScalar(isoDateSchema).optional(),
  depictedConsentToPossession: sourcedScalar(z.boolean()).optional(),
  selfProduced: sourcedScalar(z.boolean()).optional(),
  suspectAge: sourcedScalar(ageSchema).optional(),
  commercial: sourcedScalar(z.boolean()).optional(),
});
export type SourcedFacts = z.infer<typeof sourcedFactsSchema>;

/** A sourced enumerated fact: one value, or a list of possible values. */
export type SourcedEnumFact<T extends string> =
  { value: T; source: FactSource; detail?: string } | { oneOf: T[]; source: FactSource; detail?: string };
export type SourcedScalarFact<T> = { value: T; source: FactSource; detail?: string };

export const enumFactNames = ['depiction', 'depictedAgeBand', 'content', 'conduct'] as const;
export type EnumFactName = (typeof enumFactNames)[number];
export const numberFactNames = ['depictedAge', 'suspectAge'] as const;
export type NumberFactName = (typeof numberFactNames)[number];
export const booleanFactNames = ['depictedConsentToPossession', 'selfProduced', 'commercial'] as const;
export type BooleanFactName = (typeof booleanFactNames)[number];

/** The allowed values of each enumerated fact. */
export const enumFactValues: { readonly [K in EnumFactName]: readonly string[] } = {
  depiction: depictionValues,
  depictedAgeBand: ageBandValues,
  content: contentValues,
  conduct: conductValues,
};
