import { migrateStore, openStore, type Store } from '../../src/core/db/client';
import { createTestDatabase, requireService } from './services';

export interface StoreTarget {
  name: 'pglite' | 'postgres';
  /** Opens a fresh, migrated store; close() also drops a real test database. */
  open(): Promise<Store>;
}

/**
 * The drivers every store-level suite runs on: PGlite always, real Postgres when
 * reachable (and always under CI). Call at the top of a test file with await.
 */
export async function storeTargets(suite: string): Promise<StoreTarget[]> {
  const targets: StoreTarget[] = [
    {
      name: 'pglite',
      async open() {
        const store = await openStore({ dataDir: 'memory://' });
        await migrateStore(store);
        return store;
      },
    },
  ];
  if (await requireService('postgres', suite)) {
    targets.push({
      name: 'postgres',
      async open() {
        const database = await createTestDatabase();
        const store = await openStore({ databaseUrl: database.url, poolSize: 5 });
        await migrateStore(store);
        const close = store.close.bind(store);
        return { ...store, close: async () => { await close(); await database.drop(); } };
      },
    });
  }
  return targets;
}

export interface DurableStoreTarget {
  name: 'pglite' | 'postgres';
  /** Opens the same database each time (a restart); the first open makes it. */
  open(): Promise<Store>;
  /** Removes the database (or data directory) for good. */
  destroy(): Promise<void>;
}

/**
 * Stores that outlive a close, for restart tests: PGlite in a temporary data directory (which also holds the
 * originals' files), and a real PostgreSQL database when reachable (always under CI).
 */
export async function durableStoreTargets(suite: string): Promise<DurableStoreTarget[]> {
  const { mkdtemp, rm } = await import('node:fs/promises');
  const { tmpdir } = await import('node:os');
  const { join } = await import('node:path');
  let dir: string | undefined;
  const targets: DurableStoreTarget[] = [
    {
      name: 'pglite',
      async open() {
        dir ??= await mkdtemp(join(tmpdir(), 'attest-durable-'));
        const store = await openStore({ dataDir: dir });
        await migrateStore(store);
        return store;
      },
      async destroy() {
        if (dir) await rm(dir, { recursive: true, force: true });
      },
    },
  ];
  if (await requireService('postgres', suite)) {
    let database: Awaited<ReturnType<typeof createTestDatabase>> | undefined;
    targets.push({
      name: 'postgres',
      async open() {
        database ??= await createTestDatabase();
        const store = await openStore({ databaseUrl: database.url, poolSize: 5 });
        await migrateStore(store);
        return store;
      },
      async destroy() {
        await database?.drop();
      },
    });
  }
  return targets;
}
