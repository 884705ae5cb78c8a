import { eq } from 'drizzle-orm';
import { corpora as corporaTable } from './core/db/schema';
import type { Config } from './core/config';
import { closeOcrEngines, setOcrWorkers } from '../ingestion/parse/ocr';
import { migrateStore, openStoreFor, type Store } from './core/db/client';
import { CorpusLookup, insertCorpus } from './core/corpora';
import { LocalHashEmbedder } from './core/providers/local-hash-embedder';
import { defaultEmbeddingModel, openLocalModels, type LocalModels } from './core/providers/onnx/local-models';
import { ModelFileError, MODELS_FETCH_COMMAND } from './core/providers/onnx/model-files';
import { AppError } from './core/errors';
import type { OnnxEmbedder } from './core/providers/onnx/onnx-embedder';
import type { EmbeddingProvider, RelevanceScorer } from './core/providers/ports';
import { createAuthenticator } from './api/auth';
import type { AppDeps, CorpusService } from './api/deps';
import type { ReadinessCheck } from './api/routes/health';
import { InlineJobQueue } from './jobs/inline-queue';
import { JobRecords } from './jobs/job-records';
import type { JobQueue, Scheduler } from './jobs/ports';
import { InlineScheduler } from './jobs/inline-scheduler';
import { AlertDelivery } from '../evals/canaries/alert-delivery';
import { CanaryService } from '../evals/canaries/canary-service';
import { CanarySchedules } from '../evals/canaries/schedule';
import { ConversationService } from './conversations/service';
import { ConversationStore } from './conversations/store';
import { ProviderRewriter } from './conversations/provider-rewriter';
import { localRewriter } from './conversations/rewriter';
import { CURRENT_PROMPT_ID, loadPrompt } from './query/prompts';
import type { Redis } from 'ioredis';
import { createProviders, type Providers } from './core/providers/factory';
import { IdempotencyStore } from './api/idempotency';
import { OutboundGuard } from './core/net/outbound-guard';
import { SourceService } from '../ingestion/crawl/source-service';
import { InProcessConcurrencyGates, ProviderSemaphore, RedisConcurrencyGates } from './api/limits/concurrency';
import { defaultLimits, Limits } from './api/limits/limits';
import { InProcessTokenBuckets, RedisTokenBuckets } from './api/limits/token-bucket';
import { RedisFailOpen } from './api/limits/redis-fail-open';
import { Metrics } from './api/metrics';
import { registerGauges } from './api/gauges';
import { CachedVectorIndex } from '../indexes/postgres/cached-vector-index';
import { PriceBook, priceTable } from './core/pricing';
import { AnswerService } from './query/answer-service';
import { AnswerGate } from './query/answer-gate';
import { VersionPages } from './query/citation-pages';
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
import { IngestionService, type DeleteSteps } from '../ingestion/service';
import { removeOrphanOriginals, removeTemporaryOriginals } from '../ingestion/originals';
import { RecoverySweep } from './jobs/recovery-sweep';
import { ReindexService } from '../ingestion/reindex';
import { SearchService } from './query/search-service';
import type { QdrantIndex } from '../indexes/qdrant/qdrant-index';
import { sharedTextStages } from '../ingestion/text-stages';

export interface Container extends AppDeps {
  providers: Providers;
  redis: Redis | undefined;
  scheduler: Scheduler;
  registry: EmbeddingRegistry;
  lexical: LexicalIndex;
  vectors: VectorIndex;
  /** Finishes stopped deletes, re-queues lost uploads and alerts: run by the process that runs jobs (server or worker). */
  recovery: RecoverySweep;

  /** The local neural models (state, MODELS_DIR, the notice when missing). */
  localModels: LocalModels;
  /**
   * Question-passage relevance for other modules (e.g. answer trust): the local
   * neural model's scores when it is loaded, else undefined. See RelevanceScorer.
   */
  relevance: RelevanceScorer | undefined;
  close(): Promise<void>;
}

export interface ContainerOptions {
  /** Pre-opened store (tests, or the server, which opens it while its modules load); otherwise opened from config. The container closes it. */
  store?: Store;
  /** Extra embedding providers (tests register fakes or provider adapters here). */
  embedders?: EmbeddingProvider[];
  /** Process metrics (CPU, heap) in /metrics: on for the server, off in tests. */
  defaultMetrics?: boolean;
  /** Replace the job queue (tests). */
  jobs?: JobQueue;
  /** Replace the providers built from config (tests point them at the fake provider server). */
  providers?: Partial<Providers>;
  /** Fault injection: called between a delete's steps (tests). */
  deleteSteps?: DeleteSteps;
}

const ANSWER_CACHE_TTL_SECONDS = 24 * 3600;

export function chunkerFromConfig(config: Config): ChunkerConfig {
  return { ...DEFAULT_CHUNKER, targetTokens: config.CHUNK_TARGET_TOKENS, overlapTokens: config.CHUNK_OVERLAP_TOKENS };
}

/*
 * The adapters of optional services (BullMQ and ioredis, Qdrant, the provider SDKs in factory.ts) are imported when
 * the config names them: the embedded default never loads them. Loading them took about half of this module's
 * import time (1.1 of 2.4 s under tsx; cohere-ai alone is 729 CommonJS files), which every start and every test
 * file that builds a container paid.
 */
async function createQueue(config: Config, records: JobRecords): Promise<JobQueue> {
  if (config.REDIS_URL) {
    const { BullmqJobQueue, redisConnection } = await import('./jobs/bullmq-queue');
    return new BullmqJobQueue(records, {
      connection: redisConnection(config.REDIS_URL),
      queue: config.JOB_QUEUE_NAME,
      lockDurationMs: config.JOB_LOCK_DURATION_MS,
      stalledIntervalMs: config.JOB_STALLED_INTERVAL_MS,
    });
  }
  return new InlineJobQueue(records, { queue: config.JOB_QUEUE_NAME, concurrency: config.JOBS_INLINE_CONCURRENCY });
}

async function createScheduler(jobs: JobQueue): Promise<Scheduler> {
  if (jobs.kind !== 'bullmq') return new InlineScheduler(jobs);
  const [{ BullmqJobQueue }, { BullmqScheduler }] = await Promise.all([import('./jobs/bullmq-queue'), import('./jobs/bullmq-scheduler')]);
  return jobs instanceof BullmqJobQueue ? new BullmqScheduler(jobs.bullQueue) : new InlineScheduler(jobs);
}

async function openQdrant(config: Config, url: string): Promise<QdrantIndex> {
  const [{ QdrantClient }, { QdrantIndex }] = await Promise.all([import('@qdrant/js-client-rest'), import('../indexes/qdrant/qdrant-index')]);
  return new QdrantIndex(new QdrantClient({ url, ...(config.QDRANT_API_KEY ? { apiKey: config.QDRANT_API_KEY } : {}), timeout: config.QDRANT_TIMEOUT_MS, checkCompatibility: false }), { rrfK: config.RRF_K });
}

/** A model file that no longer matches what existing builds were made with: one line naming the file. */
function changedModelError(embedder: OnnxEmbedder, error: unknown): unknown {
  if (!(error instanceof AppError) || error.code !== 'EMBEDDING_MODEL_MISMATCH') return error;
  const registered = typeof error.details?.registeredFingerprint === 'string' ? error.details.registeredFingerprint : 'another';
  return new ModelFileError(
    embedder.files.modelPath,
    `${embedder.modelId} files changed (fingerprint ${embedder.fingerprint}; existing index builds use ${registered}): restore them with \`${MODELS_FETCH_COMMAND}\`, or use a new MODELS_DIR`,
  );
}

/** Wires adapters from config: the only place that knows which adapter is in use. */
export async function createContainer(config: Config, options: ContainerOptions = {}): Promise<Container> {
  const store = options.store ?? (await openStoreFor(config));
  await migrateStore(store);
  const built = await createProviders(config, { breaker: { coolDownMs: config.PROVIDER_CIRCUIT_COOLDOWN_MS } });
  const providers: Providers = { ...built, ...options.providers };
  const registry = new EmbeddingRegistry(store.db);
  await registry.register(new LocalHashEmbedder());
  const localModels = await openLocalModels(config);
  if (localModels.embedder) {
    try {
      await registry.register(localModels.embedder);
    } catch (error) {
      await localModels.embedder.close();
      throw changedModelError(localModels.embedder, error);
    }
  }
  const embeddingModel = defaultEmbeddingModel(config, localModels);
  for (const provider of [...providers.embedders, ...(options.embedders ?? [])]) await registry.register(provider);
  if (!registry.configured().includes(embeddingModel)) {
    throw new Error(`Invalid configuration: EMBEDDING_MODEL "${embeddingModel}" is not a configured embedding model (configured: ${registry.configured().join(', ')})`);
  }

  // With QDRANT_URL the vectors (and with QDRANT_BM25 the BM25 leg) live in Qdrant. Nothing here calls it: the
  // server starts whether Qdrant is up or not, the adapter checks its version on first use, and /readyz asks it.
  const qdrant = config.QDRANT_URL ? await openQdrant(config, config.QDRANT_URL) : undefined;
  const maxVectors = qdrant ? 0 : (config.VECTOR_CACHE_MAX_VECTORS ?? (store.driver === 'pglite' ? 30_000 : 0));
  // With both in-memory copies on, a hybrid search checks both versions in one statement.
  const states = maxVectors > 0 && config.BM25_CACHE_MAX_POSTINGS > 0 ? new BuildStateReader(store) : undefined;
  // Large documents' normalization, chunking and BM25 analysis run on a background thread, off the event loop answers use.
  const textStages = sharedTextStages();
  const lexical: LexicalIndex = qdrant && config.QDRANT_BM25 ? qdrant : new CachedBm25Index(store, new PostgresBm25Index(store, { prepareCopies: textStages.bm25Copies }), {
    maxPostings: config.BM25_CACHE_MAX_POSTINGS,
    minReloadIntervalMs: config.BM25_CACHE_RELOAD_INTERVAL_MS,
    ...(states ? { states } : {}),
  });
  // The planner often prefers an exact scan over the partial HNSW index (PGlite at 11.5K chunks: 15 ms vs 5.8 ms
  // with the index, at recall@10 0.97); forcing the index keeps vector latency flat as corpora grow.
  const vectors: VectorIndex = qdrant ?? new CachedVectorIndex(store, new PgvectorIndex(store, { m: config.HNSW_M, efConstruction: config.HNSW_EF_CONSTRUCTION, efSearch: config.HNSW_EF_SEARCH, alwaysUseIndex: true }), {
    maxVectors,
    ...(states ? { states } : {}),
    minReloadIntervalMs: config.BM25_CACHE_RELOAD_INTERVAL_MS,
    // On PGlite, builds the copy covers get their HNSW index only when they outgrow it (see CachedVectorIndex).
    deferIndexUpTo: store.driver === 'pglite' ? maxVectors : 0,
  });
  const builds = new BuildStore(store.db, vectors, registry);
  const jobRecords = new JobRecords(store.db);
  const jobs = options.jobs ?? (await createQueue(config, jobRecords));
  const pipelineDeps = { db: store.db, driver: store.driver, originalsDir: store.originalsDir, builds, registry, lexical, vectors, parse: parseOptionsOf(config), textStages };
  const ingestion = new IngestionService(pipelineDeps, jobs, {
    deleteSteps: options.deleteSteps,
    attachments: { maxCount: config.EML_MAX_ATTACHMENTS, maxTotalBytes: config.EML_MAX_ATTACHMENT_BYTES, maxFileBytes: config.MAX_UPLOAD_BYTES },
  });
  ingestion.registerHandlers();
  const reindex = new ReindexService(pipelineDeps, jobs, { embeddingModel, chunker: chunkerFromConfig(config) });
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

  const outbound = new OutboundGuard({ allowHosts: config.OUTBOUND_ALLOW_HOSTS });
  const delivery = new AlertDelivery(store.db, jobs, { guard: outbound, operatorUrls: config.ALERT_WEBHOOK_URL });
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
  const scheduler = await createScheduler(jobs);
  const canarySchedules = new CanarySchedules(store.db, scheduler, canaries);
  canarySchedules.registerHandlers(jobs);

  const sources = new SourceService({
    db: store.db,
    queue: jobs,
    scheduler,
    documents: ingestion,
    guard: outbound,
    options: {
      concurrencyPerHost: config.CRAWL_CONCURRENCY_PER_HOST,
      minDelayMs: config.CRAWL_DELAY_MS,
      timeoutMs: config.CRAWL_TIMEOUT_MS,
      maxPageBytes: config.CRAWL_MAX_PAGE_BYTES,
      maxPages: config.CRAWL_MAX_PAGES,
    },
  });
  sources.registerHandlers();

  const corpusLookup = new CorpusLookup(store);
  const corpora: CorpusService = {
    find: (tenantId, idOrName) => corpusLookup.find(tenantId, idOrName),
    async create(tenantId, name) {
      const corpus = await insertCorpus(store.db, tenantId, name);
      let build;
      try {
        build = await builds.create(corpus, { embeddingModel, chunker: chunkerFromConfig(config), status: 'active' });
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

  const redis = config.REDIS_URL ? new (await import('ioredis')).Redis(config.REDIS_URL, { maxRetriesPerRequest: 1, lazyConnect: true }) : undefined;
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
  const gate =
    config.ANSWER_GATE === 'on'
      ? new AnswerGate({ statistics: (build, terms) => search.termStatistics(build, terms), scorer: providers.relevance.scorer, floors: providers.relevance.floors })
      : undefined;
  const pages = new VersionPages(store);
  const prices = new PriceBook(priceTable(config.MODEL_PRICES_JSON), { onUnpriced: (model) => metrics.unpricedAnswers.inc({ model }) });
  const answers = new AnswerService({
    ...(gate ? { gate } : {}),
    support: { scorer: providers.relevance.scorer, floor: providers.relevance.floors.support },
    pagesOf: (versionId: string) => pages.of(versionId),
    providerSlots,
    traces,
    search,
    chain: providers.chain,
    cache: answerCache,
    contextCache: new ContextCache(512),
    prompt: loadPrompt(CURRENT_PROMPT_ID),
    prices,
    limits: { maxInputTokens: config.MAX_INPUT_TOKENS, maxOutputTokens: config.MAX_OUTPUT_TOKENS, cacheTtlSeconds: ANSWER_CACHE_TTL_SECONDS, deadlineMs: config.ANSWER_DEADLINE_MS },
    onAnswered: (tenantId, body) => metrics.recordAnswer(tenantId, body),
  });

  const conversations = new ConversationService(new ConversationStore(store.db), answers, {
    retentionDays: config.CONVERSATION_RETENTION_DAYS,
    historyTokens: Math.min(config.CONVERSATION_HISTORY_TOKENS, Math.floor(config.MAX_INPUT_TOKENS / 3)),
    // A turn is bounded by the answer deadline; past it (or a crash) the next message is let in.
    leaseMs: (config.ANSWER_DEADLINE_MS > 0 ? config.ANSWER_DEADLINE_MS : 120_000) + 5_000,
  }, providers.rewriter ? new ProviderRewriter({ ...providers.rewriter, prices }) : localRewriter);

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
  registerGauges(metrics, {
    jobs,
    chain: providers.chain,
    breakers: providers.breakers,
    db: store.db,
    providerSlots,
    ...(lexical instanceof CachedBm25Index ? { lexical } : {}),
    ...(vectors instanceof CachedVectorIndex ? { vectors } : {}),
    ...(localModels.embedder ? { localModel: localModels.embedder.pool } : {}),
  });

  const { originalsDir } = store;
  const recovery = new RecoverySweep(
    [
      { name: 'deletes', run: () => ingestion.finishDeletes() },
      { name: 'uploads', run: () => ingestion.recoverPending() },
      { name: 'alerts', run: () => canaries.deliverStrandedAlerts() },
      // Retention: conversations past CONVERSATION_RETENTION_DAYS.
      { name: 'conversations', run: () => conversations.purgeExpired() },
    ],
    {
      intervalMs: config.RECOVERY_SWEEP_INTERVAL_MS,
      atStart: originalsDir
        ? [
            { name: 'temporary-originals', run: () => removeTemporaryOriginals(originalsDir) },
            { name: 'orphan-originals', run: () => removeOrphanOriginals(originalsDir, (ids) => ingestion.existingVersions(ids)) },
          ]
        : [],
      onRepaired: (task, count) => metrics.recoveries.inc({ task }, count),
      onError: (task) => metrics.recoveries.inc({ task: `${task}_error` }),
    },
  );

  const readiness: ReadinessCheck[] = [{ name: 'store', check: () => store.ping() }];
  const idempotency = new IdempotencyStore(store.db);
  if (jobs.kind === 'bullmq') readiness.push({ name: 'redis', check: () => jobs.ping() });
  if (qdrant) readiness.push({ name: 'qdrant', code: 'INDEX_UNAVAILABLE', check: async () => void (await qdrant.ping()) });
  // External embedding providers: reported (status "degraded"), never a 503 (see src/api/routes/health.ts).
  for (const modelId of registry.configured()) {
    if (registry.healthOf(modelId)?.state === 'ok' && registry.provider(modelId).provider === 'local') continue;
    readiness.push({ name: `embedding:${modelId}`, required: false, check: () => registry.check(modelId) });
  }

  return {
    config,
    store,
    jobs,
    jobRecords,
    authenticate: createAuthenticator(store.db, { cacheTtlMs: config.AUTH_CACHE_TTL_MS }),
    readiness,
    limits,
    idempotency,
    metrics,
    services: { corpora, ingestion, builds, search, reindex, canaries, canarySchedules, answers, traces, conversations, sources, pages },
    providers,
    redis,
    scheduler,
    registry,
    lexical,
    vectors,
    recovery,

    localModels,
    relevance: localModels.embedder,
    async close() {
      await recovery.stop();

      idempotency.close();
      await scheduler.close();
      await jobs.close();
      // Answer-cache writes still in flight go to the store (or Redis) before either closes, and so do the
      // batched traces and usage (a store that is down by now loses them: nothing else could be done).
      await Promise.all([answerCache.flush(), traces.flush().catch(() => undefined), limits.flushUsage().catch(() => undefined)]);
      redis?.disconnect();
      await store.close();
      await localModels.embedder?.close();
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
