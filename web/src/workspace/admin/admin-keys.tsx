/** Admin: API keys of the organisation (or of a registered reporter): list without secrets, create (secret shown once), revoke. */
import { useState, type FormEvent } from 'react';
import { useAdminAction, useApiKeys, useOrganisations, type ApiKey, type CreatedKey } from '../../data/admin.queries.js';
import { api } from '../../data/api-client.js';
import { keys } from '../../data/query-keys.js';
import { ErrorBanner } from '../../ui/error-banner.js';
import { shortDate } from '../../ui/time.js';
import { useSession } from '../session.js';
import { OrgScope, Outcome, SecretOnce } from './admin-common.js';

export function KeysSection() {
  const { session } = useSession();
  const orgs = useOrganisations();
  const [orgId, setOrgId] = useState(session.user.org.id);
  const keysQuery = useApiKeys(orgId);
  const data = keysQuery.data;
  const [kind, setKind] = useState<'bearer' | 'basic'>('bearer');
  const [label, setLabel] = useState('');
  const [created, setCreated] = useState<CreatedKey | undefined>();
  const [confirming, setConfirming] = useState<string | undefined>();
  const { run, busy, message, failure } = useAdminAction([keys.admin.keys(orgId)]);

  const create = (e: FormEvent) => {
    e.preventDefault();
    void run(async () => {
      setCreated(await api('POST /api/v1/admin/keys', { body: { orgId, kind, ...(label.trim() ? { label: label.trim() } : {}) } }));
      setLabel('');
      return '';
    });
  };

  const revoke = (key: ApiKey) =>
    run(async () => {
      await api('POST /api/v1/admin/keys/:id/revoke', { params: { id: key.id } });
      setConfirming(undefined);
      return `Key ${key.identifier} is revoked; requests with it are refused from now on.`;
    });

  return (
    <section aria-labelledby="admin-keys-title">
      <h2 id="admin-keys-title" tabIndex={-1}>
        API keys
      </h2>
      <p className="hint">Platforms report with a bearer key (JSON API) or a username and password (CyberTipline-compatible XML API). Secrets are never shown again after creation.</p>
      {orgs.data && <OrgScope id="keys-org" organisations={orgs.data.organisations} value={orgId} onChange={(id) => { setOrgId(id); setCreated(undefined); }} />}
      {created && (
        <SecretOnce
          title={`New ${created.kind} key${created.label ? ` “${created.label}”` : ''}`}
          fields={created.kind === 'bearer' ? [{ label: 'Key', value: created.token ?? '' }] : [{ label: 'Username', value: created.username ?? '' }, { label: 'Password', value: created.password ?? '' }]}
          onDone={() => {
            setCreated(undefined);
            document.getElementById('admin-keys-title')?.focus();
          }}
        />
      )}
      <ErrorBanner error={keysQuery.error} fallback="Loading failed." />
      {data && (
        <table className="admin-table" data-testid="keys-table">
          <caption className="visually-hidden">API keys</caption>
          <thead>
            <tr>
              <th scope="col">Key</th>
              <th scope="col">Kind</th>
              <th scope="col">Label</th>
              <th scope="col">Created</th>
              <th scope="col">Status</th>
              <th scope="col">
                <span className="visually-hidden">Actions</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {data.length === 0 && (
              <tr>
                <td colSpan={6}>No keys yet.</td>
              </tr>
            )}
            {data.map((k) => (
              <tr key={k.id}>
                <td className="mono">{k.identifier}</td>
                <td>{k.kind === 'bearer' ? 'bearer (JSON API)' : 'basic (XML API)'}</td>
                <td>{k.label ?? '—'}</td>
                <td>{shortDate(k.createdAt)}</td>
                <td>{k.revokedAt ? `revoked ${shortDate(k.revokedAt)}` : 'active'}</td>
                <td>
                  {!k.revokedAt &&
                    (confirming === k.id ? (
                      <span className="confirm">
                        <button type="button" className="danger" onClick={() => void revoke(k)}>
                          Confirm revoking {k.identifier}
                        </button>
                        <button type="button" onClick={() => setConfirming(undefined)}>
                          Cancel
                        </button>
                      </span>
                    ) : (
                      <button type="button" onClick={() => setConfirming(k.id)} aria-label={`Revoke ${k.identifier}${k.label ? ` (${k.label})` : ''}`}>
                        Revoke
                      </button>
                    ))}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <form className="admin-form" onSubmit={create}>
        <h3>Create a key</h3>
        <fieldset>
          <legend>Kind</legend>
          <label className="choice">
            <input type="radio" name="key-kind" value="bearer" checked={kind === 'bearer'} onChange={() => setKind('bearer')} /> Bearer key (JSON API)
          </label>
          <label className="choice">
            <input type="radio" name="key-kind" value="basic" checked={kind === 'basic'} onChange={() => setKind('basic')} /> Username and password (XML API)
          </label>
        </fieldset>
        <div className="field">
          <label htmlFor="key-label">
            Label <span className="required">(optional: who uses it)</span>
          </label>
          <input id="key-label" type="text" maxLength={200} value={label} onChange={(e) => setLabel(e.target.value)} />
        </div>
        <button type="submit" className="primary" disabled={busy}>
          Create key
        </button>
      </form>
      <Outcome message={message} error={failure} />
    </section>
  );
}
