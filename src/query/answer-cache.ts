import { createHash } from 'node:crypto';
import { and, eq, gt, lt, sql } from 'drizzle-orm';
import { WriteBatcher } from '../core/write-batcher';
import type { Redis } from 'ioredis';
import type { Db } from '../core/db/client';
import { answerCache } from '../core/db/schema';

/** Exact answer cache: verified answers and refusals only, keyed by everything that can change them. */
export interface AnswerCache {
  get(key: string, tenantId: string): Promise<Record<string, unknown> | undefined>;
  set(key: string, tenantId: string, body: Record<string, unknown>, ttlSeconds: number): Promise<void>;
  /** Several entries in one round trip (one statement, one pipeline), later ones winning over earlier ones for a key. */
  setMany?(entries: readonly AnswerCacheEntry[]): Promise<void>;
  /** What this process holds for the key, without a round trip (caches with a local tier). */
  peek?(key: string, tenantId: string): Record<string, unknown> | undefined;
  /** The keys of the unexpired entries, up to `limit` (undefined when there are more). */
  liveKeys?(limit: number): Promise<string[] | undefined>;
}

export interface AnswerCacheEntry {
  key: string;
  tenantId: string;
  body: Record<string, unknown>;
  ttlSeconds: number;
}

export interface AnswerCacheKeyInput {
  tenantId: string;
  corpusId: string;
  buildId: string;
  generation: number;
  question: string;
  promptVersion: string;
  model: string;
  options: Record<string, unknown>;
}

/** Case, whitespace and trailing punctuation do not make a different question. */
export function normalizeQuestion(question: string): string {
  return question.normalize('NFKC').toLowerCase().replace(/\s+/g, ' ').replace(/[\s?.!]+$/u, '').trim();
}

export function answerCacheKey(input: AnswerCacheKeyInput): string {
  const canonical = JSON.stringify([
    input.tenantId,
    input.corpusId,
    input.buildId,
    input.generation,
    normalizeQuestion(input.question),
    input.promptVersion,
    input.model,
    Object.keys(input.options)
      .sort()
      .map((key) => [key, input.options[key]]),
  ]);
  return `answer:v1:${createHash('sha256').update(canonical).digest('hex')}`;
}

export class PostgresAnswerCache implements AnswerCache {
  constructor(private readonly db: Db) {}

  async get(key: string, tenantId: string) {
    const [row] = await this.db
      .select({ body: answerCache.body })
      .from(answerCache)
      .where(and(eq(answerCache.key, key), eq(answerCache.tenantId, tenantId), gt(answerCache.expiresAt, new Date())));
    return row?.body;
  }

  async set(key: string, tenantId: string, body: Record<string, unknown>, ttlSeconds: number) {
    await this.setMany([{ key, tenantId, body, ttlSeconds }]);
  }

  async liveKeys(limit: number) {
    const rows = await this.db
      .select({ key: answerCache.key })
      .from(answerCache)
      .where(gt(answerCache.expiresAt, new Date()))
      .limit(limit + 1);
    return rows.length > limit ? undefined : rows.map((row) => row.key);
  }

  async setMany(entries: readonly AnswerCacheEntry[]) {
    // An upsert may touch a row only once: the last entry for a key wins.
    const byKey = new Map(entries.map((entry) => [entry.key, entry]));
    if (byKey.size === 0) return;
    const now = Date.now();
    await this.db
      .insert(answerCache)
      .values([...byKey.values()].map(({ key, tenantId, body, ttlSeconds }) => ({ key, tenantId, body, expiresAt: new Date(now + ttlSeconds * 1000) })))
      .onConflictDoUpdate({ target: answerCache.key, set: { tenantId: sql`excluded.tenant_id`, body: sql`excluded.body`, expiresAt: sql`excluded.expires_at` } });
    // Opportunistic cleanup keeps the table from growing without a sweeper job.
    if (Math.random() < 0.01) await this.db.delete(answerCache).where(lt(answerCache.expiresAt, new Date()));
  }
}

export class RedisAnswerCache implements AnswerCache {
  constructor(private readonly redis: Redis) {}

  async get(key: string, tenantId: string) {
    const raw = await this.redis.get(`attest:${tenantId}:${key}`);
    return raw ? (JSON.parse(raw) as Record<string, unknown>) : undefined;
  }

  async set(key: string, tenantId: string, body: Record<string, unknown>, ttlSeconds: number) {
    await this.redis.set(`attest:${tenantId}:${key}`, JSON.stringify(body), 'EX', ttlSeconds);
  }

  async setMany(entries: readonly AnswerCacheEntry[]) {
    const pipeline = this.redis.pipeline();
    for (const { key, tenantId, body, ttlSeconds } of entries) pipeline.set(`attest:${tenantId}:${key}`, JSON.stringify(body), 'EX', ttlSeconds);
    const results = (await pipeline.exec()) ?? [];
    const failed = results.find(([error]) => error);
    if (failed?.[0]) throw failed[0];
  }
}

/**
 * An in-process LRU in front of the shared cache (Postgres or Redis). Keys
 * name the corpus generation and active build, so an entry is never stale in
 * content: the corpus row read on every request moves the key when documents
 * change. A hit here costs no round trip; entries live at most `ttlSeconds`
 * (as set) and `maxEntries` bounds memory.
 */
export class MemoryFrontedAnswerCache implements AnswerCache {
  private readonly entries = new Map<string, { tenantId: string; body: Record<string, unknown>; expiresAt: number }>();
  /** Shared-cache writes queued by `set` (write-behind), written in batches. */
  private readonly writes: WriteBatcher<AnswerCacheEntry> | undefined;
  /** With `soleWriter`: every key the shared cache may hold (read at start, then each key set). Undefined: unknown. */
  private sharedKeys: Set<string> | undefined;
  /** Keys set while the start-up read of the shared keys runs. */
  private pendingKeys: Set<string> | undefined;
  private readonly maxSharedKeys: number;

  constructor(
    private readonly shared: AnswerCache,
    private readonly options: {
      maxEntries: number;
      defaultTtlSeconds: number;
      now?: () => number;
      /**
       * `set` keeps the entry in memory and returns; the shared write follows within `writeDelayMs`,
       * batched with the other entries set meanwhile (one upsert, one Redis pipeline). Only with a memory
       * tier (maxEntries > 0). Why: that write (a jsonb upsert of the whole body, or a Redis SET) was a
       * round trip in every fresh answer's response time, for an entry this process already answers from
       * memory; on PGlite it is about 2 ms of the API thread's CPU, which a batch shares. Another process
       * may miss the entry for that long and compute the answer again; a failed write is only a later
       * miss (`onWriteError` is told).
       */
      writeBehind?: boolean;
      /** How long a write-behind entry waits for others to share its write (default 50 ms). */
      writeDelayMs?: number;
      onWriteError?: (error: unknown) => void;
      /**
       * Only this process writes the shared cache (the embedded PGlite, whose data directory one process
       * owns). Its keys are then read once at start and kept with every key set, and a key not among them
       * is a miss without a read. Why: on PGlite that read was ~0.9 ms of a fresh answer's ~12 ms service
       * time, for a row that cannot be there. A key kept but gone (expired, deleted) costs the read it costs now.
       */
      soleWriter?: boolean;
      /** Keys kept for `soleWriter` at most (default 100K); beyond them every miss reads the shared cache. */
      maxSharedKeys?: number;
    },
  ) {
    if (options.writeBehind && options.maxEntries > 0) {
      this.writes = new WriteBatcher<AnswerCacheEntry>({
        write: (entries) => (shared.setMany ? shared.setMany(entries) : Promise.all(entries.map((entry) => shared.set(entry.key, entry.tenantId, entry.body, entry.ttlSeconds))).then(() => undefined)),
        delayMs: options.writeDelayMs ?? 50,
        maxBatch: 100,
        maxPending: options.maxEntries,
        retryDelayMs: 1_000,
        onError: (error) => options.onWriteError?.(error),
      });
    }
    this.maxSharedKeys = options.maxSharedKeys ?? 100_000;
    if (options.soleWriter && shared.liveKeys) this.loadSharedKeys(shared.liveKeys.bind(shared));
  }

  private loadSharedKeys(liveKeys: NonNullable<AnswerCache['liveKeys']>): void {
    // Keys set while the read runs are kept too: the read may predate their writes.
    const setMeanwhile = new Set<string>();
    this.pendingKeys = setMeanwhile;
    liveKeys(this.maxSharedKeys)
      .then((keys) => {
        if (keys === undefined) return;
        const known = new Set([...keys, ...setMeanwhile]);
        if (known.size <= this.maxSharedKeys) this.sharedKeys = known;
      })
      .catch(() => undefined)
      .finally(() => (this.pendingKeys = undefined));
  }

  private now(): number {
    return this.options.now?.() ?? Date.now();
  }

  peek(key: string, tenantId: string): Record<string, unknown> | undefined {
    const entry = this.entries.get(key);
    return entry && entry.tenantId === tenantId && entry.expiresAt > this.now() ? entry.body : undefined;
  }

  async get(key: string, tenantId: string) {
    const entry = this.entries.get(key);
    if (entry && entry.tenantId === tenantId && entry.expiresAt > this.now()) {
      // Re-inserting moves it to the young end of the Map's insertion order.
      this.entries.delete(key);
      this.entries.set(key, entry);
      return entry.body;
    }
    if (entry && entry.expiresAt <= this.now()) this.entries.delete(key);
    if (this.sharedKeys && !this.sharedKeys.has(key)) return undefined;
    const body = await this.shared.get(key, tenantId);
    if (body) this.remember(key, tenantId, body, this.options.defaultTtlSeconds);
    return body;
  }

  async set(key: string, tenantId: string, body: Record<string, unknown>, ttlSeconds: number) {
    this.noteSharedKey(key);
    if (!this.writes) {
      await this.shared.set(key, tenantId, body, ttlSeconds);
      this.remember(key, tenantId, body, ttlSeconds);
      return;
    }
    this.remember(key, tenantId, body, ttlSeconds);
    this.writes.add({ key, tenantId, body, ttlSeconds });
  }

  private noteSharedKey(key: string): void {
    this.pendingKeys?.add(key);
    if (!this.sharedKeys) return;
    this.sharedKeys.add(key);
    // Too many to keep: from now on every miss reads the shared cache.
    if (this.sharedKeys.size > this.maxSharedKeys) this.sharedKeys = undefined;
  }

  /** Writes the queued shared-cache entries now and waits for them (before the store closes). */
  async flush(): Promise<void> {
    // A failure has been reported to onWriteError already.
    await this.writes?.flush().catch(() => undefined);
  }

  /** Drops every entry held in this process (the shared cache is untouched). */
  clear(): void {
    this.entries.clear();
  }

  private remember(key: string, tenantId: string, body: Record<string, unknown>, ttlSeconds: number): void {
    if (this.options.maxEntries <= 0) return;
    this.entries.delete(key);
    this.entries.set(key, { tenantId, body, expiresAt: this.now() + ttlSeconds * 1000 });
    while (this.entries.size > this.options.maxEntries) {
      const oldest = this.entries.keys().next().value;
      if (oldest === undefined) break;
      this.entries.delete(oldest);
    }
  }
}

/**
 * Collapses concurrent identical work into one promise per key (in this process).
 *
 * The work gets its own signal, aborted only when every caller waiting on it has
 * gone away (each caller's `signal`): one client disconnecting cancels nothing
 * the others still wait for, and the last one leaving cancels the provider call.
 * A caller whose signal fires is released at once with its abort reason.
 */
export class SingleFlight<T> {
  private readonly inflight = new Map<string, { promise: Promise<T>; controller: AbortController; waiters: number }>();

  run(key: string, work: (signal: AbortSignal) => Promise<T>, signal?: AbortSignal): { promise: Promise<T>; shared: boolean } {
    let flight = this.inflight.get(key);
    const shared = flight !== undefined;
    if (flight === undefined) {
      const controller = new AbortController();
      const created = { controller, waiters: 0, promise: Promise.resolve() as Promise<T> };
      created.promise = Promise.resolve()
        .then(() => work(controller.signal))
        .finally(() => {
          if (this.inflight.get(key) === created) this.inflight.delete(key);
        });
      this.inflight.set(key, created);
      flight = created;
    }
    const current = flight;
    current.waiters += 1;
    if (signal === undefined) return { promise: current.promise, shared };
    const leave = () => {
      current.waiters -= 1;
      if (current.waiters === 0) current.controller.abort(signal.reason);
    };
    if (signal.aborted) {
      leave();
      current.promise.catch(() => undefined);
      return { promise: Promise.reject(signal.reason as Error), shared };
    }
    const promise = new Promise<T>((resolve, reject) => {
      const onAbort = () => {
        leave();
        reject(signal.reason);
      };
      signal.addEventListener('abort', onAbort, { once: true });
      current.promise.then(
        (value) => {
          signal.removeEventListener('abort', onAbort);
          resolve(value);
        },
        (error: unknown) => {
          signal.removeEventListener('abort', onAbort);
          reject(error);
        },
      );
    });
    return { promise, shared };
  }

  /** Keys with work in flight (diagnostics, tests). */
  get size(): number {
    return this.inflight.size;
  }
}
