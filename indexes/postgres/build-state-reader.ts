import { sql, type SQL } from 'drizzle-orm';
import type { Store } from '../../src/core/db/client';
import { isUuid } from '../../src/core/corpora';

/** A build's BM25 statistics row (build_term_stats). */
export interface TermState {
  version: number;
  docCount: number;
  totalLength: number;
}

/** A build's vector statistics row (build_vector_stats). */
export interface VectorState {
  version: number;
  size: number;
}

/** Runs one statement and returns its rows: a store's `query`, or a transaction's executor. */
type Query = <T>(statement: SQL) => Promise<T[]>;

/** A build's build_term_stats row, read by one statement of `query` (in a transaction, as it sees it). */
export async function readTermState(query: Query, buildId: string): Promise<TermState | undefined> {
  const [row] = await query<{ version: string | number; doc_count: string | number; total_length: string | number }>(
    sql`SELECT version, doc_count, total_length FROM build_term_stats WHERE build_id = ${buildId}::uuid`,
  );
  return row ? { version: Number(row.version), docCount: Number(row.doc_count), totalLength: Number(row.total_length) } : undefined;
}

/** A build's build_vector_stats row, read by one statement of `query`. */
export async function readVectorState(query: Query, buildId: string): Promise<VectorState | undefined> {
  const [row] = await query<{ version: string | number; vector_count: string | number }>(
    sql`SELECT version, vector_count FROM build_vector_stats WHERE build_id = ${buildId}::uuid`,
  );
  return row ? { version: Number(row.version), size: Number(row.vector_count) } : undefined;
}

type Pending =
  | { kind: 'terms'; buildId: string; resolve: (state: TermState | undefined) => void; reject: (error: unknown) => void }
  | { kind: 'vectors'; buildId: string; resolve: (state: VectorState | undefined) => void; reject: (error: unknown) => void };

interface Row {
  kind: 'terms' | 'vectors';
  build_id: string;
  version: string | number;
  amount: string | number;
  total_length: string | number;
}

/**
 * Reads builds' index versions for the in-memory copies (CachedBm25Index, CachedVectorIndex),
 * one statement for every read asked for in the same turn of the event loop.
 *
 * Why: a hybrid search checks both copies, a BM25 and a vector version read of the same build at
 * the same moment, and on PGlite every statement costs about 1 ms of the API thread's CPU.
 *
 * Each read still sees the database as of after it was asked for: the statement is sent only once
 * the turn has ended, after every read in it was made, so a write that finished before a search
 * started is always seen (a read is never shared with one already in flight).
 *
 * On a store with a write fence (PGlite, which no other process writes to) a state read while the
 * fence stood where it stands now is answered from memory: no statement at all between writes,
 * and any write (an upload's index stage, a delete, a promote) moves the fence before it is done.
 */
export class BuildStateReader {
  private queue: Pending[] = [];
  private readonly counts = { statements: 0, reads: 0, fenced: 0 };
  /** States read, by `kind:buildId`, with the fence as it stood before the statement that read them. */
  private readonly known = new Map<string, { fence: number; row: Row | undefined }>();

  constructor(private readonly store: Store) {}

  terms(buildId: string): Promise<TermState | undefined> {
    return new Promise((resolve, reject) => this.enqueue({ kind: 'terms', buildId, resolve, reject }));
  }

  vectors(buildId: string): Promise<VectorState | undefined> {
    return new Promise((resolve, reject) => this.enqueue({ kind: 'vectors', buildId, resolve, reject }));
  }

  /** Statements sent, reads answered and reads answered from memory behind the write fence since start (tests, benchmarks). */
  stats(): Readonly<{ statements: number; reads: number; fenced: number }> {
    return { ...this.counts };
  }

  private enqueue(pending: Pending): void {
    // Not a uuid: nothing to read (as no row would be); the caller's SQL path reports the bad id.
    if (!isUuid(pending.buildId)) {
      pending.resolve(undefined);
      return;
    }
    const item = { ...pending, buildId: pending.buildId.toLowerCase() } as Pending;
    const known = this.store.writeFence ? this.known.get(`${item.kind}:${item.buildId}`) : undefined;
    if (known && known.fence === this.store.writeFence?.()) {
      this.counts.fenced++;
      settle(item, known.row);
      return;
    }
    this.queue.push(item);
    // After the microtasks of this turn: the other search of the same retrieval asks after a few awaits.
    if (this.queue.length === 1) setImmediate(() => void this.flush());
  }

  private async flush(): Promise<void> {
    const batch = this.queue;
    this.queue = [];
    const termIds = [...new Set(batch.filter((item) => item.kind === 'terms').map((item) => item.buildId))];
    const vectorIds = [...new Set(batch.filter((item) => item.kind === 'vectors').map((item) => item.buildId))];
    const parts = [];
    for (const id of termIds) {
      parts.push(sql`SELECT 'terms' AS kind, build_id::text AS build_id, version, doc_count AS amount, total_length FROM build_term_stats WHERE build_id = ${id}::uuid`);
    }
    for (const id of vectorIds) {
      parts.push(sql`SELECT 'vectors' AS kind, build_id::text AS build_id, version, vector_count AS amount, 0 AS total_length FROM build_vector_stats WHERE build_id = ${id}::uuid`);
    }
    let rows: Row[];
    const fence = this.store.writeFence?.();
    try {
      this.counts.statements++;
      rows = await this.store.query<Row>(sql.join(parts, sql` UNION ALL `));
    } catch (error) {
      for (const item of batch) item.reject(error);
      return;
    }
    this.counts.reads += batch.length;
    const found = new Map(rows.map((row) => [`${row.kind}:${row.build_id}`, row]));
    for (const item of batch) {
      const key = `${item.kind}:${item.buildId}`;
      const row = found.get(key);
      if (fence !== undefined) this.known.set(key, { fence, row });
      settle(item, row);
    }
    // States of builds no longer asked for do not pile up: one entry per build read since the last write.
    if (this.known.size > 10_000) this.known.clear();
  }
}

function settle(item: Pending, row: Row | undefined): void {
  if (item.kind === 'terms') {
    item.resolve(row ? { version: Number(row.version), docCount: Number(row.amount), totalLength: Number(row.total_length) } : undefined);
  } else {
    item.resolve(row ? { version: Number(row.version), size: Number(row.amount) } : undefined);
  }
}
