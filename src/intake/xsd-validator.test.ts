import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { reportToXml } from '../contracts/cybertip-xml.js';
import {
  sampleFileDetailsUsingEverything,
  sampleReportUsingEverything,
} from '../contracts/cybertip-samples.js';
import { createXsdValidator, cybertipXsdValidator } from './xsd-validator.js';
import { fileDetailsToXml } from '../contracts/cybertip-xml.js';

const recorded = (name: string) =>
  readFileSync(new URL(`../../test/fixtures/ncmec/recorded-2016/${name}`, import.meta.url));

describe('libxml2 XSD validation of CyberTipline documents', () => {
  const xsd = cybertipXsdValidator();

  it('accepts the recorded valid requests and refuses the invalid ones, with element and XPath', () => {
    expect(xsd.validate(recorded('submit-request-minimal-report.xml'))).toEqual({ ok: true });
    expect(xsd.validate(recorded('fileinfo-request-details.xml'))).toEqual({ ok: true });
    expect(xsd.validate(recorded('submit-request-missing-incidentSummary.xml'))).toEqual({
      ok: false,
      wellFormed: true,
      issues: [
        {
          message:
            "Element 'reporter': This element is not expected. Expected is one of ( batchedReport, incidentSummary ).",
          xpath: '/report/reporter',
          line: 1,
        },
      ],
    });
    const incomplete = xsd.validate(recorded('submit-request-incomplete-incidentSummary.xml'));
    expect(incomplete.ok).toBe(false);
    expect(!incomplete.ok && incomplete.issues[0].message).toMatch(
      /^Element 'incidentSummary': Missing child element\(s\)\. Expected is one of \(.*incidentDateTime/,
    );
  });

  it('accepts documents generated to use every element of the schema, indented or on one line', () => {
    for (const seed of [1, 2, 3, 4]) {
      expect(xsd.validate(reportToXml(sampleReportUsingEverything(seed))), `report ${seed}`).toEqual({
        ok: true,
      });
      expect(
        xsd.validate(reportToXml(sampleReportUsingEverything(seed), { indent: null })),
        `report ${seed}`,
      ).toEqual({ ok: true });
      expect(
        xsd.validate(fileDetailsToXml(sampleFileDetailsUsingEverything(seed))),
        `fileDetails ${seed}`,
      ).toEqual({ ok: true });
    }
  });

  it('decides presence flags, enumerations and order as the schema says', () => {
    const details = (inner: string) =>
      `<fileDetails><reportId>1</reportId><fileId>a</fileId>${inner}</fileDetails>`;
    expect(xsd.validate(details('<fileAnnotations><viral/><infant/></fileAnnotations>'))).toEqual({
      ok: true,
    });
    expect(xsd.validate(details('<fileAnnotations><viral>true</viral></fileAnnotations>'))).toEqual({
      ok: true,
    });
    const no = xsd.validate(details('<fileAnnotations><viral>false</viral></fileAnnotations>'));
    expect(!no.ok && no.issues[0].message).toContain("Element 'viral'");
    const enumeration = xsd.validate(details('<industryClassification>C9</industryClassification>'));
    expect(!enumeration.ok && enumeration.issues[0]).toMatchObject({
      xpath: '/fileDetails/industryClassification',
    });
    expect(!enumeration.ok && enumeration.issues.map((i) => i.message).join(' ')).toContain(
      "[facet 'enumeration']",
    );
    const order = xsd.validate('<fileDetails><fileId>a</fileId><reportId>1</reportId></fileDetails>');
    expect(!order.ok && order.issues[0].message).toContain("Element 'fileId': This element is not expected");
  });

  it('reports documents that are not well-formed as such', () => {
    const r = xsd.validate('<report><incidentSummary></report>');
    expect(r).toMatchObject({ ok: false, wellFormed: false });
  });

  it('never expands entities or reads files, even when handed a DOCTYPE directly (defence in depth)', () => {
    const tiny = createXsdValidator(
      '<xs:schema xmlns:xs="http://www.w3.org/2001/XMLSchema"><xs:element name="r" type="xs:string"/></xs:schema>',
    );
    for (const doc of [
      '<!DOCTYPE r [<!ENTITY x SYSTEM "file:///etc/passwd">]><r>&x;</r>',
      '<!DOCTYPE r [<!ENTITY x "abc">]><r>&x;</r>',
    ]) {
      const r = tiny.validate(doc);
      expect(r.ok, doc).toBe(false);
      expect(JSON.stringify(r)).not.toContain('root:');
    }
    expect(tiny.validate('<r>plain</r>')).toEqual({ ok: true });
    tiny.dispose();
  });

  it('is reusable: one compiled schema serves many documents, valid and invalid interleaved', () => {
    const good = recorded('submit-request-minimal-report.xml');
    const bad = recorded('submit-request-missing-incidentSummary.xml');
    for (let i = 0; i < 500; i++) {
      expect(xsd.validate(i % 2 ? good : bad).ok).toBe(i % 2 === 1);
    }
  });
});
