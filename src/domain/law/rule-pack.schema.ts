/**
 * The schema of a jurisdiction rule pack (rulepacks/<CC>.yaml) and of its case table
 * (rulepacks/<CC>.cases.yaml). A pack is the law of one jurisdiction as data: ordered rules
 * whose conditions on neutral facts decide an outcome, each citing its statute and stating the
 * dates it is valid for. The format is documented in rulepacks/README.md.
 *
 * @example
 *   const pack = rulePackSchema.parse(YAML.parse(text));
 *   describeRulePack(pack); // { jurisdiction: 'DK', version: '1.0.0', status: 'reference', changes: ['2025-07-01'], … }
 */
import { z } from 'zod';
import {
  ageBandValues,
  conductValues,
  contentValues,
  depictionValues,
  evaluationFactsSchema,
  type KnownAgeBand,
} from '../facts/facts.schema.js';

export const outcomeValues = [
  'baseline',
  'national_illegal',
  'other_offence',
  'not_illegal',
  'uncertain',
] as const;
export const outcomeSchema = z.enum(outcomeValues);
export type Outcome = z.infer<typeof outcomeSchema>;
export type NationalOutcome = Exclude<Outcome, 'baseline'>;

export const packStatusValues = ['reviewed', 'reference'] as const;
export const packStatusSchema = z.enum(packStatusValues);
export type PackStatus = z.infer<typeof packStatusSchema>;

/** How well the research behind a rule is sourced (the research note's [H] / [M] / [L]). */
export const confidenceValues = ['high', 'medium', 'low'] as const;
export type Confidence = (typeof confidenceValues)[number];

const isoDate = z.iso.date();
const nonEmpty = z.string().trim().min(1);

export const citationSchema = z.strictObject({
  statute: nonEmpty,
  section: nonEmpty,
  /** What the provision says, summarised from the research (not a verbatim quotation unless marked). */
  text: nonEmpty.optional(),
  url: z.url().optional(),
});
export type Citation = z.infer<typeof citationSchema>;

export const sourceSchema = z.strictObject({ title: nonEmpty, url: z.url() });

const ifUnknown = z.enum(['match', 'no_match']).optional();

function exactlyOne(keys: readonly string[]) {
  return (condition: Record<string, unknown>, ctx: z.RefinementCtx) => {
    const present = keys.filter((k) => condition[k] !== undefined);
    if (present.length === 0)
      ctx.addIssue({ code: 'custom', message: `A condition needs one of: ${keys.join(', ')}` });
    if (present.length > 1 && !present.every((k) => k === 'lt' || k === 'gte')) {
      ctx.addIssue({
        code: 'custom',
        message: `A condition may use only one of ${keys.join(', ')} (lt and gte may be combined); found ${present.join(', ')}`,
      });
    }
    if (condition.unknown !== undefined && condition.ifUnknown !== undefined) {
      ctx.addIssue({ code: 'custom', message: '"ifUnknown" has no meaning beside "unknown"' });
    }
  };
}

function enumCondition<T extends readonly [string, ...string[]]>(values: T) {
  const value = z.enum(values);
  return z
    .strictObject({
      equals: value.optional(),
      in: z.array(value).min(1).optional(),
      unknown: z.boolean().optional(),
      ifUnknown,
    })
    .superRefine(exactlyOne(['equals', 'in', 'unknown']));
}

const age = z.number().int().min(0).max(130);

const numberCondition = z
  .strictObject({
    equals: age.optional(),
    in: z.array(age).min(1).optional(),
    lt: age.optional(),
    gte: age.optional(),
    unknown: z.boolean().optional(),
    ifUnknown,
  })
  .superRefine(exactlyOne(['equals', 'in', 'lt', 'gte', 'unknown']));

const booleanCondition = z
  .strictObject({ equals: z.boolean().optional(), unknown: z.boolean().optional(), ifUnknown })
  .superRefine(exactlyOne(['equals', 'unknown']));

const knownAgeBands = ageBandValues.filter((b): b is KnownAgeBand => b !== 'unknown') as [
  KnownAgeBand,
  ...KnownAgeBand[],
];

/**
 * Conditions on facts; all must hold. A condition the facts cannot decide (the fact is unknown,
 * or only a list of possible values is known and they disagree) leaves its rule undecided, unless
 * it states a presumption: `ifUnknown: match` or `ifUnknown: no_match`. `unknown: true` holds
 * exactly when the fact is entirely unknown. See rulepacks/README.md.
 */
export const whenSchema = z.strictObject({
  depiction: enumCondition(depictionValues).optional(),
  depictedAgeBand: enumCondition(knownAgeBands).optional(),
  depictedAge: numberCondition.optional(),
  content: enumCondition(contentValues).optional(),
  conduct: enumCondition(conductValues).optional(),
  depictedConsentToPossession: booleanCondition.optional(),
  selfProduced: booleanCondition.optional(),
  suspectAge: numberCondition.optional(),
  commercial: booleanCondition.optional(),
});
export type RuleConditions = z.infer<typeof whenSchema>;
export type ConditionFact = keyof RuleConditions;

export const ruleSchema = z
  .strictObject({
    id: z.string().regex(/^[A-Za-z0-9][A-Za-z0-9._-]*$/, 'Rule ids use letters, digits, ".", "_" and "-"'),
    when: whenSchema.default({}),
    outcome: outcomeSchema,
    citations: z.array(citationSchema).min(1, 'Every rule cites at least one provision'),
    validFrom: isoDate.optional(),
    validTo: isoDate.optional(),
    confidence: z.enum(confidenceValues),
    explanation: nonEmpty,
  })
  .superRefine((rule, ctx) => {
    if (rule.validFrom && rule.validTo && rule.validFrom > rule.validTo) {
      ctx.addIssue({
        code: 'custom',
        path: ['validTo'],
        message: `validTo ${rule.validTo} is before validFrom ${rule.validFrom}`,
      });
    }
  });
export type Rule = z.infer<typeof ruleSchema>;

export const agesSchema = z.strictObject({
  /** Material depicting a person under this age is child sexual abuse material. */
  material: age,
  /** General age of sexual consent; null where the pack's law sets none (e.g. US federal). */
  consent: age.nullable(),
  /** Suspects under this age are not criminally liable; null where no single age applies. */
  criminalResponsibility: age.nullable(),
  citations: z.array(citationSchema).optional(),
  note: nonEmpty.optional(),
});
export type PackAges = z.infer<typeof agesSchema>;

export const rulePackSchema = z
  .strictObject({
    /** ISO 3166 code (DK, US, GB-EAW, …) or BASELINE for the shared INTERPOL baseline pack. */
    jurisdiction: z
      .string()
      .regex(/^(BASELINE|[A-Z]{2}(-[A-Z0-9]{1,3})?)$/, 'An ISO 3166 code such as DK or GB-EAW, or BASELINE'),
    kind: z.enum(['baseline', 'national']),
    name: nonEmpty,
    version: z.string().regex(/^\d+\.\d+\.\d+$/, 'A version such as 1.0.0'),
    status: packStatusSchema,
    /** The conduct dates this pack's encoding covers; outside them the outcome is uncertain. */
    validFrom: isoDate.optional(),
    validTo: isoDate.optional(),
    notes: nonEmpty.optional(),
    sources: z.array(sourceSchema).min(1),
    ages: agesSchema.optional(),
    rules: z.array(ruleSchema).min(1),
  })
  .superRefine((pack, ctx) => {
    const seen = new Map<string, number>();
    pack.rules.forEach((rule, index) => {
      const first = seen.get(rule.id);
      if (first !== undefined)
        ctx.addIssue({
          code: 'custom',
          path: ['rules', index, 'id'],
          message: `Duplicate rule id "${rule.id}" (also rules[${first}])`,
        });
      else seen.set(rule.id, index);
    });
    if (pack.validFrom && pack.validTo && pack.validFrom > pack.validTo) {
      ctx.addIssue({
        code: 'custom',
        path: ['validTo'],
        message: `validTo ${pack.validTo} is before validFrom ${pack.validFrom}`,
      });
    }
    if (pack.kind === 'baseline') {
      if (pack.jurisdiction !== 'BASELINE')
        ctx.addIssue({
          code: 'custom',
          path: ['jurisdiction'],
          message: 'The baseline pack has jurisdiction BASELINE',
        });
      pack.rules.forEach((rule, index) => {
        if (rule.outcome !== 'baseline') {
          ctx.addIssue({
            code: 'custom',
            path: ['rules', index, 'outcome'],
            message:
              'Baseline pack rules have the outcome "baseline": anything else is for the national pack',
          });
        }
      });
      return;
    }
    if (pack.jurisdiction === 'BASELINE')
      ctx.addIssue({
        code: 'custom',
        path: ['kind'],
        message: 'BASELINE is the baseline pack: kind must be "baseline"',
      });
    if (!pack.ages)
      ctx.addIssue({
        code: 'custom',
        path: ['ages'],
        message: 'A national pack states its ages (material, consent, criminalResponsibility)',
      });
    pack.rules.forEach((rule, index) => {
      if (rule.outcome === 'baseline') {
        ctx.addIssue({
          code: 'custom',
          path: ['rules', index, 'outcome'],
          message: '"baseline" is decided by the shared baseline pack, not a national one',
        });
      }
    });
    const last = pack.rules[pack.rules.length - 1];
    if (last && (Object.keys(last.when).length > 0 || last.validFrom || last.validTo)) {
      ctx.addIssue({
        code: 'custom',
        path: ['rules', pack.rules.length - 1],
        message:
          'The last rule of a national pack must be a catch-all (no conditions, no validity dates) so every assessment names a rule',
      });
    }
  });
export type RulePack = z.infer<typeof rulePackSchema>;

// ---------------------------------------------------------------------------------------------
// Case tables
// ---------------------------------------------------------------------------------------------

const expectationSchema = z.strictObject({
  outcome: outcomeSchema,
  ruleId: z.string().nullable(),
  nationalOutcome: outcomeSchema.optional(),
  nationalRuleId: z.string().nullable().optional(),
  suspectCriminallyLiable: z.boolean().nullable().optional(),
  /** A section every assessment of this case must cite, e.g. "§ 235 stk. 1". */
  cites: z.string().optional(),
});

export const ruleCaseSchema = z.strictObject({
  name: nonEmpty,
  /** Merged over the table's `defaults`. */
  facts: z.record(z.string(), z.unknown()),
  expect: expectationSchema,
});

export const ruleCaseTableSchema = z.strictObject({
  jurisdiction: z.string(),
  defaults: z.record(z.string(), z.unknown()).optional(),
  cases: z.array(ruleCaseSchema).min(1),
});
export type RuleCaseTable = z.infer<typeof ruleCaseTableSchema>;
export type RuleCase = z.infer<typeof ruleCaseSchema>;

/** The facts of one case after applying the table's defaults, validated. */
export function caseFacts(table: RuleCaseTable, ruleCase: RuleCase) {
  return evaluationFactsSchema.safeParse({ ...table.defaults, ...ruleCase.facts });
}

// ---------------------------------------------------------------------------------------------
// Summaries
// ---------------------------------------------------------------------------------------------

export interface RulePackSummary {
  jurisdiction: string;
  name: string;
  kind: 'baseline' | 'national';
  version: string;
  status: PackStatus;
  validFrom: string | null;
  validTo: string | null;
  /** Dates on which some rule starts or stops applying: where the law changed. */
  changes: string[];
  rules: number;
  ages: PackAges | null;
}

function dayAfter(date: string): string {
  const next = new Date(`${date}T00:00:00Z`);
  next.setUTCDate(next.getUTCDate() + 1);
  return next.toISOString().slice(0, 10);
}

/** A one-line-per-pack summary, as `tipline assess --list` prints it. */
export function describeRulePack(pack: RulePack): RulePackSummary {
  const changes = new Set<string>();
  for (const rule of pack.rules) {
    if (rule.validFrom) changes.add(rule.validFrom);
    if (rule.validTo) changes.add(dayAfter(rule.validTo));
  }
  return {
    jurisdiction: pack.jurisdiction,
    name: pack.name,
    kind: pack.kind,
    version: pack.version,
    status: pack.status,
    validFrom: pack.validFrom ?? null,
    validTo: pack.validTo ?? null,
    changes: [...changes].sort(),
    rules: pack.rules.length,
    ages: pack.ages ?? null,
  };
}
