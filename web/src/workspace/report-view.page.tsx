/**
 * The report view: everything an analyst needs to triage one report, in dense sections with
 * headings (screen-reader navigation by heading, and an "on this page" list): the incident; the
 * assessments per incident and candidate jurisdiction with rule, statute citation, liability and
 * rule pack; the analyst's label (which re-assesses); the files behind blurred greyscale previews
 * (one revealed at a time, by a deliberate click, re-blurred automatically; a file matching a hash
 * bank shows its bank and category, never the image) with digests, PDQ, matches and facts; persons
 * and identifiers with geolocation; priority factors; bundles; referral history; the thread with a
 * public reporter; the custody trail. Opening the view is a custody-logged read on the server, and
 * every reveal counts towards the reviewer's exposure for the day (the header shows it; over the
 * limit, a dialog asks before revealing).
 */
import { useCallback, useEffect, useRef, useState, type FormEvent } from 'react';
import { api, ApiError, request } from '../api.js';
import { Link } from '../router.js';
import {
  fetchExposure,
  formatExposure,
  formatLimits,
  notifyExposureChanged,
  type ExposureSummary,
} from './exposure-meter.js';
import { ReferPanel } from './refer-panel.js';
import { LabelForm, StatusForm, type LabelApplied } from './report-label-form.js';
import { PersonsSection } from './report-persons.js';
import { ReferralHistory } from './report-referrals.js';
import {
  AssessmentsTable,
  BundlesList,
  FactsTable,
  OutcomeBadge,
  PriorityTable,
  type ReportTriage,
  type TriageIncident,
} from './report-triage.js';

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

/** The triage of the report: loaded, not there (not triaged yet, or not a triage organisation), or loading. */
type TriageState =
  { kind: 'loading' } | { kind: 'ready'; data: ReportTriage } | { kind: 'none'; reason: string };

function Json(props: { value: unknown }) {
  return <pre className="json">{JSON.stringify(props.value, null, 2)}</pre>;
}

const sections: [string, string][] = [
  ['summary-heading', 'Incident'],
  ['assessments-heading', 'Assessments'],
  ['files-heading', 'Files'],
  ['persons-heading', 'Persons'],
  ['priority-heading', 'Priority'],
  ['incidents-heading', 'Facts'],
  ['bundle-heading', 'Bundle'],
  ['referrals-heading', 'Referrals'],
  ['thread-heading', 'Thread'],
  ['custody-heading', 'Custody'],
];

const outcomeKey = (t: ReportTriage, incidentIds: string[]) =>
  t.incidents
    .filter((i) => incidentIds.includes(i.incidentId))
    .map(
      (i) =>
        `${i.incidentId}:${i.factsUpdatedAt}:${i.assessments.map((a) => `${a.jurisdiction}=${a.outcome}@${a.assessedAt}`).join(',')}`,
    )
    .join('|');

export function ReportViewPage(props: { id: string }) {
  const { id } = props;
  const [report, setReport] = useState<ReportView | undefined>();
  const [triage, setTriage] = useState<TriageState>({ kind: 'loading' });
  const [custody, setCustody] = useState<CustodyItem[]>([]);
  const [error, setError] = useState('');
  const [revealed, setRevealed] = useState<Revealed | undefined>();
  const [remaining, setRemaining] = useState(0);
  const [announce, setAnnounce] = useState('');
  const [answer, setAnswer] = useState('');
  const [labelStatus, setLabelStatus] = useState('');
  const [pendingReveal, setPendingReveal] = useState<
    { fileId: string; label: string; exposure: ExposureSummary } | undefined
  >();
  const revealedRef = useRef<Revealed | undefined>(undefined);
  const dialogRef = useRef<HTMLDialogElement>(null);
  const alive = useRef(true);
  revealedRef.current = revealed;

  useEffect(() => {
    alive.current = true;
    return () => {
      alive.current = false;
    };
  }, []);

  const loadCustody = useCallback(async () => {
    const res = await api<{ items: CustodyItem[] }>('GET', `/api/v1/ui/reports/${id}/custody`);
    setCustody(res.items);
  }, [id]);

  const loadTriage = useCallback(async (): Promise<ReportTriage | undefined> => {
    try {
      const data = await api<ReportTriage>('GET', `/api/v1/triage/reports/${id}?limit=200`);
      setTriage({ kind: 'ready', data });
      return data;
    } catch (err) {
      const reason =
        err instanceof ApiError && err.code === 'TIP_ERR_TRIAGE_NOT_FOUND'
          ? 'Not triaged yet: the report is still open, or triage has not run.'
          : err instanceof ApiError && err.status === 403
            ? 'Triage is not shown to this organisation.'
            : 'The triage could not be loaded.';
      setTriage({ kind: 'none', reason });
      return undefined;
    }
  }, [id]);

  /** The next page of incidents (a report with more than 200), appended to those shown. */
  const loadMoreIncidents = async () => {
    if (triage.kind !== 'ready' || !triage.data.nextIncidentCursor) return;
    const current = triage.data;
    const next = await api<ReportTriage>('GET', `/api/v1/triage/reports/${id}?limit=200&cursor=${encodeURIComponent(current.nextIncidentCursor!)}`).catch(() => undefined);
    if (next) setTriage({ kind: 'ready', data: { ...current, incidents: [...current.incidents, ...next.incidents], nextIncidentCursor: next.nextIncidentCursor } });
  };

  useEffect(() => {
    setReport(undefined);
    api<ReportView>('GET', `/api/v1/ui/reports/${id}`)
      .then(setReport)
      .then(() => Promise.all([loadCustody(), loadTriage()]))
      .catch(() =>
        setError('This report could not be opened: it does not exist or your organisation may not see it.'),
      );
  }, [id, loadCustody, loadTriage]);

  const conceal = useCallback(
    async (reason: 'timer' | 'user' | 'navigation' | 'other-reveal') => {
      const current = revealedRef.current;
      if (!current) return;
      revealedRef.current = undefined;
      setRevealed(undefined);
      URL.revokeObjectURL(current.url);
      setAnnounce('The image is blurred again.');
      await request('POST', `/api/v1/ui/reports/${id}/files/${current.fileId}/conceal`, {
        shownMs: Date.now() - current.since,
        reason,
      }).catch(() => undefined);
      notifyExposureChanged();
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
      notifyExposureChanged();
      await loadCustody();
    } catch {
      setAnnounce('The file could not be shown.');
    }
  };

  /** A deliberate click on Reveal: over the day's exposure limit, ask first. */
  const requestReveal = async (fileId: string, label: string) => {
    const exposure = await fetchExposure().catch(() => undefined);
    if (exposure?.overLimit) {
      setPendingReveal({ fileId, label, exposure });
      return;
    }
    await reveal(fileId);
  };

  useEffect(() => {
    const d = dialogRef.current;
    if (pendingReveal && d && !d.open) d.showModal();
  }, [pendingReveal]);

  const closeDialog = async (go: boolean) => {
    const pending = pendingReveal;
    dialogRef.current?.close();
    setPendingReveal(undefined);
    if (go && pending) await reveal(pending.fileId);
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

  // Leaving the page (or hiding the tab) blurs (and records) whatever was shown.
  useEffect(() => () => void conceal('navigation'), [conceal]);
  useEffect(() => {
    const hide = () => {
      if (document.visibilityState === 'hidden') void conceal('navigation');
    };
    document.addEventListener('visibilitychange', hide);
    return () => document.removeEventListener('visibilitychange', hide);
  }, [conceal]);

  /** After a label: re-read the triage until the reached incidents are re-assessed (backing off), then say what changed. */
  const onLabelApplied = async (applied: LabelApplied, incidentIds: string[]) => {
    const before = triage.kind === 'ready' ? triage.data : undefined;
    const beforeKey = before ? outcomeKey(before, incidentIds) : '';
    setLabelStatus(`Label applied to ${applied.affectedIncidents} incident(s); re-assessing…`);
    void loadCustody().catch(() => undefined);
    for (const wait of [700, 1000, 1500, 2500, 4000, 6000, 8000]) {
      await new Promise((r) => setTimeout(r, wait));
      if (!alive.current) return;
      const now = await loadTriage();
      if (now && outcomeKey(now, incidentIds) !== beforeKey) {
        const changes = now.incidents
          .filter((i) => incidentIds.includes(i.incidentId))
          .flatMap((i) =>
            i.assessments.map((a) => {
              const old = before?.incidents
                .find((b) => b.incidentId === i.incidentId)
                ?.assessments.find((b) => b.jurisdiction === a.jurisdiction);
              return old && old.outcome !== a.outcome
                ? `${a.jurisdiction}: ${old.outcome.replace(/_/g, ' ')} → ${a.outcome.replace(/_/g, ' ')}`
                : null;
            }),
          )
          .filter(Boolean);
        setLabelStatus(
          `Assessment updated${changes.length ? `: ${[...new Set(changes)].join('; ')}` : ' (outcomes unchanged)'}.`,
        );
        void loadCustody().catch(() => undefined);
        return;
      }
    }
    setLabelStatus(
      'Label applied; the re-assessment is queued and shows here once the triage worker has run it.',
    );
  };

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
  const summary = body.incidentSummary as
    { incidentType?: string; incidentDateTime?: string; escalateToHighPriority?: unknown } | undefined;
  const t = triage.kind === 'ready' ? triage.data : undefined;
  const fileName = (fileId: string | null) => {
    if (!fileId) return 'no file';
    const n = report.files.findIndex((f) => f.fileId === fileId);
    return (
      report.files[n]?.fileName ?? t?.files.find((f) => f.fileId === fileId)?.fileName ?? `file ${n + 1}`
    );
  };
  const incidentName = (i: TriageIncident) =>
    `Incident ${(t?.incidents.indexOf(i) ?? 0) + 1} · ${fileName(i.fileId)}`;
  const top = t ? [...t.incidents].sort((a, b) => b.priority.score - a.priority.score)[0] : undefined;
  const triageNote =
    triage.kind === 'none' ? (
      <p>{triage.reason}</p>
    ) : triage.kind === 'loading' ? (
      <p role="status">Loading triage…</p>
    ) : null;

  return (
    <div className="report-view">
      <p>
        <Link href="/app">← Queue</Link>
      </p>
      <h1>
        Report #{report.id}
        {t && (
          <span className={`badge priority-${t.report.priority.level}`} data-testid="priority">
            {t.report.priority.level} · {t.report.priority.score}
          </span>
        )}
        {t?.report.escalated && <span className="badge badge-urgent">escalated</span>}
      </h1>
      <ReferPanel reportId={report.id} />
      <p className="visually-hidden" role="status" aria-live="polite">
        {announce}
      </p>
      <nav aria-label="Report sections" className="section-nav">
        <ul>
          {sections.map(([hid, label]) => (
            <li key={hid}>
              <a href={`#${hid}`}>{label}</a>
            </li>
          ))}
        </ul>
      </nav>

      <section aria-labelledby="summary-heading">
        <h2 id="summary-heading">Incident</h2>
        <dl className="facts">
          <dt>Incident type</dt>
          <dd>{summary?.incidentType ?? '—'}</dd>
          <dt>When</dt>
          <dd>{summary?.incidentDateTime ?? '—'}</dd>
          <dt>Report status</dt>
          <dd>{report.status}</dd>
          {t && (
            <>
              <dt>Triage status</dt>
              <dd>{t.report.status.replace(/_/g, ' ')}</dd>
              <dt>Outcomes</dt>
              <dd>
                {t.report.outcomes.length === 0
                  ? '—'
                  : [...new Set(t.report.outcomes.map((o) => o.jurisdiction))].map((j) => (
                      <span key={j} className="outcome-pair">
                        {j}:{' '}
                        {t.report.outcomes
                          .filter((o) => o.jurisdiction === j)
                          .map((o) => (
                            <OutcomeBadge key={o.outcome} outcome={o.outcome} />
                          ))}{' '}
                      </span>
                    ))}
                {t.report.actionable && <span className="badge">actionable</span>}
              </dd>
              <dt>Candidate countries</dt>
              <dd>{t.report.countries.join(', ') || '—'}</dd>
            </>
          )}
          <dt>Received</dt>
          <dd>{new Date(report.createdAt).toLocaleString('en-GB')}</dd>
          <dt>Source</dt>
          <dd>{report.source}</dd>
          <dt>Incidents</dt>
          <dd>{report.incidents}</dd>
          <dt>Document SHA-256</dt>
          <dd className="mono">{report.documentSha256}</dd>
        </dl>
      </section>

      <section aria-labelledby="assessments-heading">
        <h2 id="assessments-heading">Assessments per candidate jurisdiction</h2>
        {triageNote}
        {t && <AssessmentsTable incidents={t.incidents} incidentName={incidentName} />}
        {t && t.nextIncidentCursor && (
          <p className="muted">
            Showing {t.incidents.length} incidents of {t.report.incidents}.{' '}
            <button type="button" className="link-button" onClick={() => void loadMoreIncidents()}>
              Load more incidents
            </button>
          </p>
        )}
        {t && (
          <StatusForm
            key={t.report.status}
            reportId={report.id}
            status={t.report.status}
            onChanged={(message) => {
              setLabelStatus(message);
              void loadTriage();
              void loadCustody().catch(() => undefined);
            }}
          />
        )}
        {t && (t.incidents.length > 0 || t.files.length > 0) && (
          <LabelForm
            incidents={t.incidents}
            files={t.files}
            incidentName={incidentName}
            onApplied={(a, ids) => void onLabelApplied(a, ids)}
          />
        )}
        <p role="status" className="label-status" data-testid="label-status">
          {labelStatus}
        </p>
      </section>

      <section aria-labelledby="files-heading">
        <h2 id="files-heading">Files ({report.files.length})</h2>
        {report.files.length === 0 && <p>No files.</p>}
        <ul className="files">
          {report.files.map((f, i) => {
            const isRevealed = revealed?.fileId === f.fileId;
            const label = f.fileName ?? `file ${i + 1}`;
            const tf = t?.files.find((x) => x.fileId === f.fileId);
            const known = f.knownContent.length > 0;
            return (
              <li key={f.fileId} className="file-card" data-file-id={f.fileId}>
                <div className="media">
                  {known ? (
                    <div className="no-media known-content" data-state="known">
                      Known content: {f.knownContent[0].category ?? 'uncategorised'}
                      <br />
                      never shown
                    </div>
                  ) : !f.viewable ? (
                    <div className="no-media">Bytes not kept</div>
                  ) : isRevealed ? (
                    <img
                      src={revealed.url}
                      alt={`${label}, revealed`}
                      className="revealed"
                      data-state="revealed"
                    />
                  ) : (
                    <img
                      src={`/api/v1/ui/reports/${report.id}/files/${f.fileId}/preview`}
                      alt={`${label}, blurred`}
                      className="blurred"
                      data-state="blurred"
                    />
                  )}
                </div>
                <div className="file-info">
                  <h3 className="file-name">{label}</h3>
                  {known && (
                    <p className="known-matches">
                      Matches{' '}
                      {f.knownContent
                        .map(
                          (m) =>
                            `${m.bankName} (${m.category ?? 'no category'}, ${m.kind === 'exact' ? 'exact' : `PDQ distance ${m.distance}`})`,
                        )
                        .join('; ')}
                    </p>
                  )}
                  <dl className="digests">
                    <dt>SHA-256</dt>
                    <dd className="mono">{f.sha256 ?? '—'}</dd>
                    <dt>SHA-1</dt>
                    <dd className="mono">{f.sha1 ?? '—'}</dd>
                    <dt>MD5</dt>
                    <dd className="mono">{f.md5 ?? '—'}</dd>
                    <dt>PDQ</dt>
                    <dd className="mono">{f.pdq ?? '—'}</dd>
                    <dt>Size</dt>
                    <dd>{f.size === null ? '—' : `${f.size.toLocaleString('en-GB')} bytes`}</dd>
                    <dt>Status</dt>
                    <dd>{f.status}</dd>
                  </dl>
                  {f.viewable &&
                    (isRevealed ? (
                      <button type="button" onClick={() => void conceal('user')}>
                        Blur again ({remaining} s)
                      </button>
                    ) : (
                      <button
                        type="button"
                        className="reveal"
                        onClick={() => void requestReveal(f.fileId, label)}
                      >
                        Reveal {label} (logged)
                      </button>
                    ))}
                  {tf && Object.keys(tf.facts).length === 0 && !tf.label && <p className="muted small">No content facts.</p>}
                  {tf && (Object.keys(tf.facts).length > 0 || tf.label) && (
                    <details className="file-facts">
                      <summary>Content facts ({Object.keys(tf.facts).length})</summary>
                      <FactsTable facts={tf.facts} caption={`Content facts of ${label}`} />
                      {tf.label && (
                        <p className="muted small">
                          Labelled {new Date(tf.label.at).toLocaleString('en-GB')}
                          {tf.label.note ? `: ${tf.label.note}` : ''}
                        </p>
                      )}
                    </details>
                  )}
                </div>
              </li>
            );
          })}
        </ul>
      </section>

      <PersonsSection report={body} incidents={t?.incidents} />

      <section aria-labelledby="priority-heading">
        <h2 id="priority-heading">Priority</h2>
        {triageNote}
        {t && (
          <p>
            <strong>
              {t.report.priority.level} · score {t.report.priority.score}
            </strong>
            {top && t.incidents.length > 1 && (
              <span className="muted">
                {' '}
                — factors of {incidentName(top)}, which sets the report’s priority
              </span>
            )}
          </p>
        )}
        {top?.priority.factors && <PriorityTable factors={top.priority.factors} />}
      </section>

      <section aria-labelledby="incidents-heading">
        <h2 id="incidents-heading">Incidents and their facts{t ? ` (${t.incidents.length})` : ''}</h2>
        {triageNote}
        {t?.incidents.map((i) => (
          <article
            key={i.incidentId}
            className="incident"
            aria-labelledby={`incident-${i.incidentId}`}
            data-incident={i.incidentId}
          >
            <h3 id={`incident-${i.incidentId}`}>{incidentName(i)}</h3>
            <p className="muted small">
              {i.status.replace(/_/g, ' ')} · occurred {new Date(i.occurredAt).toLocaleString('en-GB')} ·
              conduct date {i.conductDate ?? 'unknown'} · priority {i.priority.level} ({i.priority.score})
              {i.person ? ` · ${i.person.role} person` : ''}
            </p>
            <FactsTable
              facts={i.facts}
              fromReport={i.factsFromReport}
              caption={`Facts of ${incidentName(i)}`}
            />
            {i.labels.length > 0 && (
              <p className="small">
                Labels:{' '}
                {i.labels
                  .map(
                    (l) =>
                      `${l.target.kind} label ${new Date(l.at).toLocaleString('en-GB')}${l.note ? ` (${l.note})` : ''}`,
                  )
                  .join('; ')}
              </p>
            )}
            {(i.conflicts?.length ?? 0) > 0 && (
              <details>
                <summary>Conflicts ({i.conflicts!.length})</summary>
                <Json value={i.conflicts} />
              </details>
            )}
            {(i.signals?.length ?? 0) + (i.notes?.length ?? 0) > 0 && (
              <details>
                <summary>Signals and notes</summary>
                <Json value={{ signals: i.signals, notes: i.notes }} />
              </details>
            )}
          </article>
        ))}
      </section>

      <section aria-labelledby="bundle-heading">
        <h2 id="bundle-heading">Bundle</h2>
        {triageNote}
        {t && <BundlesList incidents={t.incidents} bundleIds={t.report.bundleIds} />}
      </section>

      <ReferralHistory reportId={report.id} />

      {report.publicThread ? (
        <section aria-labelledby="thread-heading">
          <h2 id="thread-heading">Thread with the public reporter</h2>
          {report.publicThread.length === 0 ? (
            <p>No messages yet.</p>
          ) : (
            <ol className="thread">
              {report.publicThread.map((m) => (
                <li key={m.id} className={`message message-${m.author}`}>
                  <p className="message-meta">
                    <strong>{m.author === 'analyst' ? 'Analyst' : 'Reporter'}</strong> ·{' '}
                    <time dateTime={m.at}>{new Date(m.at).toLocaleString('en-GB')}</time>
                  </p>
                  <p className="message-body">{m.body}</p>
                </li>
              ))}
            </ol>
          )}
          <form onSubmit={(e) => void sendAnswer(e)}>
            <div className="field">
              <label htmlFor="analyst-message">Message to the reporter</label>
              <textarea
                id="analyst-message"
                rows={3}
                value={answer}
                onChange={(e) => setAnswer(e.target.value)}
                maxLength={5000}
              />
            </div>
            <button type="submit">Send to reporter</button>
          </form>
        </section>
      ) : (
        <section aria-labelledby="thread-heading">
          <h2 id="thread-heading">Thread</h2>
          <p>Not a public report: there is no public reporter to write to.</p>
        </section>
      )}

      <section aria-labelledby="custody-heading">
        <h2 id="custody-heading">Custody trail</h2>
        <table className="custody dense">
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

      <section aria-labelledby="content-heading">
        <h2 id="content-heading">Report content</h2>
        <details>
          <summary>The report as received (JSON)</summary>
          <Json value={body} />
        </details>
      </section>

      <dialog
        ref={dialogRef}
        className="reveal-dialog"
        aria-labelledby="reveal-limit-title"
        aria-describedby="reveal-limit-text"
        onCancel={() => setPendingReveal(undefined)}
      >
        {pendingReveal && (
          <>
            <h2 id="reveal-limit-title">Daily exposure limit reached</h2>
            <p id="reveal-limit-text">
              Today you have seen {formatExposure(pendingReveal.exposure)}; the limit is{' '}
              {formatLimits(pendingReveal.exposure.limits)}. Reveal {pendingReveal.label} only if the triage
              needs it. The reveal is logged with the limit reached.
            </p>
            <div className="dialog-actions">
              <button type="button" autoFocus onClick={() => void closeDialog(false)}>
                Cancel
              </button>
              <button type="button" className="primary" onClick={() => void closeDialog(true)}>
                Reveal anyway
              </button>
            </div>
          </>
        )}
      </dialog>
    </div>
  );
}
