import { sql } from 'drizzle-orm';
import pg from 'pg';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/core/config';
import { migrateStore, openStore } from '../../src/core/db/client';
import { bearer, createTestApp, type TestApp } from '../helpers/app';
import { askRequest, createCorpus, fakeProviderEnv, parseSse, uploadText } from '../helpers/answers';
import { createTestDatabase, POSTGRES_ADMIN_URL, requireService } from '../helpers/services';
import { uploadRequest } from '../helpers/ingestion';
import { startTcpProxy, type TcpProxy } from '../helpers/tcp-proxy';
import { startFakeProviders, type FakeProviders } from '../fake-providers/server';

/**
 * PostgreSQL going away under a running API (issue 9): the app talks to the
 * database through a TCP proxy that the test cuts and refuses. A request that
 * needs the database while it is unreachable (a read, an upload whose
 * transaction loses its connection) answers 503 STORE_UNAVAILABLE with
 * Retry-After, never 500 and never a hang; an answer past retrieval when the
 * connection drops is still given, and its trace written when the database is
 * back; the same app instance answers again without a restart.
 */
const postgresUp = await requireService('postgres', 'postgres connection drop');

// The fake provider's default answer cites this sentence.
const WARRANTY = 'Warranty terms\n\nThe warranty period is two years from the date of purchase. It covers the motor.\n';
/** Longer than any of these requests may take: a request still open after it is a hang. */
const DEADLINE_MS = 8_000;

async function waitFor(condition: () => boolean, what: string, timeoutMs = 5_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolveSleep) => setTimeout(resolveSleep, 5));
  }
}

async function timed<T>(promise: Promise<T>): Promise<{ value: T; ms: number }> {
  const started = performance.now();
  const value = await promise;
  return { value, ms: performance.now() - started };
}

describe.skipIf(!postgresUp)('PostgreSQL connection dropped under a running API', () => {
  let database: { url: string; drop: () => Promise<void> };
  let proxy: TcpProxy;
  let fake: FakeProviders;
  let t: TestApp;
  let databaseName: string;
  let proxiedUrl: string;
  let documentId: string;

  beforeAll(async () => {
    database = await createTestDatabase('attest_pgdrop');
    const upstream = new URL(POSTGRES_ADMIN_URL);
    proxy = await startTcpProxy({ host: upstream.hostname, port: Number(upstream.port || 5432) });
    const proxied = new URL(database.url);
    proxied.port = String(proxy.port);
    databaseName = proxied.pathname.slice(1);
    proxiedUrl = proxied.toString();
    fake = await startFakeProviders();
    // No in-process answer cache and short key trust: every request reads the database. A short query timeout,
    // so a stalled network answers well within DEADLINE_MS; the suite opens the store itself (behind the proxy),
    // with the timeout the container would pass from the same config.
    const env = fakeProviderEnv(fake, { ANSWER_CACHE_MEMORY_ENTRIES: '0', AUTH_CACHE_TTL_MS: '0', PROVIDER_TIMEOUT_MS: '5000', DATABASE_QUERY_TIMEOUT_MS: '3000' });
    const store = await openStore({ databaseUrl: proxied.toString(), queryTimeoutMs: loadConfig(env).DATABASE_QUERY_TIMEOUT_MS });
    t = await createTestApp({ store, env });
    await createCorpus(t, 'kb');
    documentId = (await uploadText(t, 'kb', 'warranty.txt', WARRANTY)).documentId;
  }, 60_000);

  afterAll(async () => {
    await proxy?.restore();
    await t?.close();
    await proxy?.close();
    await fake?.close();
    await database?.drop();
  }, 30_000);

  beforeEach(async () => {
    fake.reset();
    await proxy.restore();
  });

  async function expectRecovered(question: string): Promise<void> {
    const ready = await t.app.inject({ method: 'GET', url: '/readyz' });
    expect(ready.statusCode, ready.body).toBe(200);
    const corpus = await t.app.inject({ method: 'GET', url: '/v1/corpora/kb', headers: bearer(t.adminKey) });
    expect(corpus.statusCode, corpus.body).toBe(200);
    const answer = await askRequest(t, 'kb', question);
    expect(answer.statusCode, answer.body).toBe(200);
    expect(answer.json()).toMatchObject({ refused: false, degraded: false });
  }

  /** The trace the answer names, read through the API: 503 while the database is down, the trace once it is back. */
  async function traceRequest(traceId: string) {
    return t.app.inject({ method: 'GET', url: `/v1/traces/${traceId}`, headers: bearer(t.adminKey) });
  }

  // Nothing an answer does after retrieval waits for the database (the trace and the token usage are written
  // in batches, kept in memory while the store is down): an answer whose connection drops while the provider
  // generates is still given, verified, and its trace is written once the database is back. Requests that need
  // the database while it is down answer 503 (the trace read here; every read and the upload below).
  it('a JSON answer waiting on the provider when the connection drops is still given; its trace lands once the database is back', async () => {
    fake.script('openai.chat', [{ stallMs: 1_000 }]);
    const pending = timed(askRequest(t, 'kb', 'How long is the warranty period?'));
    // The answer has read the database (auth, corpus, retrieval) and now waits on the provider.
    await waitFor(() => fake.callCount('openai.chat') === 1, 'the provider call');
    expect(proxy.connections()).toBeGreaterThan(0);
    proxy.cut();
    await proxy.refuse(true);
    const { value: response, ms } = await pending;
    expect(ms).toBeLessThan(DEADLINE_MS);
    expect(response.statusCode, response.body).toBe(200);
    const body = response.json() as { refused: boolean; traceId: string; citations: { verified: boolean; chunkId: string }[] };
    expect(body.refused).toBe(false);
    expect(body.citations.length).toBeGreaterThan(0);
    expect(body.citations.every((citation) => citation.verified)).toBe(true);

    const notReady = await t.app.inject({ method: 'GET', url: '/readyz' });
    expect(notReady.statusCode).toBe(503);
    expect(notReady.json().error.code).toBe('STORE_UNAVAILABLE');
    const unreadable = await traceRequest(body.traceId);
    expect(unreadable.statusCode, unreadable.body).toBe(503);
    expect(unreadable.json().error.code).toBe('STORE_UNAVAILABLE');
    expect(Number(unreadable.headers['retry-after'])).toBeGreaterThanOrEqual(1);

    await proxy.restore();
    const trace = await traceRequest(body.traceId);
    expect(trace.statusCode, trace.body).toBe(200);
    expect(trace.json()).toMatchObject({ id: body.traceId, refused: false, citedChunkIds: body.citations.map((citation) => citation.chunkId) });
    await expectRecovered('How long is the warranty period?');
  });

  it('a streamed answer whose connection drops while the provider generates ends with done, never a half answer; its trace lands later', async () => {
    fake.script('openai.chat', [{ stallMs: 1_000 }]);
    const pending = timed(askRequest(t, 'kb', 'What does the warranty cover?', { headers: { accept: 'text/event-stream' } }));
    await waitFor(() => fake.callCount('openai.chat') === 1, 'the provider call');
    proxy.cut();
    await proxy.refuse(true);
    const { value: response, ms } = await pending;
    expect(ms).toBeLessThan(DEADLINE_MS);
    expect(response.statusCode).toBe(200);
    const events = parseSse(response.body);
    const names = events.map((event) => event.event);
    expect(names[0]).toBe('retrieval');
    expect(names).not.toContain('error');
    expect(names.filter((name) => name === 'done')).toHaveLength(1);
    expect(names.at(-1)).toBe('done');
    const done = events.at(-1)!.data as { traceId: string; refused: boolean; citations: { verified: boolean }[] };
    expect(done.refused).toBe(false);
    expect(done.citations.every((citation) => citation.verified)).toBe(true);

    await proxy.restore();
    const trace = await traceRequest(done.traceId);
    expect(trace.statusCode, trace.body).toBe(200);
    expect(trace.json()).toMatchObject({ id: done.traceId });
    await expectRecovered('What does the warranty cover?');
  });

  it('reads while the database refuses connections answer 503 STORE_UNAVAILABLE promptly, and 200 once it is back', async () => {
    proxy.cut();
    await proxy.refuse(true);
    for (const url of ['/v1/corpora/kb', `/v1/documents/${documentId}`, '/v1/corpora/kb/documents']) {
      const { value: response, ms } = await timed(t.app.inject({ method: 'GET', url, headers: bearer(t.adminKey) }));
      expect(ms, url).toBeLessThan(DEADLINE_MS);
      expect(response.statusCode, `${url}: ${response.body}`).toBe(503);
      expect(response.json().error.code).toBe('STORE_UNAVAILABLE');
      expect(Number(response.headers['retry-after'])).toBeGreaterThanOrEqual(1);
    }
    await proxy.restore();
    await expectRecovered('Is the motor covered by the warranty?');
    const document = await t.app.inject({ method: 'GET', url: `/v1/documents/${documentId}`, headers: bearer(t.adminKey) });
    expect(document.statusCode).toBe(200);
  });

  it('backends terminated by the server (pg_terminate_backend) never surface as 500, and the pool reconnects', async () => {
    // Open a few pooled connections first, so there are backends to terminate.
    await Promise.all([1, 2, 3].map(() => t.app.inject({ method: 'GET', url: '/v1/corpora/kb', headers: bearer(t.adminKey) })));
    const admin = new pg.Client({ connectionString: POSTGRES_ADMIN_URL });
    await admin.connect();
    let terminated: number;
    try {
      const result = await admin.query<{ pid: number }>('SELECT pg_terminate_backend(pid), pid FROM pg_stat_activity WHERE datname = $1 AND pid <> pg_backend_pid()', [
        databaseName,
      ]);
      terminated = result.rowCount ?? 0;
    } finally {
      await admin.end();
    }
    expect(terminated).toBeGreaterThan(0);
    const statuses: number[] = [];
    for (let i = 0; i < 5; i += 1) {
      const response = await t.app.inject({ method: 'GET', url: '/v1/corpora/kb', headers: bearer(t.adminKey) });
      statuses.push(response.statusCode);
      if (response.statusCode !== 200) expect(response.json().error.code, response.body).toBe('STORE_UNAVAILABLE');
    }
    expect(statuses.every((status) => status === 200 || status === 503), statuses.join(',')).toBe(true);
    expect(statuses.at(-1)).toBe(200);
    await expectRecovered('How long is the warranty period after purchase?');
  });

  it('an upload whose transaction loses its connection answers 503 and the process survives', async () => {
    // A lock held elsewhere parks the upload's transaction on its first write, on a checked-out pool client.
    const locker = new pg.Client({ connectionString: database.url });
    await locker.connect();
    try {
      await locker.query('BEGIN');
      await locker.query('LOCK TABLE documents IN ACCESS EXCLUSIVE MODE');
      const pending = timed(uploadRequest(t, 'kb', { name: 'late.txt', bytes: 'The late document says nothing new.', contentType: 'text/plain' }));
      const deadline = Date.now() + 5_000;
      for (;;) {
        const waiting = await locker.query<{ n: string }>("SELECT count(*) AS n FROM pg_locks WHERE NOT granted AND relation = 'documents'::regclass");
        if (Number(waiting.rows[0]?.n) > 0) break;
        if (Date.now() > deadline) throw new Error('the upload never waited on the lock');
        await new Promise((resolveSleep) => setTimeout(resolveSleep, 10));
      }
      proxy.cut();
      await proxy.refuse(true);
      const { value: response, ms } = await pending;
      expect(ms).toBeLessThan(DEADLINE_MS);
      expect(response.statusCode, response.body).toBe(503);
      expect(response.json().error.code).toBe('STORE_UNAVAILABLE');
    } finally {
      await locker.query('ROLLBACK').catch(() => undefined);
      await locker.end();
    }
    await proxy.restore();
    await expectRecovered('How long is the warranty, in years?');
  });

  it('requests while the network to the database drops packets answer 503 within the query timeout, then recover', async () => {
    proxy.stall();
    const { value: response, ms } = await timed(t.app.inject({ method: 'GET', url: '/v1/corpora/kb', headers: bearer(t.adminKey) }));
    expect(ms).toBeLessThan(DEADLINE_MS);
    expect(response.statusCode, response.body).toBe(503);
    expect(response.json().error.code).toBe('STORE_UNAVAILABLE');
    proxy.cut();
    await proxy.restore();
    // An idle pooled connection whose cut the pool has not noticed yet fails its next statement (seen: the first
    // /readyz right after the cut, 503 in 1 ms); recovery is the next attempt, within a second.
    const recoveryDeadline = Date.now() + 2_000;
    while ((await t.app.inject({ method: 'GET', url: '/readyz' })).statusCode !== 200) {
      if (Date.now() > recoveryDeadline) throw new Error('not ready 2 s after the network came back');
      await new Promise((resolveSleep) => setTimeout(resolveSleep, 50));
    }
    await expectRecovered('Does the warranty cover the motor?');
  });

  it('a connection whose statement timed out is dropped, not handed on to the next statement', async () => {
    // One connection, so a stuck one returned to the pool would be the one the next statement gets.
    const single = await openStore({ databaseUrl: proxiedUrl, poolSize: 1, queryTimeoutMs: 500 });
    try {
      await single.ping();
      // That connection's path dies; the server itself stays reachable for new connections.
      proxy.stall({ existingOnly: true });
      await expect(single.ping()).rejects.toThrow(/query read timeout/iu);
      const afterPing = await timed(single.ping());
      expect(afterPing.ms).toBeLessThan(400);

      // The same through a transaction, whose client drizzle releases without an error after the rollback.
      proxy.stall({ existingOnly: true });
      await expect(single.db.transaction(async (tx) => tx.execute(sql`SELECT 1`))).rejects.toThrow();
      const afterTransaction = await timed(single.query<{ one: number }>(sql`SELECT 1 AS one`));
      expect(afterTransaction.value).toEqual([{ one: 1 }]);
      expect(afterTransaction.ms).toBeLessThan(400);
    } finally {
      // The app's own connections were stalled too: end them so the pool reconnects.
      proxy.cut();
      await single.close();
    }
  });

  it('two processes migrating at once both finish and leave no advisory lock held', async () => {
    const stores = await Promise.all([1, 2].map(() => openStore({ databaseUrl: database.url, poolSize: 2 })));
    try {
      await Promise.all(stores.map((store) => migrateStore(store)));
      // Taken and released on one connection: through the pool the unlock could run on another connection
      // (where it fails) and leave the lock held by an idle pooled connection, blocking every later start.
      const held = await stores[0]!.query<{ n: string }>(
        sql`SELECT count(*) AS n FROM pg_locks WHERE locktype = 'advisory' AND objid IN (7242001, 7242002) AND database = (SELECT oid FROM pg_database WHERE datname = current_database())`,
      );
      expect(Number(held[0]?.n)).toBe(0);
    } finally {
      await Promise.all(stores.map((store) => store.close()));
    }
  });
});
