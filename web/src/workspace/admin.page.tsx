/**
 * Administration, for admins of the signed-in organisation (the server refuses everyone else):
 * organisations, users and memberships, API keys, hash banks, rule packs and routing.
 */
import { useEffect } from 'react';
import { Link } from '../router.js';
import { BanksSection } from './admin-banks.js';
import { KeysSection } from './admin-keys.js';
import { OrganisationsSection } from './admin-organisations.js';
import { RoutingSection } from './admin-routing.js';
import { RulePacksSection } from './admin-rulepacks.js';
import { UsersSection } from './admin-users.js';
import { useSession } from './session.js';

const sections = [
  { id: 'organisations', label: 'Organisations' },
  { id: 'users', label: 'Users' },
  { id: 'keys', label: 'API keys' },
  { id: 'banks', label: 'Hash banks' },
  { id: 'rulepacks', label: 'Rule packs' },
  { id: 'routing', label: 'Routing' },
] as const;

export function AdminPage(props: { section: string }) {
  const { session } = useSession();
  const section = sections.find((s) => s.id === props.section);
  useEffect(() => {
    document.title = `Admin: ${section?.label ?? 'not found'} · Tipline workspace`;
  }, [section]);

  if (session.user.role !== 'admin') {
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
          {sections.map((s) => (
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
      {!section && <p>There is no admin section “{props.section}”.</p>}
    </div>
  );
}
