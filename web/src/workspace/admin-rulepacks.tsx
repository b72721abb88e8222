/** Admin: the rule packs this server runs with, the version active per jurisdiction, and re-assessment after a pack change. */
import { useState } from 'react';
import { api } from '../api.js';
import { errorText, Outcome, shortDate, useLoad } from './admin-common.js';

interface Pack {
  jurisdiction: string;
  name: string;
  kind: string;
  version: string;
  status: string;
  rules: number;
  sha256: string;
  active: { version: string; sha256: string; since: string } | null;
  inSync: boolean;
}

interface Run {
  id: string;
  kind: string;
  reason: string;
  status: string;
  processed: number;
  changed: number;
  createdAt: string;
  finishedAt: string | null;
}

export function RulePacksSection() {
  const { data, error, reload } = useLoad<{ packs: Pack[]; runs: Run[] }>('/api/v1/admin/rulepacks');
  const [message, setMessage] = useState('');
  const [failure, setFailure] = useState('');
  const [busy, setBusy] = useState(false);
  const pending = data?.packs.filter((p) => !p.inSync).length ?? 0;

  const sync = async () => {
    setBusy(true);
    setMessage('');
    setFailure('');
    try {
      const r = await api<{ changed: { jurisdiction: string; version: string; runId: string | null }[] }>('POST', '/api/v1/admin/rulepacks/sync');
      setMessage(
        r.changed.length === 0
          ? 'Every loaded pack is already active; nothing to re-assess.'
          : `Recorded ${r.changed.map((c) => `${c.jurisdiction} ${c.version}`).join(', ')}; ${r.changed.filter((c) => c.runId).length} re-assessment run(s) started.`,
      );
      reload();
    } catch (err) {
      setFailure(errorText(err));
    } finally {
      setBusy(false);
    }
  };

  return (
    <section aria-labelledby="admin-packs-title">
      <h2 id="admin-packs-title">Rule packs</h2>
      <p className="hint">
        Each jurisdiction’s law encoded as rules. <strong>reference</strong> packs are unreviewed encodings: their outcomes are guidance, not legal advice. Packs are
        loaded when the server starts; a changed pack re-assesses the incidents it affects.
      </p>
      {error && <p role="alert" className="field-error">{error}</p>}
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
