import type { FastifyInstance } from 'fastify';
import { buildApp, type BuildAppOptions } from '../../src/api/app';
import { createApiKey, ensureTenant } from '../../src/core/tenancy';
import type { Scope } from '../../src/core/api-keys';
import { loadConfig } from '../../src/core/config';
import type { Store } from '../../src/core/db/client';
import { createContainer, type Container, type ContainerOptions } from '../../src/container';
import { InlineJobQueue } from '../../src/jobs/inline-queue';
import { JobRecords } from '../../src/jobs/job-records';
import { memoryStore } from './stores';

export interface TestApp {
  app: FastifyInstance;
  container: Container;
  /** Admin key of tenant "default". */
  adminKey: string;
  keyFor(tenant: string, scopes: Scope[]): Promise<string>;
  /** Waits until the inline job queue has nothing running or waiting. */
  idle(): Promise<void>;
  close(): Promise<void>;
}

export type TestAppOptions = { store: Store; env?: Record<string, string>; logger?: BuildAppOptions['logger']; appOptions?: Omit<BuildAppOptions, 'logger'> } & Omit<ContainerOptions, 'store' | 'jobs'>;

export async function createTestApp(options: TestAppOptions): Promise<TestApp> {
  // Models fetched into ./data/models on a dev machine must not switch every suite to the neural embedder.
  const config = loadConfig({ LOG_LEVEL: 'silent', LOCAL_MODELS: 'off', ...options.env });
  const jobs = new InlineJobQueue(new JobRecords(options.store.db), { queue: 'attest', concurrency: 2, retry: { maxAttempts: 3, backoffMs: 10 } });
  const container = await createContainer(config, { ...options, jobs });
  await jobs.startWorker();
  const app = await buildApp(container, { ...options.appOptions, logger: options.logger });
  const keyFor = async (tenantName: string, scopes: Scope[]) => {
    const tenant = await ensureTenant(container.store.db, tenantName);
    return (await createApiKey(container.store.db, { tenantId: tenant.id, name: `test-${scopes.join('-')}`, scopes })).key;
  };
  const adminKey = await keyFor('default', ['admin', 'ingest', 'query']);
  return {
    app,
    container,
    adminKey,
    keyFor,
    idle: () => jobs.idle(),
    async close() {
      await app.close();
      await container.close();
    },
  };
}

/** createTestApp on a fresh in-memory PGlite store of its own, closed with the app. */
export async function createMemoryApp(options: Omit<TestAppOptions, 'store'> = {}): Promise<TestApp> {
  return createTestApp({ ...options, store: await memoryStore() });
}

export function bearer(key: string): Record<string, string> {
  return { authorization: `Bearer ${key}` };
}
