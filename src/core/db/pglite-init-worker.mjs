// Creates a PGlite data directory (initdb) and exits: see initializeDataDir in client.ts for why in a worker.
import { parentPort, workerData } from 'node:worker_threads';
import { PGlite } from '@electric-sql/pglite';
import { vector } from '@electric-sql/pglite-pgvector';

const { location, startParams } = workerData;
const client = await PGlite.create(location, { extensions: { vector }, startParams: [...PGlite.defaultStartParams, ...startParams] });
await client.query('CREATE EXTENSION IF NOT EXISTS vector');
await client.close();
parentPort?.postMessage('initialized');
