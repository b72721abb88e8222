/**
 * The triage tables of the report view, from GET /api/v1/triage/reports/:id: persons and their
 * identifiers with candidate jurisdictions (and the evidence for each), assessments per incident and
 * jurisdiction with rule and statute citation, the priority with every factor and weight, the
 * incidents' facts with their sources, and the bundles the report belongs to.
 */
import { Link } from '../../router.js';
import type { Candidate, Citation, FactStatement, PriorityFactor, SourcedFacts, TriageIncident } from '../../data/triage.queries.js';

const outcomeText: Record<string, string> = {
  baseline: 'Baseline (INTERPOL criteria)',
  national_illegal: 'Illegal (national law)',
  other_offence: 'Other offence',
  not_illegal: 'Not illegal',
  uncertain: 'Uncertain',
};

export function OutcomeBadge(props: { outcome: string }) {
  return <span className={`outcome outcome-${props.outcome}`}>{outcomeText[props.outcome] ?? props.outcome.replace(/_/g, ' ')}</span>;
}

export function factValue(s: FactStatement): string {
  const show = (v: unknown) => (typeof v === 'string' ? v.replace(/_/g, ' ') : JSON.stringify(v));
  if (s.oneOf) return `one of: ${s.oneOf.map(show).join(', ')}`;
  return show(s.value);
}

const sourceText = (s: string) => s.replace(/_/g, ' ');

/** Anything located by the DB-IP database must credit it (CC BY 4.0). */
export const usesDbIp = (candidates: Candidate[]) => candidates.some((c) => c.evidence.some((e) => /DB-IP/.test(e.detail)));

export function DbIpAttribution() {
  return (
    <p className="attribution">
      <a href="https://db-ip.com" rel="noreferrer noopener" target="_blank">
        IP Geolocation by DB-IP
      </a>{' '}
      (CC BY 4.0)
    </p>
  );
}

export function CandidatesTable(props: { candidates: Candidate[]; caption: string }) {
  if (props.candidates.length === 0) return <p>No candidate jurisdiction: nothing in the report locates this person.</p>;
  return (
    <table className="candidates dense">
      <caption>{props.caption}</caption>
      <thead>
        <tr>
          <th scope="col">#</th>
          <th scope="col">Country</th>
          <th scope="col">Region / city</th>
          <th scope="col">Confidence</th>
          <th scope="col">Evidence (kind · value · weight · why)</th>
        </tr>
      </thead>
      <tbody>
        {props.candidates.map((c) => (
          <tr key={c.country} data-country={c.country}>
            <td>{c.rank}</td>
            <th scope="row">{c.country}</th>
            <td>{[c.city, c.region].filter(Boolean).join(', ') || '—'}</td>
            <td>{Math.round(c.confidence * 100)} %</td>
            <td>
              <ul className="evidence">
                {c.evidence.map((e, i) => (
                  <li key={i}>
                    <span className="badge">{e.kind}</span> <span className="mono">{e.value}</span> · {e.weight.toFixed(2)} · {e.detail}
                  </li>
                ))}
              </ul>
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

/** Statute and section, compact; the cited text and its source are in the row's "Why". */
function Citations(props: { citations: Citation[] | null }) {
  const list = props.citations ?? [];
  if (list.length === 0) return <>—</>;
  return (
    <ul className="citations">
      {list.map((c, i) => (
        <li key={i}>
          <cite>{[c.statute, c.section].filter(Boolean).join(' ') || c.text}</cite>
        </li>
      ))}
    </ul>
  );
}

function CitationTexts(props: { citations: Citation[] | null }) {
  const list = (props.citations ?? []).filter((c) => c.text || c.url);
  if (list.length === 0) return null;
  return (
    <ul className="citation-texts">
      {list.map((c, i) => (
        <li key={i}>
          <cite>{[c.statute, c.section].filter(Boolean).join(' ')}</cite>
          {c.text && <span className="citation-text"> — {c.text}</span>}
          {c.url && (
            <>
              {' '}
              <a href={c.url} rel="noreferrer noopener" target="_blank">
                source
              </a>
            </>
          )}
        </li>
      ))}
    </ul>
  );
}

const liability = (v: boolean | null) => (v === true ? 'Yes' : v === false ? 'No' : 'Not determined');

/** One row per incident and candidate jurisdiction. */
export function AssessmentsTable(props: { incidents: TriageIncident[]; incidentName: (i: TriageIncident) => string }) {
  const rows = props.incidents.flatMap((i) => i.assessments.map((a) => ({ i, a })));
  if (rows.length === 0) return <p>No assessments yet.</p>;
  return (
    <table className="assessments dense">
      <caption className="visually-hidden">Assessments per incident and candidate jurisdiction</caption>
      <thead>
        <tr>
          <th scope="col">Incident</th>
          <th scope="col">Jurisdiction</th>
          <th scope="col">Outcome</th>
          <th scope="col">Rule</th>
          <th scope="col">Statute citation</th>
          <th scope="col">Suspect criminally liable</th>
          <th scope="col">Rule pack</th>
          <th scope="col">Explanation</th>
        </tr>
      </thead>
      <tbody>
        {rows.map(({ i, a }) => (
          <tr key={`${i.incidentId}:${a.jurisdiction}`} data-incident={i.incidentId} data-jurisdiction={a.jurisdiction} data-outcome={a.outcome}>
            <td>{props.incidentName(i)}</td>
            <th scope="row">{a.jurisdiction}</th>
            <td>
              <OutcomeBadge outcome={a.outcome} />
              <div className="muted small">confidence {a.confidence}</div>
              {a.nationalOutcome !== a.outcome && <div className="muted small">national: {a.nationalOutcome.replace(/_/g, ' ')}</div>}
            </td>
            <td className="mono">{a.ruleId ?? '—'}</td>
            <td>
              <Citations citations={a.citations} />
            </td>
            <td>{liability(a.suspectCriminallyLiable)}</td>
            <td>
              {a.pack.id} {a.pack.version}
              <div className="muted small">{a.pack.status}</div>
            </td>
            <td>
              <details>
                <summary>Why</summary>
                <p className="explanation">{a.explanation}</p>
                <CitationTexts citations={a.citations} />
                {a.undeterminedFacts && a.undeterminedFacts.length > 0 && <p>Unknown facts: {a.undeterminedFacts.join(', ')}</p>}
                {a.possibleOutcomes && a.possibleOutcomes.length > 0 && (
                  <p>Possible: {a.possibleOutcomes.map((p) => `${p.ruleId} → ${p.outcome.replace(/_/g, ' ')}`).join('; ')}</p>
                )}
                <p className="muted small">
                  Assessed {new Date(a.assessedAt).toLocaleString('en-GB')} · conduct date {a.conductDate}
                </p>
              </details>
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

export function PriorityTable(props: { factors: PriorityFactor[] }) {
  return (
    <table className="priority-factors dense">
      <caption className="visually-hidden">Priority factors</caption>
      <thead>
        <tr>
          <th scope="col">Factor</th>
          <th scope="col">Value</th>
          <th scope="col">Weight</th>
          <th scope="col">Contribution</th>
          <th scope="col">Reason</th>
        </tr>
      </thead>
      <tbody>
        {props.factors.map((f) => (
          <tr key={f.factor} className={f.contribution !== 0 ? 'contributes' : undefined}>
            <th scope="row">{f.factor.replace(/_/g, ' ')}</th>
            <td>{f.value}</td>
            <td>{f.weight}</td>
            <td>{f.contribution}</td>
            <td>{f.reason}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

export function FactsTable(props: { facts: SourcedFacts; caption: string; fromReport?: SourcedFacts }) {
  const keys = Object.keys(props.facts).sort();
  if (keys.length === 0) return <p>No facts known.</p>;
  return (
    <table className="facts-table dense">
      <caption className="visually-hidden">{props.caption}</caption>
      <thead>
        <tr>
          <th scope="col">Fact</th>
          <th scope="col">Value</th>
          <th scope="col">Source</th>
          <th scope="col">Detail</th>
        </tr>
      </thead>
      <tbody>
        {keys.map((k) => {
          const s = props.facts[k];
          const overridden = props.fromReport?.[k] && s.source === 'analyst_label' ? props.fromReport[k] : undefined;
          return (
            <tr key={k} data-fact={k}>
              <th scope="row">{k}</th>
              <td>
                {factValue(s)}
                {overridden && <div className="muted small">report said: {factValue(overridden)}</div>}
              </td>
              <td>{sourceText(s.source)}</td>
              <td>{s.detail ?? ''}</td>
            </tr>
          );
        })}
      </tbody>
    </table>
  );
}

export function BundlesList(props: { incidents: TriageIncident[]; bundleIds: string[] }) {
  const byId = new Map<string, NonNullable<TriageIncident['bundle']> & { here: number }>();
  for (const i of props.incidents) {
    if (!i.bundle) continue;
    const b = byId.get(i.bundle.bundleId);
    if (b) b.here += 1;
    else byId.set(i.bundle.bundleId, { ...i.bundle, here: 1 });
  }
  for (const id of props.bundleIds) if (!byId.has(id)) byId.set(id, { bundleId: id, origin: '', incidents: 0, uploaders: 0, viral: false, here: 0 });
  if (byId.size === 0) return <p>Not in a bundle: no other report shares this content.</p>;
  return (
    <ul className="bundles-of-report">
      {[...byId.values()].map((b) => (
        <li key={b.bundleId}>
          <Link href={`/app/bundles/${encodeURIComponent(b.bundleId)}`}>Bundle {b.bundleId.slice(0, 12)}</Link>
          {b.viral && <span className="badge badge-urgent">viral</span>}
          {b.incidents > 0 && (
            <span className="muted">
              {' '}
              · {b.incidents} incidents from {b.uploaders} uploaders{b.here > 0 ? ` · ${b.here} from this report` : ''}
              {b.origin ? ` · ${b.origin}` : ''}
            </span>
          )}
        </li>
      ))}
    </ul>
  );
}
