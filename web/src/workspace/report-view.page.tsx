/**
 * The report view: the report's content, its files behind blurred greyscale previews (one revealed
 * at a time, by a deliberate click, re-blurred automatically), the thread with a public reporter
 * and the custody trail. Opening the view is a custody-logged read on the server.
 */
import { useCallback, useEffect, useRef, useState, type FormEvent } from 'react';
import { api, request } from '../api.js';
import { Link } from '../router.js';
import { ReferPanel } from './refer-panel.js';

/** How long a revealed image stays clear before it is blurred again. */
export const REVEAL_SECONDS = 10;

interface FileView {
  fileId: string;
  fileName: string | null;
  status: string;
  size: number | null;
  md5: string | null;
  sha1: string | null;
  sha256: string | null;
  pdq: string | null;
  viewable: boolean;
  knownContent: { bankName: string; category: string | null; kind: 'exact' | 'pdq'; distance: number }[];
}
interface Message {
  id: string;
  author: 'reporter' | 'analyst';
  body: string;
  at: string;
}
interface ReportView {
  id: string;
  status: string;
  source: string;
  createdAt: string;
  documentSha256: string;
  incidents: number;
  files: FileView[];
  report: Record<string, unknown>;
  publicThread: Message[] | null;
}
interface CustodyItem {
  seq: string;
  at: string;
  actorKind: string;
  actorId: string | null;
  action: string;
  subjectKind: string;
  subjectId: string;
}

interface Revealed {
  fileId: string;
  url: string;
  since: number;
}

function Json(props: { value: unknown }) {
  return <pre className="json">{JSON.stringify(props.value, null, 2)}</pre>;
}

export function ReportViewPage(props: { id: string }) {
  const { id } = props;
  const [report, setReport] = useState<ReportView | undefined>();
  const [custody, setCustody] = useState<CustodyItem[]>([]);
  const [error, setError] = useState('');
  const [revealed, setRevealed] = useState<Revealed | undefined>();
  const [remaining, setRemaining] = useState(0);
  const [announce, setAnnounce] = useState('');
  const [answer, setAnswer] = useState('');
  const revealedRef = useRef<Revealed | undefined>(undefined);
  revealedRef.current = revealed;

  const loadCustody = useCallback(async () => {
    const res = await api<{ items: CustodyItem[] }>('GET', `/api/v1/ui/reports/${id}/custody`);
    setCustody(res.items);
  }, [id]);

  useEffect(() => {
    setReport(undefined);
    api<ReportView>('GET', `/api/v1/ui/reports/${id}`)
      .then(setReport)
      .then(() => loadCustody())
      .catch(() => setError('This report could not be opened: it does not exist or your organisation may not see it.'));
  }, [id, loadCustody]);

  const conceal = useCallback(
    async (reason: 'timer' | 'user' | 'navigation' | 'other-reveal') => {
      const current = revealedRef.current;
      if (!current) return;
      revealedRef.current = undefined;
      setRevealed(undefined);
      URL.revokeObjectURL(current.url);
      setAnnounce('The image is blurred again.');
      await request('POST', `/api/v1/ui/reports/${id}/files/${current.fileId}/conceal`, { shownMs: Date.now() - current.since, reason }).catch(() => undefined);
      if (reason !== 'navigation') await loadCustody().catch(() => undefined);
    },
    [id, loadCustody],
  );

  const reveal = async (fileId: string) => {
    if (revealedRef.current) await conceal('other-reveal');
    try {
      const res = await request('POST', `/api/v1/ui/reports/${id}/files/${fileId}/reveal`);
      const url = URL.createObjectURL(await res.blob());
      const r = { fileId, url, since: Date.now() };
      revealedRef.current = r;
      setRevealed(r);
      setRemaining(REVEAL_SECONDS);
      setAnnounce(`The image is shown for ${REVEAL_SECONDS} seconds, then blurred again.`);
      await loadCustody();
    } catch {
      setAnnounce('The file could not be shown.');
    }
  };

  // The countdown, and the automatic re-blur at its end.
  useEffect(() => {
    if (!revealed) return;
    const timer = setInterval(() => {
      const left = REVEAL_SECONDS - Math.floor((Date.now() - revealed.since) / 1000);
      setRemaining(Math.max(0, left));
      if (left <= 0) void conceal('timer');
    }, 250);
    return () => clearInterval(timer);
  }, [revealed, conceal]);

  // Leaving the page blurs (and records) whatever was shown.
  useEffect(() => () => void conceal('navigation'), [conceal]);

  const sendAnswer = async (e: FormEvent) => {
    e.preventDefault();
    if (!answer.trim()) return;
    await api('POST', `/api/v1/ui/reports/${id}/public-thread`, { body: answer.trim() });
    setAnswer('');
    setReport(await api<ReportView>('GET', `/api/v1/ui/reports/${id}`));
    await loadCustody();
  };

  if (error) {
    return (
      <>
        <h1>Report #{id}</h1>
        <p className="field-error" role="alert">
          {error}
        </p>
        <Link href="/app">Back to the queue</Link>
      </>
    );
  }
  if (!report) return <p role="status">Loading report #{id}…</p>;

  const body = report.report;
  const summary = body.incidentSummary as { incidentType?: string; incidentDateTime?: string } | undefined;
  return (
    <>
      <p>
        <Link href="/app">← Queue</Link>
      </p>
      <h1>Report #{report.id}</h1>
      <ReferPanel reportId={report.id} />
      <p className="visually-hidden" role="status" aria-live="polite">
        {announce}
      </p>
      <dl className="facts">
        <dt>Incident</dt>
        <dd>{summary?.incidentType}</dd>
        <dt>When</dt>
        <dd>{summary?.incidentDateTime}</dd>
        <dt>Status</dt>
        <dd>{report.status}</dd>
        <dt>Received</dt>
        <dd>{new Date(report.createdAt).toLocaleString('en-GB')}</dd>
        <dt>Incidents</dt>
        <dd>{report.incidents}</dd>
        <dt>Document SHA-256</dt>
        <dd className="mono">{report.documentSha256}</dd>
      </dl>

      <section aria-labelledby="files-heading">
        <h2 id="files-heading">Files ({report.files.length})</h2>
        {report.files.length === 0 && <p>No files.</p>}
        <ul className="files">
          {report.files.map((f, i) => {
            const isRevealed = revealed?.fileId === f.fileId;
            const label = f.fileName ?? `file ${i + 1}`;
            return (
              <li key={f.fileId} className="file-card" data-file-id={f.fileId}>
                <div className="media">
                  {f.knownContent.length > 0 ? (
                    <div className="no-media known-content" data-state="known">
                      Known content: {f.knownContent[0].category ?? 'uncategorised'}
                      <br />
                      never shown
                    </div>
                  ) : !f.viewable ? (
                    <div className="no-media">Bytes not kept</div>
                  ) : isRevealed ? (
                    <img src={revealed.url} alt={`${label}, revealed`} className="revealed" data-state="revealed" />
                  ) : (
                    <img src={`/api/v1/ui/reports/${report.id}/files/${f.fileId}/preview`} alt={`${label}, blurred`} className="blurred" data-state="blurred" />
                  )}
                </div>
                <div className="file-info">
                  <p className="file-name">{label}</p>
                  {f.knownContent.length > 0 && (
                    <p className="known-matches">
                      Matches{' '}
                      {f.knownContent.map((m) => `${m.bankName} (${m.category ?? 'no category'}, ${m.kind === 'exact' ? 'exact' : `PDQ distance ${m.distance}`})`).join('; ')}
                    </p>
                  )}
                  <dl className="digests">
                    <dt>SHA-256</dt>
                    <dd className="mono">{f.sha256 ?? '—'}</dd>
                    <dt>MD5</dt>
                    <dd className="mono">{f.md5 ?? '—'}</dd>
                    <dt>PDQ</dt>
                    <dd className="mono">{f.pdq ?? '—'}</dd>
                    <dt>Size</dt>
                    <dd>{f.size === null ? '—' : `${f.size.toLocaleString('en-GB')} bytes`}</dd>
                  </dl>
                  {f.viewable &&
                    (isRevealed ? (
                      <button type="button" onClick={() => void conceal('user')}>
                        Blur again ({remaining} s)
                      </button>
                    ) : (
                      <button type="button" className="reveal" onClick={() => void reveal(f.fileId)}>
                        Reveal {label} (logged)
                      </button>
                    ))}
                </div>
              </li>
            );
          })}
        </ul>
      </section>

      {report.publicThread && (
        <section aria-labelledby="thread-heading">
          <h2 id="thread-heading">Thread with the public reporter</h2>
          {report.publicThread.length === 0 ? (
            <p>No messages yet.</p>
          ) : (
            <ol className="thread">
              {report.publicThread.map((m) => (
                <li key={m.id} className={`message message-${m.author}`}>
                  <p className="message-meta">
                    <strong>{m.author === 'analyst' ? 'Analyst' : 'Reporter'}</strong> · <time dateTime={m.at}>{new Date(m.at).toLocaleString('en-GB')}</time>
                  </p>
                  <p className="message-body">{m.body}</p>
                </li>
              ))}
            </ol>
          )}
          <form onSubmit={(e) => void sendAnswer(e)}>
            <div className="field">
              <label htmlFor="analyst-message">Message to the reporter</label>
              <textarea id="analyst-message" rows={3} value={answer} onChange={(e) => setAnswer(e.target.value)} maxLength={5000} />
            </div>
            <button type="submit">Send to reporter</button>
          </form>
        </section>
      )}

      <section aria-labelledby="content-heading">
        <h2 id="content-heading">Report content</h2>
        <Json value={body} />
      </section>

      <section aria-labelledby="custody-heading">
        <h2 id="custody-heading">Custody trail</h2>
        <table className="custody">
          <thead>
            <tr>
              <th scope="col">#</th>
              <th scope="col">When</th>
              <th scope="col">Action</th>
              <th scope="col">Actor</th>
              <th scope="col">Subject</th>
            </tr>
          </thead>
          <tbody>
            {custody.map((c) => (
              <tr key={c.seq} data-action={c.action}>
                <td>{c.seq}</td>
                <td>{new Date(c.at).toLocaleString('en-GB')}</td>
                <td>{c.action}</td>
                <td>{c.actorKind}</td>
                <td>
                  {c.subjectKind} {c.subjectId.slice(0, 12)}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </section>
    </>
  );
}
