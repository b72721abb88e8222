/**
 * XML Schema validation with libxml2 (compiled to WebAssembly by the npm package libxml2-wasm, MIT;
 * libxml2 itself is MIT). The schema is compiled once and the validator reused for every document,
 * which makes a validation cost well under a millisecond for a typical report instead of the
 * ~100 ms of tools that recompile the 148 KB CyberTipline schema per call.
 *
 * Hostile input: callers hand libxml2 only documents that the hardened reader of cybertip-xml.ts
 * accepted as well-formed (no DOCTYPE, so no DTD, external entity or entity expansion can reach
 * libxml2). As defence in depth the parser still runs with network access and external entity
 * loading off, and libxml2-wasm registers no file-system input provider unless asked to.
 *
 * @example
 *   const xsd = cybertipXsdValidator();
 *   const r = xsd.validate(bytes);
 *   if (!r.ok) r.issues[0]; // { message: "Element 'reporter': This element is not expected. …", xpath: '/report/reporter', line: 1 }
 */
import { readFileSync } from 'node:fs';
import { ParseOption, XmlDocument, XmlError, XmlLibError, XsdValidator, type ErrorDetail } from 'libxml2-wasm';
import { packagePath } from '../contracts/package-root.js';

export interface XsdIssue {
  /** libxml2's message, e.g. "Element 'incidentType': [facet 'enumeration'] The value 'x' is not an element of the set {…}." */
  readonly message: string;
  /** Where the problem is, e.g. /report/incidentSummary/incidentType ('' when libxml2 gives none). */
  readonly xpath: string;
  readonly line: number;
}

export type XsdValidation = { ok: true } | { ok: false; wellFormed: boolean; issues: XsdIssue[] };

export interface SchemaValidator {
  /** Validates one document (UTF-8 bytes or a string) against the compiled schema. */
  validate(document: Uint8Array | string): XsdValidation;
  dispose(): void;
}

const maxIssues = 100;

// NOENT, DTDLOAD, DTDATTR and DTDVALID stay off: no entity substitution and no DTD is ever loaded.
const safeParseOptions = ParseOption.XML_PARSE_NONET | ParseOption.XML_PARSE_NO_XXE;

function toIssues(details: readonly ErrorDetail[]): XsdIssue[] {
  return details.slice(0, maxIssues).map((d) => ({
    message: d.message.trim(),
    xpath: d.xpath ?? '',
    line: d.line,
  }));
}

function libraryIssue(err: Error): XsdIssue {
  return { message: `The document cannot be validated: ${err.message}`, xpath: '', line: 0 };
}

/** Compiles an XSD (its text or bytes) into a reusable validator. Throws if the schema is broken. */
export function createXsdValidator(xsd: Uint8Array | string): SchemaValidator {
  const schemaDoc = typeof xsd === 'string' ? XmlDocument.fromString(xsd) : XmlDocument.fromBuffer(xsd);
  let validator: XsdValidator;
  try {
    validator = XsdValidator.fromDoc(schemaDoc);
  } finally {
    // The compiled schema keeps what it needs; the schema document can go.
    schemaDoc.dispose();
  }
  return {
    validate(document) {
      let doc: XmlDocument;
      try {
        doc =
          typeof document === 'string'
            ? XmlDocument.fromString(document, { option: safeParseOptions })
            : XmlDocument.fromBuffer(document, { option: safeParseOptions });
      } catch (err) {
        if (err instanceof XmlLibError)
          return { ok: false, wellFormed: false, issues: toIssues(err.details) };
        if (err instanceof XmlError) return { ok: false, wellFormed: false, issues: [libraryIssue(err)] };
        throw err;
      }
      try {
        validator.validate(doc);
        return { ok: true };
      } catch (err) {
        if (err instanceof XmlLibError) return { ok: false, wellFormed: true, issues: toIssues(err.details) };
        // libxml2 gives up without details on documents it cannot validate at all (entity
        // references, for one, which the hardened reader keeps away from it).
        if (err instanceof XmlError) {
          return {
            ok: false,
            wellFormed: false,
            issues: [libraryIssue(err)],
          };
        }
        throw err;
      } finally {
        doc.dispose();
      }
    },
    dispose() {
      validator.dispose();
    },
  };
}

/** The CyberTipline schema as NCMEC serves it at /ispws/xsd (a copy kept in src/contracts). */
export const cybertipXsdPath = packagePath('src', 'contracts', 'cyber_tipline.xsd');

let cybertipXsdBytes: Buffer | undefined;
let cybertipValidator: SchemaValidator | undefined;

/** The bytes of the CyberTipline XSD, read once. */
export function cybertipXsd(): Buffer {
  cybertipXsdBytes ??= readFileSync(cybertipXsdPath);
  return cybertipXsdBytes;
}

/** The process-wide validator of the CyberTipline schema, compiled on first use. */
export function cybertipXsdValidator(): SchemaValidator {
  cybertipValidator ??= createXsdValidator(cybertipXsd());
  return cybertipValidator;
}
