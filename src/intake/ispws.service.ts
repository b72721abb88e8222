/**
 * The CyberTipline-compatible XML API ("ispws") over the intake service: an XML report lands in the
 * same model and tables as a JSON report, kept verbatim (the bytes as received) with its SHA-256.
 *
 * Every XML body goes through two gates. First the hardened reader of cybertip-xml.ts, which
 * refuses DOCTYPEs (so no DTD, external entity or entity expansion), bad UTF-8, oversized, too deep
 * or too many elements, and converts to the JSON form with the documented rules (reference §6.2).
 * Only a document that passed that gate as well-formed reaches the second: libxml2's XML Schema
 * validation against NCMEC's XSD, which decides element order, enumerations, types and presence
 * flags, and whose messages name the element and the rule broken (as NCMEC's Xerces messages do).
 *
 * @example
 *   const { reportId } = await ispwsSubmit(deps, principal, bodyBytes);      // throws TiplineError (4100, 4110, …)
 *   const { fileId, hash } = await ispwsUpload(deps, principal, reportId, stream, 'a.jpg');
 */
import type { Readable } from 'node:stream';
import {
  cybertipFromXml,
  type CybertipDocuments,
  type XmlIssue,
  type XmlLimits,
} from '../contracts/cybertip-xml.js';
import { TiplineError, type ErrorIssue } from '../contracts/errors.js';
import type { Principal } from '../access/access.service.js';
import {
  changeReportStatus,
  setFileDetails,
  submitReports,
  uploadFile,
  type IntakeDeps,
  type ReportValidator,
} from './intake.service.js';
import type { ReportLike } from './report-normaliser.js';
import type { SchemaValidator, XsdIssue } from './xsd-validator.js';

export interface IspwsDeps extends IntakeDeps {
  /** The compiled CyberTipline schema. */
  xsd: SchemaValidator;
  limits?: Partial<XmlLimits>;
}

/**
 * The intake validator for XML submissions: the document was already checked against the XSD and
 * converted under reportInputSchema (the same rules as the JSON API's, without its `files`), so
 * checking it again would only cost time.
 */
export const acceptConvertedReport: ReportValidator = (input) => ({ ok: true, value: input as ReportLike });

type DocumentRoot = 'report' | 'fileDetails';

const shownIssues = 5;

/** "Element 'email'" or "Attribute 'verified' of element 'email'", from an XPath such as /report/x[2]/email[1]/@verified. */
function nodeName(xpath: string): string | undefined {
  if (!xpath.startsWith('/')) return undefined;
  const steps = xpath
    .split('/')
    .filter(Boolean)
    .map((s) => s.replace(/\[\d+\]$/, ''));
  const last = steps[steps.length - 1];
  if (last === undefined) return undefined;
  if (last === 'text()') return steps.length > 1 ? `Element '${steps[steps.length - 2]}'` : undefined;
  if (last.startsWith('@')) {
    const owner = steps[steps.length - 2];
    return `Attribute '${last.slice(1)}'${owner ? ` of element '${owner}'` : ''}`;
  }
  return `Element '${last}'`;
}

/** One line per problem, naming the element (or attribute) and the rule it breaks. */
export function describeIssues(issues: readonly { message: string; xpath: string }[]): string {
  const lines = issues.slice(0, shownIssues).map((i) => {
    if (/^(Element|Attribute) '/.test(i.message)) return i.xpath ? `${i.message} (at ${i.xpath})` : i.message;
    const name = nodeName(i.xpath);
    if (name) return `${name} (at ${i.xpath}): ${i.message}`;
    return i.xpath ? `${i.message} (at ${i.xpath})` : i.message;
  });
  const more = issues.length > shownIssues ? ` (and ${issues.length - shownIssues} more)` : '';
  return lines.join('; ') + more;
}

const asErrorIssues = (issues: readonly XmlIssue[]): ErrorIssue[] =>
  issues.map((i) => ({
    path: i.path,
    message: i.xpath ? `${i.message} (at ${i.xpath})` : i.message,
    code: i.code,
  }));

const xsdErrorIssues = (issues: readonly XsdIssue[]): ErrorIssue[] =>
  issues.map((i) => ({
    path: '',
    message: i.xpath ? `${i.message} (at ${i.xpath})` : i.message,
    code: 'xsd',
  }));

/**
 * Reads and validates an XML body. Returns the JSON form and the document as text (lossless: the
 * bytes were checked to be UTF-8, a byte-order mark is kept). Throws TiplineError:
 * TIP_ERR_INPUT_MALFORMED (4110) when the body is not well-formed XML or declares a DOCTYPE,
 * TIP_ERR_INPUT_INVALID (4100) when it breaks the XSD or a documented rule, TIP_ERR_INPUT_TOO_LARGE
 * (413) when it is over the size or element-count limit.
 */
export function parseIspwsDocument<R extends DocumentRoot>(
  root: R,
  body: Uint8Array | undefined,
  xsd: SchemaValidator,
  limits?: Partial<XmlLimits>,
): { value: CybertipDocuments[R]; text: string } {
  if (!body || body.byteLength === 0) {
    throw new TiplineError('TIP_ERR_INPUT_MALFORMED', {
      message: `The request body holds no <${root}> document`,
    });
  }
  const read = cybertipFromXml(root, body, limits ? { limits } : {});
  if (!read.ok && read.reason !== 'invalid') {
    const depth = read.issues.some((i) => i.code === 'xml.depth');
    // Nesting deeper than the schema's own depth can never validate: a validation failure, not a size one.
    const code =
      read.reason === 'malformed'
        ? 'TIP_ERR_INPUT_MALFORMED'
        : depth
          ? 'TIP_ERR_INPUT_INVALID'
          : 'TIP_ERR_INPUT_TOO_LARGE';
    throw new TiplineError(code, {
      message: describeIssues(read.issues),
      issues: asErrorIssues(read.issues),
    });
  }
  // Well-formed, no DOCTYPE, within limits: safe to hand to libxml2, whose verdict on the schema wins.
  const schema = xsd.validate(body);
  if (!schema.ok) {
    if (!schema.wellFormed) {
      throw new TiplineError('TIP_ERR_INPUT_MALFORMED', {
        message: describeIssues(schema.issues),
        issues: xsdErrorIssues(schema.issues),
      });
    }
    throw new TiplineError('TIP_ERR_INPUT_INVALID', {
      message: describeIssues(schema.issues),
      issues: xsdErrorIssues(schema.issues),
    });
  }
  if (!read.ok) {
    // Valid under the XSD but not under the documented rules (lengths, the reporter's email, …),
    // or a wrong document element that the XSD also declares (e.g. fileDetails sent to /submit).
    throw new TiplineError('TIP_ERR_INPUT_INVALID', {
      message: describeIssues(read.issues),
      issues: asErrorIssues(read.issues),
    });
  }
  return {
    value: read.value,
    text: Buffer.from(body.buffer, body.byteOffset, body.byteLength).toString('utf8'),
  };
}

/** POST /submit: opens a report. */
export async function ispwsSubmit(
  deps: IspwsDeps,
  principal: Principal,
  body: Uint8Array | undefined,
): Promise<{ reportId: string }> {
  const { value, text } = parseIspwsDocument('report', body, deps.xsd, deps.limits);
  const outcome = await submitReports(
    deps,
    principal,
    [{ body: value, document: text, documentType: 'application/xml', source: 'xml' }],
    {
      finish: false,
      present: ([r]) =>
        r?.ok
          ? { status: 200, body: { reportId: r.id } }
          : { status: 400, body: { issues: r?.issues ?? [] } },
    },
  );
  if (outcome.status !== 200) {
    const issues = (outcome.body as { issues: ErrorIssue[] }).issues;
    throw new TiplineError('TIP_ERR_INPUT_INVALID', {
      message: issues.map((i) => `${i.path}: ${i.message}`).join('; '),
      issues,
    });
  }
  return outcome.body as { reportId: string };
}

/** POST /upload: adds a file to an open report; the hash is the MD5 of the bytes received. */
export async function ispwsUpload(
  deps: IspwsDeps,
  principal: Principal,
  reportId: string,
  source: Readable,
  fileName: string | undefined,
): Promise<{ reportId: string; fileId: string; hash: string }> {
  const uploaded = await uploadFile(deps, principal, reportId, source, { fileName });
  return { reportId: uploaded.reportId, fileId: uploaded.fileId, hash: uploaded.md5 };
}

/** POST /fileinfo: sets the details of an uploaded file; answers with the ids it was given. */
export async function ispwsFileInfo(
  deps: IspwsDeps,
  principal: Principal,
  body: Uint8Array | undefined,
): Promise<{ reportId: string; fileId: string }> {
  const { value } = parseIspwsDocument('fileDetails', body, deps.xsd, deps.limits);
  const { reportId, fileId, ...details } = value;
  const id = String(reportId);
  await setFileDetails(deps, principal, id, fileId, details);
  return { reportId: id, fileId };
}

/** POST /finish: closes the report; answers with its file ids in upload order. */
export async function ispwsFinish(
  deps: IspwsDeps,
  principal: Principal,
  reportId: string,
): Promise<{ reportId: string; fileIds: string[] }> {
  const { report, fileIds } = await changeReportStatus(deps, principal, reportId, 'finished');
  return { reportId: report.id, fileIds };
}

/** POST /retract: cancels an open report. */
export async function ispwsRetract(
  deps: IspwsDeps,
  principal: Principal,
  reportId: string,
): Promise<{ reportId: string }> {
  const { report } = await changeReportStatus(deps, principal, reportId, 'retracted');
  return { reportId: report.id };
}
