/** Admin: the rule packs this server runs with, the version active per jurisdiction, and re-assessment after a pack change. */
import { useAdminAction, useRulePacks } from '../../data/admin.queries.js';
import { api } from '../../data/api-client.js';
import { keys } from '../../data/query-keys.js';
import { ErrorBanner } from '../../ui/error-banner.js';
import { shortDate } from '../../ui/time.js';
import { Outcome } from './admin-common.js';

export function RulePacksSection() {
  const packs = useRulePacks();
  const data = packs.data;
  const { run, busy, message, failure } = useAdminAction([keys.admin.rulepacks]);
  const pending = data?.packs.filter((p) => !p.inSync).length ?? 0;

  const sync = () =>
    run(async () => {
      const r = await api('POST /api/v1/admin/rulepacks/sync');
      return r.changed.length === 0
        ? 'Every loaded pack is already active; nothing to re-assess.'
        : `Recorded ${r.changed.map((c) => `${c.jurisdiction} ${c.version}`).join(', ')}; ${r.changed.filter((c) => c.runId).length} re-assessment run(s) started.`;
    });

  return (
    <section aria-labelledby="admin-packs-title">
      <h2 id="admin-packs-title">Rule packs</h2>
      <p className="hint">
        Each jurisdiction’s law encoded as rules. <strong>reference</strong> packs are unreviewed encodings: their outcomes are guidance, not legal advice. Packs are
        loaded when the server starts; a changed pack re-assesses the incidents it affects.
      </p>
      <ErrorBanner error={packs.error} fallback="Loading failed." />
      {data && (
        <>
          <table className="admin-table">
            <caption className="visually-hidden">Rule packs</caption>
            <thead>
              <tr>
                <th scope="col">Jurisdiction</th>
                <th scope="col">Pack</th>
                <th scope="col">Loaded version</th>
                <th scope="col">Status</th>
                <th scope="col">Rules</th>
                <th scope="col">Active version</th>
                <th scope="col">State</th>
              </tr>
            </thead>
            <tbody>
              {data.packs.map((p) => (
                <tr key={p.jurisdiction}>
                  <th scope="row">{p.jurisdiction}</th>
                  <td>{p.name}</td>
                  <td>{p.version}</td>
                  <td>
                    <span className={`badge${p.status === 'reference' ? ' badge-reference' : ''}`}>{p.status}</span>
                  </td>
                  <td>{p.rules}</td>
                  <td>{p.active ? `${p.active.version} since ${shortDate(p.active.since)}` : 'not recorded'}</td>
                  <td>{p.inSync ? 'active' : <strong>changed, not yet re-assessed</strong>}</td>
                </tr>
              ))}
            </tbody>
          </table>
          <div className="toolbar">
            <button type="button" className="primary" disabled={busy} onClick={() => void sync()}>
              Re-assess after a pack change
            </button>
            <span className="count">{pending === 0 ? 'All loaded packs are active.' : `${pending} pack(s) changed since last recorded.`}</span>
          </div>
          <h3>Re-assessment runs</h3>
          <table className="admin-table">
            <caption className="visually-hidden">Latest re-assessment runs after rule pack changes</caption>
            <thead>
              <tr>
                <th scope="col">Run</th>
                <th scope="col">Reason</th>
                <th scope="col">Status</th>
                <th scope="col">Processed</th>
                <th scope="col">Changed</th>
                <th scope="col">Started</th>
                <th scope="col">Finished</th>
              </tr>
            </thead>
            <tbody>
              {data.runs.length === 0 && (
                <tr>
                  <td colSpan={7}>No re-assessment runs yet.</td>
                </tr>
              )}
              {data.runs.map((r) => (
                <tr key={r.id}>
                  <td>{r.id}</td>
                  <td>{r.reason}</td>
                  <td>{r.status}</td>
                  <td>{r.processed.toLocaleString('en-GB')}</td>
                  <td>{r.changed.toLocaleString('en-GB')}</td>
                  <td>{shortDate(r.createdAt)}</td>
                  <td>{shortDate(r.finishedAt)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </>
      )}
      <Outcome message={message} error={failure} />
    </section>
  );
}
