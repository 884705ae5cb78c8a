import type { SQL } from 'drizzle-orm';
import type { Store } from '../../src/core/db/client';

/** Runs one statement inside the current transaction and returns its rows. */
export type Executor = <T = Record<string, unknown>>(statement: SQL) => Promise<T[]>;

/**
 * Runs `COPY <table> (<columns>) FROM '/dev/blob' WITH (FORMAT binary)` with `data` (see copy-binary.ts) inside the
 * current transaction. PGlite only: pg would need a COPY stream, and PostgreSQL parses the text forms natively fast.
 */
export type CopyIn = (target: string, data: Uint8Array<ArrayBuffer>) => Promise<void>;

/** The PGlite transaction under a drizzle one (its session's client), which takes COPY's `/dev/blob` input. */
interface PgliteCopyClient {
  query(text: string, params: unknown[], options: { blob: Blob }): Promise<unknown>;
}

function copyClientOf(store: Store, transaction: unknown): PgliteCopyClient | undefined {
  if (store.driver !== 'pglite') return undefined;
  const client = (transaction as { session?: { client?: unknown } }).session?.client;
  return typeof (client as Partial<PgliteCopyClient> | undefined)?.query === 'function' ? (client as PgliteCopyClient) : undefined;
}

/**
 * One transaction on either driver (PGlite serialises them; pg holds one pooled connection). `copyIn` is given on
 * PGlite (when drizzle's transaction exposes its client, as drizzle-orm 0.4x does); callers keep a plain-SQL path.
 */
export async function inTransaction<T>(store: Store, work: (executor: Executor, copyIn?: CopyIn) => Promise<T>): Promise<T> {
  return store.db.transaction(async (transaction) => {
    const executor: Executor = async <R>(statement: SQL) => {
      const result = (await transaction.execute(statement)) as unknown as { rows: R[] };
      return result.rows;
    };
    const client = copyClientOf(store, transaction);
    const copyIn: CopyIn | undefined = client
      ? async (target, data) => {
          await client.query(`COPY ${target} FROM '/dev/blob' WITH (FORMAT binary)`, [], { blob: new Blob([data]) });
        }
      : undefined;
    return work(executor, copyIn);
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
