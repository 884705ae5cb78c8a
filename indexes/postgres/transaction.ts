import type { SQL } from 'drizzle-orm';
import type { Store } from '../../src/core/db/client';
import { AppError } from '../../src/core/errors';

/** Runs one statement inside the current transaction and returns its rows. */
export type Executor = <T = Record<string, unknown>>(statement: SQL) => Promise<T[]>;

/**
 * Runs `COPY <table> (<columns>) FROM '/dev/blob' WITH (FORMAT binary)` with `data` (see copy-binary.ts) inside the
 * current transaction. PGlite only: pg would need a COPY stream, and PostgreSQL parses the text forms natively fast.
 */
export type CopyIn = (target: string, data: Uint8Array<ArrayBuffer>) => Promise<void>;

/** Runs `COPY (<query>) TO '/dev/blob' WITH (FORMAT binary)` and returns the file (read it with readBinaryCopy). PGlite only. */
export type CopyOut = (query: string) => Promise<Uint8Array>;

/** The PGlite transaction under a drizzle one (its session's client), which takes COPY's `/dev/blob` input. */
interface PgliteCopyClient {
  query(text: string, params?: unknown[], options?: { blob: Blob }): Promise<{ blob?: Blob }>;
}

/**
 * `copyIn` for a drizzle transaction on PGlite (when drizzle's transaction exposes its client, as drizzle-orm 0.4x
 * does); undefined on pg, where callers keep their plain-SQL path.
 */
export function copyInOf(driver: Store['driver'], transaction: unknown): CopyIn | undefined {
  const client = copyClientOf(driver, transaction);
  if (!client) return undefined;
  return async (target, data) => {
    await client.query(`COPY ${target} FROM '/dev/blob' WITH (FORMAT binary)`, [], { blob: new Blob([data]) });
  };
}

/** `copyOut` for a drizzle transaction on PGlite; undefined on pg. */
export function copyOutOf(driver: Store['driver'], transaction: unknown): CopyOut | undefined {
  const client = copyClientOf(driver, transaction);
  if (!client) return undefined;
  return async (query) => {
    const { blob } = await client.query(`COPY (${query}) TO '/dev/blob' WITH (FORMAT binary)`);
    if (!blob) throw new AppError('INTERNAL', 'COPY TO /dev/blob returned no data');
    return new Uint8Array(await blob.arrayBuffer());
  };
}

function copyClientOf(driver: Store['driver'], transaction: unknown): PgliteCopyClient | undefined {
  if (driver !== 'pglite') return undefined;
  const client = (transaction as { session?: { client?: unknown } }).session?.client;
  return typeof (client as Partial<PgliteCopyClient> | undefined)?.query === 'function' ? (client as PgliteCopyClient) : undefined;
}

/** One transaction on either driver (PGlite serialises them; pg holds one pooled connection), with `copyIn` on PGlite. */
export async function inTransaction<T>(store: Store, work: (executor: Executor, copyIn?: CopyIn) => Promise<T>): Promise<T> {
  return store.db.transaction(async (transaction) => {
    const executor: Executor = async <R>(statement: SQL) => {
      const result = (await transaction.execute(statement)) as unknown as { rows: R[] };
      return result.rows;
    };
    return work(executor, copyInOf(store.driver, transaction));
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

/**
 * Hands a committed write to its observer (an in-memory copy taking it). The write has committed whatever the
 * observer does, so a throw stops nothing: the observer's copy is then stale, and reloads as any stale copy does.
 */
export function tellCommitted<T>(observer: ((written: T) => void) | undefined, written: T | undefined): void {
  if (written === undefined || !observer) return;
  try {
    observer(written);
  } catch {
    // See above.
  }
}
