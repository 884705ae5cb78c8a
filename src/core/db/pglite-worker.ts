import { Worker } from 'node:worker_threads';
import { isBackgroundWork } from '../background-work';
import { messages, type PGliteInterface, type QueryOptions, type Results, type Transaction } from '@electric-sql/pglite';

/**
 * PGlite on a worker thread of its own, behind an object that drizzle-orm/pglite and the store use as they would
 * PGlite itself (`query`, `exec`, `transaction`, `close`, `closed`, COPY's `/dev/blob`).
 *
 * Why: PGlite runs its engine synchronously on the thread that calls it. In-process, every ingestion statement
 * (postings COPY, chunk rows, vectors) held the event loop, and answers stalled while a large PDF ingested (a
 * 40-question stream: max 107 ms idle, 890 ms during a 352-page PDF). Here the main thread only clones
 * statements and rows.
 *
 * Semantics kept from PGlite: statements run one at a time in the order sent; a transaction holds the connection
 * from BEGIN to COMMIT/ROLLBACK and statements outside it wait (the worker runs PGlite's own `transaction`,
 * which its messages address by id); errors come back as PGlite's DatabaseError with the same `code`, `message`
 * and fields. Durability is PGlite's: a statement is answered only once PGlite returned, which is after its
 * writes reached the data directory's files.
 */

export interface PgliteWorkerOptions {
  /** PGlite's data directory, or `memory://`. */
  dataDir: string;
  /** Extra postgres start parameters (after PGlite's defaults). */
  startParams: string[];
  /** V8's baseline WASM compiler alone (process-wide; see chooseWasmTier in client.ts). */
  liftoffOnly: boolean;
  /** In-memory stores only: a dump of a data directory to start from (PGlite's loadDataDir), copied to the worker. */
  loadDataDir?: ArrayBuffer;
  /** When a background transaction may begin (default TRANSACTION_QUIET; `false`: at once, as PGlite does). */
  transactionQuiet?: TransactionQuiet | false;
}

/**
 * A background transaction (one begun by a job: ingestion's writes, src/core/background-work.ts) begins once no
 * statement outside a transaction from a request has been in flight for `quietMs`, or after `maxWaitMs` whatever
 * happens. Transactions begun for a request (an upload, a conversation turn) begin at once, as in PGlite.
 *
 * Why: a transaction holds PGlite's one connection until it ends, and statements sent meanwhile wait. An answer
 * sends its statements one after another with the event loop's work between them, so an ingestion transaction
 * begun in such a gap (one slice of a document's postings, its chunk rows) made the answer's next statement wait
 * the whole transaction, and an answer could wait behind several. Waiting for a quiet moment lets an answer under
 * way finish first. The bound keeps a steady stream of questions from holding ingestion back for more than that
 * per transaction.
 */
export interface TransactionQuiet {
  quietMs: number;
  maxWaitMs: number;
}

export const TRANSACTION_QUIET: TransactionQuiet = { quietMs: 10, maxWaitMs: 100 };

interface SerializedError {
  name: string;
  message: string;
  fields: Record<string, string | number | boolean>;
  database?: boolean;
}

type WorkerMessage =
  | { type: 'ready' }
  | { type: 'init-error'; error: SerializedError }
  | { id: number; ok: true; value: unknown }
  | { id: number; ok: false; error: SerializedError };

type Request =
  | { op: 'query'; text: string; params: unknown[]; rowMode?: 'array' | 'object'; rawTypes?: number[]; paramTypes?: number[]; blob?: ArrayBuffer; tx?: number }
  | { op: 'exec'; text: string; tx?: number }
  | { op: 'begin' }
  | { op: 'commit' | 'rollback'; tx: number }
  | { op: 'close' };

interface Pending {
  resolve(value: unknown): void;
  reject(error: Error): void;
}

const WORKER_URL = new URL('./pglite-worker-thread.mjs', import.meta.url);
const CLOSE_TIMEOUT_MS = 30_000;

/** The embedded database's thread stopped (crash, out of memory, or a failed start): nothing reaches it any more. */
export class PgliteWorkerStoppedError extends Error {
  override name = 'PgliteWorkerStoppedError';
}

/** An error from the worker as the error PGlite would have thrown in-process. */
function revive(serialized: SerializedError): Error {
  const error = serialized.database ? new messages.DatabaseError(serialized.message, 0, 'error') : Object.assign(new Error(serialized.message), { name: serialized.name });
  return Object.assign(error, serialized.fields);
}

/** Applies the caller's parsers (functions, which cannot cross threads) to the values the worker left as text. */
function parseRaw<T>(result: Results<T>, parsers: NonNullable<QueryOptions['parsers']>): void {
  const parsed = result.fields.map((field, index) => ({ index, name: field.name, parse: parsers[field.dataTypeID] })).filter((field) => field.parse);
  if (parsed.length === 0) return;
  for (const row of result.rows as unknown[]) {
    for (const field of parsed) {
      const record = row as Record<string | number, unknown>;
      const key = Array.isArray(row) ? field.index : field.name;
      const value = record[key];
      // PGlite calls a parser with the value alone (its ParserOptions type), whatever the caller's signature.
      if (typeof value === 'string') record[key] = field.parse!(value);
    }
  }
}

export class PgliteWorkerClient {
  private readonly pending = new Map<number, Pending>();
  private nextId = 1;
  private stopped: Error | undefined;
  private closing: Promise<void> | undefined;
  private readonly exited: Promise<void>;
  /** Requests' statements outside a transaction in flight, and when the last of them ended (performance.now()). */
  private loose = { inFlight: 0, lastEndedAt: -Infinity };

  private constructor(
    private readonly worker: Worker,
    private readonly quiet: TransactionQuiet | false,
  ) {
    this.exited = new Promise((resolveExit) => worker.once('exit', () => resolveExit()));
    worker.on('message', (message: WorkerMessage) => {
      if (!('id' in message)) return;
      const pending = this.pending.get(message.id);
      if (!pending) return;
      this.settled(message.id);
      if (message.ok) pending.resolve(message.value);
      else pending.reject(revive(message.error));
    });
    worker.on('error', (error) => this.stop(`uncaught error: ${error.message}`));
    worker.on('exit', (code) => this.stop(`exit code ${code}`));
  }

  /** Starts the worker and waits for PGlite to be open; rejects with the reason when it cannot start. */
  static async open(options: PgliteWorkerOptions): Promise<PgliteWorkerClient> {
    const worker = new Worker(WORKER_URL, { workerData: options });
    await new Promise<void>((resolveReady, rejectReady) => {
      const fail = (reason: string) => {
        cleanup();
        rejectReady(new PgliteWorkerStoppedError(`PGlite worker failed to start (${options.dataDir}): ${reason}`));
      };
      const onMessage = (message: WorkerMessage) => {
        if ('type' in message && message.type === 'ready') {
          cleanup();
          resolveReady();
        } else if ('type' in message && message.type === 'init-error') fail(message.error.message);
      };
      const onError = (error: Error) => fail(error.message);
      const onExit = (code: number) => fail(`exit code ${code}`);
      const cleanup = () => {
        worker.off('message', onMessage);
        worker.off('error', onError);
        worker.off('exit', onExit);
      };
      worker.on('message', onMessage);
      worker.once('error', onError);
      worker.once('exit', onExit);
    });
    const client = new PgliteWorkerClient(worker, options.transactionQuiet ?? TRANSACTION_QUIET);
    // Idle, the thread must not keep the process alive (in-process PGlite held no handle either).
    worker.unref();
    return client;
  }

  get closed(): boolean {
    return this.stopped !== undefined || this.closing !== undefined;
  }

  async query<T>(text: string, params: unknown[] = [], options?: QueryOptions): Promise<Results<T>> {
    return this.loosely(() => this.runQuery<T>(text, params, options, undefined));
  }

  async exec(text: string, options?: QueryOptions): Promise<Results[]> {
    if (options && Object.keys(options).length > 0) throw new Error('PGlite worker: exec takes no options');
    return this.loosely(async () => (await this.call({ op: 'exec', text })) as Results[]);
  }

  /**
   * PGlite's transaction, run in the worker: BEGIN here (for background work at a quiet moment, see
   * TransactionQuiet), the callback's statements by id, COMMIT or ROLLBACK after.
   */
  async transaction<T>(callback: (tx: Transaction) => Promise<T>): Promise<T> {
    if (this.quiet && isBackgroundWork()) await this.quietMoment(this.quiet);
    const id = (await this.call({ op: 'begin' })) as number;
    let closed = false;
    const ensureOpen = () => {
      if (closed) throw new Error('Transaction is closed');
    };
    const tx: Transaction = {
      query: async <R>(text: string, params?: unknown[], options?: QueryOptions) => {
        ensureOpen();
        return this.runQuery<R>(text, params ?? [], options, id);
      },
      sql: async () => {
        throw new Error('PGlite worker: tx.sql is not supported; use tx.query');
      },
      exec: async (text: string) => {
        ensureOpen();
        return (await this.call({ op: 'exec', text, tx: id })) as Results[];
      },
      rollback: async () => {
        ensureOpen();
        closed = true;
        await this.call({ op: 'rollback', tx: id });
      },
      listen: async () => {
        throw new Error('PGlite worker: LISTEN is not supported');
      },
      get closed() {
        return closed;
      },
    };
    let result: T;
    try {
      result = await callback(tx);
    } catch (error) {
      if (!closed) {
        closed = true;
        // The callback's error is the one to report; a worker that cannot roll back has stopped, and says so next call.
        await this.call({ op: 'rollback', tx: id }).catch(() => undefined);
      }
      throw error;
    }
    if (!closed) {
      closed = true;
      await this.call({ op: 'commit', tx: id });
    }
    return result;
  }

  /** Closes PGlite (its files flushed) and lets the thread end. */
  close(): Promise<void> {
    this.closing ??= (async () => {
      if (this.stopped) return;
      // Held until the thread is gone (settled() leaves it referenced while closing): the caller awaits its end.
      this.worker.ref();
      // A close that never comes back (a transaction left open forever) must not hang the shutdown.
      const timeout = setTimeout(() => void this.worker.terminate(), CLOSE_TIMEOUT_MS);
      await this.call({ op: 'close' }, true).catch(() => undefined);
      await this.exited;
      clearTimeout(timeout);
    })();
    return this.closing;
  }

  /** Tests only: the thread dies as a crash would, whatever is in flight unanswered. */
  simulateCrash(): void {
    this.worker.postMessage({ op: 'crash' });
  }

  /** A statement outside any transaction: a request's is counted for quietMoment (background work's are not). */
  private async loosely<T>(run: () => Promise<T>): Promise<T> {
    if (isBackgroundWork()) return run();
    this.loose.inFlight += 1;
    try {
      return await run();
    } finally {
      this.loose.inFlight -= 1;
      this.loose.lastEndedAt = performance.now();
    }
  }

  /** Resolves once no request's loose statement has been in flight for `quietMs`, after `maxWaitMs`, or once closing. */
  private async quietMoment({ quietMs, maxWaitMs }: TransactionQuiet): Promise<void> {
    const deadline = performance.now() + maxWaitMs;
    for (;;) {
      const now = performance.now();
      const quietFor = this.loose.inFlight > 0 ? 0 : now - this.loose.lastEndedAt;
      if (quietFor >= quietMs || now >= deadline || this.closed) return;
      await new Promise((resolve) => setTimeout(resolve, Math.max(1, Math.min(quietMs - quietFor, deadline - now))));
    }
  }

  private async runQuery<T>(text: string, params: unknown[], options: QueryOptions | undefined, tx: number | undefined): Promise<Results<T>> {
    const { rowMode, parsers, blob, paramTypes, ...rest } = options ?? {};
    if (Object.keys(rest).length > 0) throw new Error(`PGlite worker: unsupported query options ${Object.keys(rest).join(', ')}`);
    const rawTypes = parsers ? Object.keys(parsers).map(Number) : undefined;
    const request: Request = {
      op: 'query',
      text,
      params,
      ...(rowMode ? { rowMode } : {}),
      ...(rawTypes?.length ? { rawTypes } : {}),
      ...(paramTypes ? { paramTypes } : {}),
      ...(blob ? { blob: await blob.arrayBuffer() } : {}),
      ...(tx === undefined ? {} : { tx }),
    };
    const result = (await this.call(request)) as Results<T> & { blob?: ArrayBuffer | Blob };
    if (parsers) parseRaw(result, parsers);
    if (result.blob instanceof ArrayBuffer) result.blob = new Blob([result.blob]);
    return result as Results<T>;
  }

  private call(request: Request, evenIfClosing = false): Promise<unknown> {
    if (this.stopped) return Promise.reject(this.stopped);
    if (this.closing && !evenIfClosing) return Promise.reject(new Error('PGlite is closed'));
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      const transfer = request.op === 'query' && request.blob ? [request.blob] : [];
      try {
        this.worker.postMessage({ ...request, id }, transfer);
      } catch (error) {
        // A parameter that cannot be cloned (a function, a class instance PGlite would have stringified).
        reject(error instanceof Error ? error : new Error(String(error)));
        return;
      }
      if (this.pending.size === 0) this.worker.ref();
      this.pending.set(id, { resolve, reject });
    });
  }

  private settled(id: number): void {
    this.pending.delete(id);
    if (this.pending.size === 0 && this.closing === undefined) this.worker.unref();
  }

  /** The thread is gone: every statement in flight fails now, and every later one at once. */
  private stop(reason: string): void {
    if (this.stopped) return;
    const expected = this.closing !== undefined;
    this.stopped = expected
      ? new Error('PGlite is closed')
      : new PgliteWorkerStoppedError(`PGlite worker stopped (${reason}): the embedded database is unavailable until the process restarts`);
    for (const [id, pending] of this.pending) {
      this.settled(id);
      pending.reject(this.stopped);
    }
  }
}

/** What the store needs of a PGlite client, in-process or in the worker. */
export type PgliteClient = Pick<PGliteInterface, 'query' | 'exec' | 'transaction' | 'close' | 'closed'>;
