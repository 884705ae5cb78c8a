import { z } from 'zod';
import { modelPricesSchema } from './pricing';

/**
 * The one schema over the environment. Read once, by the composition root
 * (src/server.ts, the worker, the eval CLI); everything else receives values.
 */

const emptyToUndefined = (value: unknown) => (typeof value === 'string' && value.trim() === '' ? undefined : value);
const optionalString = z.preprocess(emptyToUndefined, z.string().optional());
const optionalUrl = (protocols: string[]) =>
  z.preprocess(
    emptyToUndefined,
    z
      .string()
      .refine((value) => {
        try {
          return protocols.includes(new URL(value).protocol);
        } catch {
          return false;
        }
      }, `must be a URL (${protocols.join(' or ')})`)
      .optional(),
  );
const int = (fallback: number, min = 0, max = Number.MAX_SAFE_INTEGER) =>
  z.preprocess(emptyToUndefined, z.coerce.number().int().min(min).max(max).default(fallback));
const num = (fallback: number, min = 0, max = Number.MAX_VALUE) =>
  z.preprocess(emptyToUndefined, z.coerce.number().min(min).max(max).default(fallback));
const list = z.preprocess(
  (value) => (typeof value === 'string' ? value.split(',').map((part) => part.trim()).filter(Boolean) : value ?? []),
  z.array(z.string()),
);

const generatorName = z.enum(['openai', 'anthropic', 'local']);

export const configSchema = z.object({
  NODE_ENV: z.preprocess(emptyToUndefined, z.enum(['development', 'production', 'test']).default('development')),
  PORT: int(3000, 0, 65535),
  HOST: z.preprocess(emptyToUndefined, z.string().default('127.0.0.1')),
  DATA_DIR: z.preprocess(emptyToUndefined, z.string().default('./data')),
  LOG_LEVEL: z.preprocess(emptyToUndefined, z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info')),
  DATABASE_URL: optionalUrl(['postgres:', 'postgresql:']),
  /**
   * PostgreSQL only: a statement with no answer after this long fails (503 STORE_UNAVAILABLE) and its
   * connection is dropped, instead of hanging while the network to the database drops packets; 0 = no limit.
   * 30 s is far above any statement the API or the worker sends (reads are milliseconds; ingestion writes in
   * batches; a new build's HNSW index is created while the build is empty). Migrations, whose backfills can run
   * long on a big store, run on their own connection without it (migrateStore). Deleting a very large build
   * (dropBuild: one DELETE of its vectors) is the one statement that could approach it.
   */
  DATABASE_QUERY_TIMEOUT_MS: int(30_000, 0),
  REDIS_URL: optionalUrl(['redis:', 'rediss:']),
  QDRANT_URL: optionalUrl(['http:', 'https:']),
  QDRANT_API_KEY: optionalString,
  /** With QDRANT_URL: BM25 as Qdrant sparse vectors too (the lexical leg), instead of PostgreSQL postings. */
  QDRANT_BM25: z.preprocess(emptyToUndefined, z.enum(['true', 'false']).default('false').transform((value) => value === 'true')),
  /** With QDRANT_URL: a Qdrant request with no answer after this long fails (503 INDEX_UNAVAILABLE). */
  QDRANT_TIMEOUT_MS: int(30_000, 100),
  BOOTSTRAP_API_KEY: z.preprocess(emptyToUndefined, z.string().min(16, 'must be at least 16 characters').optional()),

  OPENAI_API_KEY: optionalString,
  OPENAI_BASE_URL: optionalUrl(['http:', 'https:']),
  OPENAI_MODEL: z.preprocess(emptyToUndefined, z.string().default('gpt-4o-mini')),
  OPENAI_EMBEDDING_MODEL: z.preprocess(emptyToUndefined, z.string().default('text-embedding-3-small')),
  OPENAI_EMBEDDING_DIMENSIONS: int(1536, 1, 4096),
  ANTHROPIC_API_KEY: optionalString,
  ANTHROPIC_BASE_URL: optionalUrl(['http:', 'https:']),
  ANTHROPIC_MODEL: z.preprocess(emptyToUndefined, z.string().default('claude-sonnet-4-6')),
  ANTHROPIC_CITATIONS: z.preprocess(emptyToUndefined, z.enum(['true', 'false']).default('false').transform((value) => value === 'true')),
  COHERE_API_KEY: optionalString,
  COHERE_BASE_URL: optionalUrl(['http:', 'https:']),
  COHERE_RERANK_MODEL: z.preprocess(emptyToUndefined, z.string().default('rerank-v3.5')),
  COHERE_EMBEDDING_MODEL: z.preprocess(emptyToUndefined, z.string().default('embed-v4.0')),

  /** Unset: the local neural model when it is in MODELS_DIR, else local-hash (see src/core/providers/onnx/local-models.ts). */
  EMBEDDING_MODEL: optionalString,
  MODELS_DIR: optionalString,
  LOCAL_MODELS: z.preprocess(emptyToUndefined, z.enum(['auto', 'off']).default('auto')),
  ONNX_WORKERS: int(2, 1, 16),
  /** Most query lanes of the local neural model (inference-pool.ts `queryLanes`): past the first, started while questions wait. */
  ONNX_QUERY_LANES: int(2, 1, 8),
  RERANKER: z.preprocess(emptyToUndefined, z.enum(['local', 'cohere']).default('local')),
  GENERATORS: z.preprocess(
    (value) => (typeof value === 'string' && value.trim() !== '' ? value.split(',').map((part) => part.trim()) : ['local']),
    z.array(generatorName).min(1),
  ),
  /**
   * Who rewrites a conversation's follow-ups into standalone questions: `auto` is the first provider of
   * GENERATORS (openai or anthropic), else `local` (deterministic, no call).
   */
  REWRITER: z.preprocess(emptyToUndefined, z.enum(['auto', 'local', 'openai', 'anthropic']).default('auto')),
  /** The rewrite's model; unset: gpt-4.1-nano (OpenAI) or claude-haiku-4-5 (Anthropic), the cheap ones. */
  REWRITE_MODEL: optionalString,
  /** One rewrite call at most this long (no retry); past it the local rewrite answers. */
  REWRITE_TIMEOUT_MS: int(3_000, 100),
  REWRITE_MAX_OUTPUT_TOKENS: int(100, 16, 1000),
  PROVIDER_TIMEOUT_MS: int(30_000, 100),
  PROVIDER_MAX_RETRIES: int(2, 0, 5),
  // A provider's circuit stays open this long before one probe call (half-open) is let through.
  PROVIDER_CIRCUIT_COOLDOWN_MS: int(30_000, 100),
  // Whole-answer deadline over every attempt, retry and fallback: past it, 504 PROVIDER_TIMEOUT (0: none).
  ANSWER_DEADLINE_MS: int(60_000, 0),

  MAX_UPLOAD_BYTES: int(50 * 1024 * 1024, 1),
  PDF_TIMEOUT_MS: int(30_000, 100),
  PDF_MAX_MEMORY_MB: int(2048, 64), // see DEFAULT_PDF_MAX_MEMORY_MB: V8 collects far more often below 2 GB
  CHUNK_TARGET_TOKENS: int(400, 32, 4000),
  CHUNK_OVERLAP_TOKENS: int(60, 0, 1000),
  RETRIEVE_CANDIDATES: int(50, 1, 1000),
  RERANK_CANDIDATES: int(30, 1, 200),
  RRF_K: int(60, 1),
  // BM25 scored in memory from a per-build copy of the postings while the build is unchanged (indexes/postgres/cached-bm25-index.ts).
  BM25_CACHE_MAX_POSTINGS: int(20_000_000, 0),
  BM25_CACHE_RELOAD_INTERVAL_MS: int(10_000, 0),
  // Small builds' vectors held in memory and scanned exactly while the build is unchanged (indexes/postgres/cached-vector-index.ts);
  // the reload interval is BM25_CACHE_RELOAD_INTERVAL_MS. Unset: 30000 on the embedded PGlite (pgvector runs on the API's own
  // thread there), 0 (off) on PostgreSQL, whose HNSW search runs in the database.
  VECTOR_CACHE_MAX_VECTORS: z.preprocess(emptyToUndefined, z.coerce.number().int().min(0).optional()),
  // Chunk rows (text, offsets, title) kept in memory for retrieval; a corpus whose active build has at most this many
  // chunks is copied whole in the background (src/query/chunk-rows.ts). 0: every search reads its rows.
  CHUNK_ROW_CACHE_ROWS: int(30_000, 0),
  // The local hashing embedder packs cosines into a narrow band (0.78-0.94), which HNSW finds hard. HNSW
  // recall@10 against exact search at 100K chunks on PostgreSQL (evals/bench/retrieval-latency.ts, 200 SciFact
  // queries), by ef_search 200/300/400/500/600: m 24 / ef_construction 200: 0.875/0.911/0.937/-/0.967;
  // m 32 / 128: 0.904/0.941/0.956/0.967/0.971; m 32 / 200: 0.912/0.946/0.968/0.978/0.983 (a second build:
  // 0.948 at 300, 0.9595 at 350, 0.968 at 400). Latency grows about linearly with ef_search (at 100K, 400
  // costs about half an exact scan), so m 32 / 200 at ef_search 350 is the cheapest measured setting that
  // stays above 0.95 (at 10K chunks ef_search 300 already gives 0.995).
  HNSW_M: int(32, 2, 100),
  HNSW_EF_CONSTRUCTION: int(200, 4, 1000),
  HNSW_EF_SEARCH: int(350, 1, 1000),
  MAX_INPUT_TOKENS: int(8000, 256),
  MAX_OUTPUT_TOKENS: int(800, 32),

  // Answers kept in this process in front of the shared answer cache (Redis or Postgres); 0 turns it off.
  ANSWER_CACHE_MEMORY_ENTRIES: int(1_000, 0),
  // A verified API key is trusted this long without a database read (a revoke through this process applies at once).
  AUTH_CACHE_TTL_MS: int(5_000, 0),
  RATE_LIMIT_QUERY_PER_MINUTE: int(120, 1),
  RATE_LIMIT_INGEST_PER_MINUTE: int(120, 1),
  RATE_LIMIT_ADMIN_PER_MINUTE: int(120, 1),
  TOKENS_PER_MINUTE: int(200_000, 1),
  MAX_CONCURRENT_ANSWERS: int(8, 1),
  DAILY_TOKEN_BUDGET: int(5_000_000, 1),
  MAX_INFLIGHT_PROVIDER_CALLS: int(32, 1),
  /**
   * Answers this process works on at once, all tenants together; beyond it a question gets 503 OVERLOADED with
   * Retry-After at once, before any work (and before an SSE stream opens). A saturated process that queues
   * instead makes every answer late (npm run bench -- load: 200 clients without it, overhead p99 4.6 s).
   */
  MAX_INFLIGHT_ANSWERS: int(64, 1),
  /**
   * The median of an answer's time in this process beyond the provider's that admission aims for: while answers
   * take longer, fewer are admitted at once (down to ANSWER_INFLIGHT_MIN), and more again while they meet it
   * (up to MAX_INFLIGHT_ANSWERS). 0 turns it off (a fixed MAX_INFLIGHT_ANSWERS). Set it above what one answer
   * takes on an idle server: a corpus whose answers are slow by themselves would otherwise run at the floor.
   */
  ANSWER_OVERHEAD_TARGET_MS: int(60, 0),
  /** The adaptive limit's floor: this many answers are always admitted. */
  ANSWER_INFLIGHT_MIN: int(8, 1),
  /**
   * New questions get 503 OVERLOADED while the event loop was busy more than this share of the last 250 ms
   * (0, the default, turns it off). Off because the adaptive limit above does the job better: over 250-ms
   * windows a busy spell is common well below capacity, and at 0.7 it halved the answers/s at 200 clients on
   * Postgres (30.7 against 55.2, p99 overhead 451 against 247 ms) and refused 335 of 1,400 questions at 50.
   */
  ANSWER_SHED_EVENT_LOOP_UTILIZATION: num(0, 0, 1),
  /** PostgreSQL connections per process (API and worker each). */
  DATABASE_POOL_SIZE: int(20, 1, 1000),
  /**
   * PGlite (the embedded default) only: run its WASM engine on V8's baseline compiler (Liftoff) alone,
   * without tiering hot functions up to the optimizing one. Why: the optimized code and its compilation
   * cost about 50 MiB of RSS for good (freeculture.pdf ingested in a fresh process: peak 465-479 against
   * 508-555 MiB; `[PGLITE_LIFTOFF_ONLY=false] npx tsx evals/bench/ingestion.ts`), and neither the answer path
   * (answer-overhead bench) nor a warm ingestion pipeline (CPU 2.34 against 2.30x raw extraction) gets
   * slower; a fresh process's first large document takes 25-40% longer. Process-wide, from the first store
   * opened.
   */
  PGLITE_LIFTOFF_ONLY: z.preprocess(emptyToUndefined, z.enum(['true', 'false']).default('true').transform((value) => value === 'true')),
  /**
   * PGlite (the embedded default) only: `on` runs it on a worker thread of its own, so ingestion's statements
   * do not hold the event loop that answers (src/core/db/pglite-worker.ts); `off` runs it on the main thread
   * (the side-by-side in `npm run bench -- ingest-stall`: with ingestion's threads at background priority, `on`
   * holds the event loop far less while a large PDF ingests, for the same ingestion time; README).
   */
  PGLITE_WORKER: z.preprocess(emptyToUndefined, z.enum(['on', 'off']).default('on').transform((value) => value === 'on')),
  /** Uploads are refused (503, Retry-After) while this many ingestion jobs wait, so the queue cannot grow without bound. */
  MAX_INGEST_QUEUE_DEPTH: int(10_000, 1),

  ALERT_WEBHOOK_URL: list,
  CANARY_CRON: z.preprocess(emptyToUndefined, z.string().default('0 3 * * *')),
  CANARY_TIMEZONE: z.preprocess(emptyToUndefined, z.string().default('UTC')),
  CANARY_RECALL_THRESHOLD: num(0.9, 0, 1),
  CANARY_DROP_DELTA: num(0.1, 0, 1),
  /** Days a conversation is kept after its last turn (purged hourly); 0 keeps conversations until deleted. */
  CONVERSATION_RETENTION_DAYS: int(90, 0),
  /** Tokens of a conversation's earlier turns generation sees at most; the oldest turns go first. */
  CONVERSATION_HISTORY_TOKENS: int(1500, 0),
  JOBS_INLINE_CONCURRENCY: int(2, 1, 64),
  /** BullMQ queue (and job-record queue) name; separate deployments or test runs sharing a Redis use distinct names. */
  JOB_QUEUE_NAME: z.preprocess(emptyToUndefined, z.string().regex(/^[A-Za-z0-9_.-]{1,100}$/u, 'letters, digits, dot, underscore and dash').default('attest')),
  /** BullMQ worker: how long a job's lock lives without renewal, and how often stalled (lock-expired) jobs are re-queued. */
  JOB_LOCK_DURATION_MS: int(30_000, 500),
  JOB_STALLED_INTERVAL_MS: int(30_000, 200),
  OTEL_EXPORTER_OTLP_ENDPOINT: optionalUrl(['http:', 'https:']),
  /** Prices over the built-in table (src/core/pricing.ts), USD per million tokens: {"model":{"input":x,"output":y,"cachedInput":z,"cacheWrite":w}}. */
  MODEL_PRICES_JSON: z.preprocess(
    emptyToUndefined,
    z
      .string()
      .transform((text, context) => {
        try {
          return JSON.parse(text) as unknown;
        } catch {
          context.addIssue({ code: 'custom', message: 'must be JSON like {"gpt-4o-mini":{"input":0.15,"output":0.6}} (USD per million tokens)' });
          return z.NEVER;
        }
      })
      .pipe(modelPricesSchema)
      .optional(),
  ),

  /** How often the recovery sweep (the embedded server, or each worker) finishes stopped deletes and re-queues lost jobs; 0: at start only. */
  RECOVERY_SWEEP_INTERVAL_MS: int(60_000, 0),

  /** Set: GET /metrics needs `Authorization: Bearer <token>` and shows every series; unset: open, without the series labelled by tenant or corpus id. */
  METRICS_TOKEN: z.preprocess(emptyToUndefined, z.string().min(16, 'must be at least 16 characters').optional()),
  /**
   * Hosts that server-side requests (canary webhooks set through the API, the help-center crawler) may reach
   * although they are internal (loopback, private, link-local...): host names, IP addresses or CIDR ranges,
   * comma-separated. ALERT_WEBHOOK_URL needs no entry: the operator chose it.
   */
  OUTBOUND_ALLOW_HOSTS: list,
  /**
   * Inbound HTTP: headers must arrive within HTTP_HEADERS_TIMEOUT_MS, and the whole request (headers and body)
   * within HTTP_REQUEST_TIMEOUT_MS (408; 0 = no limit). HTTP_BODY_IDLE_TIMEOUT_MS closes a connection whose
   * body stops arriving for that long (a stalled upload held its connection for 400+ s). None of them bounds the
   * response: a long answer or SSE stream is not cut.
   */
  HTTP_HEADERS_TIMEOUT_MS: int(20_000, 100),
  HTTP_REQUEST_TIMEOUT_MS: int(600_000, 0),
  HTTP_BODY_IDLE_TIMEOUT_MS: int(30_000, 100),
  /** The answerability gate ahead of every generator (`off`: every question goes to a generator). */
  ANSWER_GATE: z.preprocess(emptyToUndefined, z.enum(['on', 'off']).default('on')),
  /** Floors on the relevance scorer's scale; unset: the scorer's calibrated floors (src/query/relevance.ts). */
  GATE_RELEVANCE_FLOOR: z.preprocess(emptyToUndefined, z.coerce.number().optional()),
  EXTRACTIVE_RELEVANCE_FLOOR: z.preprocess(emptyToUndefined, z.coerce.number().optional()),
  CLAIM_SUPPORT_FLOOR: z.preprocess(emptyToUndefined, z.coerce.number().optional()),

  // Office, OpenDocument, EPUB, CSV and email parsing (ingestion/parse/office.ts): time limit, zip bomb caps, rows.
  OFFICE_TIMEOUT_MS: int(60_000, 100),
  ARCHIVE_MAX_BYTES: int(256 * 1024 * 1024, 1024),
  ARCHIVE_MAX_ENTRIES: int(10_000, 1),
  SPREADSHEET_MAX_ROWS: int(200_000, 1),
  // An email's attachments become documents of their own (ingestion/attachments.ts): how many, and their bytes together.
  EML_MAX_ATTACHMENTS: int(20, 0),
  EML_MAX_ATTACHMENT_BYTES: int(25 * 1024 * 1024, 0),
  // OCR of image-only PDF pages and images (ingestion/parse/ocr.ts): tesseract languages ("eng+deu"; each needs
  // its @tesseract.js-data/<lang> package), threads, pages per document, per-page time limit, render resolution.
  OCR_ENABLED: z.preprocess(emptyToUndefined, z.enum(['true', 'false']).default('true').transform((value) => value === 'true')),
  OCR_LANGUAGES: z.preprocess(emptyToUndefined, z.string().regex(/^[a-z_]{3,8}(?:\+[a-z_]{3,8})*$/u, 'must be tesseract codes joined by +, e.g. eng+deu').default('eng')),
  OCR_WORKERS: int(2, 1, 16),
  OCR_MAX_PAGES: int(50, 0),
  OCR_PAGE_TIMEOUT_MS: int(60_000, 100),
  OCR_DPI: int(200, 50, 600),
  OCR_MAX_PIXELS: int(40_000_000, 10_000),
  // Help-center crawler (ingestion/crawl): requests at once and the least pause between them per host (a
  // robots.txt Crawl-delay that asks for more wins, up to 60 s), per-request time limit, page size cap, pages per source.
  CRAWL_CONCURRENCY_PER_HOST: int(2, 1, 16),
  CRAWL_DELAY_MS: int(250, 0, 60_000),
  CRAWL_TIMEOUT_MS: int(15_000, 100, 300_000),
  CRAWL_MAX_PAGE_BYTES: int(5 * 1024 * 1024, 1024),
  CRAWL_MAX_PAGES: int(2_000, 1),
});

export type Config = z.infer<typeof configSchema>;

/** Names of settings whose values must never be printed. */
const SECRET_KEYS = new Set(['BOOTSTRAP_API_KEY', 'OPENAI_API_KEY', 'ANTHROPIC_API_KEY', 'COHERE_API_KEY', 'QDRANT_API_KEY', 'DATABASE_URL', 'REDIS_URL', 'METRICS_TOKEN']);

export class ConfigError extends Error {
  constructor(readonly variable: string, readonly problem: string) {
    super(`Invalid configuration: ${variable} ${problem}`);
    this.name = 'ConfigError';
  }
}

/** Parses the environment; throws ConfigError naming the first bad variable (never its value if secret). */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const result = configSchema.safeParse(env);
  if (result.success) return result.data;
  const issue = result.error.issues[0];
  const variable = String(issue?.path[0] ?? 'environment');
  // A structured setting (MODEL_PRICES_JSON) names where inside it the problem is.
  const inside = (issue?.path.length ?? 0) > 1 ? `at ${issue!.path.slice(1).map(String).join('.')}: ` : '';
  const shown = SECRET_KEYS.has(variable) || env[variable] === undefined ? '' : ` (got "${String(env[variable]).slice(0, 80)}")`;
  throw new ConfigError(variable, `${inside}${issue?.message ?? 'is invalid'}${shown}`);
}

export function isSecretSetting(name: string): boolean {
  return SECRET_KEYS.has(name);
}
