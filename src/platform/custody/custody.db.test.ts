import { sql } from 'kysely';
import { expect, it } from 'vitest';
import { describeEachDatabase } from '../../../test/support/databases.js';
import { appendCustody } from './custody.repository.js';
import { verifyCustodyChain } from './custody.service.js';

describeEachDatabase('custody log', (ctx) => {
  it('chains entries, verifies, and names the first broken entry after tampering', async () => {
    for (let batch = 0; batch < 3; batch++) {
      await ctx.db.transaction().execute((trx) =>
        appendCustody(
          trx,
          Array.from({ length: 4 }, (_, i) => ({
            actorKind: 'system' as const,
            actorId: null,
            orgId: null,
            action: 'test.event',
            subjectKind: 'report',
            subjectId: String(batch * 10 + i),
            details: { b: batch, a: [1, 'x'], nested: { z: true, y: null } },
          })),
        ),
      );
    }
    const ok = await verifyCustodyChain(ctx.db);
    expect(ok).toMatchObject({ ok: true, entries: 12 });

    const victim = await ctx.db.selectFrom('custody_log').select('seq').orderBy('seq').offset(6).limit(1).executeTakeFirstOrThrow();
    await sql`UPDATE custody_log SET subject_id = 'tampered' WHERE seq = ${victim.seq}`.execute(ctx.db);
    const broken = await verifyCustodyChain(ctx.db);
    expect(broken).toEqual({ ok: false, entries: 7, firstBroken: { seq: victim.seq, reason: 'hash_mismatch' } });
  });

  it('detects a deleted entry as a broken link', async () => {
    await sql`DELETE FROM custody_log`.execute(ctx.db);
    await ctx.db.transaction().execute((trx) =>
      appendCustody(trx, [1, 2, 3].map((n) => ({ actorKind: 'system' as const, actorId: null, orgId: null, action: 'x', subjectKind: 's', subjectId: String(n) }))),
    );
    const rows = await ctx.db.selectFrom('custody_log').select('seq').orderBy('seq').execute();
    await sql`DELETE FROM custody_log WHERE seq = ${rows[1].seq}`.execute(ctx.db);
    const result = await verifyCustodyChain(ctx.db);
    expect(result).toEqual({ ok: false, entries: 2, firstBroken: { seq: rows[2].seq, reason: 'prev_hash_mismatch' } });
  });
});
