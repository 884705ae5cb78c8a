/**
 * The racing-requests property (./races.ts) on real PostgreSQL, where statements
 * of concurrent requests interleave (PGlite runs one at a time, so the PGlite
 * run in json-routes.test.ts cannot show a check-then-insert race). Needs
 * Postgres with pgvector: skipped with a printed reason outside CI when it is
 * not reachable, a failure under CI=true.
 */
import fc from 'fast-check';
import { afterAll, describe, it } from 'vitest';
import { uploadText } from '../helpers/answers';
import { createTestApp, type TestApp } from '../helpers/app';
import { createCorpus } from '../helpers/ingestion';
import { storeTargets } from '../helpers/stores';
import { raceProperty } from './races';
import { fuzzSettings } from './support';

const postgres = (await storeTargets('API race fuzzing on PostgreSQL')).find((target) => target.name === 'postgres');

describe.runIf(postgres !== undefined)('API race fuzzing on PostgreSQL', () => {
  let t: TestApp | undefined;
  // Closing the app closes its store, which drops the test database.
  afterAll(() => t?.close());

  it('no 5xx and no hang when identical valid requests (with or without one Idempotency-Key) run at once', async () => {
    const store = await postgres!.open();
    t = await createTestApp({
      store,
      env: { RATE_LIMIT_QUERY_PER_MINUTE: '1000000', RATE_LIMIT_INGEST_PER_MINUTE: '1000000', RATE_LIMIT_ADMIN_PER_MINUTE: '1000000', MAX_CONCURRENT_ANSWERS: '200' },
      logger: process.env.FUZZ_LOG === '1' ? { level: 'error' } : false,
    });
    const corpus = await createCorpus(t, 'race main');
    const doc = await uploadText(t, 'race main', 'router.txt', 'To reset the router, hold the reset button for ten seconds.');
    const tenant = await t.app.inject({ method: 'POST', url: '/v1/admin/tenants', headers: { authorization: `Bearer ${t.adminKey}` }, payload: { name: 'race-own-tenant' } });
    await fc.assert(raceProperty(t.app, t.adminKey, { corpusName: 'race main', activeBuildId: corpus.activeBuildId, documentId: doc.documentId, tenantName: (tenant.json() as { name: string }).name }), fuzzSettings(20));
  }, 300_000);
});
