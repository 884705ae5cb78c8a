/**
 * Writes the API's OpenAPI document (src/client/openapi.json) and the typed client's types
 * (src/client/schema.ts) from the routes as they are. Run after changing a route or a response schema;
 * test/integration/openapi.test.ts fails while they are stale.
 */
import { writeFile } from 'node:fs/promises';
import { buildApp } from '../src/api/app';
import { clientTypesOf } from '../src/client/generate';
import { loadConfig } from '../src/core/config';
import { migrateStore, openStore } from '../src/core/db/client';
import { createContainer } from '../src/container';
import { InlineJobQueue } from '../src/jobs/inline-queue';
import { JobRecords } from '../src/jobs/job-records';

const store = await openStore({ dataDir: 'memory://' });
await migrateStore(store);
const jobs = new InlineJobQueue(new JobRecords(store.db), { queue: 'attest', concurrency: 1, retry: { maxAttempts: 1, backoffMs: 10 } });
const container = await createContainer(loadConfig({ LOG_LEVEL: 'silent' }), { store, jobs });
const app = await buildApp(container);
const document = app.swagger();
await writeFile(new URL('../src/client/openapi.json', import.meta.url), `${JSON.stringify(document, null, 2)}\n`);
await writeFile(new URL('../src/client/schema.ts', import.meta.url), await clientTypesOf(document));
await app.close();
await container.close();
console.log('wrote src/client/openapi.json and src/client/schema.ts');
