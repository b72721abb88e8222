import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { TiplineError } from '../contracts/errors.js';
import {
  IspwsError,
  numericReportId,
  prefersXml,
  presentAuthRequired,
  presentDone,
  presentIspwsError,
  presentReportResponse,
  presentStatus,
} from './ispws.presenter.js';

const recorded = (name: string) =>
  readFileSync(new URL(`../../test/fixtures/ncmec/recorded-2016/${name}`, import.meta.url), 'utf8').trimEnd();

describe('ispws responses', () => {
  it('are byte-identical to the responses NCMEC sent in 2016', () => {
    expect(presentReportResponse({ reportId: '7855763' })).toBe(recorded('submit-response-ok.xml'));
    expect(presentReportResponse({ reportId: '7855766' })).toBe(recorded('retract-response-ok.xml'));
    expect(presentReportResponse({ reportId: '7855776', fileId: 'e6cb48fbb2b565e69ccded9b9cda62fb' })).toBe(
      recorded('fileinfo-response-ok.xml'),
    );
    expect(
      presentReportResponse({
        reportId: '7855776',
        fileId: 'e6cb48fbb2b565e69ccded9b9cda62fb',
        hash: 'af3d0406f63a0f99a8684d568a59542f',
      }),
    ).toBe(recorded('upload-response-ok.xml'));
    expect(presentDone('7855778', [])).toBe(recorded('finish-response-ok-no-files.xml'));
    expect(presentStatus('Ello', '192.0.2.10')).toBe(recorded('status-response-ok.xml'));
  });

  it('list finished files in order', () => {
    expect(presentDone('5', ['a'.repeat(32), 'b'.repeat(32)])).toContain(
      `<reportId>5</reportId><files><fileId>${'a'.repeat(32)}</fileId><fileId>${'b'.repeat(32)}</fileId></files>`,
    );
  });

  it('answer bad credentials with the documented code 2000', () => {
    expect(presentAuthRequired()).toBe(
      '<?xml version="1.0" encoding="UTF-8" standalone="yes"?><reportResponse><responseCode>2000</responseCode><responseDescription>Authentication Required</responseDescription></reportResponse>',
    );
  });
});

describe('presentIspwsError', () => {
  const cases: [string, unknown, number, number][] = [
    ['not found', new TiplineError('TIP_ERR_REPORT_NOT_FOUND'), 200, 5001],
    [
      'file not found',
      new TiplineError('TIP_ERR_NOT_FOUND', { message: 'No such file in this report.' }),
      200,
      5002,
    ],
    ['retracted', new TiplineError('TIP_ERR_REPORT_ALREADY_RETRACTED'), 200, 5101],
    ['finished', new TiplineError('TIP_ERR_REPORT_ALREADY_FINISHED'), 200, 5102],
    ['invalid', new TiplineError('TIP_ERR_INPUT_INVALID', { message: "Element 'x': bad" }), 200, 4100],
    ['malformed', new TiplineError('TIP_ERR_INPUT_MALFORMED', { message: 'DOCTYPE refused' }), 200, 4110],
    ['too large', new TiplineError('TIP_ERR_INPUT_TOO_LARGE'), 413, 4000],
    ['forbidden', new TiplineError('TIP_ERR_AUTH_FORBIDDEN'), 200, 3100],
    ['auth', new TiplineError('TIP_ERR_AUTH_INVALID'), 401, 2000],
    ['protocol', new IspwsError(4000, 'Invalid request - id missing'), 200, 4000],
    ['unknown', new Error('database exploded at 10.0.0.1'), 500, 1000],
  ];
  for (const [name, err, status, code] of cases) {
    it(`maps ${name} to HTTP ${status} and responseCode ${code}`, () => {
      const p = presentIspwsError(err, 'submit');
      expect(p).toMatchObject({ status, responseCode: code, internal: code === 1000 });
      expect(p.body).toContain(`<responseCode>${code}</responseCode>`);
      expect(p.body).not.toContain('10.0.0.1');
    });
  }

  it('names the problem after the code description', () => {
    const p = presentIspwsError(
      new TiplineError('TIP_ERR_INPUT_INVALID', { message: "Element 'x': bad" }),
      'submit',
    );
    expect(p.body).toContain(
      "<responseDescription>Validation failed - Element 'x': bad</responseDescription>",
    );
    const plain = presentIspwsError(new TiplineError('TIP_ERR_REPORT_ALREADY_FINISHED'), 'retract', '42');
    expect(plain.body).toContain(
      '<responseDescription>Report already finished</responseDescription><reportId>42</reportId>',
    );
  });

  it('answers /finish with a reportDoneResponse, which is what its clients decode', () => {
    const p = presentIspwsError(new TiplineError('TIP_ERR_REPORT_ALREADY_RETRACTED'), 'finish', '77');
    expect(p.body).toBe(
      '<?xml version="1.0" encoding="UTF-8" standalone="yes"?><reportDoneResponse><responseCode>5101</responseCode><reportId>77</reportId><files/></reportDoneResponse>',
    );
    expect(presentIspwsError(new TiplineError('TIP_ERR_REPORT_NOT_FOUND'), 'finish', 'abc').body).toContain(
      '<reportId>0</reportId>',
    );
    expect(presentIspwsError(new TiplineError('TIP_ERR_AUTH_INVALID'), 'finish', '77').body).toContain(
      '<reportResponse>',
    );
  });

  it('keeps descriptions writable as XML whatever the client sent', () => {
    const p = presentIspwsError(
      new TiplineError('TIP_ERR_INPUT_INVALID', { message: 'bad \u0001 <x> & \uFFFE' }),
      'submit',
    );
    expect(p.body).toContain('bad \uFFFD &lt;x&gt; &amp; \uFFFD');
  });
});

describe('helpers', () => {
  it('numericReportId accepts only ids the documents can carry', () => {
    expect(numericReportId('123')).toBe('123');
    expect(numericReportId('007')).toBe('7');
    for (const id of [undefined, '', 'abc', '-1', '1.5', '1'.repeat(16)])
      expect(numericReportId(id), String(id)).toBeUndefined();
  });

  it('prefersXml follows the Accept header, JSON winning ties and wildcards', () => {
    expect(prefersXml('application/xml')).toBe(true);
    expect(prefersXml('text/xml')).toBe(true);
    expect(prefersXml('application/xml, */*;q=0.1')).toBe(true);
    expect(prefersXml('application/json;q=0.5, application/xml')).toBe(true);
    expect(prefersXml(undefined)).toBe(false);
    expect(prefersXml('*/*')).toBe(false);
    expect(prefersXml('application/json')).toBe(false);
    expect(prefersXml('application/json, application/xml')).toBe(false);
    expect(prefersXml('application/xml;q=0')).toBe(false);
  });
});
