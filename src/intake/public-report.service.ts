/**
 * Reports from the public web form (/report): they enter the same intake pipeline as a platform's
 * reports, as reports of the deployment's "public" reporter organisation addressed to its
 * clearinghouse, stored verbatim with custody entries. The reporter gets a receipt code (80 random
 * bits, shown once, stored only as its SHA-256, as GlobaLeaks does) to read the analysts' messages
 * and answer them at /report/follow-up.
 *
 * @example
 *   const { receipt } = await submitPublicReport(deps, { language: 'en', kind: 'images', urls: ['https://example.com/x'], description: '…' });
 *   const view = await followUp(deps, receipt);            // → { status, messages, … }
 *   await addReporterMessage(deps, receipt, 'The page is still up.');
 */
import { createHash, randomBytes, randomUUID } from 'node:crypto';
import type { Kysely } from 'kysely';
import { z } from 'zod';
import { createOrganisation } from '../access/access.service.js';
import type { Principal } from '../access/policy.js';
import type { FollowUpView, PublicMessage } from '../contracts/api/intake.api.js';
import { TiplineError } from '../contracts/errors.js';
import type { CyberTipIncidentType } from '../contracts/cybertip.generated.js';
import type { Memo } from '../platform/app-context.js';
import { appendCustody } from '../platform/custody/custody.repository.js';
import type { Database } from '../platform/db/schema.js';
import { canSeeReport, submitReports, type IntakeDeps } from './intake.service.js';
import {
  claimOrgSetting,
  findOrgSetting,
  findReportByReceipt,
  firstClearinghouseId,
  hasPublicReceipt,
  insertPublicMessage,
  insertPublicReceipt,
  listPublicMessages,
} from './public-report.repository.js';
import { findReport } from './report.repository.js';

export type { FollowUpView, PublicMessage };

export const PUBLIC_ORG_SETTING = 'intake.public_reporter_org';
/** Stands in for the reporting person's email, which the CyberTipline schema requires, when the reporter stays anonymous. */
export const ANONYMOUS_EMAIL = 'anonymous@public-report.invalid';

/** What the public can say they saw, mapped to CyberTipline incident types. */
export const publicReportKinds = {
  images: 'Child Pornography (possession, manufacture, and distribution)',
  grooming: 'Online Enticement of Children for Sexual Acts',
  trafficking: 'Child Sex Trafficking',
  obscene: 'Unsolicited Obscene Material Sent to a Child',
} as const satisfies Record<string, CyberTipIncidentType>;

const httpUrl = z
  .string()
  .trim()
  .max(2048)
  .refine((u) => {
    try {
      const p = new URL(u);
      return p.protocol === 'http:' || p.protocol === 'https:';
    } catch {
      return false;
    }
  }, 'Not a web address (http:// or https://).');

export const publicReportInputSchema = z.strictObject({
  language: z.enum(['da', 'en']),
  kind: z.enum(Object.keys(publicReportKinds) as [keyof typeof publicReportKinds, ...(keyof typeof publicReportKinds)[]]),
  urls: z.array(httpUrl).max(20).default([]),
  description: z.string().trim().min(10, 'Describe what you saw in at least 10 characters.').max(5000),
  /** The day it happened or was seen (YYYY-MM-DD), when the reporter knows it. */
  incidentDate: z.iso.date().optional(),
  contact: z
    .strictObject({
      name: z.string().trim().max(200).optional(),
      email: z.email().max(255),
      phone: z.string().trim().max(40).optional(),
    })
    .optional(),
});
export type PublicReportInput = z.input<typeof publicReportInputSchema>;

export const messageBodySchema = z.string().trim().min(1).max(5000);

export interface PublicReportDeps extends IntakeDeps, Memo {
  now?: () => Date;
}

// Crockford's base32: no I, L, O or U, so that a code read aloud or retyped survives.
const RECEIPT_ALPHABET = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';

/** A new receipt code: 16 symbols (80 bits) in groups of four, e.g. 7KQ2-M9XD-4TPA-0RNV. */
export function newReceiptCode(bytes: Buffer = randomBytes(10)): string {
  let bits = 0n;
  for (const b of bytes.subarray(0, 10)) bits = (bits << 8n) | BigInt(b);
  let out = '';
  for (let i = 15; i >= 0; i--) out += RECEIPT_ALPHABET[Number((bits >> BigInt(i * 5)) & 31n)];
  return out.match(/.{4}/g)!.join('-');
}

/** The canonical form of a receipt as typed: case, spaces and hyphens ignored, look-alikes mapped. */
export function normaliseReceipt(input: string): string | undefined {
  const s = input.toUpperCase().replace(/[\s-]/g, '').replace(/O/g, '0').replace(/[IL]/g, '1');
  if (s.length !== 16 || [...s].some((c) => !RECEIPT_ALPHABET.includes(c))) return undefined;
  return s;
}

const receiptHash = (canonical: string) => createHash('sha256').update(`tipline-receipt:${canonical}`).digest('hex');

/** The CyberTipline report (JSON form) that a form submission becomes. Pure. */
export function publicReportDocument(input: z.output<typeof publicReportInputSchema>, now: Date): Record<string, unknown> {
  const when = input.incidentDate ? `${input.incidentDate}T12:00:00Z` : now.toISOString().replace(/\.\d{3}Z$/, 'Z');
  const [firstName, ...rest] = (input.contact?.name ?? '').split(/\s+/).filter(Boolean);
  const person = input.contact
    ? {
        ...(firstName ? { firstName } : {}),
        ...(rest.length ? { lastName: rest.join(' ') } : {}),
        email: [{ value: input.contact.email }],
        ...(input.contact.phone ? { phone: [{ value: input.contact.phone }] } : {}),
      }
    : { firstName: 'Anonymous', lastName: 'member of the public', email: [{ value: ANONYMOUS_EMAIL }] };
  return {
    incidentSummary: { incidentType: publicReportKinds[input.kind], incidentDateTime: when },
    ...(input.urls.length ? { internetDetails: [{ webPageIncident: { url: input.urls } }] } : {}),
    reporter: { reportingPerson: person },
    additionalInfo: input.description,
  };
}

/**
 * The deployment's "public" reporter organisation, made on first use and addressed to its first
 * clearinghouse. Kept in the process's memo once known: one creation per process at a time, and
 * the settings row decides between processes. A failure is not kept (the next report tries again).
 */
export async function publicReporterOrg(deps: { db: Kysely<Database> } & Memo): Promise<string> {
  return deps.memo(`intake:${PUBLIC_ORG_SETTING}`, async () => {
    const existing = await findOrgSetting(deps.db, PUBLIC_ORG_SETTING);
    if (existing) return existing;
    const clearinghouseId = await firstClearinghouseId(deps.db);
    if (!clearinghouseId) throw new TiplineError('TIP_ERR_UNAVAILABLE', { message: 'Public reporting is not set up: this deployment has no clearinghouse.' });
    const org = await createOrganisation(deps, { name: 'Public reports (web form)', role: 'reporter', clearinghouseId });
    return claimOrgSetting(deps.db, PUBLIC_ORG_SETTING, org.id);
  });
}

export async function submitPublicReport(deps: PublicReportDeps, raw: unknown): Promise<{ receipt: string; reportId: string }> {
  const parsed = publicReportInputSchema.safeParse(raw);
  if (!parsed.success) {
    throw new TiplineError('TIP_ERR_INPUT_INVALID', {
      issues: parsed.error.issues.map((i) => ({ path: '/' + i.path.join('/'), message: i.message, code: i.code })),
    });
  }
  const input = parsed.data;
  const orgId = await publicReporterOrg(deps);
  const principal: Principal = { kind: 'public', id: 'web-form', orgId, orgRole: 'reporter' };
  const document = JSON.stringify(publicReportDocument(input, deps.now?.() ?? new Date()));
  const outcome = await submitReports(deps, principal, [{ body: JSON.parse(document) as unknown, document, documentType: 'application/json', source: 'json' }], {
    finish: true,
    present: ([result]) => (result.ok ? { status: 201, body: { id: result.id } } : { status: 400, body: { issues: result.issues } }),
  });
  if (outcome.status !== 201) {
    // The form's own schema is stricter than the report's, so this means a mapping bug: say so clearly.
    throw new TiplineError('TIP_ERR_INPUT_INVALID', { issues: (outcome.body as { issues: [] }).issues });
  }
  const reportId = (outcome.body as { id: string }).id;
  const receipt = newReceiptCode();
  // The report is committed first (nothing acknowledged is lost); the receipt follows in its own
  // transaction, and only once it is stored does the reporter see it.
  await deps.db.transaction().execute(async (trx) => {
    await insertPublicReceipt(trx, { receipt_sha256: receiptHash(normaliseReceipt(receipt)!), report_id: reportId, language: input.language });
    await appendCustody(trx, [
      { actorKind: 'public', actorId: null, orgId, action: 'public.receipt_issued', subjectKind: 'report', subjectId: reportId, details: { language: input.language, anonymous: !input.contact } },
    ]);
  });
  return { receipt, reportId };
}

async function reportForReceipt(db: Kysely<Database>, receipt: string) {
  const canonical = normaliseReceipt(receipt);
  if (!canonical) throw new TiplineError('TIP_ERR_RECEIPT_NOT_FOUND');
  const row = await findReportByReceipt(db, receiptHash(canonical));
  if (!row) throw new TiplineError('TIP_ERR_RECEIPT_NOT_FOUND');
  return row;
}

async function messagesOf(db: Kysely<Database>, reportId: string): Promise<PublicMessage[]> {
  const rows = await listPublicMessages(db, reportId);
  return rows.map((r) => ({ id: r.id, author: r.author, body: r.body, at: new Date(r.created_at).toISOString() }));
}

/** What the holder of a receipt sees: the report's state and the thread (never the report's content). */
export async function followUp(deps: { db: Kysely<Database> }, receipt: string): Promise<FollowUpView> {
  const row = await reportForReceipt(deps.db, receipt);
  await deps.db.transaction().execute((trx) =>
    appendCustody(trx, [{ actorKind: 'public', actorId: null, orgId: row.reporter_org_id, action: 'public.follow_up', subjectKind: 'report', subjectId: row.report_id }]),
  );
  return {
    reference: row.report_id,
    status: row.status === 'retracted' ? 'withdrawn' : 'received',
    submittedAt: new Date(row.created_at).toISOString(),
    language: row.language,
    messages: await messagesOf(deps.db, row.report_id),
  };
}

export async function addReporterMessage(
  deps: { db: Kysely<Database>; /** After the message is stored: e.g. carry it as the answer to a question passed down a referral. */ onReporterMessage?: (reportId: string, text: string) => Promise<void> },
  receipt: string,
  body: string,
): Promise<PublicMessage> {
  const text = messageBodySchema.safeParse(body);
  if (!text.success) throw new TiplineError('TIP_ERR_INPUT_INVALID', { issues: [{ path: '/body', message: 'A message is 1 to 5,000 characters.' }] });
  const row = await reportForReceipt(deps.db, receipt);
  const id = randomUUID();
  await deps.db.transaction().execute(async (trx) => {
    await insertPublicMessage(trx, { id, report_id: row.report_id, author: 'reporter', user_id: null, body: text.data });
    await appendCustody(trx, [
      { actorKind: 'public', actorId: null, orgId: row.reporter_org_id, action: 'public.message', subjectKind: 'report', subjectId: row.report_id, details: { messageId: id, author: 'reporter' } },
    ]);
  });
  await deps.onReporterMessage?.(String(row.report_id), text.data);
  return (await messagesOf(deps.db, row.report_id)).find((m) => m.id === id)!;
}

/** The thread with the public reporter of a report, for an analyst who may see the report; undefined when it is not a public report. */
export async function analystThread(deps: { db: Kysely<Database> }, principal: Principal, reportId: string): Promise<PublicMessage[] | undefined> {
  const report = await findReport(deps.db, reportId);
  if (!report || !canSeeReport(principal, report)) throw new TiplineError('TIP_ERR_REPORT_NOT_FOUND');
  if (!(await hasPublicReceipt(deps.db, reportId))) return undefined;
  return messagesOf(deps.db, reportId);
}

export async function addAnalystMessage(deps: { db: Kysely<Database> }, principal: Principal, reportId: string, body: string): Promise<PublicMessage> {
  const text = messageBodySchema.safeParse(body);
  if (!text.success) throw new TiplineError('TIP_ERR_INPUT_INVALID', { issues: [{ path: '/body', message: 'A message is 1 to 5,000 characters.' }] });
  if ((await analystThread(deps, principal, reportId)) === undefined) {
    throw new TiplineError('TIP_ERR_NOT_FOUND', { message: 'This report did not come from the public form; there is no reporter to write to.' });
  }
  const id = randomUUID();
  await deps.db.transaction().execute(async (trx) => {
    await insertPublicMessage(trx, { id, report_id: reportId, author: 'analyst', user_id: principal.id, body: text.data });
    await appendCustody(trx, [
      { actorKind: principal.kind, actorId: principal.id, orgId: principal.orgId, action: 'public.message', subjectKind: 'report', subjectId: reportId, details: { messageId: id, author: 'analyst' } },
    ]);
  });
  return (await messagesOf(deps.db, reportId)).find((m) => m.id === id)!;
}
