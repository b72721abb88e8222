/**
 * One file of the report: blurred greyscale preview (or, for a file matching a hash bank, its bank
 * and category and never an image), digests, the Reveal / Blur again control, content facts.
 */
import type { ReportFile } from '../../data/reports.queries.js';
import type { TriageFile } from '../../data/triage.queries.js';
import { FactsTable } from './triage-tables.js';

export function FileCard(props: {
  reportId: string;
  file: ReportFile;
  label: string;
  triage: TriageFile | undefined;
  /** The object URL of the file in the clear, while it is revealed. */
  revealedUrl: string | undefined;
  remaining: number;
  onReveal: () => void;
  onConceal: () => void;
}) {
  const { file: f, label, triage: tf, revealedUrl } = props;
  const known = f.knownContent.length > 0;
  const facts = tf ? Object.keys(tf.facts).length : 0;
  return (
    <li className="file-card" data-file-id={f.fileId}>
      <div className="media">
        {known ? (
          <div className="no-media known-content" data-state="known">
            Known content: {f.knownContent[0].category ?? 'uncategorised'}
            <br />
            never shown
          </div>
        ) : !f.viewable ? (
          <div className="no-media">Bytes not kept</div>
        ) : revealedUrl ? (
          <img src={revealedUrl} alt={`${label}, revealed`} className="revealed" data-state="revealed" />
        ) : (
          <img src={`/api/v1/ui/reports/${props.reportId}/files/${f.fileId}/preview`} alt={`${label}, blurred`} className="blurred" data-state="blurred" />
        )}
      </div>
      <div className="file-info">
        <h3 className="file-name">{label}</h3>
        {known && (
          <p className="known-matches">
            Matches{' '}
            {f.knownContent
              .map((m) => `${m.bankName} (${m.category ?? 'no category'}, ${m.kind === 'exact' ? 'exact' : `PDQ distance ${m.distance}`})`)
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
          (revealedUrl ? (
            <button type="button" onClick={props.onConceal}>
              Blur again ({props.remaining} s)
            </button>
          ) : (
            <button type="button" className="reveal" onClick={props.onReveal}>
              Reveal {label} (logged)
            </button>
          ))}
        {tf && facts === 0 && !tf.label && <p className="muted small">No content facts.</p>}
        {tf && (facts > 0 || tf.label) && (
          <details className="file-facts">
            <summary>Content facts ({facts})</summary>
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
}
