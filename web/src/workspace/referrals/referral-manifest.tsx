/** The package as minimised for the recipient: counts, reports, files by digest, persons by role and country — never names or images. */
import type { ReferralManifest } from '../../data/referrals.queries.js';
import { Time } from '../../ui/time.js';
import { countsText } from './referral-format.js';

export function ManifestSummary(props: { manifest: ReferralManifest }) {
  const m = props.manifest;
  const byRole = m.persons.reduce<Record<string, number>>((acc, p) => ((acc[p.role] = (acc[p.role] ?? 0) + 1), acc), {});
  const countries = m.persons.reduce<Record<string, number>>((acc, p) => (p.country ? ((acc[p.country] = (acc[p.country] ?? 0) + 1), acc) : acc), {});
  const withIds = m.persons.filter((p) => p.identifiers?.length).length;
  return (
    <section aria-labelledby="manifest-heading">
      <h2 id="manifest-heading">Package (as minimised for the recipient)</h2>
      <dl className="facts">
        <dt>Reports</dt>
        <dd>{m.reports.length}</dd>
        <dt>Persons</dt>
        <dd>
          {m.persons.length} ({countsText(byRole)}); countries: {countsText(countries)}; {withIds} with identifiers
        </dd>
        <dt>Files</dt>
        <dd>
          {m.files.length}, {m.files.filter((f) => f.evidence).length} with encrypted evidence
        </dd>
        <dt>Distinct fact sets</dt>
        <dd>{Object.keys(m.factSets).length}</dd>
        <dt>Sender’s assessments</dt>
        <dd>{countsText(m.senderAssessments.reduce<Record<string, number>>((acc, a) => ((acc[`${a.jurisdiction} ${a.outcome}`] = (acc[`${a.jurisdiction} ${a.outcome}`] ?? 0) + 1), acc), {}))}</dd>
        <dt>Custody records carried</dt>
        <dd>{m.custody.length}</dd>
      </dl>
      <table className="manifest-reports">
        <caption>Reports in the package</caption>
        <thead>
          <tr>
            <th scope="col">Report</th>
            <th scope="col">Reporter</th>
            <th scope="col">Received</th>
            <th scope="col">Incident type</th>
          </tr>
        </thead>
        <tbody>
          {m.reports.map((r) => (
            <tr key={r.reportId}>
              <td>
                #{r.reportId}
                {r.escalated && <span className="badge badge-urgent">escalated</span>}
                {r.batchedReason && <span className="badge">{r.batchedReason}</span>}
              </td>
              <td>{r.reporterName ?? '—'}</td>
              <td>
                <Time value={r.receivedAt} />
              </td>
              <td>{r.incidentType}</td>
            </tr>
          ))}
        </tbody>
      </table>
      {m.files.length > 0 && (
        <table className="manifest-files">
          <caption>Files (digests only; no media is shown)</caption>
          <thead>
            <tr>
              <th scope="col">SHA-256</th>
              <th scope="col">Classification</th>
              <th scope="col">Evidence</th>
            </tr>
          </thead>
          <tbody>
            {m.files.slice(0, 50).map((f) => (
              <tr key={f.fileId}>
                <td className="mono">{f.sha256 ?? f.md5 ?? '—'}</td>
                <td>{f.industryClassification ?? '—'}</td>
                <td>{f.evidence ? 'encrypted, verified' : 'not carried'}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}
