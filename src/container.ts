import { eq } from 'drizzle-orm';
import { corpora as corporaTable } from './core/db/schema';
import type { Config } from './core/config';
import { closeOcrEngines, setOcrWorkers } from '../ingestion/parse/ocr';
import { migrateStore, openStore, type Store } from './core/db/client';
import { CorpusLookup, insertCorpus } from './core/corpora';
import { LocalHashEmbedder } from './core/providers/local-hash-embedder';
import type { EmbeddingProvider } from './core/providers/ports';
import { createAuthenticator } from './api/auth';
import type { AppDeps, CorpusService } from './api/deps';
import type { ReadinessCheck } from './api/routes/health';
import { BullmqJobQueue, redisConnection } from './jobs/bullmq-queue';
import { InlineJobQueue } from './jobs/inline-queue';
import { JobRecords } from './jobs/job-records';
import type { JobQueue, Scheduler } from './jobs/ports';
import { BullmqScheduler } from './jobs/bullmq-scheduler';
import { InlineScheduler } from './jobs/inline-scheduler';
import { AlertDelivery } from '../evals/canaries/alert-delivery';
import { CanaryService } from '../evals/canaries/canary-service';
import { CanarySchedules } from '../evals/canaries/schedule';
import { CURRENT_PROMPT_ID, loadPrompt } from './query/prompts';
import { Redis } from 'ioredis';
import { createProviders, type Providers } from './core/providers/factory';
import { IdempotencyStore } from './api/idempotency';
import { InProcessConcurrencyGates, ProviderSemaphore, RedisConcurrencyGates } from './api/limits/concurrency';
import { defaultLimits, Limits } from './api/limits/limits';
import { InProcessTokenBuckets, RedisTokenBuckets } from './api/limits/token-bucket';
import { RedisFailOpen } from './api/limits/redis-fail-open';
import { Metrics } from './api/metrics';
import { registerGauges } from './api/gauges';
import { CachedVectorIndex } from '../indexes/postgres/cached-vector-index';
import { DEFAULT_PRICES } from './core/pricing';
import { AnswerService } from './query/answer-service';
import { TraceLog } from './query/trace-log';
import { MemoryFrontedAnswerCache, PostgresAnswerCache, RedisAnswerCache } from './query/answer-cache';
import { ContextCache } from './query/assemble';
import { PostgresBm25Index } from '../indexes/postgres/bm25-index';
import { BuildStateReader } from '../indexes/postgres/build-state-reader';
import { CachedBm25Index } from '../indexes/postgres/cached-bm25-index';
import { PgvectorIndex } from '../indexes/postgres/pgvector-index';
import type { LexicalIndex, VectorIndex } from '../indexes/ports';
import { BuildStore } from '../ingestion/builds';
import { DEFAULT_CHUNKER, type ChunkerConfig } from '../ingestion/chunk';
import { EmbeddingRegistry } from '../ingestion/embedding-registry';
import { IngestionService } from '../ingestion/service';
import { ReindexService } from '../ingestion/reindex';
import { SearchService } from './query/search-service';

export interface Container extends AppDeps {
  providers: Providers;
  redis: Redis | undefined;
  scheduler: Scheduler;
  registry: EmbeddingRegistry;
  lexical: LexicalIndex;
  vectors: VectorIndex;
  close(): Promise<void>;
}

export interface ContainerOptions {
  /** Pre-opened store (tests); otherwise opened from config. */
  store?: Store;
  /** Extra embedding providers (tests register fakes or provider adapters here). */
  embedders?: EmbeddingProvider[];
  /** Process metrics (CPU, heap) in /metrics: on for the server, off in tests. */
  defaultMetrics?: boolean;
  /** Replace the job queue (tests). */
  jobs?: JobQueue;
  /** Replace the providers built from config (tests point them at the fake provider server). */
  providers?: Partial<Providers>;
}

const ANSWER_CACHE_TTL_SECONDS = 24 * 3600;

export function chunkerFromConfig(config: Config): ChunkerConfig {
  return { ...DEFAULT_CHUNKER, targetTokens: config.CHUNK_TARGET_TOKENS, overlapTokens: config.CHUNK_OVERLAP_TOKENS };
}

function createQueue(config: Config, records: JobRecords): JobQueue {
  if (config.REDIS_URL) {
    return new BullmqJobQueue(records, {
      connection: redisConnection(config.REDIS_URL),
      queue: config.JOB_QUEUE_NAME,
      lockDurationMs: config.JOB_LOCK_DURATION_MS,
      stalledIntervalMs: config.JOB_STALLED_INTERVAL_MS,
    });
  }
  return new InlineJobQueue(records, { queue: config.JOB_QUEUE_NAME, concurrency: config.JOBS_INLINE_CONCURRENCY });
}

/** Wires adapters from config: the only place that knows which adapter is in use. */
export async function createContainer(config: Config, options: ContainerOptions = {}): Promise<Container> {
  const store = options.store ?? (await openStore({ databaseUrl: config.DATABASE_URL, dataDir: config.DATA_DIR, queryTimeoutMs: config.DATABASE_QUERY_TIMEOUT_MS, poolSize: config.DATABASE_POOL_SIZE, liftoffOnly: config.PGLITE_LIFTOFF_ONLY }));
  await migrateStore(store);
  const built = createProviders(config, { breaker: { coolDownMs: config.PROVIDER_CIRCUIT_COOLDOWN_MS } });
  const providers: Providers = { ...built, ...options.providers };
  const registry = new EmbeddingRegistry(store.db);
  await registry.register(new LocalHashEmbedder());
  for (const provider of [...providers.embedders, ...(options.embedders ?? [])]) await registry.register(provider);
  if (!registry.configured().includes(config.EMBEDDING_MODEL)) {
    throw new Error(`Invalid configuration: EMBEDDING_MODEL "${config.EMBEDDING_MODEL}" is not a configured embedding model (configured: ${registry.configured().join(', ')})`);
  }

  const maxVectors = config.VECTOR_CACHE_MAX_VECTORS ?? (store.driver === 'pglite' ? 30_000 : 0);
  // With both in-memory copies on, a hybrid search checks both versions in one statement.
  const states = maxVectors > 0 && config.BM25_CACHE_MAX_POSTINGS > 0 ? new BuildStateReader(store) : undefined;
  const lexical = new CachedBm25Index(store, new PostgresBm25Index(store), {
    maxPostings: config.BM25_CACHE_MAX_POSTINGS,
    minReloadIntervalMs: config.BM25_CACHE_RELOAD_INTERVAL_MS,
    ...(states ? { states } : {}),
  });
  // The planner often prefers an exact scan over the partial HNSW index (PGlite at 11.5K chunks: 15 ms vs 5.8 ms
  // with the index, at recall@10 0.97); forcing the index keeps vector latency flat as corpora grow.
  const pgvector = new PgvectorIndex(store, { m: config.HNSW_M, efConstruction: config.HNSW_EF_CONSTRUCTION, efSearch: config.HNSW_EF_SEARCH, alwaysUseIndex: true });
  const vectors = new CachedVectorIndex(store, pgvector, {
    maxVectors,
    ...(states ? { states } : {}),
    minReloadIntervalMs: config.BM25_CACHE_RELOAD_INTERVAL_MS,
    // On PGlite, builds the copy covers get their HNSW index only when they outgrow it (see CachedVectorIndex).
    deferIndexUpTo: store.driver === 'pglite' ? maxVectors : 0,
  });
  const builds = new BuildStore(store.db, vectors, registry);
  const jobRecords = new JobRecords(store.db);
  const jobs = options.jobs ?? createQueue(config, jobRecords);
  const pipelineDeps = { db: store.db, driver: store.driver, originalsDir: store.originalsDir, builds, registry, lexical, vectors, parse: parseOptionsOf(config) };
  const ingestion = new IngestionService(pipelineDeps, jobs);
  ingestion.registerHandlers();
  const reindex = new ReindexService(pipelineDeps, jobs, { embeddingModel: config.EMBEDDING_MODEL, chunker: chunkerFromConfig(config) });
  reindex.registerHandlers();

  const reranker = providers.reranker;
  const search = new SearchService(
    { db: store.db, lexical, vectors, registry, reranker, builds },
    { candidates: config.RETRIEVE_CANDIDATES, rerankCandidates: config.RERANK_CANDIDATES, rrfK: config.RRF_K },
    {
      maxRows: config.CHUNK_ROW_CACHE_ROWS,
      preloadUpTo: config.CHUNK_ROW_CACHE_ROWS,
      minReloadIntervalMs: config.BM25_CACHE_RELOAD_INTERVAL_MS,
    },
  );

  const delivery = new AlertDelivery(store.db, jobs);
  delivery.registerHandlers();
  const canaries = new CanaryService({
    db: store.db,
    search,
    builds,
    delivery,
    promptVersion: CURRENT_PROMPT_ID,
    defaults: {
      cron: config.CANARY_CRON,
      timezone: config.CANARY_TIMEZONE,
      threshold: config.CANARY_RECALL_THRESHOLD,
      dropDelta: config.CANARY_DROP_DELTA,
      gateTolerance: 0.02,
      webhooks: config.ALERT_WEBHOOK_URL,
    },
  });
  reindex.setGate((build) => canaries.gate(build));
  const scheduler = jobs instanceof BullmqJobQueue ? new BullmqScheduler(jobs.bullQueue) : new InlineScheduler(jobs);
  const canarySchedules = new CanarySchedules(store.db, scheduler, canaries);
  canarySchedules.registerHandlers(jobs);

  const corpusLookup = new CorpusLookup(store);
  const corpora: CorpusService = {
    find: (tenantId, idOrName) => corpusLookup.find(tenantId, idOrName),
    async create(tenantId, name) {
      const corpus = await insertCorpus(store.db, tenantId, name);
      let build;
      try {
        build = await builds.create(corpus, { embeddingModel: config.EMBEDDING_MODEL, chunker: chunkerFromConfig(config), status: 'active' });
      } catch (error) {
        // A corpus without its first build cannot take uploads or questions: take it back so the create can be retried.
        await store.db.delete(corporaTable).where(eq(corporaTable.id, corpus.id)).catch(() => undefined);
        throw error;
      }
      const created = { ...corpus, activeBuildId: build.id };
      await canarySchedules.upsert(created);
      return created;
    },
  };

  const redis = config.REDIS_URL ? new Redis(config.REDIS_URL, { maxRetriesPerRequest: 1, lazyConnect: true }) : undefined;
  redis?.on('error', () => undefined);
  const answerCache = new MemoryFrontedAnswerCache(redis ? new RedisAnswerCache(redis) : new PostgresAnswerCache(store.db), {
    maxEntries: config.ANSWER_CACHE_MEMORY_ENTRIES,
    defaultTtlSeconds: ANSWER_CACHE_TTL_SECONDS,
    writeBehind: true,
    onWriteError: () => metrics.cacheEvents.inc({ cache: 'answer', result: 'write_error' }),
    soleWriter: !redis && store.driver === 'pglite',
  });
  const providerSlots = new ProviderSemaphore(config.MAX_INFLIGHT_PROVIDER_CALLS, 5_000);
  // Its error callback uses `metrics`, declared below: it runs only when a write fails, long after both exist.
  const traces = new TraceLog(store.db, { onError: (_error, dropped) => countDeferredWriteError('answer_traces', dropped) });
  const answers = new AnswerService({
    providerSlots,
    traces,
    search,
    chain: providers.chain,
    cache: answerCache,
    contextCache: new ContextCache(512),
    prompt: loadPrompt(CURRENT_PROMPT_ID),
    prices: DEFAULT_PRICES,
    limits: { maxInputTokens: config.MAX_INPUT_TOKENS, maxOutputTokens: config.MAX_OUTPUT_TOKENS, cacheTtlSeconds: ANSWER_CACHE_TTL_SECONDS, deadlineMs: config.ANSWER_DEADLINE_MS },
    onAnswered: (tenantId, body) => metrics.recordAnswer(tenantId, body),
  });

  const metrics = new Metrics({ defaultMetrics: options.defaultMetrics ?? false });
  // One tracker for both Redis limiters: one warning per Redis outage, admissions counted on /metrics.
  const limitsFailOpen = new RedisFailOpen({ metrics });
  const limits = new Limits({
    db: store.db,
    buckets: redis ? new RedisTokenBuckets(redis, undefined, limitsFailOpen) : new InProcessTokenBuckets(),
    gates: redis ? new RedisConcurrencyGates(redis, undefined, limitsFailOpen) : new InProcessConcurrencyGates(),
    defaults: defaultLimits(config),
    onUsageWriteError: (_error, dropped) => countDeferredWriteError('tenant_usage', dropped),
  });
  function countDeferredWriteError(table: string, dropped: number): void {
    metrics.deferredWrites.inc({ table, result: dropped > 0 ? 'dropped' : 'retry' }, dropped > 0 ? dropped : 1);
  }
  registerGauges(metrics, { jobs, chain: providers.chain, breakers: providers.breakers, db: store.db, providerSlots, lexical, vectors });

  const readiness: ReadinessCheck[] = [{ name: 'store', check: () => store.ping() }];
  if (jobs.kind === 'bullmq') readiness.push({ name: 'redis', check: () => jobs.ping() });

  return {
    config,
    store,
    jobs,
    jobRecords,
    authenticate: createAuthenticator(store.db, { cacheTtlMs: config.AUTH_CACHE_TTL_MS }),
    readiness,
    limits,
    idempotency: new IdempotencyStore(store.db),
    metrics,
    services: { corpora, ingestion, builds, search, reindex, canaries, canarySchedules, answers, traces },
    providers,
    redis,
    scheduler,
    registry,
    lexical,
    vectors,
    async close() {
      await scheduler.close();
      await jobs.close();
      // Answer-cache writes still in flight go to the store (or Redis) before either closes, and so do the
      // batched traces and usage (a store that is down by now loses them: nothing else could be done).
      await Promise.all([answerCache.flush(), traces.flush().catch(() => undefined), limits.flushUsage().catch(() => undefined)]);
      redis?.disconnect();
      await store.close();
      // tesseract's threads would keep the process alive.
      await closeOcrEngines();
    },
  };
}

/** The parsers' limits from the configuration (PDF, Office, OCR). */
function parseOptionsOf(config: Config) {
  setOcrWorkers(config.OCR_WORKERS);
  return {
    pdfTimeoutMs: config.PDF_TIMEOUT_MS,
    pdfMaxMemoryMb: config.PDF_MAX_MEMORY_MB,
    officeTimeoutMs: config.OFFICE_TIMEOUT_MS,
    archiveMaxBytes: config.ARCHIVE_MAX_BYTES,
    archiveMaxEntries: config.ARCHIVE_MAX_ENTRIES,
    spreadsheetMaxRows: config.SPREADSHEET_MAX_ROWS,
    ocr: {
      enabled: config.OCR_ENABLED,
      languages: config.OCR_LANGUAGES,
      maxPages: config.OCR_MAX_PAGES,
      pageTimeoutMs: config.OCR_PAGE_TIMEOUT_MS,
      dpi: config.OCR_DPI,
      maxPixels: config.OCR_MAX_PIXELS,
    },
  };
}
