import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, renameSync, rmdirSync, rmSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import v8 from 'node:v8';
import type { PGlite, Transaction } from '@electric-sql/pglite';
import type { PgliteClient } from './pglite-worker';
import type { Config } from '../config';
import { fileURLToPath } from 'node:url';
import { sql } from 'drizzle-orm';
import { DrizzleQueryError } from 'drizzle-orm/errors';
import { PgDialect, type PgDatabase, type PgQueryResultHKT } from 'drizzle-orm/pg-core';
import * as schema from './schema';

export type Schema = typeof schema;
/** The one database type every module uses: the same queries run on PGlite and on pg. */
export type Db = PgDatabase<PgQueryResultHKT, Schema>;

export interface Store {
  db: Db;
  driver: 'pglite' | 'pg';
  /** PGlite with a data directory only: where uploads' original bytes are kept as files (ingestion/originals.ts). */
  originalsDir?: string;
  /** Runs a raw statement and returns its rows (both drivers expose `.rows`). */
  query<T = Record<string, unknown>>(statement: ReturnType<typeof sql>): Promise<T[]>;
  ping(): Promise<void>;
  /**
   * pg only: runs `work` on one connection of its own, closed afterwards, with no query timeout. For what must
   * stay on one session (session-level advisory locks) and for statements that may legitimately run long on a
   * big store (migrations that backfill, e.g. 0005 counting every chunk_vectors row).
   */
  session?<T>(work: (db: Db) => Promise<T>): Promise<T>;
  /**
   * pg only: runs the statements in one round trip (one simple-protocol query, which PostgreSQL runs as one
   * implicit transaction, so `set_config(..., true)` in one holds for the next) and returns the last one's rows.
   * Parameters are inlined as literals: only for values that are not free text (uuids, numbers, vectors).
   */
  script?<T = Record<string, unknown>>(statements: readonly ReturnType<typeof sql>[]): Promise<T[]>;
  /**
   * PGlite only (a store no other process writes to): a number that changes whenever a statement that may
   * have changed data other than the per-answer records (traces, usage, answer cache, feedback, key use) has
   * been sent through this store. A value read from the database when the fence was F is still current
   * while the fence reads F, so it can be kept instead of read again. Conservative: everything that is not a
   * SELECT or a write to one of those tables moves it, BEGIN and failed statements included.
   */
  writeFence?(): number;
  close(): Promise<void>;
}

/** Tables written by every answer (and key use) that no cached read depends on: writes to them leave the fence. */
const UNFENCED_WRITE = /^\s*(?:insert\s+into|update|delete\s+from)\s+"?(?:answer_traces|tenant_usage|answer_cache|feedback|api_keys)"?[\s(]/iu;
const READ = /^\s*select\b/iu;

/** Whether a statement moves the write fence (see Store.writeFence). */
export function movesWriteFence(text: string): boolean {
  return !READ.test(text) && !UNFENCED_WRITE.test(text);
}

/** Counts the fence-moving statements sent through a PGlite client, its transactions' included. */
function fenceWrites(client: PgliteClient): () => number {
  let writes = 0;
  const note = (text: unknown) => {
    if (typeof text !== 'string' || movesWriteFence(text)) writes++;
  };
  const wrap = <T extends Pick<PgliteClient, 'query' | 'exec'>>(target: T): T => {
    const query = target.query.bind(target);
    const exec = target.exec.bind(target);
    // Counted before and after: a reader that captures the fence while the write runs sees it move again once it is done.
    target.query = (async (text: string, ...rest: unknown[]) => {
      note(text);
      try {
        return await (query as (...args: unknown[]) => Promise<unknown>)(text, ...rest);
      } finally {
        note(text);
      }
    }) as T['query'];
    target.exec = (async (text: string, ...rest: unknown[]) => {
      writes++;
      try {
        return await (exec as (...args: unknown[]) => Promise<unknown>)(text, ...rest);
      } finally {
        writes++;
      }
    }) as T['exec'];
    return target;
  };
  wrap(client);
  const transaction = client.transaction.bind(client);
  client.transaction = (async (callback: (tx: Transaction) => Promise<unknown>) => {
    writes++;
    try {
      return await transaction((tx) => callback(wrap(tx)));
    } finally {
      writes++;
    }
  }) as PgliteClient['transaction'];
  return () => writes;
}

export const MIGRATIONS_DIR = fileURLToPath(new URL('./migrations', import.meta.url));

export interface StoreOptions {
  databaseUrl?: string | undefined;
  /** Directory for PGlite files; `memory://` keeps it in memory (tests). */
  dataDir?: string | undefined;
  /** Connection pool size for pg. */
  poolSize?: number;
  /**
   * pg only: how long one statement may wait for its answer before it fails ('Query read timeout', 503
   * STORE_UNAVAILABLE) and its connection is dropped. Unset or 0: no limit (benchmarks, evals).
   */
  queryTimeoutMs?: number | undefined;
  /** PGlite only: its engine on V8's baseline WASM compiler alone (config PGLITE_LIFTOFF_ONLY; default true). */
  liftoffOnly?: boolean | undefined;
  /** PGlite only: on a worker thread of its own (config PGLITE_WORKER, on by default; this option defaults to false), else on the calling thread. */
  worker?: boolean | undefined;
  /**
   * PGlite in memory only: starts from this dump of a data directory (PGlite's dumpDataDir) instead of an
   * initdb, which is most of an in-memory store's start-up (tests open one migrated dump many times).
   */
  loadDataDir?: Blob | undefined;
}

/** The store the config names: PostgreSQL with DATABASE_URL, else PGlite in DATA_DIR. */
export function openStoreFor(config: Config): Promise<Store> {
  return openStore({ databaseUrl: config.DATABASE_URL, dataDir: config.DATA_DIR, queryTimeoutMs: config.DATABASE_QUERY_TIMEOUT_MS, poolSize: config.DATABASE_POOL_SIZE, liftoffOnly: config.PGLITE_LIFTOFF_ONLY, worker: config.PGLITE_WORKER });
}

export async function openStore(options: StoreOptions): Promise<Store> {
  return options.databaseUrl
    ? openPostgres(options.databaseUrl, { poolSize: options.poolSize ?? 10, queryTimeoutMs: options.queryTimeoutMs ?? 0 })
    : openPglite(options.dataDir ?? 'memory://', { liftoffOnly: options.liftoffOnly ?? true, worker: options.worker ?? false, loadDataDir: options.loadDataDir });
}

let liftoffChosen = false;

/**
 * V8 reads its WASM tiering flags when a module is compiled, so the choice has to be made before PGlite
 * compiles its engine, and holds for the process from then on (a later store cannot take it back).
 */
function chooseWasmTier(liftoffOnly: boolean): void {
  if (!liftoffOnly || liftoffChosen) return;
  v8.setFlagsFromString('--liftoff-only');
  liftoffChosen = true;
}

/**
 * PGlite's shared buffers live in its WASM heap, which never shrinks: at the
 * default 128 MB they are most of the process's memory once a large document
 * has been ingested (RSS 472 MB idle after open vs 343 MB at 16 MB). Pages
 * beyond them are read from the data directory through the OS page cache.
 */
export const PGLITE_SHARED_BUFFERS = '32MB';
const PGLITE_SETTINGS = ['-c', `shared_buffers=${PGLITE_SHARED_BUFFERS}`];

/**
 * Creates a missing PGlite data directory in a child process that exits when it is done, then moves
 * it into place.
 *
 * Why: initdb runs inside PGlite's WASM heap, which never shrinks. RSS after openStore and the
 * migrations on a new directory (shared_buffers 32 MB): 754-760 MB with initdb in this process,
 * 316-320 MB with it in a child process, whose memory all goes back to the system when it exits (a
 * worker thread kept about 150 MB of it: 363-412 MB). Reopening an existing directory: 277 MB.
 * Staged beside the target and renamed, so that a start killed mid-initdb leaves no half-made directory.
 */
async function initializeDataDir(location: string): Promise<void> {
  if (existsSync(path.join(location, 'PG_VERSION'))) return;
  mkdirSync(location, { recursive: true });
  // Something else is there: leave it to PGlite to accept or refuse.
  if (readdirSync(location).length > 0) return;
  // Left by a start killed mid-initdb: never opened, only in the way.
  const prefix = `${path.basename(location)}.init-`;
  for (const name of readdirSync(path.dirname(location))) {
    if (name.startsWith(prefix)) rmSync(path.join(path.dirname(location), name), { recursive: true, force: true });
  }
  const staging = `${location}.init-${process.pid}-${Date.now()}`;
  try {
    await new Promise<void>((resolve, reject) => {
      const child = spawn(process.execPath, [fileURLToPath(new URL('./pglite-initdb.mjs', import.meta.url)), staging, JSON.stringify(PGLITE_SETTINGS)], {
        stdio: ['ignore', 'ignore', 'pipe'],
      });
      let stderr = '';
      child.stderr.on('data', (data: Buffer) => (stderr = (stderr + data.toString()).slice(-2_000)));
      child.once('error', reject);
      child.once('exit', (code, signal) => (code === 0 ? resolve() : reject(new Error(`PGlite data directory initialization failed (${signal ?? `exit code ${code}`}): ${stderr.trim()}`))));
    });
    rmdirSync(location);
    renameSync(staging, location);
  } finally {
    rmSync(staging, { recursive: true, force: true });
  }
}

/** PGlite on its own thread (pglite-worker.ts), or in this one. */
async function startPglite(location: string, options: PgliteStart): Promise<PgliteClient> {
  if (options.worker) {
    const { PgliteWorkerClient } = await import('./pglite-worker');
    const loadDataDir = options.loadDataDir ? await options.loadDataDir.arrayBuffer() : undefined;
    return PgliteWorkerClient.open({ dataDir: location, startParams: PGLITE_SETTINGS, liftoffOnly: options.liftoffOnly, ...(loadDataDir ? { loadDataDir } : {}) });
  }
  chooseWasmTier(options.liftoffOnly);
  const { PGlite } = await import('@electric-sql/pglite');
  const { vector } = await import('@electric-sql/pglite-pgvector');
  return PGlite.create(location, { extensions: { vector }, startParams: [...PGlite.defaultStartParams, ...PGLITE_SETTINGS], ...(options.loadDataDir ? { loadDataDir: options.loadDataDir } : {}) });
}

interface PgliteStart {
  liftoffOnly: boolean;
  worker: boolean;
  /** In-memory stores only: a dump to start from (StoreOptions.loadDataDir). */
  loadDataDir?: Blob | undefined;
}

async function openPglite(dataDir: string, options: PgliteStart): Promise<Store> {
  const { drizzle } = await import('drizzle-orm/pglite');
  let location = dataDir;
  let originalsDir: string | undefined;
  if (!dataDir.startsWith('memory://')) {
    if (options.loadDataDir) throw new Error('openStore: loadDataDir is for in-memory PGlite stores only');
    location = path.resolve(dataDir, 'pglite');
    await initializeDataDir(location);
    originalsDir = path.resolve(dataDir, 'originals');
    await mkdir(originalsDir, { recursive: true });
  }
  const client = await startPglite(location, options);
  const writeFence = fenceWrites(client);
  // drizzle-orm/pglite types its client as the PGlite class, but calls only what PgliteClient has (its session.js).
  const db = drizzle(client as unknown as PGlite, { schema }) as unknown as Db;
  return {
    db,
    driver: 'pglite',
    ...(originalsDir ? { originalsDir } : {}),
    writeFence,
    async query<T>(statement: ReturnType<typeof sql>) {
      const result = (await db.execute(statement)) as unknown as { rows: T[] };
      return result.rows;
    },
    async ping() {
      await client.query('select 1');
    },
    async close() {
      if (!client.closed) await client.close();
    },
  };
}

/** The parts of a pg client the timeout handling uses, with query loosely typed to forward its overloads. */
interface RawPgClient {
  query: (...args: unknown[]) => unknown;
  end(): Promise<void>;
}

/**
 * After pg's query_timeout fires the statement is still outstanding on the connection (the server, or the
 * network to it, never answered), and pg queues every later statement on that client behind it. A client
 * in that state would go back to the pool (drizzle releases a transaction's client, and ping() its client,
 * without an error) and hand the hang to the next request, until TCP gives up, ~15 min later. end() on a
 * client with a statement outstanding destroys its socket and marks it ending at once: queued statements
 * fail, and the pool discards it when it is released.
 */
function dropConnectionOnReadTimeout(client: object): void {
  const raw = client as RawPgClient;
  const query = raw.query.bind(client);
  const dropIfTimedOut = (error: unknown) => {
    if (error instanceof Error && /query read timeout/iu.test(error.message)) raw.end().catch(() => undefined);
  };
  raw.query = (...args: unknown[]) => {
    const last = args.length - 1;
    const callback = args[last];
    if (typeof callback === 'function') {
      args[last] = (error: unknown, result: unknown) => {
        dropIfTimedOut(error);
        (callback as (error: unknown, result: unknown) => void)(error, result);
      };
      return query(...args);
    }
    const result = query(...args);
    // Observing the rejection here does not handle it for the caller: it still gets the same rejected promise.
    if (result instanceof Promise) result.catch(dropIfTimedOut);
    return result;
  };
}

type Release = (error?: Error | boolean) => void;
interface CheckedOutClient {
  release: Release;
  once(event: 'end', listener: () => void): unknown;
  off(event: 'end', listener: () => void): unknown;
}

/**
 * Gives a checked-out client's pool slot back as soon as its connection ends, and makes the holder's own
 * release() a no-op after that. drizzle's transaction() sends BEGIN before its try/finally: when BEGIN fails
 * (connection cut, or query_timeout) the client is never released, and each such failure kept one of the
 * pool's slots for good; with a pool of 1, the next statement waited for a connection forever (seen in the
 * query-timeout fault test). A dead client is of no use to its holder: its statements fail at once anyway.
 */
function releaseDeadClients(pool: object): void {
  const raw = pool as { connect: (...args: unknown[]) => unknown };
  const connect = raw.connect.bind(pool);
  const guard = (client: CheckedOutClient) => {
    const release = client.release;
    let released = false;
    const onEnd = () => client.release(new Error('connection ended while checked out'));
    client.release = (error) => {
      if (released) return;
      released = true;
      client.off('end', onEnd);
      release(error);
    };
    client.once('end', onEnd);
    return client;
  };
  raw.connect = (...args: unknown[]) => {
    const callback = args[0];
    if (typeof callback === 'function') {
      // pool.query() checks out this way.
      return connect((error: unknown, client: CheckedOutClient | undefined, done: unknown) => {
        if (client) guard(client);
        (callback as (...values: unknown[]) => void)(error, client, client ? client.release : done);
      });
    }
    return (connect() as Promise<CheckedOutClient>).then(guard);
  };
}

async function openPostgres(databaseUrl: string, options: { poolSize: number; queryTimeoutMs: number }): Promise<Store> {
  const pg = await import('pg');
  const { drizzle } = await import('drizzle-orm/node-postgres');
  const pool = new pg.default.Pool({
    connectionString: databaseUrl,
    max: options.poolSize,
    connectionTimeoutMillis: 5_000,
    // Client-side on purpose: a server-side statement_timeout cannot fire when the network to the server drops
    // packets, which is the hang this guards against (a request then waited 20 s+ instead of answering 503).
    ...(options.queryTimeoutMs > 0 ? { query_timeout: options.queryTimeoutMs } : {}),
  });
  // An idle client erroring (server restart) must not crash the process; the next query reconnects.
  pool.on('error', () => undefined);
  pool.on('connect', (client) => {
    // A client checked out of the pool (every drizzle transaction, ping()) has no pool listener while it is out:
    // a connection lost mid-transaction is then an unhandled 'error' event that kills the process. The statement
    // itself still fails (DrizzleQueryError → isStoreUnavailable → 503 STORE_UNAVAILABLE).
    client.on('error', () => undefined);
    if (options.queryTimeoutMs > 0) dropConnectionOnReadTimeout(client);
  });
  releaseDeadClients(pool);
  const db = drizzle(pool, { schema }) as unknown as Db;
  const dialect = new PgDialect();
  let closed = false;
  return {
    db,
    driver: 'pg',
    async script<T>(statements: readonly ReturnType<typeof sql>[]) {
      const text = statements.map((statement) => dialect.sqlToQuery(statement.inlineParams()).sql).join(';\n');
      try {
        // pg answers a query of several statements with one result per statement.
        const results = (await pool.query(text)) as unknown as { rows: T[] } | { rows: T[] }[];
        return (Array.isArray(results) ? (results.at(-1)?.rows ?? []) : results.rows);
      } catch (error) {
        // Wrapped as drizzle wraps a failed statement, so the store's error handling (503 STORE_UNAVAILABLE,
        // logs without the statement) treats it alike.
        throw new DrizzleQueryError(text, [], error as Error);
      }
    },
    async query<T>(statement: ReturnType<typeof sql>) {
      const result = (await db.execute(statement)) as unknown as { rows: T[] };
      return result.rows;
    },
    async ping() {
      const client = await pool.connect();
      try {
        await client.query('select 1');
      } finally {
        client.release();
      }
    },
    async session(work) {
      // Its own connection, outside the pool and without query_timeout: see Store.session.
      const client = new pg.default.Client({ connectionString: databaseUrl, connectionTimeoutMillis: 5_000 });
      client.on('error', () => undefined);
      await client.connect();
      try {
        return await work(drizzle(client, { schema }) as unknown as Db);
      } finally {
        await client.end().catch(() => undefined);
      }
    },
    async close() {
      if (closed) return;
      closed = true;
      await pool.end();
    },
  };
}

/**
 * Applies drizzle-kit migrations. pgvector first (drizzle-kit does not emit
 * CREATE EXTENSION); an advisory lock so an API and a worker starting together
 * do not both migrate.
 */
export async function migrateStore(store: Store): Promise<void> {
  if (store.driver === 'pglite') {
    const { migrate } = await import('drizzle-orm/pglite/migrator');
    await store.query(sql`CREATE EXTENSION IF NOT EXISTS vector`);
    await migrate(store.db as never, { migrationsFolder: MIGRATIONS_DIR });
    return;
  }
  const { migrate } = await import('drizzle-orm/node-postgres/migrator');
  if (!store.session) throw new Error('migrateStore: a pg store without session()');
  await store.session(async (db) => {
    // One session-level lock around the extension and the migrator (which opens its own transaction). Lock,
    // migrations and unlock share this one connection: through the pool, the unlock could land on another
    // connection, fail there, and leave the lock held by an idle pooled connection, blocking every later start.
    await db.execute(sql`SELECT pg_advisory_lock(7242002)`);
    try {
      await db.execute(sql`CREATE EXTENSION IF NOT EXISTS vector`);
      await migrate(db as never, { migrationsFolder: MIGRATIONS_DIR });
    } finally {
      await db.execute(sql`SELECT pg_advisory_unlock(7242002)`);
    }
  });
}

/** Raw SQL rows on either driver (both results expose `.rows`). */
export async function queryRows<T = Record<string, unknown>>(db: Db, statement: ReturnType<typeof sql>): Promise<T[]> {
  const result = (await db.execute(statement)) as unknown as { rows: T[] };
  return result.rows;
}
