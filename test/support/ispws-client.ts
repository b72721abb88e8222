/**
 * A small client of the CyberTipline-compatible XML API for tests, speaking real HTTP the way the
 * open-source NCMEC clients do (Basic auth, text/xml bodies, multipart uploads, urlencoded or
 * multipart finish/retract). Every answer comes back with its parsed XML.
 */
import { cybertipFromXml } from '../../src/contracts/cybertip-xml.js';
import type {
  CyberTipReportDoneResponse,
  CyberTipReportResponse,
} from '../../src/contracts/cybertip.generated.js';

export interface IspwsAnswer<T> {
  status: number;
  headers: Headers;
  text: string;
  /** The parsed body (throws in the test if it is not the expected document). */
  xml: T;
}

export type FormEncoding = 'urlencoded' | 'multipart';

function parse<T>(root: 'reportResponse' | 'reportDoneResponse', text: string): T {
  const read = cybertipFromXml(root, text, { rules: false });
  if (!read.ok) throw new Error(`not a ${root}: ${read.message}\n${text}`);
  return read.value as T;
}

export function ispwsClient(baseUrl: string, username: string, password: string) {
  const authorization = `Basic ${Buffer.from(`${username}:${password}`).toString('base64')}`;
  const base = `${baseUrl.replace(/\/$/, '')}/ispws`;

  async function call<T>(
    root: 'reportResponse' | 'reportDoneResponse',
    path: string,
    init: RequestInit = {},
  ): Promise<IspwsAnswer<T>> {
    const res = await fetch(`${base}${path}`, {
      ...init,
      headers: { authorization, ...(init.headers as Record<string, string> | undefined) },
    });
    const text = await res.text();
    return { status: res.status, headers: res.headers, text, xml: parse<T>(root, text) };
  }

  const form = (id: string, encoding: FormEncoding): RequestInit => {
    if (encoding === 'multipart') {
      const fd = new FormData();
      fd.append('id', id);
      return { method: 'POST', body: fd };
    }
    return {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ id }).toString(),
    };
  };

  return {
    base,
    authorization,
    status: () => call<CyberTipReportResponse>('reportResponse', '/status'),
    xsd: () => fetch(`${base}/xsd`, { headers: { authorization } }),
    submit: (xml: string | Uint8Array, contentType: string | null = 'text/xml; charset=utf-8') =>
      call<CyberTipReportResponse>('reportResponse', '/submit', {
        method: 'POST',
        body: xml,
        headers: contentType === null ? {} : { 'content-type': contentType },
      }),
    upload: (id: string, bytes: Uint8Array, options: { name?: string; fileFirst?: boolean } = {}) => {
      const fd = new FormData();
      const file = new Blob([bytes], { type: 'application/octet-stream' });
      if (options.fileFirst) fd.append('file', file, options.name ?? 'benign.png');
      fd.append('id', id);
      if (!options.fileFirst) fd.append('file', file, options.name ?? 'benign.png');
      return call<CyberTipReportResponse>('reportResponse', '/upload', { method: 'POST', body: fd });
    },
    fileinfo: (xml: string | Uint8Array) =>
      call<CyberTipReportResponse>('reportResponse', '/fileinfo', {
        method: 'POST',
        body: xml,
        headers: { 'content-type': 'text/xml; charset=utf-8' },
      }),
    finish: (id: string, encoding: FormEncoding = 'urlencoded') =>
      call<CyberTipReportDoneResponse>('reportDoneResponse', '/finish', form(id, encoding)),
    retract: (id: string, encoding: FormEncoding = 'urlencoded') =>
      call<CyberTipReportResponse>('reportResponse', '/retract', form(id, encoding)),
  };
}

export type IspwsClient = ReturnType<typeof ispwsClient>;

/** A report document like the minimal one recorded against NCMEC in 2016, with the given extras. */
export function minimalReportXml(options: { email?: string | null; personXml?: string } = {}): string {
  const email = options.email === null ? '' : `<email>${options.email ?? 'safety@example.com'}</email>`;
  return (
    '<?xml version="1.0" encoding="UTF-8"?><report>' +
    '<incidentSummary><incidentType>Child Pornography (possession, manufacture, and distribution)</incidentType>' +
    '<incidentDateTime>2025-03-01T10:00:00Z</incidentDateTime></incidentSummary>' +
    `<reporter><reportingPerson><firstName>Test</firstName>${email}</reportingPerson></reporter>` +
    (options.personXml ??
      '<personOrUserReported><screenName>synthetic_user</screenName></personOrUserReported>') +
    '</report>'
  );
}

/** A fileDetails document for a file of a report. */
export function fileDetailsXml(
  reportId: string,
  fileId: string,
  inner = '<fileViewedByEsp>true</fileViewedByEsp>',
): string {
  return `<?xml version="1.0" encoding="UTF-8"?><fileDetails><reportId>${reportId}</reportId><fileId>${fileId}</fileId>${inner}</fileDetails>`;
}
