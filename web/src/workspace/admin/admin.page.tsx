/**
 * Administration, for admins of the signed-in organisation (the server refuses everyone else):
 * organisations, users and memberships, API keys, hash banks, rule packs and routing.
 */
import { useEffect } from 'react';
import { Link } from '../../router.js';
import { BanksSection } from './admin-banks.js';
import { KeysSection } from './admin-keys.js';
import { OrganisationsSection } from './admin-organisations.js';
import { RoutingSection } from './admin-routing.js';
import { RulePacksSection } from './admin-rulepacks.js';
import { UsersSection } from './admin-users.js';
import { useCan, useSession, type Action } from '../session.js';

// Each section with the policy action the server requires for it: a section is listed when the user may use it.
const sections = [
  { id: 'organisations', label: 'Organisations', action: 'admin.organisations' },
  { id: 'users', label: 'Users', action: 'admin.users' },
  { id: 'keys', label: 'API keys', action: 'admin.keys' },
  { id: 'banks', label: 'Hash banks', action: 'bank.manage' },
  { id: 'rulepacks', label: 'Rule packs', action: 'rulepack.read' },
  { id: 'routing', label: 'Routing', action: 'routing.manage' },
] as const satisfies readonly { id: string; label: string; action: Action }[];

export function AdminPage(props: { section: string }) {
  const { session } = useSession();
  const can = useCan();
  const available = sections.filter((s) => can(s.action));
  const section = available.find((s) => s.id === props.section);
  useEffect(() => {
    document.title = `Admin: ${section?.label ?? 'not found'} · Tipline workspace`;
  }, [section]);

  if (available.length === 0) {
    return (
      <>
        <h1>Admin</h1>
        <p>Only administrators of {session.user.org.name} may open the admin pages.</p>
      </>
    );
  }

  return (
    <div className="admin">
      <h1>Admin · {session.user.org.name}</h1>
      <nav aria-label="Admin sections" className="admin-tabs">
        <ul>
          {available.map((s) => (
            <li key={s.id}>
              <Link href={`/app/admin/${s.id}`} aria-current={s.id === section?.id ? 'page' : undefined}>
                {s.label}
              </Link>
            </li>
          ))}
        </ul>
      </nav>
      {section?.id === 'organisations' && <OrganisationsSection />}
      {section?.id === 'users' && <UsersSection />}
      {section?.id === 'keys' && <KeysSection />}
      {section?.id === 'banks' && <BanksSection />}
      {section?.id === 'rulepacks' && <RulePacksSection />}
      {section?.id === 'routing' && <RoutingSection />}
      {!section && <p>There is no admin section “{props.section}” for {session.user.org.role} organisations.</p>}
    </div>
  );
}
