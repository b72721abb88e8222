/**
 * Administration: managed organisations, users and memberships, API keys, hash banks and their
 * entries, rule packs, the routing table and federation peers; and `useAdminAction`, which runs a
 * change, reports its outcome and reads again what it changed.
 */
import { useMutation, useQuery, useQueryClient, type QueryKey } from '@tanstack/react-query';
import { useState } from 'react';
import { api, errorText } from './api-client.js';
import { keys } from './query-keys.js';
import type { OrgRole, UserRole } from './session.queries.js';

export interface ManagedOrganisation {
  id: string;
  name: string;
  role: OrgRole;
  country: string | null;
  clearinghouseId: string | null;
  createdAt: string;
  relation: 'own' | 'registered';
}
export interface DirectoryOrganisation {
  id: string;
  name: string;
  role: OrgRole;
  country: string | null;
}
export interface AdminUser {
  id: string;
  email: string;
  role: UserRole;
  homeOrgId: string;
  homeOrgName: string | null;
  disabled: boolean;
  createdAt: string;
}
export interface ApiKey {
  id: string;
  orgId: string;
  kind: 'bearer' | 'basic';
  label: string | null;
  identifier: string;
  createdAt: string;
  revokedAt: string | null;
}
export interface CreatedKey {
  id: string;
  kind: 'bearer' | 'basic';
  token?: string;
  username?: string;
  password?: string;
  label: string | null;
}
export interface Bank {
  id: string;
  name: string;
  source: string;
  categoryScheme: string;
  createdAt: string;
  entries?: number;
  disabled?: number;
}
export interface BankEntry {
  id: string;
  md5: string | null;
  sha1: string | null;
  sha256: string | null;
  pdq: string | null;
  category: string | null;
  disabledAt: string | null;
  addedAt: string;
}
export type BankHash = 'sha256' | 'sha1' | 'md5' | 'pdq';
export interface RulePack {
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
export interface RetriageRun {
  id: string;
  kind: string;
  reason: string;
  status: string;
  processed: number;
  changed: number;
  createdAt: string;
  finishedAt: string | null;
}
export interface Route {
  id: string;
  country: string;
  region: string | null;
  recipientOrgId: string;
  finalRecipientOrgId: string | null;
  policy: Record<string, boolean>;
  auto: Record<string, unknown> | null;
  createdAt: string;
}
export interface Peer {
  orgId: string;
  name: string | null;
  role: string | null;
  country: string | null;
  disabledAt: string | null;
}

export interface AdminRoutes {
  'GET /api/v1/admin/organisations': { response: { organisations: ManagedOrganisation[]; directory: DirectoryOrganisation[] } };
  'POST /api/v1/admin/organisations': { body: { name: string; country: string | null }; response: ManagedOrganisation };
  'GET /api/v1/admin/users': { response: { users: AdminUser[] } };
  'POST /api/v1/admin/users': { body: { orgId: string; email: string; role: UserRole; password?: string }; response: { email: string; password?: string } };
  'POST /api/v1/admin/users/:id/disable': { response: unknown };
  'POST /api/v1/admin/users/:id/enable': { response: unknown };
  'POST /api/v1/admin/users/:id/password': { response: { email: string; password: string } };
  'POST /api/v1/admin/memberships': { body: { email: string; orgId: string; role: UserRole }; response: unknown };
  'DELETE /api/v1/admin/memberships/:orgId/:userId': { response: unknown };
  'GET /api/v1/admin/keys': { response: { keys: ApiKey[] } };
  'POST /api/v1/admin/keys': { body: { orgId: string; kind: 'bearer' | 'basic'; label?: string }; response: CreatedKey };
  'POST /api/v1/admin/keys/:id/revoke': { response: unknown };
  'GET /api/v1/banks': { response: { banks: Bank[] } };
  'POST /api/v1/banks': { body: { name: string; source: string; scheme: string }; response: Bank };
  'POST /api/v1/banks/:id/entries': { body: Partial<Record<BankHash, string>> & { category?: string }; response: BankEntry };
  'DELETE /api/v1/banks/:id/entries/:entryId': { response: unknown };
  'GET /api/v1/admin/banks/:id/entries': { response: { entries: BankEntry[]; nextAfter: string | null } };
  'GET /api/v1/admin/rulepacks': { response: { packs: RulePack[]; runs: RetriageRun[] } };
  'POST /api/v1/admin/rulepacks/sync': { response: { changed: { jurisdiction: string; version: string; runId: string | null }[] } };
  'GET /api/v1/routing/routes': { response: { routes: Route[] } };
  'POST /api/v1/routing/routes': {
    body: { country: string; region: string | null; recipientOrgId: string; finalRecipientOrgId: string | null; policy: Record<string, boolean>; auto: Record<string, unknown> | null };
    response: Route;
  };
  'GET /api/v1/federation/peers': { response: { peers: Peer[] } };
}

export function useOrganisations() {
  return useQuery({ queryKey: keys.admin.organisations, queryFn: ({ signal }) => api('GET /api/v1/admin/organisations', { signal }) });
}

export function useAdminUsers(orgId: string) {
  return useQuery({
    queryKey: keys.admin.users(orgId),
    queryFn: async ({ signal }) => (await api('GET /api/v1/admin/users', { query: { orgId }, signal })).users,
  });
}

export function useApiKeys(orgId: string) {
  return useQuery({
    queryKey: keys.admin.keys(orgId),
    queryFn: async ({ signal }) => (await api('GET /api/v1/admin/keys', { query: { orgId }, signal })).keys,
  });
}

export function useBanks() {
  return useQuery({ queryKey: keys.admin.banks, queryFn: async ({ signal }) => (await api('GET /api/v1/banks', { signal })).banks });
}

export function useBankEntries(bankId: string, after: string | null) {
  return useQuery({
    queryKey: keys.admin.bankEntries(bankId, after),
    queryFn: ({ signal }) => api('GET /api/v1/admin/banks/:id/entries', { params: { id: bankId }, query: { limit: 50, after }, signal }),
  });
}

export function useRulePacks() {
  return useQuery({ queryKey: keys.admin.rulepacks, queryFn: ({ signal }) => api('GET /api/v1/admin/rulepacks', { signal }) });
}

export function useRoutes() {
  return useQuery({ queryKey: keys.routing.routes, queryFn: async ({ signal }) => (await api('GET /api/v1/routing/routes', { signal })).routes });
}

export function usePeers() {
  return useQuery({ queryKey: keys.routing.peers, queryFn: async ({ signal }) => (await api('GET /api/v1/federation/peers', { signal })).peers });
}

/**
 * Runs an admin change (`run` returns the sentence to announce) and reads again the queries it
 * changes (`invalidates`, prefixes of keys); the outcome or the error stays for the screen reader.
 */
export function useAdminAction(invalidates: QueryKey[]) {
  const client = useQueryClient();
  const [message, setMessage] = useState('');
  const [failure, setFailure] = useState('');
  const mutation = useMutation({
    mutationFn: (run: () => Promise<string>) => run(),
    onMutate: () => {
      setMessage('');
      setFailure('');
    },
    onSuccess: async (sentence) => {
      setMessage(sentence);
      await Promise.all(invalidates.map((queryKey) => client.invalidateQueries({ queryKey })));
    },
    onError: (err) => setFailure(errorText(err, 'The request failed.')),
  });
  return {
    /** Resolves when done (never rejects: the failure is shown). */
    run: (what: () => Promise<string>) => mutation.mutateAsync(what).then(() => true, () => false),
    busy: mutation.isPending,
    message,
    failure,
  };
}
