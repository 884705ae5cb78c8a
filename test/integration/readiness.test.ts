import { describe, expect, it } from 'vitest';
import { buildApp } from '../../src/api/app';
import { createAuthenticator } from '../../src/api/auth';
import type { AppDeps } from '../../src/api/deps';
import { Metrics } from '../../src/api/metrics';
import { loadConfig } from '../../src/core/config';
import { openStore } from '../../src/core/db/client';
import { InlineJobQueue } from '../../src/jobs/inline-queue';
import { JobRecords } from '../../src/jobs/job-records';

describe('readiness', () => {
  it('answers 503 naming the store when DATABASE_URL points at a closed port', async () => {
    const store = await openStore({ databaseUrl: 'postgres://postgres@127.0.0.1:9/attest', poolSize: 1 });
    const records = new JobRecords(store.db);
    const deps = {
      config: loadConfig({}),
      store,
      jobs: new InlineJobQueue(records),
      jobRecords: records,
      authenticate: createAuthenticator(store.db),
      readiness: [{ name: 'store', check: () => store.ping() }],
      services: {} as AppDeps['services'],
      limits: {} as AppDeps['limits'],
      idempotency: {} as AppDeps['idempotency'],
      metrics: new Metrics(),
    } satisfies AppDeps;
    const app = await buildApp(deps);
    try {
      const ready = await app.inject({ method: 'GET', url: '/readyz' });
      expect(ready.statusCode).toBe(503);
      expect(ready.json()).toMatchObject({
        status: 'unavailable',
        checks: { store: 'unreachable' },
        error: { code: 'STORE_UNAVAILABLE', details: { unreachable: ['store'] } },
      });
      // The process itself is up: liveness stays green so an orchestrator does not restart it for a DB outage.
      expect((await app.inject({ method: 'GET', url: '/healthz' })).statusCode).toBe(200);
    } finally {
      await app.close();
      await store.close();
    }
  });
});
