import { sql } from 'kysely';
import { expect, it } from 'vitest';
import { describeEachDatabase } from '../../../test/support/databases.js';
import { migrateToLatest } from './migrator.js';

describeEachDatabase('migrations', (ctx) => {
  it('creates the foundation tables and is idempotent', async () => {
    const again = await migrateToLatest(ctx.db as never);
    expect(again.applied).toEqual([]);
    const rows = await sql<{ table_name: string }>`
      SELECT table_name FROM information_schema.tables WHERE table_schema = 'public'`.execute(ctx.db);
    const names = rows.rows.map((r) => r.table_name);
    expect(names).toEqual(expect.arrayContaining(['organisations', 'reports', 'custody_log', 'incidents']));
  });
});
