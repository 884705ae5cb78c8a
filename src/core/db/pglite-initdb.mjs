// Creates a PGlite data directory (initdb) and exits: see initializeDataDir in client.ts for why in a child process.
// Usage: node pglite-initdb.mjs <location> <JSON array of extra postgres start parameters>
import { PGlite } from '@electric-sql/pglite';
import { vector } from '@electric-sql/pglite-pgvector';

const [location, startParams] = process.argv.slice(2);
const client = await PGlite.create(location, { extensions: { vector }, startParams: [...PGlite.defaultStartParams, ...JSON.parse(startParams)] });
await client.query('CREATE EXTENSION IF NOT EXISTS vector');
await client.close();
