import { spawn, type ChildProcess } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import { loadConfig } from '../../src/core/config';
import { queryRows } from '../../src/core/db/client';
import { ensureTenant } from '../../src/core/tenancy';
import { createContainer, type Container } from '../../src/container';
import { createTestDatabase, REDIS_URL, requireService } from '../helpers/services';

const ready = (await requireService('postgres', 'canary schedule on two workers')) && (await requireService('redis', 'canary schedule on two workers'));

function startWorker(env: Record<string, string>): { child: ChildProcess; ready: Promise<void>; output: () => string } {
  const child = spawn(process.execPath, ['--import', 'tsx', 'ingestion/worker-main.ts'], { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  const readyPromise = new Promise<void>((resolve, reject) => {
    child.stdout?.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      if (output.includes('attest worker ready')) resolve();
    });
    child.stderr?.on('data', (chunk: Buffer) => {
      output += chunk.toString();
    });
    child.once('exit', (code) => reject(new Error(`worker exited with ${code}: ${output}`)));
  });
  return { child, ready: readyPromise, output: () => output };
}

describe.runIf(ready)('scheduled canaries with two worker processes on one Redis', () => {
  let database: Awaited<ReturnType<typeof createTestDatabase>>;
  let api: Container;
  const workers: ReturnType<typeof startWorker>[] = [];
  const queue = `canary-${process.pid}-${Date.now()}`;

  beforeAll(async () => {
    database = await createTestDatabase();
    const env = { DATABASE_URL: database.url, REDIS_URL, JOB_QUEUE_NAME: queue, CANARY_CRON: '* * * * * *', LOG_LEVEL: 'silent' };
    // The API side: creates the corpus (and so its job scheduler) but runs no worker.
    api = await createContainer(loadConfig(env));
    for (let index = 0; index < 2; index++) workers.push(startWorker(env));
    await Promise.all(workers.map((worker) => worker.ready));
  }, 120_000);

  afterAll(async () => {
    for (const worker of workers) worker.child.kill('SIGKILL');
    const scheduler = api?.scheduler;
    const corpora = await api?.store.db.query.corpora.findMany();
    for (const corpus of corpora ?? []) await scheduler?.remove(`canary-${corpus.id}`).catch(() => undefined);
    await api?.close();
    await database?.drop();
  });

  it('runs exactly once per tick however many workers consume the queue', async () => {
    const tenant = await ensureTenant(api.store.db, 'schedule');
    const corpus = await api.services.corpora.create(tenant.id, 'nightly');
    await new Promise((resolve) => setTimeout(resolve, 5_000));
    const rows = await queryRows<{ tick_key: string; runs: number }>(
      api.store.db,
      sql`SELECT tick_key, count(*)::int AS runs FROM canary_runs WHERE corpus_id = ${corpus.id} AND trigger = 'schedule' GROUP BY tick_key`,
    );
    expect(rows.length, workers.map((worker) => worker.output()).join('\n')).toBeGreaterThanOrEqual(2);
    for (const row of rows) expect(row.runs).toBe(1);
    // No tick ran twice, which two consumers of per-process cron timers would do.
    const total = rows.reduce((sum, row) => sum + row.runs, 0);
    expect(total).toBe(rows.length);
  }, 60_000);
});
