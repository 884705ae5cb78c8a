import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { sql } from 'drizzle-orm';
import type { PgDatabase, PgQueryResultHKT } from 'drizzle-orm/pg-core';
import * as schema from './schema';

export type Schema = typeof schema;
/** The one database type every module uses: the same queries run on PGlite and on pg. */
export type Db = PgDatabase<PgQueryResultHKT, Schema>;

export interface Store {
  db: Db;
  driver: 'pglite' | 'pg';
  /** Runs a raw statement and returns its rows (both drivers expose `.rows`). */
  query<T = Record<string, unknown>>(statement: ReturnType<typeof sql>): Promise<T[]>;
  ping(): Promise<void>;
  close(): Promise<void>;
}

export const MIGRATIONS_DIR = fileURLToPath(new URL('./migrations', import.meta.url));

export interface StoreOptions {
  databaseUrl?: string | undefined;
  /** Directory for PGlite files; `memory://` keeps it in memory (tests). */
  dataDir?: string | undefined;
  /** Connection pool size for pg. */
  poolSize?: number;
}

export async function openStore(options: StoreOptions): Promise<Store> {
  return options.databaseUrl ? openPostgres(options.databaseUrl, options.poolSize ?? 10) : openPglite(options.dataDir ?? 'memory://');
}

/**
 * PGlite's shared buffers live in its WASM heap, which never shrinks: at the
 * default 128 MB they are most of the process's memory once a large document
 * has been ingested (RSS 472 MB idle after open vs 343 MB at 16 MB). Pages
 * beyond them are read from the data directory through the OS page cache.
 */
export const PGLITE_SHARED_BUFFERS = '32MB';
const PGLITE_SETTINGS = ['-c', `shared_buffers=${PGLITE_SHARED_BUFFERS}`];

async function openPglite(dataDir: string): Promise<Store> {
  const { PGlite } = await import('@electric-sql/pglite');
  const { vector } = await import('@electric-sql/pglite-pgvector');
  const { drizzle } = await import('drizzle-orm/pglite');
  let location = dataDir;
  if (!dataDir.startsWith('memory://')) {
    location = path.resolve(dataDir, 'pglite');
    mkdirSync(location, { recursive: true });
  }
  const client = await PGlite.create(location, { extensions: { vector }, startParams: [...PGlite.defaultStartParams, ...PGLITE_SETTINGS] });
  const db = drizzle(client, { schema }) as unknown as Db;
  return {
    db,
    driver: 'pglite',
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

async function openPostgres(databaseUrl: string, poolSize: number): Promise<Store> {
  const pg = await import('pg');
  const { drizzle } = await import('drizzle-orm/node-postgres');
  const pool = new pg.default.Pool({ connectionString: databaseUrl, max: poolSize, connectionTimeoutMillis: 5_000 });
  // An idle client erroring (server restart) must not crash the process; the next query reconnects.
  pool.on('error', () => undefined);
  // A client checked out of the pool (every drizzle transaction, ping()) has no pool listener while it is out:
  // a connection lost mid-transaction is then an unhandled 'error' event that kills the process. The statement
  // itself still fails (DrizzleQueryError → isStoreUnavailable → 503 STORE_UNAVAILABLE).
  pool.on('connect', (client) => client.on('error', () => undefined));
  const db = drizzle(pool, { schema }) as unknown as Db;
  let closed = false;
  return {
    db,
    driver: 'pg',
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
  await store.db.transaction(async (tx) => {
    await tx.execute(sql`SELECT pg_advisory_xact_lock(7242001)`);
    await tx.execute(sql`CREATE EXTENSION IF NOT EXISTS vector`);
  });
  // The migrator opens its own transaction, so the lock is re-taken at session level around it.
  await store.query(sql`SELECT pg_advisory_lock(7242002)`);
  try {
    await migrate(store.db as never, { migrationsFolder: MIGRATIONS_DIR });
  } finally {
    await store.query(sql`SELECT pg_advisory_unlock(7242002)`);
  }
}

/** Raw SQL rows on either driver (both results expose `.rows`). */
export async function queryRows<T = Record<string, unknown>>(db: Db, statement: ReturnType<typeof sql>): Promise<T[]> {
  const result = (await db.execute(statement)) as unknown as { rows: T[] };
  return result.rows;
}
