import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { messages } from '@electric-sql/pglite';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openStore, type Store } from '../../../src/core/db/client';
import { runAsBackgroundWork } from '../../../src/core/background-work';
import { PgliteWorkerClient, PgliteWorkerStoppedError, type TransactionQuiet } from '../../../src/core/db/pglite-worker';
import { isStoreUnavailable } from '../../../src/core/db/store-errors';
import { BinaryCopyWriter, readBinaryCopy } from '../../../indexes/postgres/copy-binary';
import { copyOutOf, inTransaction, sqlState } from '../../../indexes/postgres/transaction';

/** A promise and its resolver, to hold a transaction open at a point the test chooses. */
function gate(): { opened: Promise<void>; open: () => void } {
  let open = () => undefined as void;
  const opened = new Promise<void>((resolveGate) => (open = resolveGate));
  return { opened, open };
}

/** One store for the file (a PGlite start is seconds on a loaded machine): its drizzle client is the worker's proxy. */
let store: Store;
let client: PgliteWorkerClient;

beforeAll(async () => {
  store = await openStore({ dataDir: 'memory://', worker: true });
  client = (store.db as unknown as { $client: PgliteWorkerClient }).$client;
  await client.exec('CREATE TABLE items (name text PRIMARY KEY); CREATE TABLE blobs (id uuid PRIMARY KEY, content bytea NOT NULL)');
}, 120_000);

afterAll(async () => {
  await store?.close();
});

describe('PGlite on its worker thread', () => {
  it('is what the store opens by default', () => {
    expect(client).toBeInstanceOf(PgliteWorkerClient);
  });

  it('runs a transaction alone: a statement sent meanwhile waits for its end and is not part of it', async () => {
    await client.exec('DELETE FROM items');
    const events: string[] = [];
    const inside = gate();
    let outside: Promise<unknown> | undefined;
    const transaction = client.transaction(async (tx) => {
      await tx.query(`INSERT INTO items VALUES ('a')`);
      // Sent while the transaction holds the connection: PGlite queues it behind the transaction.
      outside = client.query<{ n: number }>(`INSERT INTO items VALUES ('outside') RETURNING (SELECT count(*)::int FROM items) AS n`).then((result) => {
        events.push(`outside saw ${result.rows[0]?.n}`);
      });
      inside.open();
      await tx.query(`INSERT INTO items VALUES ('b')`);
      const seen = await tx.query<{ name: string }>('SELECT name FROM items ORDER BY name');
      events.push(`inside saw ${seen.rows.map((row) => row.name).join(',')}`);
      throw new Error('abandon');
    });
    await inside.opened;
    await expect(transaction).rejects.toThrow('abandon');
    events.push('transaction ended');
    await outside;
    // The outside insert ran after the rollback: it saw neither 'a' nor 'b', and it was kept.
    expect(events).toEqual(['inside saw a,b', 'transaction ended', 'outside saw 0']);
    const left = await client.query<{ name: string }>('SELECT name FROM items ORDER BY name');
    expect(left.rows.map((row) => row.name)).toEqual(['outside']);
  });

  it('rolls back a transaction a statement failed in, and surfaces the PostgreSQL error as PGlite does', async () => {
    await client.exec('DELETE FROM items');
    const failure = await client
      .transaction(async (tx) => {
        await tx.query(`INSERT INTO items VALUES ('kept?')`);
        await tx.query(`INSERT INTO items VALUES ('kept?')`);
      })
      .catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(messages.DatabaseError);
    expect(failure).toMatchObject({ code: '23505', constraint: 'items_pkey', severity: 'ERROR', table: 'items' });
    expect((failure as Error).message).toMatch(/duplicate key value violates unique constraint "items_pkey"/u);
    expect(isStoreUnavailable(failure)).toBe(false);
    expect((await client.query('SELECT * FROM items')).rows).toEqual([]);
  });

  it('hands drizzle its parsers\' values: the types drizzle parses itself arrive as text', async () => {
    const parsed = await client.query<{ at: string; n: number }>(`SELECT timestamptz '2026-01-02 03:04:05+00' AS at, 7 AS n`, [], {
      parsers: { 1184: (value: string) => `parsed:${value}` },
    });
    expect(parsed.rows).toEqual([{ at: 'parsed:2026-01-02 03:04:05+00', n: 7 }]);
    const arrays = await client.query<unknown[]>(`SELECT 1 AS a, 'x' AS b`, [], { rowMode: 'array' });
    expect(arrays.rows).toEqual([[1, 'x']]);
  });

  it('refuses to start with a clear error on a data directory it cannot use', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'attest-pglite-worker-'));
    try {
      await writeFile(join(dir, 'file'), 'not a directory');
      const failure = await PgliteWorkerClient.open({ dataDir: join(dir, 'file', 'pglite'), startParams: [], liftoffOnly: true }).catch((error: unknown) => error);
      expect(failure).toBeInstanceOf(PgliteWorkerStoppedError);
      expect((failure as Error).message).toMatch(/PGlite worker failed to start \(.*\): ENOTDIR/u);
      expect(isStoreUnavailable(failure)).toBe(true);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  }, 30_000);
});

describe('the store on the PGlite worker', () => {
  it('moves bytes in and out by binary COPY through the worker', async () => {
    const id = '0b6a1f52-52c3-4a71-9a38-1c6f1d3f7e10';
    const bytes = new Uint8Array(300_000).map((_, index) => (index * 31) % 256);
    await inTransaction(store, async (_executor, copyIn) => {
      expect(copyIn).toBeDefined();
      await copyIn!('blobs (id, content)', new BinaryCopyWriter(bytes.byteLength + 64).row(2).uuid(id).bytea(bytes).finish());
    });
    const [row] = await store.query<{ n: number }>(sql`SELECT length(content) AS n FROM blobs WHERE id = ${id}`);
    expect(row?.n).toBe(bytes.byteLength);
    const copied = await store.db.transaction(async (tx) => readBinaryCopy(await copyOutOf('pglite', tx)!(`SELECT content FROM blobs WHERE id = '${id}'`)));
    expect(copied).toHaveLength(1);
    expect(Buffer.from(copied[0]![0]!).equals(Buffer.from(bytes))).toBe(true);
  });

  it('wraps a failed statement as drizzle does on PGlite, with the SQLSTATE reachable', async () => {
    const failure = await store.query(sql`SELECT * FROM no_such_table`).catch((error: unknown) => error);
    expect(sqlState(failure)).toBe('42P01');
    expect(((failure as Error).cause as Error).message).toBe('relation "no_such_table" does not exist');
  });
});

describe('a PGlite worker that dies', () => {
  it('fails what is in flight and everything after with a clear error, never a hang', async () => {
    const doomed = await PgliteWorkerClient.open({ dataDir: 'memory://', startParams: [], liftoffOnly: true });
    const held = gate();
    const began = gate();
    const transaction = doomed.transaction(async (tx) => {
      began.open();
      await held.opened;
      await tx.query('SELECT 1');
    });
    await began.opened;
    // Queued in the worker behind the open transaction: in flight when the thread dies.
    const inFlight = doomed.query('SELECT 1');
    doomed.simulateCrash();
    const failure = await inFlight.catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(PgliteWorkerStoppedError);
    expect((failure as Error).message).toMatch(/PGlite worker stopped \(uncaught error: PGlite worker crash requested by a test\)/u);
    expect(isStoreUnavailable(failure)).toBe(true);
    expect(doomed.closed).toBe(true);
    await expect(doomed.query('SELECT 1')).rejects.toBeInstanceOf(PgliteWorkerStoppedError);
    held.open();
    await expect(transaction).rejects.toBeInstanceOf(PgliteWorkerStoppedError);
    await doomed.close();
  }, 120_000);
});

describe('PGlite worker: background transactions begin at a quiet moment (TransactionQuiet)', () => {
  const clients: PgliteWorkerClient[] = [];
  const open = async (transactionQuiet: TransactionQuiet | false) => {
    const opened = await PgliteWorkerClient.open({ dataDir: 'memory://', startParams: [], liftoffOnly: true, transactionQuiet });
    clients.push(opened);
    // As background work: the setup is no request statement for a later transaction to wait after.
    await runAsBackgroundWork(() => opened.exec('CREATE TABLE log (entry text)'));
    return opened;
  };
  afterAll(async () => {
    await Promise.all(clients.map((opened) => opened.close()));
  });

  /**
   * An answer's two statements, the second sent as soon as the first returns, and a transaction asked for meanwhile
   * by background work (a job) or by a request.
   */
  async function answerBesideTransaction(db: PgliteWorkerClient, by: 'background' | 'request'): Promise<string[]> {
    const events: string[] = [];
    const answer = db.query('SELECT pg_sleep(0.05)').then(async () => {
      events.push('first statement');
      await db.query('SELECT 1');
      events.push('second statement');
    });
    const write = () =>
      db.transaction(async (tx) => {
        events.push('transaction began');
        await tx.query(`INSERT INTO log VALUES ('x'), (pg_sleep(0.05)::text)`);
      });
    const transaction = by === 'background' ? runAsBackgroundWork(write) : write();
    await Promise.all([answer, transaction]);
    return events;
  }

  it("lets a request's statement in flight and its next one run before a background transaction's BEGIN", async () => {
    const db = await open({ quietMs: 30, maxWaitMs: 2_000 });
    expect(await answerBesideTransaction(db, 'background')).toEqual(['first statement', 'second statement', 'transaction began']);
  }, 60_000);

  it("begins a request's own transaction at once, as PGlite does: the next statement then waits for the whole transaction", async () => {
    const db = await open({ quietMs: 30, maxWaitMs: 2_000 });
    expect(await answerBesideTransaction(db, 'request')).toEqual(['first statement', 'transaction began', 'second statement']);
  }, 60_000);

  it('begins a background transaction at once when turned off', async () => {
    const db = await open(false);
    expect(await answerBesideTransaction(db, 'background')).toEqual(['first statement', 'transaction began', 'second statement']);
  }, 60_000);

  it("does not wait for background work's own statements", async () => {
    const db = await open({ quietMs: 5_000, maxWaitMs: 5_000 });
    const began = await runAsBackgroundWork(async () => {
      await db.query('SELECT 1');
      const asked = performance.now();
      return db.transaction(async () => performance.now() - asked);
    });
    expect(began).toBeLessThan(2_500);
  }, 60_000);

  it('begins after maxWaitMs under a steady stream of statements (never starved)', async () => {
    const db = await open({ quietMs: 5_000, maxWaitMs: 150 });
    let began: number | undefined;
    let statements = 0;
    // The stream starts first: its first statement is in flight when the transaction is asked for.
    const stream = (async () => {
      while (began === undefined) {
        await db.query('SELECT 1');
        statements += 1;
      }
    })();
    const asked = performance.now();
    await runAsBackgroundWork(() =>
      db.transaction(async () => {
        began = performance.now() - asked;
      }),
    );
    await stream;
    expect(statements).toBeGreaterThan(1);
    expect(began).toBeGreaterThanOrEqual(145);
    expect(began).toBeLessThan(5_000);
  }, 60_000);
});
