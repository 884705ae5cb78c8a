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
