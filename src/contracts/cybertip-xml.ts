/**
 * Converts CyberTipline XML documents (`report`, `fileDetails`, and the two response documents) to
 * and from their JSON form, driven by the generated descriptor of the XSD rather than by code per
 * element.
 *
 * Reading is hardened for hostile input: a DOCTYPE (and so any DTD, external entity or entity
 * declaration) is refused before parsing; only the five predefined entities and numeric character
 * references are decoded; size, depth and element count are limited; bytes must be UTF-8.
 * This is a conversion, not XSD validation: it names unknown elements and attributes, repeated
 * single elements and unconvertible values, then checks the result with the Zod contract. Element
 * order is not checked here (the XSD validator of the XML API does that).
 *
 * fast-xml-parser does the tokenising; entity decoding is done here because its own entity
 * handling leaves undefined entities in place instead of refusing them.
 *
 * @example
 *   const read = reportFromXml(body);            // string or UTF-8 bytes
 *   if (!read.ok) return reply(read.reason, read.issues);
 *   const xml = reportToXml(read.report);        // XSD element order, `<viral/>` flags
 */
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import type { z } from 'zod';
import type { ErrorCode } from './errors.js';
import { toJsonPointer } from './errors.js';
import {
  cybertipDescriptor,
  fileDetailsSchema,
  reportDoneResponseSchema,
  reportResponseSchema,
  reportSchema,
  type CyberTipFileDetails,
  type CyberTipReport,
  type CyberTipReportDoneResponse,
  type CyberTipReportResponse,
} from './cybertip.generated.js';
import { fileDetailsInputSchema, reportInputSchema } from './cybertip-rules.js';
import {
  builtinOf,
  childElements,
  isRepeated,
  type AttributeDescriptor,
  type ComplexTypeDescriptor,
  type ElementDescriptor,
  type XsdDescriptor,
} from './xsd-descriptor.js';

export interface XmlLimits {
  /** Largest document accepted, in bytes of UTF-8. */
  readonly maxBytes: number;
  /** Deepest element nesting accepted (the CyberTipline schema needs 6). */
  readonly maxDepth: number;
  /** Most elements in one document (a batched report of thousands of users needs tens of thousands). */
  readonly maxElements: number;
}

export const defaultXmlLimits: XmlLimits = { maxBytes: 16 * 1024 * 1024, maxDepth: 32, maxElements: 250_000 };

/** Documents of the CyberTipline schema and their JSON forms. */
export interface CybertipDocuments {
  report: CyberTipReport;
  fileDetails: CyberTipFileDetails;
  reportResponse: CyberTipReportResponse;
  reportDoneResponse: CyberTipReportDoneResponse;
}
export type CybertipRoot = keyof CybertipDocuments;

export interface XmlIssue {
  /** JSON pointer into the JSON form, e.g. /personOrUserReported/0/email/1/verified ('' for the document). */
  readonly path: string;
  /** Where in the XML, e.g. /report/personOrUserReported[1]/email[2]/@verified, or line:column for syntax errors. */
  readonly xpath: string;
  readonly message: string;
  /** Stable reason: xml.size, xml.encoding, xml.char, xml.doctype, xml.syntax, xml.depth, xml.elements, xml.entity, xml.root, xml.element, xml.attribute, xml.text, xml.value, or schema. */
  readonly code: string;
}

/**
 * Why a document was refused: `malformed` (not well-formed XML, bad encoding, DOCTYPE/entities:
 * NCMEC's 4110), `too_large` (size, depth, element count), `invalid` (well-formed but does not fit
 * the schema or the documented rules: NCMEC's 4100).
 */
export type XmlFailureReason = 'malformed' | 'too_large' | 'invalid';

export interface XmlReadFailure {
  readonly ok: false;
  readonly reason: XmlFailureReason;
  /** The matching code of the error catalogue. */
  readonly errorCode: ErrorCode;
  /** One line for humans, naming the first problem. */
  readonly message: string;
  readonly issues: readonly XmlIssue[];
}

export interface XmlReadOptions {
  readonly limits?: Partial<XmlLimits>;
  /** Also apply the documented rules (cybertip-rules.ts) to report and fileDetails. Default true. */
  readonly rules?: boolean;
}

export interface XmlWriteOptions {
  /** Indentation per level, or null for one line. */
  readonly indent?: string | null;
  /** Write standalone="yes" in the XML declaration (NCMEC's responses do). */
  readonly standalone?: boolean;
}

const maxIssues = 100;

const failureCodes: Record<XmlFailureReason, ErrorCode> = {
  malformed: 'TIP_ERR_INPUT_MALFORMED',
  too_large: 'TIP_ERR_INPUT_TOO_LARGE',
  invalid: 'TIP_ERR_INPUT_INVALID',
};

function failure(reason: XmlFailureReason, issues: XmlIssue[]): XmlReadFailure {
  const first = issues[0];
  const where = first ? (first.xpath ? ` (at ${first.xpath})` : '') : '';
  return {
    ok: false,
    reason,
    errorCode: failureCodes[reason],
    message: first ? `${first.message}${where}` : 'The document was refused',
    issues: issues.slice(0, maxIssues),
  };
}

function issue(code: string, message: string, xpath = '', path: readonly (string | number)[] = []): XmlIssue {
  return { path: toJsonPointer(path), xpath, message, code };
}

const schemas: Record<CybertipRoot, { structural: z.ZodType; withRules: z.ZodType }> = {
  report: { structural: reportSchema, withRules: reportInputSchema },
  fileDetails: { structural: fileDetailsSchema, withRules: fileDetailsInputSchema },
  reportResponse: { structural: reportResponseSchema, withRules: reportResponseSchema },
  reportDoneResponse: { structural: reportDoneResponseSchema, withRules: reportDoneResponseSchema },
};

// ---------------------------------------------------------------------------------------------
// Reading

const illegalChar = /[^\t\n\r\u0020-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/u;

function lineCol(text: string, index: number): string {
  let line = 1;
  let last = -1;
  for (let i = text.indexOf('\n'); i !== -1 && i < index; i = text.indexOf('\n', i + 1)) {
    line++;
    last = i;
  }
  return `line ${line}, column ${index - last}`;
}

function decodeBytes(bytes: Uint8Array, limits: XmlLimits): string | XmlReadFailure {
  if (bytes.byteLength > limits.maxBytes) {
    return failure('too_large', [issue('xml.size', `The document is larger than ${limits.maxBytes} bytes`)]);
  }
  if ((bytes[0] === 0xfe && bytes[1] === 0xff) || (bytes[0] === 0xff && bytes[1] === 0xfe)) {
    return failure('malformed', [issue('xml.encoding', 'UTF-16 documents are not accepted; send UTF-8')]);
  }
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    return failure('malformed', [issue('xml.encoding', 'The document is not valid UTF-8')]);
  }
  const declared = /^<\?xml[^?]*?\bencoding\s*=\s*["']([^"']*)["']/.exec(text)?.[1];
  if (declared !== undefined && !/^(utf-?8|us-ascii|ascii)$/i.test(declared)) {
    return failure('malformed', [
      issue('xml.encoding', `The declared encoding "${declared}" is not accepted; send UTF-8`),
    ]);
  }
  return text;
}

/**
 * Scans markup before the parser sees it: refuses DOCTYPE and other declarations (the only way to
 * define entities or reach external resources), counts elements and nesting against the limits,
 * and refuses text outside the document element (which fast-xml-parser would silently drop).
 * Well-formedness proper is left to XMLValidator.
 */
function prescan(text: string, limits: XmlLimits): XmlReadFailure | undefined {
  const malformed = (message: string, at: number): XmlReadFailure =>
    failure('malformed', [issue('xml.syntax', message, lineCol(text, at))]);
  const outside = (from: number, to: number): boolean => !isXmlWhitespace(text.slice(from, to));
  const tagEnd = /["'>]/g;
  let elements = 0;
  let depth = 0;
  let after = 0; // end of the last markup seen at depth 0
  let i = text.indexOf('<');
  while (i !== -1) {
    if (depth === 0 && outside(after, i))
      return malformed('Not well-formed XML: text outside the document element', after);
    const next = text.charCodeAt(i + 1);
    let end: number;
    if (next === 0x21 /* ! */) {
      if (text.startsWith('<!--', i)) {
        end = text.indexOf('-->', i + 4);
        if (end === -1) return malformed('Not well-formed XML: a comment is not closed', i);
        end += 3;
      } else if (text.startsWith('<![CDATA[', i)) {
        if (depth === 0) return malformed('Not well-formed XML: text outside the document element', i);
        end = text.indexOf(']]>', i + 9);
        if (end === -1) return malformed('Not well-formed XML: a CDATA section is not closed', i);
        end += 3;
      } else {
        const keyword = /^<!([A-Za-z]*)/.exec(text.slice(i, i + 20))?.[1] ?? '';
        const message =
          keyword === 'DOCTYPE'
            ? 'DOCTYPE declarations are not accepted (no DTDs, external entities or entity declarations)'
            : `Markup declarations (<!${keyword}) are not accepted`;
        return failure('malformed', [issue('xml.doctype', message, lineCol(text, i))]);
      }
    } else if (next === 0x3f /* ? */) {
      end = text.indexOf('?>', i + 2);
      if (end === -1) return malformed('Not well-formed XML: a processing instruction is not closed', i);
      end += 2;
    } else {
      // Find the tag's ">" outside quoted attribute values.
      tagEnd.lastIndex = i + 1;
      let m = tagEnd.exec(text);
      while (m && m[0] !== '>') {
        const close = text.indexOf(m[0], m.index + 1);
        if (close === -1) return malformed('Not well-formed XML: an attribute value is not closed', m.index);
        tagEnd.lastIndex = close + 1;
        m = tagEnd.exec(text);
      }
      if (!m) return malformed('Not well-formed XML: a tag is not closed', i);
      end = m.index + 1;
      if (next === 0x2f /* / */) {
        depth--;
      } else {
        if (++elements > limits.maxElements) {
          return failure('too_large', [
            issue('xml.elements', `The document has more than ${limits.maxElements} elements`),
          ]);
        }
        if (text.charCodeAt(m.index - 1) !== 0x2f /* / */ && ++depth > limits.maxDepth) {
          return failure('too_large', [
            issue('xml.depth', `Elements are nested deeper than ${limits.maxDepth} levels`),
          ]);
        }
      }
    }
    if (depth === 0) after = end;
    i = text.indexOf('<', end);
  }
  // Unclosed elements (depth > 0) are left to XMLValidator, which names them.
  if (depth === 0 && outside(after, text.length)) {
    return malformed('Not well-formed XML: text outside the document element', after);
  }
  return undefined;
}

const predefinedEntities: Readonly<Record<string, string>> = {
  lt: '<',
  gt: '>',
  amp: '&',
  apos: "'",
  quot: '"',
};

function isXmlCodePoint(cp: number): boolean {
  return (
    cp === 0x9 ||
    cp === 0xa ||
    cp === 0xd ||
    (cp >= 0x20 && cp <= 0xd7ff) ||
    (cp >= 0xe000 && cp <= 0xfffd) ||
    (cp >= 0x10000 && cp <= 0x10ffff)
  );
}

/** Decodes the five predefined entities and character references; anything else is an error string. */
function decodeReferences(raw: string): { ok: true; text: string } | { ok: false; message: string } {
  if (!raw.includes('&')) return { ok: true, text: raw };
  let out = '';
  let last = 0;
  const ref = /&(?:#([0-9]+)|#x([0-9A-Fa-f]+)|([A-Za-z_][A-Za-z0-9._:-]*))?(;?)/g;
  for (let m = ref.exec(raw); m; m = ref.exec(raw)) {
    const [whole, dec, hex, name, semi] = m;
    if (!semi || (dec === undefined && hex === undefined && name === undefined)) {
      return {
        ok: false,
        message: `A bare "&" must be written &amp; (near "${raw.slice(m.index, m.index + 12)}")`,
      };
    }
    let replacement: string;
    if (name !== undefined) {
      const entity = predefinedEntities[name];
      if (entity === undefined) {
        return {
          ok: false,
          message: `Undefined entity &${name}; (only &lt; &gt; &amp; &apos; &quot; and character references are accepted)`,
        };
      }
      replacement = entity;
    } else {
      const digits = dec ?? hex ?? '';
      const cp = digits.length > 8 ? -1 : parseInt(digits, dec !== undefined ? 10 : 16);
      if (!isXmlCodePoint(cp))
        return { ok: false, message: `Character reference ${whole} is not a legal XML character` };
      replacement = String.fromCodePoint(cp);
    }
    out += raw.slice(last, m.index) + replacement;
    last = m.index + whole.length;
  }
  return { ok: true, text: out + raw.slice(last) };
}

type XNode = Record<string, unknown>;

function tagOf(node: XNode): string | undefined {
  for (const key of Object.keys(node)) if (key !== ':@') return key;
  return undefined;
}

const collapse = (s: string): string => s.replace(/[ \t\n\r]+/g, ' ').trim();
const isXmlWhitespace = (s: string): boolean => /^[ \t\n\r]*$/.test(s);

class Reader {
  readonly issues: XmlIssue[] = [];
  private readonly childMaps = new Map<string, Map<string, ElementDescriptor>>();

  constructor(private readonly d: XsdDescriptor) {}

  private add(code: string, message: string, xpath: string, path: readonly (string | number)[]): void {
    if (this.issues.length < maxIssues) this.issues.push(issue(code, message, xpath, path));
  }

  private childrenOf(type: ComplexTypeDescriptor): Map<string, ElementDescriptor> {
    let map = this.childMaps.get(type.name);
    if (!map) {
      map = new Map(childElements(type).map((e) => [e.name, e]));
      this.childMaps.set(type.name, map);
    }
    return map;
  }

  readElement(e: ElementDescriptor, node: XNode, path: (string | number)[], xpath: string): unknown {
    const children = (node[e.name] as XNode[] | undefined) ?? [];
    const attrs = (node[':@'] as Record<string, string> | undefined) ?? {};
    const type =
      e.kind === 'complex' || e.kind === 'textWithAttributes' ? this.d.complexTypes[e.type] : undefined;
    const attributes = this.readAttributes(type?.attributes ?? [], attrs, e.name, path, xpath);

    if (e.kind === 'value') {
      const text = this.textOf(children, e.name, path, xpath);
      return text === undefined ? undefined : this.convert(text, e.type, path, xpath);
    }
    if (e.kind === 'flag') {
      const text = this.textOf(children, e.name, path, xpath);
      if (text === undefined) return undefined;
      const v = collapse(text);
      if (v === '' || v === 'true' || v === '1') return true;
      this.add(
        'xml.value',
        `<${e.name}> is a presence flag: write <${e.name}/> or <${e.name}>true</${e.name}>`,
        xpath,
        path,
      );
      return undefined;
    }
    if (!type) throw new Error(`Descriptor has no complex type ${e.type}`);
    if (e.kind === 'textWithAttributes') {
      const text = this.textOf(children, e.name, path, xpath);
      const value =
        text === undefined
          ? undefined
          : this.convert(text, type.text ?? 'xs:string', [...path, 'value'], `${xpath}/text()`);
      return { value, ...attributes };
    }
    return { ...this.readChildren(type, children, e.name, path, xpath), ...attributes };
  }

  private readAttributes(
    declared: readonly AttributeDescriptor[],
    attrs: Record<string, string>,
    elementName: string,
    path: (string | number)[],
    xpath: string,
  ): Record<string, unknown> {
    const out: Record<string, unknown> = {};
    for (const [name, raw] of Object.entries(attrs)) {
      const at = `${xpath}/@${name}`;
      if (name === 'xmlns') {
        if (raw !== '')
          this.add(
            'xml.attribute',
            `<${elementName}> must not be in a namespace (the CyberTipline schema has none)`,
            at,
            path,
          );
        continue;
      }
      if (raw.includes('<')) {
        this.add('xml.syntax', `Attribute ${name} contains "<", which must be written &lt;`, at, [
          ...path,
          name,
        ]);
        continue;
      }
      if (
        name.startsWith('xmlns:') ||
        name === 'xsi:noNamespaceSchemaLocation' ||
        name === 'xsi:schemaLocation'
      )
        continue;
      const a = declared.find((x) => x.name === name);
      if (!a) {
        const allowed = declared.map((x) => x.name).join(', ') || 'none';
        this.add(
          'xml.attribute',
          `Unknown attribute ${name} on <${elementName}>; allowed: ${allowed}`,
          at,
          path,
        );
        continue;
      }
      // XML attribute-value normalisation: literal tabs and line breaks become spaces.
      const decoded = decodeReferences(raw.replace(/[\t\n\r]/g, ' '));
      if (!decoded.ok) {
        this.add('xml.entity', decoded.message, at, [...path, name]);
        continue;
      }
      const value = this.convert(decoded.text, a.type, [...path, name], at);
      if (value !== undefined) out[name] = value;
    }
    return out;
  }

  /** Text of a text-only element; undefined (with an issue) when it holds elements or bad references. */
  private textOf(
    children: XNode[],
    name: string,
    path: (string | number)[],
    xpath: string,
  ): string | undefined {
    let text = '';
    for (const child of children) {
      const tag = tagOf(child);
      if (tag === '#text') {
        const decoded = decodeReferences(String(child['#text']));
        if (!decoded.ok) {
          this.add('xml.entity', decoded.message, xpath, path);
          return undefined;
        }
        text += decoded.text;
      } else if (tag === '#cdata') {
        text += ((child['#cdata'] as { '#text'?: string }[] | undefined) ?? [])
          .map((c) => c['#text'] ?? '')
          .join('');
      } else if (tag !== undefined && !tag.startsWith('?')) {
        this.add('xml.element', `<${name}> holds text only; found element <${tag}>`, `${xpath}/${tag}`, path);
        return undefined;
      }
    }
    return text;
  }

  private readChildren(
    type: ComplexTypeDescriptor,
    children: XNode[],
    name: string,
    path: (string | number)[],
    xpath: string,
  ): Record<string, unknown> {
    const allowed = this.childrenOf(type);
    const found = new Map<string, unknown>();
    for (const child of children) {
      const tag = tagOf(child);
      if (tag === undefined || tag.startsWith('?')) continue;
      if (tag === '#text' || tag === '#cdata') {
        const text = tag === '#text' ? String(child['#text']) : JSON.stringify(child['#cdata']);
        if (tag === '#cdata' || !isXmlWhitespace(text)) {
          this.add('xml.text', `<${name}> holds elements only; found text`, xpath, path);
        }
        continue;
      }
      const e = allowed.get(tag);
      if (!e) {
        // fast-xml-parser prefixes names such as toString with "__"; show the name as written.
        const shown = tag.startsWith('__') && tag.slice(2) in Object.prototype ? tag.slice(2) : tag;
        const list = [...allowed.keys()].join(', ') || 'none';
        this.add(
          'xml.element',
          `Unknown element <${shown}> in <${name}>; allowed: ${list}`,
          `${xpath}/${tag}`,
          path,
        );
        continue;
      }
      if (isRepeated(e)) {
        const list = (found.get(tag) as unknown[] | undefined) ?? [];
        found.set(tag, list);
        const index = list.length;
        list.push(this.readElement(e, child, [...path, tag, index], `${xpath}/${tag}[${index + 1}]`));
      } else if (found.has(tag)) {
        this.add('xml.element', `<${tag}> may occur only once in <${name}>`, `${xpath}/${tag}`, [
          ...path,
          tag,
        ]);
      } else {
        found.set(tag, this.readElement(e, child, [...path, tag], `${xpath}/${tag}`));
      }
    }
    const out: Record<string, unknown> = {};
    for (const e of childElements(type)) if (found.has(e.name)) out[e.name] = found.get(e.name);
    return out;
  }

  private convert(raw: string, typeRef: string, path: (string | number)[], xpath: string): unknown {
    const bad = (what: string): undefined => {
      this.add(
        'xml.value',
        `Expected ${what}; got "${raw.length > 40 ? `${raw.slice(0, 40)}…` : raw}"`,
        xpath,
        path,
      );
      return undefined;
    };
    switch (builtinOf(this.d, typeRef)) {
      case 'xs:string':
        return raw;
      case 'xs:token':
        return collapse(raw);
      case 'xs:boolean': {
        const v = collapse(raw);
        if (v === 'true' || v === '1') return true;
        if (v === 'false' || v === '0') return false;
        return bad('true, false, 1 or 0');
      }
      case 'xs:int':
      case 'xs:long':
      case 'xs:integer': {
        const v = collapse(raw);
        if (!/^[+-]?[0-9]+$/.test(v)) return bad('an integer');
        const n = Number(v);
        if (!Number.isSafeInteger(n))
          return bad('an integer within ±9007199254740991 (the range JSON carries exactly)');
        return n;
      }
      case 'xs:double': {
        const v = collapse(raw);
        if (!/^[+-]?([0-9]+(\.[0-9]*)?|\.[0-9]+)([eE][+-]?[0-9]+)?$/.test(v))
          return bad('a finite decimal number (INF and NaN are not accepted)');
        const n = Number(v);
        return Number.isFinite(n) ? n : bad('a finite number');
      }
      case 'xs:dateTime':
      case 'xs:date':
        return collapse(raw);
    }
  }
}

const parsers = new Map<number, XMLParser>();

/** Parsers are reusable and hold no document state between calls; one per depth limit. */
function parserFor(maxDepth: number): XMLParser {
  let parser = parsers.get(maxDepth);
  if (!parser) {
    parser = new XMLParser({
      preserveOrder: true,
      ignoreAttributes: false,
      attributeNamePrefix: '',
      allowBooleanAttributes: false,
      parseTagValue: false,
      parseAttributeValue: false,
      trimValues: false,
      processEntities: false,
      htmlEntities: false,
      cdataPropName: '#cdata',
      ignoreDeclaration: true,
      ignorePiTags: true,
      maxNestedTags: maxDepth,
    });
    parsers.set(maxDepth, parser);
  }
  return parser;
}

function xpathOf(d: XsdDescriptor, root: string, path: readonly PropertyKey[]): string {
  let xpath = `/${root}`;
  let element: ElementDescriptor | undefined = d.elements[root];
  for (let i = 0; i < path.length; i++) {
    const seg = String(path[i]);
    const type: ComplexTypeDescriptor | undefined =
      element && (element.kind === 'complex' || element.kind === 'textWithAttributes')
        ? d.complexTypes[element.type]
        : undefined;
    if (!type) return `${xpath}/${path.slice(i).map(String).join('/')}`;
    if (type.model === 'text' && seg === 'value') return `${xpath}/text()`;
    if (type.attributes.some((a) => a.name === seg)) return `${xpath}/@${seg}`;
    const child: ElementDescriptor | undefined = childElements(type).find((e) => e.name === seg);
    xpath += `/${seg}`;
    if (!child) return xpath;
    if (isRepeated(child) && typeof path[i + 1] === 'number') {
      xpath += `[${(path[i + 1] as number) + 1}]`;
      i++;
    }
    element = child;
  }
  return xpath;
}

/**
 * Reads any CyberTipline document into its JSON form and checks it with the Zod contract (plus the
 * documented rules for report and fileDetails unless `rules: false`). Never throws on bad input.
 */
export function cybertipFromXml<R extends CybertipRoot>(
  root: R,
  input: string | Uint8Array,
  options: XmlReadOptions = {},
): { ok: true; value: CybertipDocuments[R] } | XmlReadFailure {
  const limits: XmlLimits = { ...defaultXmlLimits, ...options.limits };
  let text: string;
  if (typeof input === 'string') {
    if (input.length > limits.maxBytes || Buffer.byteLength(input, 'utf8') > limits.maxBytes) {
      return failure('too_large', [
        issue('xml.size', `The document is larger than ${limits.maxBytes} bytes`),
      ]);
    }
    text = input.startsWith('\uFEFF') ? input.slice(1) : input;
  } else {
    const decoded = decodeBytes(input, limits);
    if (typeof decoded !== 'string') return decoded;
    text = decoded;
  }

  const bad = illegalChar.exec(text);
  if (bad) {
    const cp = bad[0].codePointAt(0) ?? 0;
    return failure('malformed', [
      issue(
        'xml.char',
        `Character U+${cp.toString(16).toUpperCase().padStart(4, '0')} is not allowed in XML`,
        lineCol(text, bad.index),
      ),
    ]);
  }
  const scanned = prescan(text, limits);
  if (scanned) return scanned;

  const wellFormed = XMLValidator.validate(text, { allowBooleanAttributes: false });
  if (wellFormed !== true) {
    const { msg, line, col } = wellFormed.err;
    return failure('malformed', [
      issue(
        'xml.syntax',
        `Not well-formed XML: ${msg}`,
        col === undefined ? `line ${line}` : `line ${line}, column ${col}`,
      ),
    ]);
  }

  let nodes: XNode[];
  try {
    nodes = parserFor(limits.maxDepth).parse(text) as XNode[];
  } catch (err) {
    const message = err instanceof Error ? err.message : String(err);
    const reserved = /^\[SECURITY\] Invalid name: "([^"]+)"/.exec(message)?.[1];
    if (reserved !== undefined) {
      // fast-xml-parser refuses __proto__, constructor and prototype as names; none is in the schema.
      return failure('invalid', [
        issue('xml.element', `The name "${reserved}" is not part of the CyberTipline schema`),
      ]);
    }
    if (/nested/i.test(message)) {
      return failure('too_large', [
        issue('xml.depth', `Elements are nested deeper than ${limits.maxDepth} levels`),
      ]);
    }
    return failure('malformed', [issue('xml.syntax', `Not well-formed XML: ${message}`)]);
  }

  // XMLValidator misses text and extra elements after a self-closing document element.
  const elements: XNode[] = [];
  for (const n of nodes) {
    const tag = tagOf(n);
    if (tag === undefined || tag.startsWith('?')) continue;
    if (tag === '#cdata' || (tag === '#text' && !isXmlWhitespace(String(n['#text'])))) {
      return failure('malformed', [
        issue('xml.syntax', 'Not well-formed XML: text outside the document element'),
      ]);
    }
    if (tag !== '#text') elements.push(n);
  }
  const top = elements[0];
  if (!top || elements.length > 1) {
    return failure('malformed', [
      issue('xml.syntax', `Not well-formed XML: expected one document element, found ${elements.length}`),
    ]);
  }
  const topTag = tagOf(top);
  if (topTag !== root) {
    return failure('invalid', [
      issue('xml.root', `Expected <${root}> as the document element; got <${topTag}>`, '/'),
    ]);
  }
  const descriptor = cybertipDescriptor;
  const element = descriptor.elements[root];
  if (!element) throw new Error(`Descriptor has no element ${root}`);
  const reader = new Reader(descriptor);
  const value = reader.readElement(element, top, [], `/${root}`);
  if (reader.issues.length > 0) {
    // Undefined entities and stray markup break well-formedness, not just the schema.
    const malformed = reader.issues.some((i) => i.code === 'xml.entity' || i.code === 'xml.syntax');
    return failure(malformed ? 'malformed' : 'invalid', reader.issues);
  }

  const schema = options.rules === false ? schemas[root].structural : schemas[root].withRules;
  const parsed = schema.safeParse(value);
  if (!parsed.success) {
    return failure(
      'invalid',
      parsed.error.issues.map((i) =>
        issue(
          'schema',
          i.message,
          xpathOf(descriptor, root, i.path),
          i.path.map((p) => (typeof p === 'symbol' ? String(p) : p)),
        ),
      ),
    );
  }
  return { ok: true, value: parsed.data as CybertipDocuments[R] };
}

/** Reads a `report` document (body of /ispws/submit). */
export function reportFromXml(
  xml: string | Uint8Array,
  options?: XmlReadOptions,
): { ok: true; report: CyberTipReport } | XmlReadFailure {
  const read = cybertipFromXml('report', xml, options);
  return read.ok ? { ok: true, report: read.value } : read;
}

/** Reads a `fileDetails` document (body of /ispws/fileinfo). */
export function fileDetailsFromXml(
  xml: string | Uint8Array,
  options?: XmlReadOptions,
): { ok: true; fileDetails: CyberTipFileDetails } | XmlReadFailure {
  const read = cybertipFromXml('fileDetails', xml, options);
  return read.ok ? { ok: true, fileDetails: read.value } : read;
}

// ---------------------------------------------------------------------------------------------
// Writing

const escapeText = (s: string): string =>
  s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/\r/g, '&#13;');

const escapeAttribute = (s: string): string =>
  s
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/"/g, '&quot;')
    .replace(/\t/g, '&#9;')
    .replace(/\n/g, '&#10;')
    .replace(/\r/g, '&#13;');

class Writer {
  readonly lines: string[] = [];

  constructor(
    private readonly d: XsdDescriptor,
    private readonly indent: string | null,
  ) {}

  private emit(depth: number, line: string): void {
    this.lines.push(this.indent === null ? line : this.indent.repeat(depth) + line);
  }

  private format(value: unknown, typeRef: string, xpath: string): string {
    const builtin = builtinOf(this.d, typeRef);
    switch (builtin) {
      case 'xs:boolean':
        if (typeof value !== 'boolean') break;
        return value ? 'true' : 'false';
      case 'xs:int':
      case 'xs:long':
      case 'xs:integer':
        if (!Number.isSafeInteger(value)) break;
        return String(value);
      case 'xs:double':
        if (typeof value !== 'number' || !Number.isFinite(value)) break;
        return String(value);
      default:
        if (typeof value !== 'string') break;
        return value;
    }
    throw new TypeError(
      `Cannot write ${JSON.stringify(value)} as ${typeRef} at ${xpath}; validate the document first`,
    );
  }

  private attributes(type: ComplexTypeDescriptor, value: Record<string, unknown>, xpath: string): string {
    let out = '';
    for (const a of type.attributes) {
      const v = value[a.name];
      if (v !== undefined)
        out += ` ${a.name}="${escapeAttribute(this.format(v, a.type, `${xpath}/@${a.name}`))}"`;
    }
    return out;
  }

  private checkKeys(type: ComplexTypeDescriptor, value: Record<string, unknown>, xpath: string): void {
    const known = new Set([...childElements(type).map((e) => e.name), ...type.attributes.map((a) => a.name)]);
    if (type.model === 'text') known.add('value');
    for (const key of Object.keys(value)) {
      if (!known.has(key))
        throw new TypeError(`Unknown field "${key}" at ${xpath}; validate the document first`);
    }
  }

  element(e: ElementDescriptor, value: unknown, depth: number, xpath: string): void {
    if (value === undefined) return;
    if (isRepeated(e)) {
      if (!Array.isArray(value)) throw new TypeError(`Expected an array at ${xpath}/${e.name}`);
      value.forEach((item, i) => this.single(e, item, depth, `${xpath}/${e.name}[${i + 1}]`));
    } else {
      this.single(e, value, depth, `${xpath}/${e.name}`);
    }
  }

  private single(e: ElementDescriptor, value: unknown, depth: number, xpath: string): void {
    const name = e.name;
    if (e.kind === 'flag') {
      if (value !== true) throw new TypeError(`A presence flag must be true at ${xpath}`);
      this.emit(depth, `<${name}/>`);
      return;
    }
    if (e.kind === 'value') {
      const text = escapeText(this.format(value, e.type, xpath));
      this.emit(depth, text === '' ? `<${name}/>` : `<${name}>${text}</${name}>`);
      return;
    }
    const type = this.d.complexTypes[e.type];
    if (!type) throw new Error(`Descriptor has no complex type ${e.type}`);
    if (typeof value !== 'object' || value === null || Array.isArray(value))
      throw new TypeError(`Expected an object at ${xpath}`);
    const obj = value as Record<string, unknown>;
    this.checkKeys(type, obj, xpath);
    const attrs = this.attributes(type, obj, xpath);
    if (e.kind === 'textWithAttributes') {
      const text = escapeText(this.format(obj.value, type.text ?? 'xs:string', `${xpath}/text()`));
      this.emit(depth, text === '' ? `<${name}${attrs}/>` : `<${name}${attrs}>${text}</${name}>`);
      return;
    }
    const present = childElements(type).filter(
      (c) =>
        obj[c.name] !== undefined && !(Array.isArray(obj[c.name]) && (obj[c.name] as unknown[]).length === 0),
    );
    if (present.length === 0) {
      this.emit(depth, `<${name}${attrs}/>`);
      return;
    }
    this.emit(depth, `<${name}${attrs}>`);
    for (const c of present) this.element(c, obj[c.name], depth + 1, xpath);
    this.emit(depth, `</${name}>`);
  }
}

/**
 * Writes any CyberTipline document from its JSON form: XML declaration, elements in XSD order,
 * presence flags as `<flag/>`. Expects a document that passed the schema; throws TypeError otherwise.
 */
export function cybertipToXml<R extends CybertipRoot>(
  root: R,
  value: CybertipDocuments[R],
  options: XmlWriteOptions = {},
): string {
  const element = cybertipDescriptor.elements[root];
  if (!element) throw new Error(`Descriptor has no element ${root}`);
  const indent = options.indent === undefined ? '  ' : options.indent;
  const writer = new Writer(cybertipDescriptor, indent);
  writer.element(element, value, 0, '');
  const declaration = `<?xml version="1.0" encoding="UTF-8"${options.standalone ? ' standalone="yes"' : ''}?>`;
  return [declaration, ...writer.lines].join(indent === null ? '' : '\n') + (indent === null ? '' : '\n');
}

/** Writes a `report` document, indented, elements in XSD order. */
export function reportToXml(report: CyberTipReport, options?: XmlWriteOptions): string {
  return cybertipToXml('report', report, options);
}

/** Writes a `fileDetails` document. */
export function fileDetailsToXml(fileDetails: CyberTipFileDetails, options?: XmlWriteOptions): string {
  return cybertipToXml('fileDetails', fileDetails, options);
}

/** Writes a `reportResponse` as NCMEC does: standalone="yes", on one line. */
export function reportResponseToXml(response: CyberTipReportResponse): string {
  return cybertipToXml('reportResponse', response, { standalone: true, indent: null });
}

/** Writes a `reportDoneResponse` as NCMEC does (`<files/>` when there are none). */
export function reportDoneResponseToXml(response: CyberTipReportDoneResponse): string {
  return cybertipToXml('reportDoneResponse', response, { standalone: true, indent: null });
}
