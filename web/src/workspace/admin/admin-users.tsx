/** Admin: users of the organisation (or of a registered reporter), their role there, memberships, disabling. */
import { useQueryClient } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { useAdminAction, useAdminUsers, useOrganisations } from '../../data/admin.queries.js';
import { api } from '../../data/api-client.js';
import { keys } from '../../data/query-keys.js';
import { refreshSession, type UserRole } from '../../data/session.queries.js';
import { ErrorBanner } from '../../ui/error-banner.js';
import { shortDate } from '../../ui/time.js';
import { useSession } from '../session.js';
import { OrgScope, Outcome, SecretOnce, USER_ROLES } from './admin-common.js';

export function UsersSection() {
  const client = useQueryClient();
  const { session } = useSession();
  const orgs = useOrganisations();
  const [orgId, setOrgId] = useState(session.user.org.id);
  const users = useAdminUsers(orgId);
  const data = users.data;
  const { run, busy, message, failure } = useAdminAction([keys.admin.all]);
  const [generated, setGenerated] = useState<{ email: string; password: string } | undefined>();

  const [email, setEmail] = useState('');
  const [role, setRole] = useState<UserRole>('analyst');
  const [password, setPassword] = useState('');
  const [memberEmail, setMemberEmail] = useState('');
  const [memberRole, setMemberRole] = useState<UserRole>('analyst');

  const createUser = (e: FormEvent) => {
    e.preventDefault();
    void run(async () => {
      const u = await api('POST /api/v1/admin/users', { body: { orgId, email, role, ...(password ? { password } : {}) } });
      if (u.password) setGenerated({ email: u.email, password: u.password });
      setEmail('');
      setPassword('');
      return `${u.email} can sign in now${u.password ? ' with the generated password below' : ' with the password you set'}.`;
    });
  };

  const addMember = (e: FormEvent) => {
    e.preventDefault();
    void run(async () => {
      await api('POST /api/v1/admin/memberships', { body: { email: memberEmail, orgId, role: memberRole } });
      setMemberEmail('');
      // Your own new membership: the organisation switcher offers it at once.
      if (memberEmail.trim().toLowerCase() === session.user.email.toLowerCase()) await refreshSession(client);
      return `${memberEmail} is a member with the role ${memberRole}.`;
    });
  };

  const orgName = orgs.data?.organisations.find((o) => o.id === orgId)?.name ?? session.user.org.name;

  return (
    <section aria-labelledby="admin-users-title">
      <h2 id="admin-users-title" tabIndex={-1}>
        Users
      </h2>
      {orgs.data && <OrgScope id="users-org" organisations={orgs.data.organisations} value={orgId} onChange={setOrgId} />}
      {generated && (
        <SecretOnce
          title={`Password for ${generated.email}`}
          fields={[{ label: 'Password', value: generated.password }]}
          onDone={() => {
            setGenerated(undefined);
            document.getElementById('admin-users-title')?.focus();
          }}
        />
      )}
      <ErrorBanner error={users.error} fallback="Loading failed." />
      {data && (
        <table className="admin-table">
          <caption className="visually-hidden">Users of {orgName}</caption>
          <thead>
            <tr>
              <th scope="col">Email</th>
              <th scope="col">Role here</th>
              <th scope="col">Own organisation</th>
              <th scope="col">Created</th>
              <th scope="col">Status</th>
              <th scope="col">
                <span className="visually-hidden">Actions</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {data.map((u) => {
              const own = u.homeOrgId === orgId;
              const self = u.id === session.user.id;
              return (
                <tr key={u.id}>
                  <td>{u.email}</td>
                  <td>{u.role}</td>
                  <td>{own ? 'this one' : `${u.homeOrgName ?? u.homeOrgId} (member here)`}</td>
                  <td>{shortDate(u.createdAt)}</td>
                  <td>{u.disabled ? 'disabled' : 'active'}</td>
                  <td>
                    {own && !self && (
                      <button
                        type="button"
                        disabled={busy}
                        onClick={() => void run(async () => {
                          await api(u.disabled ? 'POST /api/v1/admin/users/:id/enable' : 'POST /api/v1/admin/users/:id/disable', { params: { id: u.id } });
                          return `${u.email} is ${u.disabled ? 'enabled' : 'disabled; their sessions have ended'}.`;
                        })}
                        aria-label={`${u.disabled ? 'Enable' : 'Disable'} ${u.email}`}
                      >
                        {u.disabled ? 'Enable' : 'Disable'}
                      </button>
                    )}
                    {own && !self && !u.disabled && (
                      <button
                        type="button"
                        disabled={busy}
                        onClick={() => void run(async () => {
                          const reset = await api('POST /api/v1/admin/users/:id/password', { params: { id: u.id } });
                          setGenerated({ email: reset.email, password: reset.password });
                          return `${reset.email} has a new password (below, shown once); their sessions have ended.`;
                        })}
                        aria-label={`Reset the password of ${u.email}`}
                      >
                        Reset password
                      </button>
                    )}
                    {!own && !(self && orgId === session.user.org.id) && (
                      <button
                        type="button"
                        disabled={busy}
                        onClick={() => void run(async () => {
                          await api('DELETE /api/v1/admin/memberships/:orgId/:userId', { params: { orgId, userId: u.id } });
                          return `${u.email} is no longer a member of ${orgName}.`;
                        })}
                        aria-label={`Remove membership of ${u.email} in ${orgName}`}
                      >
                        Remove membership
                      </button>
                    )}
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
      )}
      <div className="admin-forms">
        <form className="admin-form" onSubmit={createUser}>
          <h3>Create a user</h3>
          <div className="field">
            <label htmlFor="user-email">Email</label>
            <input id="user-email" type="email" required autoComplete="off" value={email} onChange={(e) => setEmail(e.target.value)} />
          </div>
          <div className="field">
            <label htmlFor="user-role">Role</label>
            <select id="user-role" value={role} onChange={(e) => setRole(e.target.value as UserRole)}>
              {USER_ROLES.map((r) => (
                <option key={r} value={r}>
                  {r}
                </option>
              ))}
            </select>
          </div>
          <div className="field">
            <label htmlFor="user-password">
              Initial password <span className="required">(optional)</span>
            </label>
            <p className="hint" id="user-password-hint">
              At least 12 characters. Leave empty to generate one, shown once.
            </p>
            <input id="user-password" type="password" autoComplete="new-password" minLength={12} aria-describedby="user-password-hint" value={password} onChange={(e) => setPassword(e.target.value)} />
          </div>
          <button type="submit" className="primary" disabled={busy}>
            Create user
          </button>
        </form>
        <form className="admin-form" onSubmit={addMember}>
          <h3>Add an existing user or change a role</h3>
          <p className="hint">A user of another organisation who also works for {orgName} (they switch organisation in the header), or a member whose role here changes.</p>
          <div className="field">
            <label htmlFor="member-email">Email</label>
            <input id="member-email" type="email" required autoComplete="off" value={memberEmail} onChange={(e) => setMemberEmail(e.target.value)} />
          </div>
          <div className="field">
            <label htmlFor="member-role">Role in {orgName}</label>
            <select id="member-role" value={memberRole} onChange={(e) => setMemberRole(e.target.value as UserRole)}>
              {USER_ROLES.map((r) => (
                <option key={r} value={r}>
                  {r}
                </option>
              ))}
            </select>
          </div>
          <button type="submit" disabled={busy}>
            Add membership
          </button>
        </form>
      </div>
      <Outcome message={message} error={failure} />
    </section>
  );
}
