import { describe, expect, it } from 'vitest';
import { TiplineError } from '../contracts/errors.js';
import { generateOrgKeyPairs, sha256Hex, signPayload } from './federation-crypto.js';
import { verifyPackageChain } from './referral-chain.js';
import { minimisationPolicySchema } from '../contracts/api/referral.api.js';
import { buildManifest, defaultMinimisationPolicy, type ManifestSource, type PackagePayload, type RelayPayload } from './referral-package.js';

const source: ManifestSource = {
  reports: [
    {
      id: '1000001',
      reporterName: 'Example Social',
      createdAt: '2026-05-01T00:00:00.000Z',
      documentSha256: 'a'.repeat(64),
      incidentType: 'Child Pornography (possession, manufacture, and distribution)',
      incidentAt: '2026-04-30T10:00:00.000Z',
      escalated: false,
      status: 'finished',
      body: {
        incidentSummary: { incidentType: 'Child Pornography (possession, manufacture, and distribution)', incidentDateTime: '2026-04-30T10:00:00Z' },
        reporter: { reportingPerson: { firstName: 'Safety', lastName: 'Staff', email: [{ value: 'staff@example.com' }] } },
        additionalInfo: 'free text the policy may withhold',
        personOrUserReported: [{ screenName: 'sharer_1', personOrUserReportedPerson: { firstName: 'Ada', age: 16 } }, { screenName: 'sharer_2' }],
        victim: [{ victimPerson: { age: 15 } }],
        files: [{ fileName: 'benign.png', industryClassification: 'B1' }],
      },
    },
  ],
  persons: [
    { id: 'p1', reportId: '1000001', role: 'reported', ordinal: 0, firstName: 'Ada', lastName: null, age: 16, dateOfBirth: '2010-01-01', country: 'DK', identifiers: [{ kind: 'screenName', value: 'sharer_1' }], ipEvents: [{ ip: '192.0.2.1', event: 'Upload', at: null, port: null, possibleProxy: null }] },
    { id: 'p2', reportId: '1000001', role: 'reported', ordinal: 1, firstName: null, lastName: null, age: null, dateOfBirth: null, country: 'DK', identifiers: [], ipEvents: [] },
    { id: 'v1', reportId: '1000001', role: 'victim', ordinal: 0, firstName: null, lastName: null, age: 15, dateOfBirth: null, country: null, identifiers: [], ipEvents: [] },
  ],
  files: [
    { id: 'f1', reportId: '1000001', ordinal: 0, fileName: 'benign.png', size: 10, md5: 'b'.repeat(32), sha1: 'c'.repeat(40), sha256: 'd'.repeat(64), pdq: null, industryClassification: 'B1', publiclyAvailable: null, viewedByReporter: true, details: null, stored: true },
  ],
  incidents: [
    { id: 'i1', reportId: '1000001', personId: 'p1', fileId: 'f1', occurredAt: '2026-04-30T10:00:00.000Z', incidentType: 'x' },
    { id: 'i2', reportId: '1000001', personId: 'p2', fileId: 'f1', occurredAt: '2026-04-30T10:00:00.000Z', incidentType: 'x' },
  ],
  custody: [{ seq: '1', at: '2026-05-01T00:00:00.000Z', action: 'report.create', subjectKind: 'report', subjectId: '1000001', hash: 'e'.repeat(64), prevHash: '0'.repeat(64) }],
};

describe('buildManifest', () => {
  it('never carries reporter contact details, and applies the policy per field group', () => {
    const full = buildManifest(source, defaultMinimisationPolicy);
    const text = JSON.stringify(full);
    expect(text).not.toContain('staff@example.com');
    expect(text).not.toContain('reportingPerson');
    expect(text).not.toContain('free text the policy may withhold');
    expect(full.persons.map((p) => p.personId).sort()).toEqual(['p1', 'p2']); // victims withheld by default
    expect(full.persons.find((p) => p.personId === 'p1')).toMatchObject({ firstName: 'Ada', dateOfBirth: '2010-01-01', identifiers: [{ kind: 'screenName', value: 'sharer_1' }] });
    expect(full.files[0]).toMatchObject({ sha256: 'd'.repeat(64), evidence: true, fileName: 'benign.png' });
    expect(full.incidents).toHaveLength(2);
    expect(full.custody).toHaveLength(1);
    // Facts come from the report through triage's mapper, shared by incidents with the same facts.
    const factIds = new Set(full.incidents.map((i) => i.factsId));
    for (const id of factIds) expect(full.factSets[id!].depictedAgeBand).toBeDefined();

    const tight = buildManifest(source, minimisationPolicySchema.parse({ personNames: false, dateOfBirth: false, identifiers: false, ipEvents: false, evidence: false, fileNames: false, victims: true, additionalInfo: true }));
    const p1 = tight.persons.find((p) => p.personId === 'p1')!;
    expect(p1.firstName).toBeUndefined();
    expect(p1.identifiers).toBeUndefined();
    expect(p1.ipEvents).toBeUndefined();
    expect(p1.dateOfBirth).toBeUndefined();
    expect(tight.persons.some((p) => p.role === 'victim')).toBe(true);
    expect(tight.files[0].evidence).toBe(false);
    expect(tight.files[0].fileName).toBeUndefined();
    expect(JSON.stringify(tight.reports)).toContain('free text the policy may withhold');
  });
});

describe('verifyPackageChain', () => {
  it('verifies a relay around the untouched original, with the originator vouched for or configured; a broken chain is refused', async () => {
    const ch = await generateOrgKeyPairs();
    const im = await generateOrgKeyPairs();
    const manifest = buildManifest(source, defaultMinimisationPolicy);
    const original: PackagePayload = {
      v: 1, type: 'package', id: 'package-0001', referralId: 'referral-0001', from: { orgId: 'ch' }, to: { orgId: 'im' }, issuedAt: '2026-05-02T00:00:00Z',
      finalRecipient: { orgId: 'ag' }, note: null, policy: defaultMinimisationPolicy, manifest, evidenceJweSha256: null,
    };
    const inner = await signPayload(original, ch.sig, 'tipline-referral-package+jws');
    const relay: RelayPayload = {
      v: 1, type: 'relay', id: 'package-0002', referralId: 'referral-0001', from: { orgId: 'im' }, to: { orgId: 'ag' }, issuedAt: '2026-05-02T01:00:00Z',
      finalRecipient: null, note: null, inner, innerSha256: sha256Hex(inner), receivedAt: '2026-05-02T00:30:00Z',
      vouch: [{ org: { orgId: 'ch' }, kid: ch.sig.kid, jwk: ch.sig.publicJwk }], evidenceJweSha256: null,
    };
    const outerKey = { kid: im.sig.kid, jwk: im.sig.publicJwk, source: 'configured' as const, sha256: 'f'.repeat(64) };
    const none = () => Promise.resolve(undefined);
    const chain = await verifyPackageChain(relay, outerKey, none);
    expect(chain.origin.id).toBe('package-0001');
    expect(chain.hops.map((h) => [h.from.orgId, h.to.orgId, h.keySource, h.vouchedBy])).toEqual([
      ['ch', 'im', 'vouched', 'im'],
      ['im', 'ag', 'configured', null],
    ]);
    const configured = await verifyPackageChain(relay, outerKey, (orgId) => Promise.resolve(orgId === 'ch' ? ch.sig.publicJwk : undefined));
    expect(configured.hops[0].keySource).toBe('configured');

    const code = (p: Promise<unknown>) => p.then(() => 'ok', (e: unknown) => (e instanceof TiplineError ? e.code : String(e)));
    // The relayer vouches for a key that is not the originator's: the signature does not verify.
    const other = await generateOrgKeyPairs();
    expect(await code(verifyPackageChain({ ...relay, vouch: [{ ...relay.vouch[0], jwk: other.sig.publicJwk }] }, outerKey, none))).toBe('TIP_ERR_FEDERATION_SIGNATURE_INVALID');
    // Nobody vouches and nothing is configured: unknown.
    expect(await code(verifyPackageChain({ ...relay, vouch: [] }, outerKey, none))).toBe('TIP_ERR_FEDERATION_UNKNOWN_SENDER');
    // The wrapped package was swapped.
    expect(await code(verifyPackageChain({ ...relay, innerSha256: '0'.repeat(64) }, outerKey, none))).toBe('TIP_ERR_FEDERATION_SIGNATURE_INVALID');
    // The wrapped package was addressed to someone else than the relayer.
    const elsewhere = await signPayload({ ...original, to: { orgId: 'someone-else' } }, ch.sig, 'tipline-referral-package+jws');
    expect(await code(verifyPackageChain({ ...relay, inner: elsewhere, innerSha256: sha256Hex(elsewhere) }, outerKey, none))).toBe('TIP_ERR_FEDERATION_MESSAGE_INVALID');
  });
});
