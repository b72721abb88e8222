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

type OrgRole = 'reporter' | 'clearinghouse' | 'intermediary' | 'agency';
const everyone: OrgRole[] = ['reporter', 'clearinghouse', 'intermediary', 'agency'];

// Which kinds of organisation each section is for (the server refuses the others the same way).
const sections = [
  { id: 'organisations', label: 'Organisations', for: everyone },
  { id: 'users', label: 'Users', for: everyone },
  { id: 'keys', label: 'API keys', for: everyone },
  { id: 'banks', label: 'Hash banks', for: ['clearinghouse', 'agency'] },
  { id: 'rulepacks', label: 'Rule packs', for: ['clearinghouse', 'intermediary', 'agency'] },
  { id: 'routing', label: 'Routing', for: ['clearinghouse', 'intermediary', 'agency'] },
] as const satisfies readonly { id: string; label: string; for: readonly OrgRole[] }[];

export function AdminPage(props: { section: string }) {
  const { session } = useSession();
  const available = sections.filter((s) => (s.for as readonly OrgRole[]).includes(session.user.org.role));
  const section = available.find((s) => s.id === props.section);
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
