/**
 * What the analysis stage answers: hash banks (/api/v1/banks…, /api/v1/admin/banks…), media review
 * (previews and reveals of a report's files) and reviewers' exposure (/api/v1/ui/exposure…). The
 * server declares these as its routes' response schemas; the web app takes its types from here.
 *
 * @example
 *   import type { HashBank, ExposureSummary } from '../../src/contracts/api/analysis.api.js';
 */
import { z } from 'zod';

const timestamp = z.string().describe('ISO 8601 timestamp');

// --- hash banks -----------------------------------------------------------------------------------------

export const BANK_SCHEMES = ['vics', 'ncmec', 'custom'] as const;
export type BankScheme = (typeof BANK_SCHEMES)[number];
export const BANK_FORMATS = ['csv', 'vics', 'ncmec'] as const;
export type BankFormat = (typeof BANK_FORMATS)[number];

export const hashBankSchema = z.object({
  id: z.string(),
  name: z.string(),
  source: z.string(),
  ownerOrgId: z.string(),
  categoryScheme: z.enum(BANK_SCHEMES),
  createdAt: timestamp,
  entries: z.number().int().optional().describe('Enabled entries (in lists)'),
  disabled: z.number().int().optional().describe('Disabled entries (in lists)'),
});
export type HashBank = z.infer<typeof hashBankSchema>;

export const hashBankListSchema = z.object({ banks: z.array(hashBankSchema) });

export const bankEntrySchema = z.object({
  id: z.string(),
  bankId: z.string(),
  md5: z.string().nullable(),
  sha1: z.string().nullable(),
  sha256: z.string().nullable(),
  pdq: z.string().nullable(),
  pdqQuality: z.number().int().nullable(),
  category: z.string().nullable(),
  disabledAt: timestamp.nullable().describe('Set once disabled: the entry never matches again'),
  addedAt: timestamp,
});
export type BankEntry = z.infer<typeof bankEntrySchema>;

export const bankEntryPageSchema = z.object({
  entries: z.array(bankEntrySchema),
  nextAfter: z.string().nullable().describe('Pass as `after` for the next page; null on the last page'),
});

export const importSummarySchema = z.object({
  bankId: z.string(),
  format: z.enum(BANK_FORMATS),
  read: z.number().int(),
  imported: z.number().int(),
  rejected: z.number().int(),
  errors: z
    .array(z.object({ line: z.number().int().optional(), record: z.number().int().optional(), message: z.string() }))
    .describe('The first 1,000 row errors, by line (CSV, NCMEC lists) or record (VICS); `rejected` counts them all'),
  stoppedBy: z.string().optional().describe('Set when the file stopped being readable part-way; the rows before it are imported'),
});
export type ImportSummary = z.infer<typeof importSummarySchema>;

// --- reviewers' exposure ------------------------------------------------------------------------------------

export const exposureLimitsSchema = z.object({
  items: z.number().describe('Reveals per day that warn; 0: no limit'),
  minutes: z.number().describe('Minutes shown per day that warn; 0: no limit'),
});

const exposureFigures = {
  items: z.number().int().describe('Reveals'),
  files: z.number().int().describe('Distinct files revealed'),
  shownMs: z.number().int().describe('Time shown, measured on the server'),
  open: z.number().int().describe('Reveals not (yet) blurred again'),
  reached: z.array(z.enum(['items', 'minutes'])).describe('Which limits are reached'),
  overLimit: z.boolean(),
};

export const exposureSummarySchema = z.object({
  day: z.string().describe('UTC day, YYYY-MM-DD'),
  limits: exposureLimitsSchema,
  ...exposureFigures,
});
export type ExposureSummary = z.infer<typeof exposureSummarySchema>;

export const teamExposureSchema = z.object({
  day: z.string(),
  limits: exposureLimitsSchema,
  reviewers: z.array(
    z.object({
      userId: z.string(),
      email: z.string().nullable(),
      role: z.enum(['admin', 'analyst', 'supervisor', 'auditor']).nullable(),
      lastRevealAt: timestamp.nullable(),
      ...exposureFigures,
    }),
  ),
});
export type TeamExposure = z.infer<typeof teamExposureSchema>;
