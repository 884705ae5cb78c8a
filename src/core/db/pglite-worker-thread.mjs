// @ts-check
/**
 * The embedded database's thread: one PGlite, off the main event loop (see pglite-worker.ts for why and for the
 * main side). Plain JavaScript so that it runs the same under tsx, vitest and node (a .ts worker would need a
 * loader in each).
 *
 * Messages in (each with a numeric `id`, answered once):
 *   { op: 'query', text, params, rowMode?, rawTypes?, paramTypes?, blob?: ArrayBuffer, tx? }  |  { op: 'exec', text, tx? }
 *   { op: 'begin' }  |  { op: 'commit', tx }  |  { op: 'rollback', tx }  |  { op: 'close' }  |  { op: 'crash' } (tests)
 * Messages out: { type: 'ready' } | { type: 'init-error', error } | { id, ok: true, value } | { id, ok: false, error }
 *
 * `rawTypes`: type OIDs the caller parses itself (drizzle passes parser functions, which cannot cross threads):
 * their values come back as PostgreSQL's text, unparsed.
 */
import { Blob } from 'node:buffer';
import { setImmediate } from 'node:timers';
import v8 from 'node:v8';
import { parentPort, workerData } from 'node:worker_threads';
import { useGunzipInJs } from '../threads/gunzip-in-js.mjs';
import { nameThisThread } from '../threads/this-thread.mjs';

/** @type {{ dataDir: string, startParams: string[], liftoffOnly: boolean, loadDataDir?: ArrayBuffer }} */
const options = workerData;
const port = /** @type {import('node:worker_threads').MessagePort} */ (parentPort);

// Process-wide and read when a WASM module is compiled: set before PGlite compiles its engine (see chooseWasmTier).
if (options.liftoffOnly) v8.setFlagsFromString('--liftoff-only');

nameThisThread('attest-pglite');
// PGlite inflates pgvector's bundle with zlib's createGunzip as it starts: no zlib handle on a thread that may be
// terminated (gunzip-in-js.mjs says why).
useGunzipInJs();

/** A DatabaseError (or any error) as plain data: its own fields that survive structured cloning, none of the query's. */
function serializeError(/** @type {unknown} */ error) {
  if (!(error instanceof Error)) return { name: 'Error', message: String(error), fields: {} };
  /** @type {Record<string, string | number | boolean>} */
  const fields = {};
  for (const [key, value] of Object.entries(error)) {
    // query/params/queryOptions are what drizzle adds itself; they may hold functions or document text.
    if (key === 'query' || key === 'params' || key === 'queryOptions') continue;
    if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') fields[key] = value;
  }
  return { name: error.name, message: error.message, fields, database: DatabaseError !== undefined && error instanceof DatabaseError };
}

/** @type {(new (...args: any[]) => Error) | undefined} */
let DatabaseError;
let pg;
try {
  const { PGlite, messages } = await import('@electric-sql/pglite');
  DatabaseError = messages.DatabaseError;
  const { vector } = await import('@electric-sql/pglite-pgvector');
  pg = await PGlite.create(options.dataDir, {
    extensions: { vector },
    startParams: [...PGlite.defaultStartParams, ...options.startParams],
    ...(options.loadDataDir ? { loadDataDir: new Blob([options.loadDataDir]) } : {}),
  });
} catch (error) {
  port.postMessage({ type: 'init-error', error: serializeError(error) });
  port.close();
}

if (pg) {
  const db = pg;
  /** @type {Map<number, { client: import('@electric-sql/pglite').Transaction, finish: (commit: boolean) => void, done: Promise<unknown> }>} */
  const transactions = new Map();
  let nextTransaction = 1;

  const identity = (/** @type {string} */ value) => value;

  /** @param {any} message */
  async function query(message) {
    const client = message.tx === undefined ? db : transactions.get(message.tx)?.client;
    if (!client) throw new Error(`PGlite worker: transaction ${message.tx} is not open`);
    /** @type {Record<string, unknown>} */
    const queryOptions = {};
    if (message.rowMode) queryOptions.rowMode = message.rowMode;
    if (message.rawTypes?.length) queryOptions.parsers = Object.fromEntries(message.rawTypes.map((/** @type {number} */ oid) => [oid, identity]));
    if (message.paramTypes) queryOptions.paramTypes = message.paramTypes;
    if (message.blob) queryOptions.blob = new Blob([message.blob]);
    const result = await client.query(message.text, message.params ?? [], queryOptions);
    if (!result.blob) return { value: result, transfer: [] };
    const bytes = await result.blob.arrayBuffer();
    return { value: { ...result, blob: bytes }, transfer: [bytes] };
  }

  /** Rejects a transaction's callback so that PGlite rolls it back; not a failure to report. */
  const ROLLBACK = new Error('rollback requested');

  /** Opens a transaction and holds PGlite's connection until its commit or rollback message. */
  function begin() {
    const id = nextTransaction++;
    /** @type {(commit: boolean) => void} */
    let finish = () => undefined;
    const decided = new Promise((resolveDecision, rejectDecision) => {
      finish = (commit) => (commit ? resolveDecision(undefined) : rejectDecision(ROLLBACK));
    });
    return new Promise((resolveBegin, rejectBegin) => {
      let opened = false;
      const done = db.transaction(async (client) => {
        opened = true;
        transactions.set(id, { client, finish, done });
        resolveBegin({ value: id, transfer: [] });
        await decided;
      });
      // A failed BEGIN fails the begin message; any later outcome is the commit or rollback message's to report.
      done.catch((error) => {
        if (!opened) rejectBegin(error);
      });
    });
  }

  /** @param {number} id @param {boolean} commit */
  async function end(id, commit) {
    const transaction = transactions.get(id);
    if (!transaction) throw new Error(`PGlite worker: transaction ${id} is not open`);
    transactions.delete(id);
    transaction.finish(commit);
    try {
      await transaction.done;
    } catch (error) {
      if (error !== ROLLBACK) throw error;
    }
    return { value: undefined, transfer: [] };
  }

  let closing = false;

  /** @param {any} message @returns {Promise<{ value: unknown, transfer: ArrayBuffer[] }>} */
  async function handle(message) {
    switch (message.op) {
      case 'query':
        return query(message);
      case 'exec': {
        const client = message.tx === undefined ? db : transactions.get(message.tx)?.client;
        if (!client) throw new Error(`PGlite worker: transaction ${message.tx} is not open`);
        return { value: await client.exec(message.text), transfer: [] };
      }
      case 'begin':
        return /** @type {Promise<{ value: unknown, transfer: ArrayBuffer[] }>} */ (begin());
      case 'commit':
        return end(message.tx, true);
      case 'rollback':
        return end(message.tx, false);
      case 'close':
        closing = true;
        await db.close();
        return { value: undefined, transfer: [] };
      default:
        throw new Error(`PGlite worker: unknown operation ${String(message.op)}`);
    }
  }

  port.on('message', (/** @type {any} */ message) => {
    if (message.op === 'crash') {
      // Tests: dies as a thread killed mid-work would, with whatever is in flight unanswered.
      setImmediate(() => {
        throw new Error('PGlite worker crash requested by a test');
      });
      return;
    }
    if (closing) {
      port.postMessage({ id: message.id, ok: false, error: { name: 'Error', message: 'PGlite is closed', fields: {} } });
      return;
    }
    handle(message).then(
      ({ value, transfer }) => {
        port.postMessage({ id: message.id, ok: true, value }, transfer);
        if (message.op === 'close') port.close();
      },
      (error) => port.postMessage({ id: message.id, ok: false, error: serializeError(error) }),
    );
  });
  port.postMessage({ type: 'ready' });
}
