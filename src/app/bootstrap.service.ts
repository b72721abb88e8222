/**
 * First start: an empty database gets a demo clearinghouse, a demo platform (reporter) with API
 * credentials, a demo intermediary, a demo Danish national unit and an admin user, so that a
 * newcomer has a living system at once. Secrets are shown once (and kept in the data folder,
 * readable by its owner only, for the demo).
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Kysely } from 'kysely';
import { createApiKey, createOrganisation, createUser } from '../access/access.service.js';
import { listOrganisations } from '../access/access.repository.js';
import type { Database } from '../platform/db/schema.js';

export interface DemoCredentials {
  clearinghouse: { id: string; name: string };
  reporter: { id: string; name: string; apiKey: string; xmlUsername: string; xmlPassword: string };
  intermediary: { id: string; name: string };
  agency: { id: string; name: string };
  admin: { email: string; password: string };
}

export async function bootstrapIfEmpty(deps: { db: Kysely<Database> }, dataDir: string): Promise<DemoCredentials | undefined> {
  if ((await listOrganisations(deps.db)).length > 0) return undefined;
  const clearinghouse = await createOrganisation(deps, { name: 'Demo Clearinghouse', role: 'clearinghouse', country: 'US' });
  const reporter = await createOrganisation(deps, { name: 'Demo Platform', role: 'reporter', country: 'US', clearinghouseId: clearinghouse.id });
  const intermediary = await createOrganisation(deps, { name: 'Demo Intermediary', role: 'intermediary', country: 'NL' });
  const agency = await createOrganisation(deps, { name: 'Demo National Cyber Crime Centre (DK)', role: 'agency', country: 'DK' });
  const bearer = await createApiKey(deps, { orgId: reporter.id, label: 'demo' });
  const basic = await createApiKey(deps, { orgId: reporter.id, kind: 'basic', label: 'demo (XML API)' });
  const admin = await createUser(deps, { orgId: clearinghouse.id, email: 'admin@tipline.local', role: 'admin' });
  const creds: DemoCredentials = {
    clearinghouse: { id: clearinghouse.id, name: clearinghouse.name },
    reporter: { id: reporter.id, name: reporter.name, apiKey: bearer.token!, xmlUsername: basic.username!, xmlPassword: basic.password! },
    intermediary: { id: intermediary.id, name: intermediary.name },
    agency: { id: agency.id, name: agency.name },
    admin: { email: admin.email, password: admin.password },
  };
  writeFileSync(join(dataDir, 'demo-credentials.json'), JSON.stringify(creds, null, 2) + '\n', { mode: 0o600 });
  return creds;
}

export function describeCredentials(creds: DemoCredentials, baseUrl: string): string {
  return [
    '',
    'Tipline is set up with demo organisations (first start). These secrets are shown once;',
    'a copy is in the data folder as demo-credentials.json (readable by you only).',
    '',
    `  Clearinghouse   ${creds.clearinghouse.name}  (${creds.clearinghouse.id})`,
    `  Reporter        ${creds.reporter.name}  (${creds.reporter.id})`,
    `    API key       ${creds.reporter.apiKey}`,
    `    XML API       username ${creds.reporter.xmlUsername}  password ${creds.reporter.xmlPassword}`,
    `  Intermediary    ${creds.intermediary.name}  (${creds.intermediary.id})`,
    `  Agency          ${creds.agency.name}  (${creds.agency.id})`,
    `  Admin user      ${creds.admin.email}  password ${creds.admin.password}`,
    '',
    'Try it:',
    `  curl -s ${baseUrl}/api/v1/reports?finish=true -H 'Authorization: Bearer ${creds.reporter.apiKey}' \\`,
    `    -H 'Content-Type: application/json' -d '{"incidentSummary":{"incidentType":"Child Pornography (possession, manufacture, and distribution)","incidentDateTime":"2025-01-01T12:00:00Z"},"reporter":{"reportingPerson":{"email":[{"value":"safety@example.com"}]}}}'`,
    `  API docs: ${baseUrl}/api/docs`,
    `  Web app: ${baseUrl}/app (sign in as the admin user above); public report form: ${baseUrl}/report`,
    '',
  ].join('\n');
}
