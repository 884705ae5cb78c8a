import type { SQL } from 'drizzle-orm';
import type { Store } from '../../src/core/db/client';

/** Runs one statement inside the current transaction and returns its rows. */
export type Executor = <T = Record<string, unknown>>(statement: SQL) => Promise<T[]>;

/** One transaction on either driver (PGlite serialises them; pg holds one pooled connection). */
export async function inTransaction<T>(store: Store, work: (executor: Executor) => Promise<T>): Promise<T> {
  return store.db.transaction(async (transaction) => {
    const executor: Executor = async <R>(statement: SQL) => {
      const result = (await transaction.execute(statement)) as unknown as { rows: R[] };
      return result.rows;
    };
    return work(executor);
  });
}

/** SQLSTATEs a transaction may simply be retried after: unique_violation (a racing insert), deadlock, serialization. */
const RETRYABLE_SQLSTATES = new Set(['23505', '40P01', '40001']);

/** The SQLSTATE of a driver error, looking through drizzle's wrapping (`DrizzleQueryError.cause`). */
export function sqlState(error: unknown): string | undefined {
  let current: unknown = error;
  for (let depth = 0; depth < 4 && typeof current === 'object' && current !== null; depth++) {
    const code: unknown = (current as { code?: unknown }).code;
    if (typeof code === 'string' && /^[0-9A-Z]{5}$/.test(code)) return code;
    current = (current as { cause?: unknown }).cause;
  }
  return undefined;
}

export function isRetryableConflict(error: unknown): boolean {
  const state = sqlState(error);
  return state !== undefined && RETRYABLE_SQLSTATES.has(state);
}
