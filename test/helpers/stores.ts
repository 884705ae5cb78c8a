import { createHash } from 'node:crypto';
import { cpSync, existsSync, mkdtempSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import type { PGliteInterface } from '@electric-sql/pglite';
import { MIGRATIONS_DIR, migrateStore, openStore, type Store } from '../../src/core/db/client';
import pg from 'pg';
import { createTestDatabase, POSTGRES_ADMIN_URL, requireService } from './services';

/** What a migrated data directory depends on: the engine, pgvector and every migration file. */
function templateKey(): string {
  const hash = createHash('sha256');
  const require = createRequire(import.meta.url);
  for (const name of ['@electric-sql/pglite', '@electric-sql/pglite-pgvector']) {
    // Their exports do not include package.json: found from the entry point instead.
    let dir = dirname(require.resolve(name));
    while (!existsSync(join(dir, 'package.json'))) dir = dirname(dir);
    hash.update(name).update(readFileSync(join(dir, 'package.json')));
  }
  const walk = (dir: string): void => {
    for (const entry of readdirSync(dir, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
      const full = join(dir, entry.name);
      if (entry.isDirectory()) walk(full);
      else hash.update(entry.name).update(readFileSync(full));
    }
  };
  walk(MIGRATIONS_DIR);
  return hash.digest('hex').slice(0, 16);
}

let template: Promise<Blob> | undefined;

/**
 * A dump of a freshly initialized and migrated in-memory PGlite data directory. Opening a PGlite store from it
 * skips initdb and the migrations, which are nearly all of a store's start-up (several seconds each, on a busy
 * 2-core CI machine, for every store a suite opens). Made once per set of migrations and kept in the temporary
 * directory, so the test files after the first one (each in its own process) only read it.
 */
export function migratedTemplate(): Promise<Blob> {
  template ??= (async () => {
    const file = join(tmpdir(), `attest-pglite-template-${templateKey()}.tar`);
    if (!existsSync(file)) {
      const store = await openStore({ dataDir: 'memory://' });
      try {
        await migrateStore(store);
        const client = (store.db as unknown as { $client: PGliteInterface }).$client;
        const dump = await client.dumpDataDir('none');
        // Written beside and renamed: test files starting together never read a half-written dump.
        const staging = `${file}.${process.pid}-${Math.random().toString(36).slice(2)}`;
        writeFileSync(staging, Buffer.from(await dump.arrayBuffer()));
        renameSync(staging, file);
      } finally {
        await store.close();
      }
    }
    return new Blob([readFileSync(file)]);
  })();
  // A failed attempt is not cached: the next caller tries again (and reports its own error).
  template.catch(() => {
    template = undefined;
  });
  return template;
}

/** A fresh, migrated in-memory PGlite store (from the migrated template: see migratedTemplate). */
export async function memoryStore(): Promise<Store> {
  const store = await openStore({ dataDir: 'memory://', loadDataDir: await migratedTemplate() });
  // Checks the template's migrations against the folder (nothing to apply): as every store a test opens is.
  await migrateStore(store);
  return store;
}

let dataDirTemplate: Promise<string> | undefined;

/**
 * The same for a PGlite data directory on disk: a migrated `pglite` directory made once (its initdb in a child
 * process, as openStore does it) and kept in the temporary directory. Returns its path.
 */
function migratedDataDirTemplate(): Promise<string> {
  dataDirTemplate ??= (async () => {
    const template = join(tmpdir(), `attest-pglite-dir-template-${templateKey()}`);
    if (!existsSync(template)) {
      const staging = mkdtempSync(`${template}.staging-`);
      try {
        const store = await openStore({ dataDir: staging });
        try {
          await migrateStore(store);
        } finally {
          await store.close();
        }
        // Only the database: openStore also made the originals directory beside it.
        try {
          renameSync(join(staging, 'pglite'), template);
        } catch (error) {
          // Another test file made it first.
          if (!existsSync(template)) throw error;
        }
      } finally {
        rmSync(staging, { recursive: true, force: true });
      }
    }
    return template;
  })();
  dataDirTemplate.catch(() => {
    dataDirTemplate = undefined;
  });
  return dataDirTemplate;
}

/**
 * Makes `dataDir` (a new DATA_DIR, empty or missing) hold an initialized and migrated PGlite database, as a
 * first start would leave it, by copying the template: a server or store then opens it without an initdb.
 */
export async function seedDataDir(dataDir: string): Promise<void> {
  const target = join(dataDir, 'pglite');
  if (existsSync(target) && readdirSync(target).length > 0) throw new Error(`seedDataDir: ${target} already holds files`);
  cpSync(await migratedDataDirTemplate(), target, { recursive: true });
}

let postgresTemplate: Promise<string> | undefined;

/**
 * A migrated PostgreSQL database to copy test databases from (see createTestDatabase's template): the
 * migrations run once per migration set on a machine, not once per store a suite opens. Made under an
 * advisory lock, so test files starting together make it once; kept for later runs (its name carries the key).
 */
function migratedPostgresTemplate(): Promise<string> {
  postgresTemplate ??= (async () => {
    const name = `attest_template_${templateKey()}`;
    const admin = new pg.Client({ connectionString: POSTGRES_ADMIN_URL });
    await admin.connect();
    try {
      await admin.query('SELECT pg_advisory_lock(7242003)');
      try {
        const exists = await admin.query('SELECT 1 FROM pg_database WHERE datname = $1', [name]);
        if (exists.rowCount === 0) {
          // Made under another name and renamed once migrated: a run killed midway leaves no half-migrated template.
          const staging = await createTestDatabase('attest_template_staging');
          try {
            const store = await openStore({ databaseUrl: staging.url, poolSize: 1 });
            try {
              await migrateStore(store);
            } finally {
              await store.close();
            }
            await admin.query(`ALTER DATABASE ${new URL(staging.url).pathname.slice(1)} RENAME TO ${name}`);
          } catch (error) {
            await staging.drop();
            throw error;
          }
        }
      } finally {
        await admin.query('SELECT pg_advisory_unlock(7242003)');
      }
    } finally {
      await admin.end();
    }
    return name;
  })();
  postgresTemplate.catch(() => {
    postgresTemplate = undefined;
  });
  return postgresTemplate;
}

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
      open: memoryStore,
    },
  ];
  if (await requireService('postgres', suite)) {
    targets.push({
      name: 'postgres',
      async open() {
        const database = await createTestDatabase('attest_test', await migratedPostgresTemplate());
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
  let dir: string | undefined;
  const targets: DurableStoreTarget[] = [
    {
      name: 'pglite',
      async open() {
        if (dir === undefined) {
          dir = await mkdtemp(join(tmpdir(), 'attest-durable-'));
          await seedDataDir(dir);
        }
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
