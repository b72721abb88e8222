/**
 * The access API's shapes, shared by the server (routes declare them as their response schemas)
 * and the web app (which takes its types from here): the web session with what the signed-in
 * user may do, and the administration of organisations, users, memberships and API keys.
 *
 * @example
 *   import { sessionSchema, type Session } from '../../src/contracts/api/access.api.js';
 *   const session: Session = sessionSchema.parse(await res.json());
 *   if (session.capabilities['referral.send']) …
 */
import { z } from 'zod';

/** Organisation roles and user roles (the policy module, access/policy.ts, decides what each may do). */
export const orgRoles = ['reporter', 'clearinghouse', 'intermediary', 'agency'] as const;
export const userRoles = ['admin', 'analyst', 'supervisor', 'auditor'] as const;
export type OrgRole = (typeof orgRoles)[number];
export type UserRole = (typeof userRoles)[number];
const orgRole = z.enum(orgRoles);
const userRole = z.enum(userRoles);

// --- the web session ------------------------------------------------------------------------------------

export const sessionUserSchema = z.object({
  id: z.string(),
  email: z.string(),
  /** The user's role in the organisation the session is for. */
  role: userRole,
  org: z.object({ id: z.string(), name: z.string(), role: orgRole }),
});
export type SessionUser = z.infer<typeof sessionUserSchema>;

/** One organisation the signed-in user belongs to, for the organisation switcher. */
export const sessionOrganisationSchema = z.object({ id: z.string(), name: z.string(), role: orgRole, userRole });
export type SessionOrganisation = z.infer<typeof sessionOrganisationSchema>;

/**
 * Every policy action (src/access/policy.ts) with whether the signed-in user may perform it in the
 * session's organisation. The web app hides what the server would refuse; it never decides.
 */
export const capabilitiesSchema = z.record(z.string(), z.boolean());
export type Capabilities = z.infer<typeof capabilitiesSchema>;

/** The answer to signing in, reading the session and switching organisation. */
export const sessionSchema = z.object({
  user: sessionUserSchema,
  organisations: z.array(sessionOrganisationSchema),
  /** Send it back in the x-csrf-token header on every state-changing request. */
  csrfToken: z.string(),
  expiresAt: z.string(),
  capabilities: capabilitiesSchema,
});
export type Session = z.infer<typeof sessionSchema>;

// --- administration -------------------------------------------------------------------------------------

export const organisationSchema = z.object({
  id: z.string(),
  name: z.string(),
  role: orgRole,
  country: z.string().nullable(),
  clearinghouseId: z.string().nullable(),
  createdAt: z.string(),
});
export type Organisation = z.infer<typeof organisationSchema>;

export const managedOrganisationSchema = organisationSchema.extend({
  /** `own`: the session's organisation; `registered`: a reporter registered with it. */
  relation: z.enum(['own', 'registered']),
});
export type ManagedOrganisation = z.infer<typeof managedOrganisationSchema>;

/** A non-reporter organisation of the deployment (a recipient for routing). */
export const directoryOrganisationSchema = z.object({ id: z.string(), name: z.string(), role: orgRole, country: z.string().nullable() });
export type DirectoryOrganisation = z.infer<typeof directoryOrganisationSchema>;

export const adminOrganisationsSchema = z.object({ organisations: z.array(managedOrganisationSchema), directory: z.array(directoryOrganisationSchema) });

export const adminUserSchema = z.object({
  id: z.string(),
  email: z.string(),
  /** The user's role in this organisation. */
  role: userRole,
  /** The user's own organisation (where it signs in); a member from elsewhere has another. */
  homeOrgId: z.string(),
  homeOrgName: z.string().nullable(),
  disabled: z.boolean(),
  createdAt: z.string(),
});
export type AdminUser = z.infer<typeof adminUserSchema>;
export const adminUserListSchema = z.object({ org: managedOrganisationSchema, users: z.array(adminUserSchema) });

export const createdUserSchema = z.object({
  id: z.string(),
  orgId: z.string(),
  email: z.string(),
  role: userRole,
  /** A generated password, in this answer only (absent when the admin set one). */
  password: z.string().optional(),
});
export const passwordResetSchema = z.object({ userId: z.string(), email: z.string(), password: z.string() });
export const membershipSchema = z.object({ userId: z.string(), orgId: z.string(), role: userRole });

export const adminApiKeySchema = z.object({
  id: z.string(),
  orgId: z.string(),
  kind: z.enum(['bearer', 'basic']),
  label: z.string().nullable(),
  /** The public part only: a bearer key's prefix or a basic key's username. Never the secret. */
  identifier: z.string(),
  createdAt: z.string(),
  revokedAt: z.string().nullable(),
});
export type AdminApiKey = z.infer<typeof adminApiKeySchema>;
export const adminApiKeyListSchema = z.object({ org: managedOrganisationSchema, keys: z.array(adminApiKeySchema) });

/** A new key: its secret is in this answer only. */
export const createdKeySchema = z.object({
  id: z.string(),
  orgId: z.string(),
  kind: z.enum(['bearer', 'basic']),
  /** Bearer: the whole token. */
  token: z.string().optional(),
  /** Basic (CyberTipline-compatible XML API): username and password. */
  username: z.string().optional(),
  password: z.string().optional(),
  label: z.string().nullable(),
});
export type CreatedKey = z.infer<typeof createdKeySchema>;

// --- the deployment ---------------------------------------------------------------------------------------

export const healthSchema = z.object({ status: z.enum(['ok', 'unavailable']), database: z.string() });
