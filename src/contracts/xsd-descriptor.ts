/**
 * Reads an XML Schema (the subset NCMEC's CyberTipline XSD uses) into a plain structural descriptor:
 * which elements each type holds and in what order, which repeat, which are presence flags, which
 * carry text plus attributes, and the simple types with their enumerations and patterns. The Zod
 * generator, the XML converter and the sample generator are all driven by this one descriptor.
 *
 * Anything outside the supported subset (groups, extensions of complex types, union types, facets
 * other than enumeration and pattern, defaults…) throws, so a future XSD change fails the generator
 * loudly instead of producing a contract that silently drops a rule.
 *
 * @example
 *   const d = describeXsd(readFileSync('src/contracts/cyber_tipline.xsd', 'utf8'));
 *   d.elements.report.type; // 'report'
 *   d.complexTypes.report.particles[0]; // { kind: 'element', element: { name: 'batchedReport', … } }
 */
import { XMLParser } from 'fast-xml-parser';

/** XSD built-in types the descriptor understands, written as in the XSD (`xs:string`). */
export const xsdBuiltins = [
  'xs:string',
  'xs:token',
  'xs:boolean',
  'xs:int',
  'xs:long',
  'xs:integer',
  'xs:double',
  'xs:dateTime',
  'xs:date',
] as const;
export type XsdBuiltin = (typeof xsdBuiltins)[number];

export interface SimpleTypeDescriptor {
  readonly name: string;
  readonly base: XsdBuiltin;
  /** Allowed values (xs:enumeration), in XSD order; may include the empty string. */
  readonly enumeration?: readonly string[];
  /** XSD regular expressions (xs:pattern); a value must match one of them in full. */
  readonly patterns?: readonly string[];
  readonly doc?: string;
}

/**
 * How an element appears in the JSON form:
 * - `value`: a plain JSON value of a simple type (`type` names it: `xs:string` or a simple type);
 *   simpleContent types without attributes (e.g. `text`, `screenName`) are values too.
 * - `flag`: a presence flag (xs:boolean fixed="true", `<viral/>`): `true` in JSON.
 * - `textWithAttributes`: `{ value, …attributes }` (`type` names the complex type).
 * - `complex`: an object of attributes and child elements (`type` names the complex type).
 */
export type ElementKind = 'value' | 'flag' | 'textWithAttributes' | 'complex';

export interface ElementDescriptor {
  readonly name: string;
  readonly minOccurs: number;
  /** A number, or null for unbounded. */
  readonly maxOccurs: number | null;
  readonly kind: ElementKind;
  readonly type: string;
  /** The named XSD type the element was declared with, when it differs from `type` (e.g. `screenName`). */
  readonly xsdType?: string;
  readonly doc?: string;
}

export interface AttributeDescriptor {
  readonly name: string;
  /** `xs:…` built-in or a simple type name. */
  readonly type: string;
  readonly required: boolean;
  readonly doc?: string;
}

export type ParticleDescriptor =
  | { readonly kind: 'element'; readonly element: ElementDescriptor }
  | {
      readonly kind: 'choice';
      readonly minOccurs: number;
      readonly maxOccurs: number | null;
      readonly options: readonly ElementDescriptor[];
    };

export interface ComplexTypeDescriptor {
  /** The XSD type name, or `<owner>.<element>` for an anonymous type (global elements use their own name). */
  readonly name: string;
  /** `text`: simple content (see `text`); `sequence`/`all`: child elements; `empty`: attributes only. */
  readonly model: 'text' | 'sequence' | 'all' | 'empty';
  /** Simple type of the text content when model is `text`. */
  readonly text?: string;
  readonly attributes: readonly AttributeDescriptor[];
  readonly particles: readonly ParticleDescriptor[];
  readonly doc?: string;
}

export interface XsdDescriptor {
  /** Global elements (possible document roots), by name. */
  readonly elements: Readonly<Record<string, ElementDescriptor>>;
  readonly complexTypes: Readonly<Record<string, ComplexTypeDescriptor>>;
  readonly simpleTypes: Readonly<Record<string, SimpleTypeDescriptor>>;
}

/** True when the element may occur more than once, so its JSON form is an array. */
export function isRepeated(element: ElementDescriptor): boolean {
  return element.maxOccurs === null || element.maxOccurs > 1;
}

/** Every element a complex type may contain, in XSD order (choice options inline). */
export function childElements(type: ComplexTypeDescriptor): ElementDescriptor[] {
  return type.particles.flatMap((p) => (p.kind === 'element' ? [p.element] : p.options));
}

/** Resolves a simple type reference to its built-in base. */
export function builtinOf(descriptor: XsdDescriptor, typeRef: string): XsdBuiltin {
  if ((xsdBuiltins as readonly string[]).includes(typeRef)) return typeRef as XsdBuiltin;
  const simple = descriptor.simpleTypes[typeRef];
  if (!simple) throw new Error(`Unknown simple type ${typeRef}`);
  return simple.base;
}

// ---------------------------------------------------------------------------------------------
// Reading the XSD

type XNode = Record<string, unknown>;

interface RawElement {
  tag: string;
  attrs: Record<string, string>;
  children: RawElement[];
  text: string;
}

function toRaw(nodes: XNode[]): RawElement[] {
  const out: RawElement[] = [];
  for (const node of nodes) {
    const tag = Object.keys(node).find((k) => k !== ':@');
    if (!tag || tag === '#text' || tag.startsWith('?') || tag === '#comment') continue;
    const childNodes = node[tag] as XNode[];
    const text = childNodes
      .filter((c) => '#text' in c)
      .map((c) => String(c['#text']))
      .join('');
    out.push({
      tag,
      attrs: (node[':@'] as Record<string, string> | undefined) ?? {},
      children: toRaw(childNodes),
      text,
    });
  }
  return out;
}

function docOf(el: RawElement): string | undefined {
  const annotation = el.children.find((c) => c.tag === 'xs:annotation');
  if (!annotation) return undefined;
  const text = annotation.children
    .filter((c) => c.tag === 'xs:documentation')
    .map((c) => c.text)
    .join(' ')
    .replace(/\s+/g, ' ')
    .trim();
  return text || undefined;
}

const ignoredTags = new Set(['xs:annotation']);

function significant(el: RawElement): RawElement[] {
  return el.children.filter((c) => !ignoredTags.has(c.tag));
}

function unsupported(what: string, where: string): never {
  throw new Error(
    `Unsupported XSD construct ${what} in ${where}; extend xsd-descriptor.ts before regenerating`,
  );
}

function checkAttrs(el: RawElement, allowed: readonly string[], where: string): void {
  for (const name of Object.keys(el.attrs)) {
    if (!allowed.includes(name)) unsupported(`attribute ${name}="${el.attrs[name]}" on <${el.tag}>`, where);
  }
}

function occurs(el: RawElement, where: string): { minOccurs: number; maxOccurs: number | null } {
  const min = el.attrs.minOccurs ?? '1';
  const max = el.attrs.maxOccurs ?? '1';
  if (!/^\d+$/.test(min) || !(max === 'unbounded' || /^\d+$/.test(max)))
    unsupported(`occurrence ${min}..${max}`, where);
  return { minOccurs: Number(min), maxOccurs: max === 'unbounded' ? null : Number(max) };
}

/**
 * Builds the descriptor of an XSD document.
 *
 * @throws Error naming the construct when the XSD uses something outside the supported subset.
 */
export function describeXsd(xsdText: string): XsdDescriptor {
  const parser = new XMLParser({
    preserveOrder: true,
    ignoreAttributes: false,
    attributeNamePrefix: '',
    parseTagValue: false,
    parseAttributeValue: false,
    trimValues: false,
    processEntities: true,
    htmlEntities: false,
  });
  const top = toRaw(parser.parse(xsdText) as XNode[]);
  const schema = top.find((e) => e.tag === 'xs:schema');
  if (!schema) throw new Error('Not an XML Schema: no <xs:schema> root');
  if (schema.attrs.targetNamespace) unsupported('targetNamespace', 'xs:schema');

  const globalElements = new Map<string, RawElement>();
  const namedComplex = new Map<string, RawElement>();
  const namedSimple = new Map<string, RawElement>();
  for (const child of significant(schema)) {
    const name = child.attrs.name;
    if (!name) unsupported(`unnamed <${child.tag}>`, 'xs:schema');
    const map =
      child.tag === 'xs:element'
        ? globalElements
        : child.tag === 'xs:complexType'
          ? namedComplex
          : child.tag === 'xs:simpleType'
            ? namedSimple
            : unsupported(`<${child.tag}>`, 'xs:schema');
    if (map.has(name)) throw new Error(`Duplicate global ${child.tag} ${name}`);
    map.set(name, child);
  }

  const simpleTypes: Record<string, SimpleTypeDescriptor> = {};
  for (const [name, el] of namedSimple) simpleTypes[name] = readSimpleType(name, el);

  const complexTypes: Record<string, ComplexTypeDescriptor> = {};
  const elements: Record<string, ElementDescriptor> = {};

  const resolveSimpleRef = (ref: string, where: string): string => {
    if ((xsdBuiltins as readonly string[]).includes(ref)) return ref;
    if (simpleTypes[ref]) return ref;
    return unsupported(`simple type reference ${ref}`, where);
  };

  const inProgress = new Set<string>();

  const readComplexType = (name: string, el: RawElement): ComplexTypeDescriptor => {
    const existing = complexTypes[name];
    if (existing) return existing;
    if (inProgress.has(name)) unsupported('recursive type', name);
    inProgress.add(name);
    checkAttrs(el, ['name'], name);
    const attributes: AttributeDescriptor[] = [];
    const particles: ParticleDescriptor[] = [];
    let model: ComplexTypeDescriptor['model'] = 'empty';
    let text: string | undefined;

    const readAttribute = (a: RawElement): void => {
      checkAttrs(a, ['name', 'type', 'use'], name);
      if (significant(a).length > 0) unsupported('inline attribute type', name);
      const attrName = a.attrs.name;
      const type = a.attrs.type;
      if (!attrName || !type) unsupported('attribute without name or type', name);
      const use = a.attrs.use ?? 'optional';
      if (use !== 'optional' && use !== 'required') unsupported(`attribute use="${use}"`, name);
      attributes.push({
        name: attrName,
        type: resolveSimpleRef(type, `${name}/@${attrName}`),
        required: use === 'required',
        ...withDoc(docOf(a)),
      });
    };

    for (const part of significant(el)) {
      if (part.tag === 'xs:attribute') {
        readAttribute(part);
      } else if (part.tag === 'xs:sequence' || part.tag === 'xs:all' || part.tag === 'xs:choice') {
        if (model !== 'empty') unsupported('second content model', name);
        if (part.tag === 'xs:choice') {
          model = 'sequence';
          particles.push(readChoice(part, name));
        } else {
          checkAttrs(part, [], name);
          model = part.tag === 'xs:all' ? 'all' : 'sequence';
          for (const item of significant(part)) {
            if (item.tag === 'xs:element')
              particles.push({ kind: 'element', element: readElement(item, name) });
            else if (item.tag === 'xs:choice' && part.tag === 'xs:sequence')
              particles.push(readChoice(item, name));
            else unsupported(`<${item.tag}> inside <${part.tag}>`, name);
          }
        }
      } else if (part.tag === 'xs:simpleContent') {
        const parts = significant(part);
        const ext = parts[0];
        if (parts.length !== 1 || !ext || ext.tag !== 'xs:extension')
          unsupported('simpleContent other than one extension', name);
        checkAttrs(ext, ['base'], name);
        model = 'text';
        text = resolveSimpleRef(ext.attrs.base ?? '', name);
        for (const a of significant(ext)) {
          if (a.tag !== 'xs:attribute') unsupported(`<${a.tag}> in simpleContent`, name);
          readAttribute(a);
        }
      } else {
        unsupported(`<${part.tag}>`, name);
      }
    }

    const keys = new Set<string>();
    const claim = (key: string): void => {
      if (keys.has(key)) throw new Error(`JSON key collision on "${key}" in type ${name}`);
      keys.add(key);
    };
    if (model === 'text' && attributes.length > 0) claim('value');
    for (const a of attributes) claim(a.name);
    for (const p of particles) for (const e of p.kind === 'element' ? [p.element] : p.options) claim(e.name);

    const type: ComplexTypeDescriptor = {
      name,
      model,
      ...(text !== undefined ? { text } : {}),
      attributes,
      particles,
      ...withDoc(docOf(el)),
    };
    inProgress.delete(name);
    complexTypes[name] = type;
    return type;
  };

  const readChoice = (el: RawElement, owner: string): ParticleDescriptor => {
    checkAttrs(el, ['minOccurs', 'maxOccurs'], owner);
    const { minOccurs, maxOccurs } = occurs(el, owner);
    if (maxOccurs !== 1) unsupported('repeated xs:choice', owner);
    const options = significant(el).map((item) =>
      item.tag === 'xs:element'
        ? readElement(item, owner)
        : unsupported(`<${item.tag}> inside xs:choice`, owner),
    );
    for (const o of options)
      if (isRepeated(o)) unsupported(`repeated element ${o.name} inside xs:choice`, owner);
    return { kind: 'choice', minOccurs, maxOccurs, options };
  };

  const elementFromType = (
    el: RawElement,
    name: string,
    typeName: string | undefined,
    inline: RawElement | undefined,
    where: string,
  ): Omit<ElementDescriptor, 'minOccurs' | 'maxOccurs' | 'name' | 'doc'> => {
    if (el.attrs.fixed !== undefined) {
      if (el.attrs.fixed !== 'true' || typeName !== 'xs:boolean')
        unsupported(`fixed="${el.attrs.fixed}"`, where);
      return { kind: 'flag', type: 'xs:boolean' };
    }
    if (inline) {
      if (inline.tag === 'xs:complexType') {
        const t = readComplexType(`${where}.${name}`, inline);
        return complexKind(t);
      }
      return unsupported('inline simple type on an element', where);
    }
    if (!typeName) return unsupported(`element ${name} without a type`, where);
    if ((xsdBuiltins as readonly string[]).includes(typeName) || simpleTypes[typeName]) {
      return { kind: 'value', type: resolveSimpleRef(typeName, where) };
    }
    const raw = namedComplex.get(typeName);
    if (!raw) return unsupported(`type reference ${typeName}`, where);
    return complexKind(readComplexType(typeName, raw));
  };

  // A complex type with simple content and no attributes is, for JSON, just its base value.
  const complexKind = (t: ComplexTypeDescriptor): { kind: ElementKind; type: string; xsdType?: string } => {
    if (t.model === 'text') {
      if (t.attributes.length === 0) return { kind: 'value', type: t.text ?? 'xs:string', xsdType: t.name };
      return { kind: 'textWithAttributes', type: t.name };
    }
    return { kind: 'complex', type: t.name };
  };

  const readElement = (el: RawElement, owner: string): ElementDescriptor => {
    const where = owner;
    checkAttrs(el, ['name', 'ref', 'type', 'minOccurs', 'maxOccurs', 'fixed'], where);
    const { minOccurs, maxOccurs } = occurs(el, where);
    const localDoc = docOf(el);
    if (el.attrs.ref) {
      if (el.attrs.name || el.attrs.type || el.attrs.fixed) unsupported('ref with name/type/fixed', where);
      const global = readGlobalElement(el.attrs.ref);
      return {
        ...global,
        minOccurs,
        maxOccurs,
        ...withDoc(localDoc ?? global.doc),
      };
    }
    const name = el.attrs.name;
    if (!name) unsupported('element without name', where);
    const inlineParts = significant(el);
    if (inlineParts.length > 1) unsupported(`element ${name} with several inline definitions`, where);
    const shape = elementFromType(el, name, el.attrs.type, inlineParts[0], where);
    return { name, minOccurs, maxOccurs, ...shape, ...withDoc(localDoc) };
  };

  const readGlobalElement = (name: string): ElementDescriptor => {
    const existing = elements[name];
    if (existing) return existing;
    const el = globalElements.get(name);
    if (!el) unsupported(`ref to unknown element ${name}`, 'xs:schema');
    checkAttrs(el, ['name', 'type'], name);
    const inlineParts = significant(el);
    let shape: Omit<ElementDescriptor, 'minOccurs' | 'maxOccurs' | 'name' | 'doc'>;
    if (inlineParts.length === 1 && inlineParts[0]?.tag === 'xs:complexType') {
      // Anonymous types of global elements are named after the element.
      if (namedComplex.has(name))
        throw new Error(`Global element ${name} collides with complex type ${name}`);
      shape = complexKind(readComplexType(name, inlineParts[0]));
    } else {
      shape = elementFromType(el, name, el.attrs.type, inlineParts[0], name);
    }
    const descriptor: ElementDescriptor = {
      name,
      minOccurs: 1,
      maxOccurs: 1,
      ...shape,
      ...withDoc(docOf(el)),
    };
    elements[name] = descriptor;
    return descriptor;
  };

  for (const name of globalElements.keys()) readGlobalElement(name);
  // Named types nobody references are still part of the contract.
  for (const [name, el] of namedComplex) readComplexType(name, el);

  return { elements, complexTypes, simpleTypes };
}

function withDoc(doc: string | undefined): { doc?: string } {
  return doc ? { doc } : {};
}

function readSimpleType(name: string, el: RawElement): SimpleTypeDescriptor {
  checkAttrs(el, ['name'], name);
  const parts = significant(el);
  const restriction = parts[0];
  if (parts.length !== 1 || !restriction || restriction.tag !== 'xs:restriction') {
    unsupported('simple type other than a restriction', name);
  }
  checkAttrs(restriction, ['base'], name);
  const base = restriction.attrs.base ?? '';
  if (!(xsdBuiltins as readonly string[]).includes(base)) unsupported(`restriction base ${base}`, name);
  const enumeration: string[] = [];
  const patterns: string[] = [];
  for (const facet of significant(restriction)) {
    checkAttrs(facet, ['value'], name);
    const value = facet.attrs.value;
    if (value === undefined) unsupported(`<${facet.tag}> without value`, name);
    if (facet.tag === 'xs:enumeration') enumeration.push(value);
    else if (facet.tag === 'xs:pattern') patterns.push(value);
    else unsupported(`facet <${facet.tag}>`, name);
  }
  if (enumeration.length > 0 && patterns.length > 0) unsupported('enumeration together with pattern', name);
  return {
    name,
    base: base as XsdBuiltin,
    ...(enumeration.length > 0 ? { enumeration } : {}),
    ...(patterns.length > 0 ? { patterns } : {}),
    ...withDoc(docOf(el)),
  };
}
