/**
 * What the CyberTipline-compatible XML API ("ispws") answers, byte for byte as NCMEC's server does:
 * `reportResponse` / `reportDoneResponse` with `standalone="yes"` on one line, business errors as
 * HTTP 200 with a non-zero `responseCode`, bad credentials as 401 with a `reportResponse` body.
 * Also the XML export of a stored report for the JSON API's GET route.
 *
 * Response codes (reference ncmec-api.md §4): 2000 authentication required, 3100 not authorised to
 * submit, 4000 invalid request, 4100 validation failed, 4110 malformed XML, 4200 malformed file
 * submittal, 5001 no such (or expired) report, 5002 no such file, 5101 already retracted, 5102
 * already finished, 1000 server error, 1210 no such resource.
 *
 * @example
 *   reply.code(200).type(ispwsContentType).send(presentReportResponse({ reportId: '7855763' }));
 *   const e = presentIspwsError(err, 'submit'); // { status: 200, responseCode: 5001, body: '<?xml …' }
 */
import { reportDoneResponseToXml, reportResponseToXml, reportToXml } from '../contracts/cybertip-xml.js';
import { reportSchema } from '../contracts/cybertip.generated.js';
import { errorCatalogue, TiplineError, type ErrorCode } from '../contracts/errors.js';
import type { ReportRow } from './report.repository.js';

export { ispwsContentType } from '../contracts/api/intake.api.js';
export const ispwsAuthChallenge = 'Basic realm="ESP Web Services"';

/** A protocol-level refusal of the XML API that has no counterpart in the shared error catalogue. */
export class IspwsError extends Error {
  constructor(
    readonly responseCode: number,
    readonly description: string,
    readonly status = 200,
  ) {
    super(description);
    this.name = 'IspwsError';
  }
}

export type IspwsEndpoint = 'status' | 'xsd' | 'submit' | 'upload' | 'fileinfo' | 'finish' | 'retract';

interface CodeEntry {
  status: number;
  responseCode: number;
  description: string;
}

const codes: Partial<Record<ErrorCode, CodeEntry>> = {
  TIP_ERR_AUTH_REQUIRED: { status: 401, responseCode: 2000, description: 'Authentication Required' },
  TIP_ERR_AUTH_INVALID: { status: 401, responseCode: 2000, description: 'Authentication Required' },
  TIP_ERR_AUTH_FORBIDDEN: {
    status: 200,
    responseCode: 3100,
    description: 'User not authorized to make submissions',
  },
  TIP_ERR_ORG_INVALID: {
    status: 200,
    responseCode: 3100,
    description: 'User not authorized to make submissions',
  },
  TIP_ERR_INPUT_INVALID: { status: 200, responseCode: 4100, description: 'Validation failed' },
  TIP_ERR_INPUT_MALFORMED: { status: 200, responseCode: 4110, description: 'Malformed XML submittal' },
  TIP_ERR_INPUT_TOO_LARGE: { status: 413, responseCode: 4000, description: 'Request too large' },
  TIP_ERR_INPUT_UNSUPPORTED_MEDIA: { status: 200, responseCode: 4000, description: 'Invalid request' },
  TIP_ERR_FILE_MISSING: { status: 200, responseCode: 4200, description: 'Malformed file submittal' },
  TIP_ERR_REPORT_NOT_FOUND: { status: 200, responseCode: 5001, description: 'Report does not exist' },
  // The shared services raise the generic not-found only for a file id unknown in its report.
  TIP_ERR_NOT_FOUND: { status: 200, responseCode: 5002, description: 'File does not exist' },
  TIP_ERR_REPORT_NOT_OPEN: { status: 200, responseCode: 5001, description: 'Report does not exist' },
  TIP_ERR_REPORT_ALREADY_RETRACTED: {
    status: 200,
    responseCode: 5101,
    description: 'Report already retracted',
  },
  TIP_ERR_REPORT_ALREADY_FINISHED: {
    status: 200,
    responseCode: 5102,
    description: 'Report already finished',
  },
  TIP_ERR_RATE_LIMITED: { status: 429, responseCode: 1000, description: 'Too many requests; retry later' },
  TIP_ERR_UNAVAILABLE: { status: 503, responseCode: 1000, description: 'Server error; retry later' },
};

const serverError: CodeEntry = { status: 500, responseCode: 1000, description: 'Server error' };

/** `reportResponse` of a success: code 0, "Success", and whichever ids apply. */
export function presentReportResponse(
  fields: { reportId?: string; fileId?: string; hash?: string } = {},
): string {
  return reportResponseToXml({
    responseCode: 0,
    responseDescription: 'Success',
    ...(fields.reportId !== undefined ? { reportId: Number(fields.reportId) } : {}),
    ...(fields.fileId !== undefined ? { fileId: fields.fileId } : {}),
    ...(fields.hash !== undefined ? { hash: fields.hash } : {}),
  });
}

/** GET /status: who is calling from where, as NCMEC words it. */
export function presentStatus(username: string, ip: string): string {
  return reportResponseToXml({
    responseCode: 0,
    responseDescription: `Remote User : ${username}, Remote Ip : ${ip}`,
  });
}

/** POST /finish: the report and its files (`<files/>` when none). */
export function presentDone(reportId: string, fileIds: readonly string[], responseCode = 0): string {
  return reportDoneResponseToXml({
    responseCode,
    reportId: Number(reportId),
    files: fileIds.length > 0 ? { fileId: [...fileIds] } : {},
  });
}

/** The 401 body (sent with `WWW-Authenticate: Basic realm="ESP Web Services"`). */
export function presentAuthRequired(): string {
  return reportResponseToXml({ responseCode: 2000, responseDescription: 'Authentication Required' });
}

/** A reportId as the XML documents carry it (xs:long, kept within JSON's exact range), else undefined. */
export function numericReportId(id: string | undefined): string | undefined {
  return id !== undefined && /^[0-9]{1,15}$/.test(id) ? String(Number(id)) : undefined;
}

const xmlCharsOnly = (s: string): string =>
  // Descriptions may quote client input; anything XML cannot carry is replaced.
  s.replace(/[^\t\n\r\u0020-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/gu, '\uFFFD');

const maxDescription = 4000;

export interface PresentedIspwsError {
  status: number;
  responseCode: number;
  body: string;
  /** True when this is not the client's doing and deserves a log line. */
  internal: boolean;
}

/**
 * Any error thrown while serving an ispws request, as the XML answer NCMEC would give. /finish
 * answers with a `reportDoneResponse` (its clients decode nothing else there), everything else
 * with a `reportResponse` that says what was wrong.
 */
export function presentIspwsError(
  err: unknown,
  endpoint: IspwsEndpoint,
  reportId?: string,
): PresentedIspwsError {
  let entry: CodeEntry;
  let detail: string | undefined;
  if (err instanceof IspwsError) {
    entry = { status: err.status, responseCode: err.responseCode, description: err.description };
  } else if (err instanceof TiplineError) {
    entry = codes[err.code] ?? serverError;
    if (entry !== serverError && err.message !== errorCatalogue[err.code].message) detail = err.message;
  } else {
    entry = serverError;
  }
  const internal = entry === serverError;
  const description = xmlCharsOnly(detail ? `${entry.description} - ${detail}` : entry.description).slice(
    0,
    maxDescription,
  );
  const id = numericReportId(reportId);
  const body =
    endpoint === 'finish' && entry.status !== 401
      ? presentDone(id ?? '0', [], entry.responseCode)
      : reportResponseToXml({
          responseCode: entry.responseCode,
          responseDescription: description,
          ...(id ? { reportId: Number(id) } : {}),
        });
  return { status: entry.status, responseCode: entry.responseCode, body, internal };
}

/**
 * A stored report, from either API, as a CyberTipline `report` document. Reports from the XML API
 * are written from their converted form (so the export shows what Tipline understood, in XSD
 * order); JSON reports from their submitted JSON. The JSON API's `files` extension is dropped: the
 * `report` element has no place for files (NCMEC takes them by /upload and /fileinfo).
 */
export function presentReportXml(row: ReportRow): string {
  const model = (row.body ?? JSON.parse(row.document)) as Record<string, unknown>;
  const { files: _files, ...report } = model;
  const parsed = reportSchema.safeParse(report);
  // Stored reports passed this schema on the way in; failing here means the store was altered.
  if (!parsed.success) throw new Error(`stored report ${row.id} no longer fits the CyberTipline schema`);
  return reportToXml(parsed.data);
}

/**
 * Whether an Accept header asks for XML rather than JSON: application/xml or text/xml named with a
 * higher quality than application/json (JSON wins ties and wildcards, being the API's default).
 */
export function prefersXml(accept: string | undefined): boolean {
  if (!accept) return false;
  let xml = 0;
  let json = 0;
  for (const range of accept.split(',')) {
    const [type = '', ...params] = range.split(';').map((s) => s.trim().toLowerCase());
    const qParam = params.find((p) => p.startsWith('q='));
    const q = qParam ? Number(qParam.slice(2)) : 1;
    if (!Number.isFinite(q)) continue;
    if (type === 'application/xml' || type === 'text/xml') xml = Math.max(xml, q);
    else if (type === 'application/json') json = Math.max(json, q);
  }
  return xml > 0 && xml > json;
}
