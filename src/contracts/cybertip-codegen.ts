/**
 * Renders cybertip.generated.ts (Zod schemas, inferred types and the structural descriptor) from
 * the CyberTipline XSD. Pure: text in, text out; scripts/gen-cybertip.ts does the file I/O, and a
 * test re-renders in memory to prove the committed file matches the XSD.
 *
 * @example
 *   const source = await renderCybertipModule(xsdText, await prettier.resolveConfig(target));
 */
import { createHash } from 'node:crypto';
import { format, type Options as PrettierOptions } from 'prettier';
import {
  describeXsd,
  isRepeated,
  type ComplexTypeDescriptor,
  type ElementDescriptor,
  type ParticleDescriptor,
  type SimpleTypeDescriptor,
  type XsdDescriptor,
} from './xsd-descriptor.js';

const builtinSchemas: Readonly<Record<string, string>> = {
  'xs:string': 'xsString',
  'xs:token': 'xsToken',
  'xs:boolean': 'xsBoolean',
  'xs:int': 'xsInt',
  'xs:long': 'xsLong',
  'xs:integer': 'xsLong',
  'xs:double': 'xsDouble',
  'xs:dateTime': 'xsDateTime',
  'xs:date': 'xsDate',
};

/** `lawEnforcement.servedLegalProcessInternational` → `lawEnforcementServedLegalProcessInternational`. */
export function identifierOf(typeName: string): string {
  const parts = typeName.split(/[^A-Za-z0-9]+/).filter(Boolean);
  const id = parts.map((p, i) => (i === 0 ? p : p[0].toUpperCase() + p.slice(1))).join('');
  if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(id))
    throw new Error(`Cannot make an identifier of type name ${typeName}`);
  return id;
}

/** The exported Zod schema name for a type: `person` → `personSchema`. */
export function schemaNameOf(typeName: string): string {
  return `${identifierOf(typeName)}Schema`;
}

/** The exported TypeScript type name for a type: `person` → `CyberTipPerson`. */
export function typeNameOf(typeName: string): string {
  const id = identifierOf(typeName);
  return `CyberTip${id[0].toUpperCase()}${id.slice(1)}`;
}

/**
 * Translates an XSD pattern to an anchored JavaScript regular expression. XSD regexes are
 * implicitly anchored and differ from JavaScript in a few escapes; only the common subset is
 * accepted, anything else throws so nobody ships a silently different pattern.
 */
export function xsdPatternToRegExp(pattern: string): RegExp {
  if (/\\[iIcCpP]|-\[|[\^$]/.test(pattern)) {
    throw new Error(`XSD pattern ${pattern} uses a construct the generator does not translate`);
  }
  return new RegExp(`^(?:${pattern})$`, 'u');
}

function simpleExpr(typeRef: string): string {
  return builtinSchemas[typeRef] ?? schemaNameOf(typeRef);
}

function jsDoc(doc: string | undefined): string[] {
  return doc ? [`/** ${doc.replace(/\*\//g, '* /')} */`] : [];
}

function describe(doc: string | undefined): string {
  return doc ? `.describe(${JSON.stringify(doc)})` : '';
}

function elementExpr(element: ElementDescriptor, inChoice: boolean): string {
  let expr: string;
  switch (element.kind) {
    case 'flag':
      expr = 'presenceFlag';
      break;
    case 'value':
      expr = element.xsdType ? schemaNameOf(element.xsdType) : simpleExpr(element.type);
      break;
    case 'textWithAttributes':
    case 'complex':
      expr = schemaNameOf(element.type);
      break;
  }
  if (isRepeated(element)) {
    expr = `z.array(${expr})`;
    if (element.minOccurs > 0) expr += `.min(${element.minOccurs})`;
    if (element.maxOccurs !== null) expr += `.max(${element.maxOccurs})`;
  }
  expr += describe(element.doc);
  if (inChoice || element.minOccurs === 0) expr += '.optional()';
  return expr;
}

function renderSimpleType(t: SimpleTypeDescriptor): string {
  let expr: string;
  if (t.enumeration) {
    if (t.base !== 'xs:string' && t.base !== 'xs:token')
      throw new Error(`Enumeration over ${t.base} in ${t.name}`);
    expr = `z.enum(${JSON.stringify(t.enumeration)}, enumErrors(${JSON.stringify(t.name)}))`;
  } else if (t.patterns) {
    if (t.base !== 'xs:string') throw new Error(`Pattern over ${t.base} in ${t.name}`);
    for (const p of t.patterns) xsdPatternToRegExp(p);
    const alternatives = t.patterns.join('|');
    expr = `${simpleExpr(t.base)}.regex(/^(?:${alternatives.replace(/\//g, '\\/')})$/u, patternError(${JSON.stringify(t.name)}, ${JSON.stringify(t.patterns)}))`;
  } else {
    expr = simpleExpr(t.base);
  }
  return [
    ...jsDoc(t.doc),
    `export const ${schemaNameOf(t.name)} = ${expr}${describe(t.doc)};`,
    `export type ${typeNameOf(t.name)} = z.infer<typeof ${schemaNameOf(t.name)}>;`,
  ].join('\n');
}

function renderComplexType(t: ComplexTypeDescriptor): string {
  const name = schemaNameOf(t.name);
  let expr: string;
  if (t.model === 'text' && t.attributes.length === 0) {
    expr = `${simpleExpr(t.text ?? 'xs:string')}${describe(t.doc)}`;
  } else {
    const fields: string[] = [];
    if (t.model === 'text') fields.push(`value: ${simpleExpr(t.text ?? 'xs:string')}`);
    const choices: Extract<ParticleDescriptor, { kind: 'choice' }>[] = [];
    for (const p of t.particles) {
      if (p.kind === 'element') {
        fields.push(`${p.element.name}: ${elementExpr(p.element, false)}`);
      } else {
        choices.push(p);
        for (const o of p.options) fields.push(`${o.name}: ${elementExpr(o, true)}`);
      }
    }
    for (const a of t.attributes) {
      fields.push(`${a.name}: ${simpleExpr(a.type)}${describe(a.doc)}${a.required ? '' : '.optional()'}`);
    }
    const keys = [
      ...(t.model === 'text' ? ['value'] : []),
      ...t.particles.flatMap((p) => (p.kind === 'element' ? [p.element.name] : p.options.map((o) => o.name))),
      ...t.attributes.map((a) => a.name),
    ];
    expr = `z.strictObject({\n${fields.map((f) => `  ${f},`).join('\n')}\n}, objectErrors(${JSON.stringify(t.name)}, ${JSON.stringify(keys)}))`;
    for (const c of choices) {
      // The choice is required only when it must occur and every option must be non-empty.
      const required = c.minOccurs > 0 && c.options.every((o) => o.minOccurs > 0);
      expr += `.superRefine(choiceOf(${JSON.stringify(c.options.map((o) => o.name))}, ${required}))`;
    }
    expr += describe(t.doc);
  }
  return [
    ...jsDoc(t.doc),
    `export const ${name} = ${expr};`,
    `export type ${typeNameOf(t.name)} = z.infer<typeof ${name}>;`,
  ].join('\n');
}

/** Complex types ordered so each comes after every type it references. */
function dependencyOrder(d: XsdDescriptor): ComplexTypeDescriptor[] {
  const ordered: ComplexTypeDescriptor[] = [];
  const done = new Set<string>();
  const visit = (name: string): void => {
    if (done.has(name)) return;
    done.add(name);
    const t = d.complexTypes[name];
    if (!t) throw new Error(`Unknown complex type ${name}`);
    for (const p of t.particles) {
      for (const e of p.kind === 'element' ? [p.element] : p.options) {
        if (e.kind === 'complex' || e.kind === 'textWithAttributes') visit(e.type);
        if (e.xsdType) visit(e.xsdType);
      }
    }
    ordered.push(t);
  };
  for (const name of Object.keys(d.complexTypes).sort()) visit(name);
  return ordered;
}

function stripDocs(d: XsdDescriptor): XsdDescriptor {
  return JSON.parse(
    JSON.stringify(d, (key, value: unknown) => (key === 'doc' ? undefined : value)),
  ) as XsdDescriptor;
}

/** The TypeScript source of cybertip.generated.ts, before formatting. */
export function renderCybertipSource(xsdText: string): string {
  const d = describeXsd(xsdText);
  const sha256 = createHash('sha256').update(xsdText).digest('hex');

  const names = new Map<string, string>();
  for (const typeName of [...Object.keys(d.simpleTypes), ...Object.keys(d.complexTypes)]) {
    const schemaName = schemaNameOf(typeName);
    const clash = names.get(schemaName);
    if (clash) throw new Error(`Types ${clash} and ${typeName} would both be exported as ${schemaName}`);
    names.set(schemaName, typeName);
  }
  for (const root of ['report', 'fileDetails']) {
    if (d.elements[root]?.kind !== 'complex')
      throw new Error(`The XSD has no complex global element ${root}`);
  }

  const body = [
    ...Object.values(d.simpleTypes).map(renderSimpleType),
    ...dependencyOrder(d).map(renderComplexType),
  ].join('\n\n');
  const used = [
    'choiceOf',
    'enumErrors',
    'objectErrors',
    'patternError',
    'presenceFlag',
    ...new Set(Object.values(builtinSchemas)),
  ]
    .filter((name) => new RegExp(`\\b${name}\\b`).test(body))
    .sort();

  return `// Generated by \`npm run gen:cybertip\` (scripts/gen-cybertip.ts) from src/contracts/cyber_tipline.xsd.
// Do not edit by hand: change the XSD or the generator (src/contracts/cybertip-codegen.ts) and regenerate.
// XSD SHA-256: ${sha256}
import { z } from 'zod';
import { ${used.join(', ')} } from './cybertip-primitives.js';
import type { XsdDescriptor } from './xsd-descriptor.js';

/** SHA-256 of the XSD this file was generated from. */
export const cybertipXsdSha256 = ${JSON.stringify(sha256)};

${body}

/** Structure of the XSD (element order, repetition, flags, text+attribute elements, types) for XML conversion. */
export const cybertipDescriptor: XsdDescriptor = ${JSON.stringify(stripDocs(d), null, 2)};
`;
}

/** The formatted source of cybertip.generated.ts; pass the project's Prettier options. */
export async function renderCybertipModule(
  xsdText: string,
  prettierOptions: PrettierOptions | null,
): Promise<string> {
  return format(renderCybertipSource(xsdText), { ...(prettierOptions ?? {}), parser: 'typescript' });
}
