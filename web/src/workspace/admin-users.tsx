/** Admin: users of the organisation (or of a registered reporter), their role there, memberships, disabling. */
import { useState, type FormEvent } from 'react';
import { api } from '../api.js';
import { errorText, OrgScope, Outcome, SecretOnce, shortDate, useLoad, useOrganisations, USER_ROLES, type UserRole } from './admin-common.js';
import { useSession, type SessionInfo } from './session.js';

interface AdminUser {
  id: string;
  email: string;
  role: UserRole;
  homeOrgId: string;
  homeOrgName: string | null;
  disabled: boolean;
  createdAt: string;
}

export function UsersSection() {
  const { session, replaceSession } = useSession();
  const orgs = useOrganisations();
  const [orgId, setOrgId] = useState(session.user.org.id);
  const { data, error, reload } = useLoad<{ users: AdminUser[] }>(`/api/v1/admin/users?orgId=${encodeURIComponent(orgId)}`);
  const [message, setMessage] = useState('');
  const [failure, setFailure] = useState('');
  const [busy, setBusy] = useState(false);
  const [generated, setGenerated] = useState<{ email: string; password: string } | undefined>();

  const [email, setEmail] = useState('');
  const [role, setRole] = useState<UserRole>('analyst');
  const [password, setPassword] = useState('');
  const [memberEmail, setMemberEmail] = useState('');
  const [memberRole, setMemberRole] = useState<UserRole>('analyst');

  const act = async (what: () => Promise<string>) => {
    setBusy(true);
    setMessage('');
    setFailure('');
    try {
      setMessage(await what());
      reload();
    } catch (err) {
      setFailure(errorText(err));
    } finally {
      setBusy(false);
    }
  };

  const createUser = (e: FormEvent) => {
    e.preventDefault();
    void act(async () => {
      const u = await api<{ email: string; password?: string }>('POST', '/api/v1/admin/users', { orgId, email, role, ...(password ? { password } : {}) });
      if (u.password) setGenerated({ email: u.email, password: u.password });
      setEmail('');
      setPassword('');
      return `${u.email} can sign in now${u.password ? ' with the generated password below' : ' with the password you set'}.`;
    });
  };

  const addMember = (e: FormEvent) => {
    e.preventDefault();
    void act(async () => {
      await api('POST', '/api/v1/admin/memberships', { email: memberEmail, orgId, role: memberRole });
      setMemberEmail('');
      // Your own new membership: the organisation switcher offers it at once.
      if (memberEmail.trim().toLowerCase() === session.user.email.toLowerCase()) replaceSession(await api<SessionInfo>('GET', '/api/v1/ui/session'));
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
      {error && <p role="alert" className="field-error">{error}</p>}
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
            {data.users.map((u) => {
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
                        onClick={() => void act(async () => {
                          await api('POST', `/api/v1/admin/users/${encodeURIComponent(u.id)}/${u.disabled ? 'enable' : 'disable'}`);
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
                        onClick={() => void act(async () => {
                          const reset = await api<{ email: string; password: string }>('POST', `/api/v1/admin/users/${encodeURIComponent(u.id)}/password`);
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
                        onClick={() => void act(async () => {
                          await api('DELETE', `/api/v1/admin/memberships/${encodeURIComponent(orgId)}/${encodeURIComponent(u.id)}`);
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
