/**
 * The report view's smaller sections: the incident summary, priority, incidents with their facts,
 * bundles, the custody trail and the report as received. Each takes what it shows; the page loads.
 */
import type { CustodyItem, ReportView } from '../../data/reports.queries.js';
import type { ReportTriage, TriageIncident } from '../../data/triage.queries.js';
import { BundlesList, FactsTable, OutcomeBadge, PriorityTable } from './triage-tables.js';

export function Json(props: { value: unknown }) {
  return <pre className="json">{JSON.stringify(props.value, null, 2)}</pre>;
}

/** Where the triage is not (yet) there: why, or that it is loading. */
export function TriageNote(props: { note: string | undefined }) {
  if (props.note === undefined) return null;
  if (props.note === '') return <p role="status">Loading triage…</p>;
  return <p>{props.note}</p>;
}

export function SummarySection(props: { report: ReportView; triage: ReportTriage | undefined }) {
  const { report, triage: t } = props;
  const summary = report.report.incidentSummary as { incidentType?: string; incidentDateTime?: string } | undefined;
  return (
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
  );
}

export function PrioritySection(props: { triage: ReportTriage | undefined; note: string | undefined; incidentName: (i: TriageIncident) => string }) {
  const t = props.triage;
  const top = t ? [...t.incidents].sort((a, b) => b.priority.score - a.priority.score)[0] : undefined;
  return (
    <section aria-labelledby="priority-heading">
      <h2 id="priority-heading">Priority</h2>
      <TriageNote note={props.note} />
      {t && (
        <p>
          <strong>
            {t.report.priority.level} · score {t.report.priority.score}
          </strong>
          {top && t.incidents.length > 1 && <span className="muted"> — factors of {props.incidentName(top)}, which sets the report’s priority</span>}
        </p>
      )}
      {top?.priority.factors && <PriorityTable factors={top.priority.factors} />}
    </section>
  );
}

export function IncidentsSection(props: { triage: ReportTriage | undefined; note: string | undefined; incidentName: (i: TriageIncident) => string }) {
  const t = props.triage;
  return (
    <section aria-labelledby="incidents-heading">
      <h2 id="incidents-heading">Incidents and their facts{t ? ` (${t.incidents.length})` : ''}</h2>
      <TriageNote note={props.note} />
      {t?.incidents.map((i) => (
        <article key={i.incidentId} className="incident" aria-labelledby={`incident-${i.incidentId}`} data-incident={i.incidentId}>
          <h3 id={`incident-${i.incidentId}`}>{props.incidentName(i)}</h3>
          <p className="muted small">
            {i.status.replace(/_/g, ' ')} · occurred {new Date(i.occurredAt).toLocaleString('en-GB')} · conduct date {i.conductDate ?? 'unknown'} · priority{' '}
            {i.priority.level} ({i.priority.score}){i.person ? ` · ${i.person.role} person` : ''}
          </p>
          <FactsTable facts={i.facts} fromReport={i.factsFromReport} caption={`Facts of ${props.incidentName(i)}`} />
          {i.labels.length > 0 && (
            <p className="small">
              Labels: {i.labels.map((l) => `${l.target.kind} label ${new Date(l.at).toLocaleString('en-GB')}${l.note ? ` (${l.note})` : ''}`).join('; ')}
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
  );
}

export function BundleSection(props: { triage: ReportTriage | undefined; note: string | undefined }) {
  return (
    <section aria-labelledby="bundle-heading">
      <h2 id="bundle-heading">Bundle</h2>
      <TriageNote note={props.note} />
      {props.triage && <BundlesList incidents={props.triage.incidents} bundleIds={props.triage.report.bundleIds} />}
    </section>
  );
}

export function CustodySection(props: { items: CustodyItem[] }) {
  return (
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
          {props.items.map((c) => (
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
  );
}

export function ContentSection(props: { body: Record<string, unknown> }) {
  return (
    <section aria-labelledby="content-heading">
      <h2 id="content-heading">Report content</h2>
      <details>
        <summary>The report as received (JSON)</summary>
        <Json value={props.body} />
      </details>
    </section>
  );
}
