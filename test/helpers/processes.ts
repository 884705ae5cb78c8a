import { spawn, type ChildProcess } from 'node:child_process';
import { resolve } from 'node:path';
import { Queue } from 'bullmq';
import { sql } from 'drizzle-orm';
import { buildApp } from '../../src/api/app';
import { loadConfig } from '../../src/core/config';
import type { Store } from '../../src/core/db/client';
import { createApiKey, ensureTenant } from '../../src/core/tenancy';
import { createContainer } from '../../src/container';
import { redisConnection } from '../../src/jobs/bullmq-queue';
import { expect } from 'vitest';
import type { TestApp } from './app';

/**
 * Child processes that tests start and kill: the ingestion worker
 * (`ingestion/worker-main.ts`) and the API server (`src/server.ts`), each in its
 * own process group so that a signal reaches everything it spawned.
 */
export const TSX_CLI = resolve(process.cwd(), 'node_modules/tsx/dist/cli.mjs');
export const WORKER_SCRIPT = resolve(process.cwd(), 'ingestion/worker-main.ts');
export const SERVER_SCRIPT = resolve(process.cwd(), 'src/server.ts');

export interface ChildHandle {
  child: ChildProcess;
  /** Everything the process printed so far (stdout and stderr interleaved). */
  output: () => string;
  /** Resolves with the exit code (null when a signal ended it). */
  exited: Promise<number | null>;
}

/** Entries override the test process's environment; an undefined entry removes the variable. */
export type ChildEnv = Record<string, string | undefined>;

export interface StartOptions {
  env: ChildEnv;
  /** Ready once the output contains this text, or once this probe resolves true. */
  ready: string | (() => Promise<boolean>);
  what: string;
  timeoutMs?: number;
}

/** Spawns `node <args>` detached (its own process group) and waits until it is ready; rejects if it exits first. */
export function startProcess(args: string[], options: StartOptions): Promise<ChildHandle> {
  const child = spawn(process.execPath, args, {
    cwd: process.cwd(),
    env: Object.fromEntries(Object.entries({ ...process.env, ...options.env }).filter((entry): entry is [string, string] => entry[1] !== undefined)),
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout!.on('data', (data: Buffer) => (output += data.toString()));
  child.stderr!.on('data', (data: Buffer) => (output += data.toString()));
  const exited = new Promise<number | null>((settle) => child.once('exit', (code) => settle(code)));
  const handle: ChildHandle = { child, output: () => output, exited };
  const timeoutMs = options.timeoutMs ?? 30_000;
  return new Promise((resolveReady, rejectReady) => {
    let settled = false;
    const finish = (error?: Error) => {
      if (settled) return;
      settled = true;
      clearTimeout(deadline);
      clearInterval(probe);
      child.stdout!.off('data', onData);
      if (error) {
        killGroup(handle, 'SIGKILL');
        rejectReady(error);
      } else resolveReady(handle);
    };
    const deadline = setTimeout(() => finish(new Error(`${options.what} did not start in ${timeoutMs} ms:\n${output}`)), timeoutMs);
    const ready = options.ready;
    const onData = () => {
      if (typeof ready === 'string' && output.includes(ready)) finish();
    };
    child.stdout!.on('data', onData);
    let probing = false;
    const probe = setInterval(() => {
      if (typeof ready === 'string' || probing || settled) return;
      probing = true;
      ready()
        .then((ok) => ok && finish())
        .catch(() => undefined)
        .finally(() => (probing = false));
    }, 50);
    void exited.then((code) => finish(new Error(`${options.what} exited (${code}) before it was ready:\n${output}`)));
  });
}

/** `tsx ingestion/worker-main.ts` (tsx runs the script in a child node process, hence the process group). */
export function startWorker(env: ChildEnv): Promise<ChildHandle> {
  return startProcess([TSX_CLI, WORKER_SCRIPT], { env, ready: 'attest worker ready', what: 'worker' });
}

/** `node --import tsx src/server.ts`: one process, so SIGTERM reaches the server's own shutdown handler. */
export function startServer(env: ChildEnv, baseUrl: string): Promise<ChildHandle> {
  const healthy = async () => (await fetch(`${baseUrl}/healthz`, { signal: AbortSignal.timeout(1_000) })).ok;
  return startProcess(['--import', 'tsx', SERVER_SCRIPT], { env, ready: healthy, what: 'server', timeoutMs: 60_000 });
}

export function isRunning(handle: ChildHandle | undefined): handle is ChildHandle {
  return handle?.child.pid !== undefined && handle.child.exitCode === null && handle.child.signalCode === null;
}

/** Signals the process's whole group (a launcher and what it runs). */
export function killGroup(handle: ChildHandle | undefined, signal: NodeJS.Signals): void {
  if (!isRunning(handle)) return;
  try {
    process.kill(-handle.child.pid!, signal);
  } catch {
    // already gone
  }
}

/** SIGKILLs each still-running process and waits (bounded) for it to be gone: for afterAll. */
export async function killAll(handles: Iterable<ChildHandle>): Promise<void> {
  for (const handle of handles) {
    killGroup(handle, 'SIGKILL');
    await Promise.race([handle.exited, new Promise((resolveWait) => setTimeout(resolveWait, 5_000))]);
  }
}

/**
 * The API side of a deployment with separate workers (`npm start` with
 * REDIS_URL): enqueues on BullMQ and never consumes; jobs run in worker
 * processes started with the same env. keyFor() returns the admin key.
 */
export async function startQueueApi(env: Record<string, string>): Promise<TestApp> {
  const container = await createContainer(loadConfig({ LOG_LEVEL: 'silent', ...env }));
  const app = await buildApp(container);
  const tenant = await ensureTenant(container.store.db, 'default');
  const adminKey = (await createApiKey(container.store.db, { tenantId: tenant.id, name: 'queue-api-test', scopes: ['admin', 'ingest', 'query'] })).key;
  return {
    app,
    container,
    adminKey,
    keyFor: async () => adminKey,
    idle: async () => undefined,
    async close() {
      await app.close();
      await container.close();
    },
  };
}

/** Removes a test queue's keys from Redis (best effort: the Redis may be gone). */
export async function obliterateQueue(redisUrl: string, queueName: string): Promise<void> {
  const queue = new Queue(queueName, { connection: { ...redisConnection(redisUrl), maxRetriesPerRequest: 1, enableOfflineQueue: false }, prefix: 'attest' });
  queue.on('error', () => undefined);
  await queue.obliterate({ force: true }).catch(() => undefined);
  await queue.close().catch(() => undefined);
}

/** What one document version left in the store and in one build's indexes, counted from the tables. */
export interface VersionRows {
  /** chunks rows of the version (any chunker). */
  chunks: number;
  /** (version, chunker, ordinal) keys held by more than one chunks row. */
  duplicateChunkKeys: number;
  buildChunks: number;
  vectors: number;
  postings: number;
  /** The version's chunks that are missing from build_chunks or chunk_vectors. */
  unindexedChunks: number;
  /** build_term_stats against a recount of build_chunks (a retry must not double-count). */
  statsDocCount: number;
  statsTotalLength: number;
  recountDocCount: number;
  recountTotalLength: number;
}

/** Exactly one copy of a version of `chunkCount` chunks: no duplicate chunk, every chunk in the build's postings and vectors. */
export function expectOneCopy(rows: VersionRows, chunkCount: number, label?: string): void {
  expect(rows.chunks, label).toBe(chunkCount);
  expect(rows.duplicateChunkKeys, label).toBe(0);
  expect(rows.buildChunks, label).toBe(chunkCount);
  expect(rows.vectors, label).toBe(chunkCount);
  expect(rows.unindexedChunks, label).toBe(0);
  expect(rows.postings, label).toBeGreaterThan(chunkCount);
}

export async function versionRows(store: Store, versionId: string, buildId: string): Promise<VersionRows> {
  const n = async (query: ReturnType<typeof sql>) => Number((await store.query<{ n: number | string | null }>(query))[0]?.n ?? 0);
  const [stats] = await store.query<{ doc_count: number | string; total_length: number | string }>(
    sql`SELECT doc_count, total_length FROM build_term_stats WHERE build_id = ${buildId}::uuid`,
  );
  return {
    chunks: await n(sql`SELECT count(*) AS n FROM chunks WHERE version_id = ${versionId}::uuid`),
    duplicateChunkKeys: await n(sql`SELECT count(*) AS n FROM (SELECT 1 FROM chunks WHERE version_id = ${versionId}::uuid GROUP BY chunker_hash, ordinal HAVING count(*) > 1) d`),
    buildChunks: await n(sql`SELECT count(*) AS n FROM build_chunks b JOIN chunks c ON c.id = b.chunk_id WHERE c.version_id = ${versionId}::uuid AND b.build_id = ${buildId}::uuid`),
    vectors: await n(sql`SELECT count(*) AS n FROM chunk_vectors v JOIN chunks c ON c.id = v.chunk_id WHERE c.version_id = ${versionId}::uuid AND v.build_id = ${buildId}::uuid`),
    postings: await n(sql`SELECT count(*) AS n FROM all_postings p JOIN chunks c ON c.id = p.chunk_id WHERE c.version_id = ${versionId}::uuid AND p.build_id = ${buildId}::uuid`),
    unindexedChunks: await n(sql`
      SELECT count(*) AS n FROM chunks c WHERE c.version_id = ${versionId}::uuid
        AND (NOT EXISTS (SELECT 1 FROM build_chunks b WHERE b.chunk_id = c.id AND b.build_id = ${buildId}::uuid)
          OR NOT EXISTS (SELECT 1 FROM chunk_vectors v WHERE v.chunk_id = c.id AND v.build_id = ${buildId}::uuid))`),
    statsDocCount: Number(stats?.doc_count ?? -1),
    statsTotalLength: Number(stats?.total_length ?? -1),
    recountDocCount: await n(sql`SELECT count(*) AS n FROM build_chunks WHERE build_id = ${buildId}::uuid`),
    recountTotalLength: await n(sql`SELECT coalesce(sum(doc_length), 0) AS n FROM build_chunks WHERE build_id = ${buildId}::uuid`),
  };
}
