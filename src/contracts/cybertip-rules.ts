/**
 * The CyberTipline rules the XSD does not enforce (docs/reference ncmec-api.md §6.2, plus the
 * reporting person's email from §6.1), layered on the generated schemas: length and range limits
 * wherever the named fields occur, and the cross-field rules of file details.
 *
 * Lengths count UTF-16 code units (JavaScript `length`), which is what a Java server such as
 * NCMEC's counts as characters. The limits come from a third-party transcription of NCMEC's
 * documentation (see the reference note), so they live in one table that is easy to correct.
 *
 * @example
 *   const parsed = reportInputSchema.safeParse(body);
 *   if (!parsed.success) return parsed.error.issues; // each with a path such as ['reporter', 'reportingPerson', 'email']
 */
import type { z } from 'zod';
import {
  cybertipDescriptor,
  fileDetailsSchema,
  reportSchema,
  type CyberTipFileDetails,
  type CyberTipReport,
} from './cybertip.generated.js';
import {
  childElements,
  isRepeated,
  type ComplexTypeDescriptor,
  type ElementDescriptor,
} from './xsd-descriptor.js';

/** One documented limit. The first entry that matches a field wins, so specific entries come first. */
export interface CybertipFieldLimit {
  /** Element name, or `@name` for an attribute. Omit to match by `ofType`. */
  readonly field?: string;
  /** Match elements declared with this XSD type instead of by name (e.g. every `email`). */
  readonly ofType?: string;
  /** Only inside these complex types (XSD type names). */
  readonly inTypes?: readonly string[];
  readonly maxLength?: number;
  readonly min?: number;
  readonly max?: number;
}

export const cybertipFieldLimits: readonly CybertipFieldLimit[] = [
  { field: 'originalFileName', maxLength: 2056 },
  { field: 'locationOfFile', maxLength: 2083 },
  { field: 'legalURL', maxLength: 2083 },
  { field: 'idValue', inTypes: ['deviceId'], maxLength: 2083 },
  { field: 'originalFileHash', maxLength: 64 },
  { field: '@hashType', inTypes: ['hash'], maxLength: 64 },
  { field: 'name', inTypes: ['nameValue'], maxLength: 64 },
  { field: 'escalateToHighPriority', maxLength: 3000 },
  { field: 'incidentDateTimeDescription', maxLength: 3000 },
  { field: 'platform', maxLength: 256 },
  { field: 'screenName', maxLength: 256 },
  { field: 'firstName', inTypes: ['associatedAccount'], maxLength: 256 },
  { field: 'middleName', inTypes: ['associatedAccount'], maxLength: 256 },
  { field: 'lastName', inTypes: ['associatedAccount'], maxLength: 256 },
  { field: 'espIdentifier', maxLength: 255 },
  { field: 'groupIdentifier', maxLength: 255 },
  { field: 'schoolName', maxLength: 255 },
  { field: 'agencyName', maxLength: 255 },
  { field: 'chatClient', maxLength: 255 },
  { field: 'chatRoomName', maxLength: 255 },
  { field: 'gameName', maxLength: 255 },
  { field: 'name', inTypes: ['newsgroupIncident'], maxLength: 255 },
  { field: 'address', inTypes: ['address'], maxLength: 255 },
  { ofType: 'email', maxLength: 255 },
  { field: 'espService', maxLength: 100 },
  { field: 'caseNumber', maxLength: 100 },
  { field: 'firstName', maxLength: 100 },
  { field: 'lastName', maxLength: 100 },
  { field: 'city', maxLength: 100 },
  { field: 'vehicleDescription', maxLength: 300 },
  { field: 'zipCode', maxLength: 20 },
  { ofType: 'phone', maxLength: 50 },
  { field: '@extension', inTypes: ['phone'], maxLength: 10 },
  { field: 'age', inTypes: ['person'], min: 0, max: 150 },
  { field: 'port', inTypes: ['ipCaptureEvent'], min: 1, max: 65535 },
];

export interface CybertipRuleIssue {
  readonly path: (string | number)[];
  readonly message: string;
}

function limitFor(
  typeName: string,
  field: string,
  declaredType: string | undefined,
): CybertipFieldLimit | undefined {
  return cybertipFieldLimits.find(
    (l) =>
      (l.inTypes === undefined || l.inTypes.includes(typeName)) &&
      ((l.field !== undefined && l.field === field) || (l.ofType !== undefined && l.ofType === declaredType)),
  );
}

function checkValue(
  value: unknown,
  limit: CybertipFieldLimit,
  path: (string | number)[],
  out: CybertipRuleIssue[],
): void {
  if (typeof value === 'string' && limit.maxLength !== undefined && value.length > limit.maxLength) {
    out.push({
      path,
      message: `At most ${limit.maxLength} characters (CyberTipline documentation); got ${value.length}`,
    });
  }
  if (typeof value === 'number') {
    if ((limit.min !== undefined && value < limit.min) || (limit.max !== undefined && value > limit.max)) {
      out.push({
        path,
        message: `Must be between ${limit.min ?? '-∞'} and ${limit.max ?? '∞'} (CyberTipline documentation); got ${value}`,
      });
    }
  }
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

interface FieldPlan {
  element: ElementDescriptor;
  repeated: boolean;
  limit: CybertipFieldLimit | undefined;
  childType: ComplexTypeDescriptor | undefined;
}
interface TypePlan {
  attributeLimits: [string, CybertipFieldLimit][];
  fields: Map<string, FieldPlan>;
}

// The walk runs for every submitted report, so each type's fields and limits are resolved once
// and the walk visits only the keys a value actually has.
const plans = new Map<string, TypePlan>();

function planFor(type: ComplexTypeDescriptor): TypePlan {
  let plan = plans.get(type.name);
  if (plan) return plan;
  const attributeLimits: [string, CybertipFieldLimit][] = [];
  for (const a of type.attributes) {
    const limit = limitFor(type.name, `@${a.name}`, undefined);
    if (limit) attributeLimits.push([a.name, limit]);
  }
  const fields = new Map<string, FieldPlan>();
  for (const e of childElements(type)) {
    fields.set(e.name, {
      element: e,
      repeated: isRepeated(e),
      limit: limitFor(type.name, e.name, e.xsdType ?? e.type),
      childType: e.kind === 'value' ? undefined : cybertipDescriptor.complexTypes[e.type],
    });
  }
  plan = { attributeLimits, fields };
  plans.set(type.name, plan);
  return plan;
}

function walkType(type: ComplexTypeDescriptor, value: unknown, path: (string | number)[], out: CybertipRuleIssue[]): void {
  if (!isObject(value)) return;
  const plan = planFor(type);
  for (const [name, limit] of plan.attributeLimits) {
    if (value[name] !== undefined) checkValue(value[name], limit, [...path, name], out);
  }
  for (const key in value) {
    const field = plan.fields.get(key);
    const v = value[key];
    if (!field || v === undefined) continue;
    if (!field.limit && !field.childType) continue;
    if (field.repeated && Array.isArray(v)) {
      v.forEach((item, i) => walkElement(field, item, [...path, key, i], out));
    } else {
      walkElement(field, v, [...path, key], out);
    }
  }
}

function walkElement(field: FieldPlan, value: unknown, path: (string | number)[], out: CybertipRuleIssue[]): void {
  const { element: e, limit, childType } = field;
  if (e.kind === 'value') {
    if (limit) checkValue(value, limit, path, out);
    return;
  }
  if (!childType) return;
  if (e.kind === 'textWithAttributes' && limit && isObject(value)) checkValue(value.value, limit, [...path, 'value'], out);
  walkType(childType, value, path, out);
}

function lengthIssues(root: 'report' | 'fileDetails', value: unknown): CybertipRuleIssue[] {
  const out: CybertipRuleIssue[] = [];
  const type = cybertipDescriptor.complexTypes[root];
  if (type) walkType(type, value, [], out);
  return out;
}

/** Every documented rule a structurally valid report breaks (empty when it keeps them all). */
export function reportRuleIssues(report: CyberTipReport): CybertipRuleIssue[] {
  const out = lengthIssues('report', report);
  const email = report.reporter.reportingPerson.email;
  if (!email || email.length === 0) {
    out.push({
      path: ['reporter', 'reportingPerson', 'email'],
      message: "The reporting person's email is required (CyberTipline documentation)",
    });
  }
  return out;
}

/**
 * Every documented rule structurally valid file details break (empty when they keep them all).
 * The ids may be left out, for file details declared inside a JSON report before upload.
 */
export function fileDetailsRuleIssues(
  details: Omit<CyberTipFileDetails, 'reportId' | 'fileId'> & { fileId?: string },
): CybertipRuleIssue[] {
  const out = lengthIssues('fileDetails', details);
  if (details.fileId !== undefined && details.fileId.trim() === '') {
    out.push({ path: ['fileId'], message: 'fileId must not be blank' });
  }
  if (details.exifViewedByEsp === true && details.fileViewedByEsp !== true) {
    out.push({
      path: ['fileViewedByEsp'],
      message: 'fileViewedByEsp must be true when exifViewedByEsp is true',
    });
  }
  if (details.fileRelevance === 'Supplemental Reported') {
    const meme = details.potentialMeme === true || details.fileAnnotations?.potentialMeme === true;
    if (meme) {
      out.push({
        path: ['fileRelevance'],
        message:
          'A file flagged as a potential meme must have fileRelevance "Reported", not "Supplemental Reported"',
      });
    }
    if (details.industryClassification !== undefined) {
      out.push({
        path: ['fileRelevance'],
        message:
          'A file with an industryClassification must have fileRelevance "Reported", not "Supplemental Reported"',
      });
    }
  }
  return out;
}

function addAll(issues: CybertipRuleIssue[], ctx: z.RefinementCtx): void {
  for (const issue of issues) ctx.addIssue({ code: 'custom', message: issue.message, path: issue.path });
}

/** The generated `report` schema plus the documented rules: what both intake APIs accept. */
export const reportInputSchema = reportSchema.superRefine((report, ctx) =>
  addAll(reportRuleIssues(report), ctx),
);

/** The generated `fileDetails` schema plus the documented rules. */
export const fileDetailsInputSchema = fileDetailsSchema.superRefine((details, ctx) =>
  addAll(fileDetailsRuleIssues(details), ctx),
);
