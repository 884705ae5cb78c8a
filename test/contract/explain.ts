import { sql, type SQL } from 'drizzle-orm';
import { inTransaction } from '../../indexes/postgres/transaction';
import type { Store } from '../../src/core/db/client';

/** EXPLAIN of a statement, after optional settings, in one transaction (so SET LOCAL / set_config(..., true) apply). */
export async function explainLines(store: Store, statement: SQL | undefined, settings: readonly SQL[] = [], analyze = false): Promise<string[]> {
  if (!statement) throw new Error('nothing to explain');
  return inTransaction(store, async (executor) => {
    for (const setting of settings) await executor(setting);
    const rows = await executor<{ 'QUERY PLAN': string }>(sql`EXPLAIN ${sql.raw(analyze ? '(ANALYZE, BUFFERS) ' : '')}${statement}`);
    return rows.map((row) => row['QUERY PLAN']);
  });
}
