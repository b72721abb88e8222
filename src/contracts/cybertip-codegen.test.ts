import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { resolveConfig } from 'prettier';
import { describe, expect, it } from 'vitest';
import { renderCybertipModule, renderCybertipSource, xsdPatternToRegExp } from './cybertip-codegen.js';
import { cybertipDescriptor, cybertipXsdSha256 } from './cybertip.generated.js';
import { childElements, describeXsd } from './xsd-descriptor.js';

const xsdPath = fileURLToPath(new URL('./cyber_tipline.xsd', import.meta.url));
const generatedPath = fileURLToPath(new URL('./cybertip.generated.ts', import.meta.url));
// NCMEC's XSD as copied from Boostport/ncmec-go (test/fixtures/ncmec/SOURCES.md).
const upstreamSha256 = 'aee4c88099409b8a27d1403a5bc9bf0809bdc4819c079081abc1e2275efb392b';

describe('cybertip.generated.ts', () => {
  it('is up to date with the XSD (regenerated in memory)', async () => {
    const xsd = await readFile(xsdPath, 'utf8');
    const expected = await renderCybertipModule(xsd, await resolveConfig(generatedPath));
    const committed = await readFile(generatedPath, 'utf8');
    // On failure: run `npm run gen:cybertip` and commit the result.
    expect(committed === expected).toBe(true);
  });

  it('was generated from the unmodified copy of NCMEC’s XSD', async () => {
    const own = await readFile(xsdPath);
    expect(createHash('sha256').update(own).digest('hex')).toBe(upstreamSha256);
    expect(cybertipXsdSha256).toBe(upstreamSha256);
  });
});

describe('describeXsd on the CyberTipline XSD', () => {
  it('covers the 35 named types and the four document roots', () => {
    const named = Object.keys(cybertipDescriptor.complexTypes).filter(
      (n) => !n.includes('.') && !cybertipDescriptor.elements[n],
    );
    expect(named.length + Object.keys(cybertipDescriptor.simpleTypes).length).toBe(35);
    for (const root of ['report', 'fileDetails', 'reportResponse', 'reportDoneResponse']) {
      expect(cybertipDescriptor.elements[root]?.kind).toBe('complex');
    }
  });

  it('keeps the sequence order of report', () => {
    expect(childElements(cybertipDescriptor.complexTypes.report).map((e) => e.name)).toEqual([
      'batchedReport',
      'incidentSummary',
      'internetDetails',
      'lawEnforcement',
      'reporter',
      'personOrUserReported',
      'intendedRecipient',
      'victim',
      'additionalInfo',
    ]);
  });

  it('classifies flags, text+attribute elements, plain values and repetition', () => {
    const annotations = cybertipDescriptor.complexTypes.fileAnnotations;
    expect(annotations.model).toBe('all');
    expect(childElements(annotations).every((e) => e.kind === 'flag')).toBe(true);
    const person = childElements(cybertipDescriptor.complexTypes.person);
    expect(person.find((e) => e.name === 'email')).toMatchObject({
      kind: 'textWithAttributes',
      type: 'email',
      maxOccurs: null,
    });
    const victim = childElements(cybertipDescriptor.complexTypes.victim);
    expect(victim.find((e) => e.name === 'screenName')).toMatchObject({
      kind: 'value',
      type: 'xs:string',
      xsdType: 'screenName',
    });
    expect(victim.find((e) => e.name === 'victimPerson')).toMatchObject({
      kind: 'complex',
      minOccurs: 1,
      maxOccurs: 1,
    });
    const le = childElements(cybertipDescriptor.complexTypes.lawEnforcement);
    expect(le.find((e) => e.name === 'servedLegalProcessInternational')).toMatchObject({
      kind: 'textWithAttributes',
      type: 'lawEnforcement.servedLegalProcessInternational',
    });
    expect(cybertipDescriptor.complexTypes['lawEnforcement.servedLegalProcessInternational']?.text).toBe(
      'xs:boolean',
    );
  });

  it('records both choices: internetDetails (exactly one) and the legacy potentialMeme / fileAnnotations', () => {
    const internet = cybertipDescriptor.complexTypes.internetDetails.particles;
    expect(internet).toHaveLength(1);
    expect(internet[0]).toMatchObject({ kind: 'choice', minOccurs: 1 });
    const fileChoice = cybertipDescriptor.complexTypes.fileDetails.particles.find((p) => p.kind === 'choice');
    expect(fileChoice?.kind === 'choice' && fileChoice.options.map((o) => [o.name, o.minOccurs])).toEqual([
      ['potentialMeme', 0],
      ['fileAnnotations', 0],
    ]);
  });

  it('fails loudly on constructs it does not translate', () => {
    const wrap = (body: string): string =>
      `<xs:schema xmlns:xs="http://www.w3.org/2001/XMLSchema">${body}</xs:schema>`;
    expect(() => describeXsd(wrap('<xs:group name="g"/>'))).toThrow(/Unsupported XSD construct <xs:group>/);
    expect(() =>
      describeXsd(
        wrap(
          '<xs:simpleType name="s"><xs:restriction base="xs:string"><xs:maxLength value="3"/></xs:restriction></xs:simpleType>',
        ),
      ),
    ).toThrow(/facet <xs:maxLength>/);
    expect(() => describeXsd(wrap('<xs:element name="e" type="xs:string" default="x"/>'))).toThrow(/default/);
    expect(() =>
      describeXsd(
        wrap(
          '<xs:complexType name="t"><xs:sequence><xs:element name="a" type="xs:string"/></xs:sequence><xs:attribute name="a" type="xs:string"/></xs:complexType>',
        ),
      ),
    ).toThrow(/JSON key collision on "a"/);
  });

  it('renders deterministically', async () => {
    const xsd = await readFile(xsdPath, 'utf8');
    expect(renderCybertipSource(xsd)).toBe(renderCybertipSource(xsd));
  });
});

describe('xsdPatternToRegExp', () => {
  it('anchors the pattern as XSD does', () => {
    const re = xsdPatternToRegExp('\\+[0-9]{1,3}');
    expect(re.test('+45')).toBe(true);
    expect(re.test('x+45')).toBe(false);
    expect(re.test('+4567')).toBe(false);
  });

  it('refuses XSD-only escapes and literal anchors', () => {
    expect(() => xsdPatternToRegExp('\\i\\c*')).toThrow();
    expect(() => xsdPatternToRegExp('[a-z-[aeiou]]')).toThrow();
    expect(() => xsdPatternToRegExp('^a$')).toThrow();
  });
});
