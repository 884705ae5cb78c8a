import { sql } from 'drizzle-orm';
import {
  bigint,
  boolean,
  customType,
  doublePrecision,
  index,
  integer,
  json,
  jsonb,
  pgTable,
  primaryKey,
  real,
  text,
  timestamp,
  uniqueIndex,
  uuid,
  type AnyPgColumn,
} from 'drizzle-orm/pg-core';

/**
 * Untyped pgvector column: each index build has its own dimension (from its
 * embedding model), so the column is `vector` and per-build HNSW indexes are
 * expression indexes over `embedding::vector(d)` (see indexes/postgres/pgvector-index.ts).
 */
export const anyVector = customType<{ data: number[]; driverData: string }>({
  dataType: () => 'vector',
  toDriver: (value) => `[${value.join(',')}]`,
  fromDriver: (value) => JSON.parse(value) as number[],
});

export const bytea = customType<{ data: Uint8Array; driverData: Uint8Array }>({
  dataType: () => 'bytea',
});

const createdAt = () => timestamp('created_at', { withTimezone: true }).notNull().defaultNow();
const id = () => uuid('id').primaryKey().defaultRandom();

export const tenants = pgTable('tenants', {
  id: id(),
  name: text('name').notNull().unique(),
  /** Per-tenant overrides of rate limits and budgets. */
  limits: jsonb('limits').$type<Record<string, number>>().notNull().default({}),
  createdAt: createdAt(),
});

export const apiKeys = pgTable(
  'api_keys',
  {
    id: id(),
    tenantId: uuid('tenant_id').notNull().references(() => tenants.id, { onDelete: 'cascade' }),
    name: text('name').notNull(),
    prefix: text('prefix').notNull(),
    hash: text('hash').notNull().unique(),
    scopes: text('scopes').array().notNull(),
    createdAt: createdAt(),
    lastUsedAt: timestamp('last_used_at', { withTimezone: true }),
    revokedAt: timestamp('revoked_at', { withTimezone: true }),
  },
  (table) => [index('api_keys_tenant_idx').on(table.tenantId)],
);

export const corpora = pgTable(
  'corpora',
  {
    id: id(),
    tenantId: uuid('tenant_id').notNull().references(() => tenants.id, { onDelete: 'cascade' }),
    name: text('name').notNull(),
    activeBuildId: uuid('active_build_id'),
    /** Bumped on every change that can alter an answer, so caches keyed on it miss. */
    generation: integer('generation').notNull().default(0),
    settings: jsonb('settings').$type<Record<string, unknown>>().notNull().default({}),
    createdAt: createdAt(),
  },
  (table) => [uniqueIndex('corpora_tenant_name_uq').on(table.tenantId, table.name)],
);

export const documents = pgTable(
  'documents',
  {
    id: id(),
    tenantId: uuid('tenant_id').notNull().references(() => tenants.id, { onDelete: 'cascade' }),
    corpusId: uuid('corpus_id').notNull().references(() => corpora.id, { onDelete: 'cascade' }),
    title: text('title').notNull(),
    externalId: text('external_id'),
    /** externalId when given, else the title: what makes a re-upload a new version of the same document. */
    matchKey: text('match_key').notNull(),
    createdAt: createdAt(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
    /** Set when a delete began (migration 0009): the document is gone for readers, and the recovery sweep finishes the delete. */
    deletingAt: timestamp('deleting_at', { withTimezone: true }),
    /** Set on an email attachment's document: the email's document (migration 0015). */
    parentDocumentId: uuid('parent_document_id').references((): AnyPgColumn => documents.id, { onDelete: 'set null' }),
  },
  (table) => [
    uniqueIndex('documents_corpus_match_uq').on(table.corpusId, table.matchKey),
    index('documents_corpus_idx').on(table.tenantId, table.corpusId),
    index('documents_deleting_idx').on(table.deletingAt).where(sql`${table.deletingAt} IS NOT NULL`),
    index('documents_parent_idx').on(table.parentDocumentId).where(sql`${table.parentDocumentId} IS NOT NULL`),
  ],
);

/** What became of one attachment of an email version: the child document it became, or why it did not. */
export interface AttachmentOutcome {
  fileName: string;
  /** As the email declared it; the child's own type is sniffed from its bytes. */
  mime: string;
  bytes: number;
  documentId?: string;
  versionId?: string;
  error?: { code: string; message: string };
}

export const documentVersions = pgTable(
  'document_versions',
  {
    id: id(),
    tenantId: uuid('tenant_id').notNull(),
    corpusId: uuid('corpus_id').notNull(),
    documentId: uuid('document_id').notNull().references(() => documents.id, { onDelete: 'cascade' }),
    contentSha256: text('content_sha256').notNull(),
    bytes: integer('bytes').notNull(),
    mime: text('mime').notNull(),
    fileName: text('file_name'),
    pages: integer('pages'),
    /** pending | processing | ready | failed | superseded */
    status: text('status').notNull().default('pending'),
    errorCode: text('error_code'),
    errorMessage: text('error_message'),
    /** The canonical normalized text that chunk and citation offsets point into. Stored uncompressed (migration 0008). */
    normalizedText: text('normalized_text'),
    /**
     * Page and block offsets of the normalized text, so a new build can re-chunk without re-parsing. json, not
     * jsonb: it is only ever read whole, and jsonb's parse cost the upload time for nothing (migration 0008).
     */
    structure: json('structure').$type<{ pages: unknown[]; blocks: unknown[] }>(),
    jobId: text('job_id'),
    createdAt: createdAt(),
    /** An email version's attachments: the child document each became, or its error (migration 0015). */
    attachments: json('attachments').$type<AttachmentOutcome[]>(),
  },
  (table) => [
    uniqueIndex('document_versions_doc_sha_uq').on(table.documentId, table.contentSha256),
    index('document_versions_status_idx').on(table.status),
  ],
);

/** Original bytes, kept apart so listing versions never drags blobs along. */
export const versionBlobs = pgTable('version_blobs', {
  versionId: uuid('version_id').primaryKey().references(() => documentVersions.id, { onDelete: 'cascade' }),
  content: bytea('content').notNull(),
});

export const chunks = pgTable(
  'chunks',
  {
    id: id(),
    tenantId: uuid('tenant_id').notNull(),
    corpusId: uuid('corpus_id').notNull(),
    documentId: uuid('document_id').notNull(),
    versionId: uuid('version_id').notNull().references(() => documentVersions.id, { onDelete: 'cascade' }),
    chunkerHash: text('chunker_hash').notNull(),
    ordinal: integer('ordinal').notNull(),
    text: text('text').notNull(),
    charStart: integer('char_start').notNull(),
    charEnd: integer('char_end').notNull(),
    pageStart: integer('page_start'),
    pageEnd: integer('page_end'),
    headingPath: text('heading_path').array().notNull().default(sql`'{}'::text[]`),
    tokenCount: integer('token_count').notNull(),
    contentHash: text('content_hash').notNull(),
  },
  (table) => [
    uniqueIndex('chunks_version_chunker_ordinal_uq').on(table.versionId, table.chunkerHash, table.ordinal),
    index('chunks_tenant_corpus_idx').on(table.tenantId, table.corpusId),
  ],
);

export const embeddingModels = pgTable('embedding_models', {
  id: text('id').primaryKey(),
  provider: text('provider').notNull(),
  model: text('model').notNull(),
  dimension: integer('dimension').notNull(),
  params: jsonb('params').$type<Record<string, unknown>>().notNull().default({}),
  fingerprint: text('fingerprint').notNull(),
  createdAt: createdAt(),
});

export const embeddingCache = pgTable(
  'embedding_cache',
  {
    fingerprint: text('fingerprint').notNull(),
    contentHash: text('content_hash').notNull(),
    embedding: real('embedding').array().notNull(),
  },
  (table) => [primaryKey({ columns: [table.fingerprint, table.contentHash] })],
);

export const indexBuilds = pgTable(
  'index_builds',
  {
    id: id(),
    tenantId: uuid('tenant_id').notNull(),
    corpusId: uuid('corpus_id').notNull().references(() => corpora.id, { onDelete: 'cascade' }),
    embeddingModelId: text('embedding_model_id').notNull().references(() => embeddingModels.id),
    chunker: jsonb('chunker').$type<Record<string, number>>().notNull(),
    chunkerHash: text('chunker_hash').notNull(),
    analyzerVersion: text('analyzer_version').notNull(),
    /** building | ready | active | retired | failed */
    status: text('status').notNull(),
    stats: jsonb('stats').$type<{ documents: number; chunks: number; failures: number }>().notNull().default({ documents: 0, chunks: 0, failures: 0 }),
    warning: text('warning'),
    canaryReport: jsonb('canary_report').$type<Record<string, unknown>>(),
    createdAt: createdAt(),
    promotedAt: timestamp('promoted_at', { withTimezone: true }),
  },
  (table) => [index('index_builds_corpus_idx').on(table.corpusId, table.status)],
);

/** Which chunks a build holds, with their analyzed length for BM25. */
export const buildChunks = pgTable(
  'build_chunks',
  {
    buildId: uuid('build_id').notNull().references(() => indexBuilds.id, { onDelete: 'cascade' }),
    chunkId: uuid('chunk_id').notNull().references(() => chunks.id, { onDelete: 'cascade' }),
    tenantId: uuid('tenant_id').notNull(),
    corpusId: uuid('corpus_id').notNull(),
    docLength: integer('doc_length').notNull(),
    /** The posting block holding the chunk's postings in this build (postingBlocks); null when they are rows of postings. */
    blockId: uuid('block_id'),
  },
  (table) => [primaryKey({ columns: [table.buildId, table.chunkId] }), index('build_chunks_block_idx').on(table.blockId).where(sql`${table.blockId} IS NOT NULL`)],
);

/** BM25 collection statistics, updated in the same transaction as the postings. */
export const buildTermStats = pgTable('build_term_stats', {
  buildId: uuid('build_id').primaryKey().references(() => indexBuilds.id, { onDelete: 'cascade' }),
  docCount: bigint('doc_count', { mode: 'number' }).notNull().default(0),
  totalLength: bigint('total_length', { mode: 'number' }).notNull().default(0),
  /** Bumped by every statement that adds or removes chunks: a cached copy of the build's postings is current iff its version matches. */
  version: bigint('version', { mode: 'number' }).notNull().default(0),
});

/**
 * One row per (build, term, chunk). No foreign keys: their per-row checks cost about half of
 * every posting insert. A posting is only ever written beside its build_chunks row, in the
 * same transaction, and leaves with it: a statement trigger on build_chunks (migration 0004)
 * deletes the postings of removed rows, so chunk, document and build deletes still cascade.
 */
export const postings = pgTable(
  'postings',
  {
    buildId: uuid('build_id').notNull(),
    term: text('term').notNull(),
    chunkId: uuid('chunk_id').notNull(),
    tenantId: uuid('tenant_id').notNull(),
    corpusId: uuid('corpus_id').notNull(),
    tf: integer('tf').notNull(),
    docLength: integer('doc_length').notNull(),
  },
  (table) => [primaryKey({ columns: [table.buildId, table.term, table.chunkId] }), index('postings_chunk_idx').on(table.chunkId)],
);

/**
 * Postings of long document versions on the embedded default, in blocks: one row per (build,
 * term, block), a block being the chunks of one version (at least BLOCK_MIN_CHUNKS) written by
 * one index write, holding the term's chunk ids, tfs and chunk lengths as arrays in chunk id
 * order. On PGlite, one row per posting was most of the SQL time of ingesting a PDF (postings
 * `COPY` ~690 of ~1,060 ms for five PDFs). PostgreSQL keeps rows: with short documents a block
 * holds a posting or two, and unnesting arrays cost its BM25 statement 3× against the covering
 * key's index-only reads. BM25 reads both tables; the view `all_postings` (migration 0007)
 * unnests the blocks beside the rows. No foreign keys, as for postings: the build_chunks
 * trigger (migration 0007) removes a block whose chunks are all gone, or cuts removed chunks out.
 */
export const postingBlocks = pgTable(
  'posting_blocks',
  {
    buildId: uuid('build_id').notNull(),
    term: text('term').notNull(),
    blockId: uuid('block_id').notNull(),
    tenantId: uuid('tenant_id').notNull(),
    corpusId: uuid('corpus_id').notNull(),
    chunkIds: uuid('chunk_ids').array().notNull(),
    tfs: integer('tfs').array().notNull(),
    docLengths: integer('doc_lengths').array().notNull(),
  },
  (table) => [primaryKey({ columns: [table.buildId, table.term, table.blockId] }), index('posting_blocks_block_idx').on(table.blockId)],
);

export const chunkVectors = pgTable(
  'chunk_vectors',
  {
    buildId: uuid('build_id').notNull().references(() => indexBuilds.id, { onDelete: 'cascade' }),
    chunkId: uuid('chunk_id').notNull().references(() => chunks.id, { onDelete: 'cascade' }),
    tenantId: uuid('tenant_id').notNull(),
    corpusId: uuid('corpus_id').notNull(),
    modelId: text('model_id').notNull(),
    embedding: anyVector('embedding').notNull(),
  },
  (table) => [primaryKey({ columns: [table.buildId, table.chunkId] })],
);

/**
 * Vectors per build and a version bumped by every statement that adds, changes or removes any
 * (statement triggers on chunk_vectors, migration 0005): a process holding a build's vectors in
 * memory serves from them only while its copy's version equals this one.
 */
export const buildVectorStats = pgTable('build_vector_stats', {
  buildId: uuid('build_id').primaryKey().references(() => indexBuilds.id, { onDelete: 'cascade' }),
  vectorCount: bigint('vector_count', { mode: 'number' }).notNull().default(0),
  version: bigint('version', { mode: 'number' }).notNull().default(0),
});

/** Job records: the source of truth for job state and progress whatever queue carries them. */
export const jobs = pgTable(
  'jobs',
  {
    id: text('id').primaryKey(),
    tenantId: uuid('tenant_id'),
    queue: text('queue').notNull(),
    name: text('name').notNull(),
    data: jsonb('data').$type<Record<string, unknown>>().notNull(),
    /** queued | active | completed | failed */
    state: text('state').notNull().default('queued'),
    progress: jsonb('progress').$type<{ stage: string; done: number; total: number }>(),
    attempts: integer('attempts').notNull().default(0),
    maxAttempts: integer('max_attempts').notNull().default(3),
    error: jsonb('error').$type<{ code: string; message: string }>(),
    requestId: text('request_id'),
    result: jsonb('result').$type<Record<string, unknown>>(),
    createdAt: createdAt(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (table) => [index('jobs_state_idx').on(table.queue, table.state)],
);

export const canaries = pgTable(
  'canaries',
  {
    id: id(),
    tenantId: uuid('tenant_id').notNull(),
    corpusId: uuid('corpus_id').notNull().references(() => corpora.id, { onDelete: 'cascade' }),
    query: text('query').notNull(),
    expectDocumentId: uuid('expect_document_id'),
    expectChunkContains: text('expect_chunk_contains'),
    k: integer('k').notNull().default(10),
    createdAt: createdAt(),
  },
  (table) => [index('canaries_corpus_idx').on(table.corpusId)],
);

export const canaryRuns = pgTable(
  'canary_runs',
  {
    id: id(),
    tenantId: uuid('tenant_id').notNull(),
    corpusId: uuid('corpus_id').notNull().references(() => corpora.id, { onDelete: 'cascade' }),
    buildId: uuid('build_id'),
    generation: integer('generation').notNull(),
    embeddingModelId: text('embedding_model_id'),
    analyzerVersion: text('analyzer_version'),
    promptVersion: text('prompt_version'),
    trigger: text('trigger').notNull(),
    k: integer('k').notNull(),
    recallAtK: doublePrecision('recall_at_k'),
    mrr: doublePrecision('mrr'),
    hits: integer('hits').notNull().default(0),
    total: integer('total').notNull().default(0),
    misses: jsonb('misses').$type<unknown[]>().notNull().default([]),
    latencyMs: doublePrecision('latency_ms'),
    failed: boolean('failed').notNull().default(false),
    error: text('error'),
    alerted: boolean('alerted').notNull().default(false),
    /** Scheduled tick this run belongs to, so one tick yields exactly one run. */
    tickKey: text('tick_key'),
    createdAt: createdAt(),
  },
  (table) => [index('canary_runs_corpus_idx').on(table.corpusId, table.createdAt), uniqueIndex('canary_runs_tick_uq').on(table.corpusId, table.tickKey)],
);

export const alerts = pgTable(
  'alerts',
  {
    id: id(),
    tenantId: uuid('tenant_id').notNull(),
    corpusId: uuid('corpus_id').notNull().references(() => corpora.id, { onDelete: 'cascade' }),
    cause: text('cause').notNull(),
    /** open | resolved */
    status: text('status').notNull().default('open'),
    runId: uuid('run_id'),
    payload: jsonb('payload').$type<Record<string, unknown>>().notNull(),
    deliveries: integer('deliveries').notNull().default(0),
    delivered: boolean('delivered').notNull().default(false),
    createdAt: createdAt(),
    resolvedAt: timestamp('resolved_at', { withTimezone: true }),
  },
  (table) => [index('alerts_corpus_idx').on(table.corpusId, table.status)],
);

export const answerTraces = pgTable(
  'answer_traces',
  {
    id: id(),
    tenantId: uuid('tenant_id').notNull(),
    corpusId: uuid('corpus_id').notNull(),
    requestId: text('request_id'),
    trace: jsonb('trace').$type<Record<string, unknown>>().notNull(),
    createdAt: createdAt(),
  },
  (table) => [index('answer_traces_tenant_idx').on(table.tenantId, table.createdAt)],
);

export const feedback = pgTable('feedback', {
  id: id(),
  tenantId: uuid('tenant_id').notNull(),
  traceId: uuid('trace_id').notNull().references(() => answerTraces.id, { onDelete: 'cascade' }),
  rating: text('rating').notNull(),
  comment: text('comment'),
  createdAt: createdAt(),
});

export const idempotencyKeys = pgTable(
  'idempotency_keys',
  {
    tenantId: uuid('tenant_id').notNull(),
    key: text('key').notNull(),
    route: text('route').notNull(),
    requestHash: text('request_hash').notNull(),
    /** pending | done */
    state: text('state').notNull(),
    statusCode: integer('status_code'),
    responseBody: text('response_body'),
    responseHeaders: jsonb('response_headers').$type<Record<string, string>>(),
    createdAt: createdAt(),
    expiresAt: timestamp('expires_at', { withTimezone: true }).notNull(),
    /** The process holding a pending claim (it renews the lease while the request runs); null on rows before 0010. */
    owner: text('owner'),
  },
  (table) => [primaryKey({ columns: [table.tenantId, table.key] })],
);

export const answerCache = pgTable('answer_cache', {
  key: text('key').primaryKey(),
  tenantId: uuid('tenant_id').notNull(),
  body: jsonb('body').$type<Record<string, unknown>>().notNull(),
  createdAt: createdAt(),
  expiresAt: timestamp('expires_at', { withTimezone: true }).notNull(),
});

export const tenantUsage = pgTable(
  'tenant_usage',
  {
    tenantId: uuid('tenant_id').notNull(),
    day: text('day').notNull(),
    tokens: bigint('tokens', { mode: 'number' }).notNull().default(0),
    costUsd: doublePrecision('cost_usd').notNull().default(0),
  },
  (table) => [primaryKey({ columns: [table.tenantId, table.day] })],
);

export type Tenant = typeof tenants.$inferSelect;
export type ApiKey = typeof apiKeys.$inferSelect;
export type Corpus = typeof corpora.$inferSelect;
export type DocumentRow = typeof documents.$inferSelect;
export type DocumentVersion = typeof documentVersions.$inferSelect;
export type ChunkRow = typeof chunks.$inferSelect;
export type IndexBuild = typeof indexBuilds.$inferSelect;
export type EmbeddingModelRow = typeof embeddingModels.$inferSelect;
export type JobRow = typeof jobs.$inferSelect;
export type CanaryRow = typeof canaries.$inferSelect;
export type CanaryRunRow = typeof canaryRuns.$inferSelect;

/** A support conversation: follow-up questions over one corpus, kept until deleted or past its retention. */
export const conversations = pgTable(
  'conversations',
  {
    id: id(),
    tenantId: uuid('tenant_id').notNull().references(() => tenants.id, { onDelete: 'cascade' }),
    corpusId: uuid('corpus_id').notNull().references(() => corpora.id, { onDelete: 'cascade' }),
    /** The API key that started it (null once that key is gone); conversations are the tenant's, not the key's. */
    apiKeyId: uuid('api_key_id'),
    title: text('title'),
    turns: integer('turns').notNull().default(0),
    /** While a turn is being answered: until when (a crashed process's lease runs out). */
    busyUntil: timestamp('busy_until', { withTimezone: true }),
    createdAt: createdAt(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
    /** When the retention purge deletes it (null: kept until deleted). */
    expiresAt: timestamp('expires_at', { withTimezone: true }),
  },
  (table) => [index('conversations_tenant_updated_idx').on(table.tenantId, table.updatedAt), index('conversations_expires_idx').on(table.expiresAt)],
);

export const conversationMessages = pgTable(
  'conversation_messages',
  {
    conversationId: uuid('conversation_id').notNull().references(() => conversations.id, { onDelete: 'cascade' }),
    turn: integer('turn').notNull(),
    tenantId: uuid('tenant_id').notNull(),
    question: text('question').notNull(),
    standaloneQuestion: text('standalone_question').notNull(),
    /** The whole answer body as it was returned (citations or refusal included). */
    answer: jsonb('answer').$type<Record<string, unknown>>().notNull(),
    traceId: uuid('trace_id'),
    createdAt: createdAt(),
  },
  (table) => [primaryKey({ columns: [table.conversationId, table.turn] })],
);
export type ConversationRow = typeof conversations.$inferSelect;
export type ConversationMessageRow = typeof conversationMessages.$inferSelect;

/** A help-center sitemap a corpus is kept in step with (migration 0014). */
export const sources = pgTable(
  'sources',
  {
    id: id(),
    tenantId: uuid('tenant_id').notNull().references(() => tenants.id, { onDelete: 'cascade' }),
    corpusId: uuid('corpus_id').notNull().references(() => corpora.id, { onDelete: 'cascade' }),
    /** `sitemap` (the only type so far). */
    type: text('type').notNull(),
    url: text('url').notNull(),
    /** URL path globs (`*` any run of characters): a page is crawled when it matches an include (or none are set) and no exclude. */
    include: text('include').array().notNull().default(sql`'{}'`),
    exclude: text('exclude').array().notNull().default(sql`'{}'`),
    /** Cron pattern (UTC) of the scheduled re-syncs; null: only on demand. */
    schedule: text('schedule'),
    createdAt: createdAt(),
  },
  (table) => [index('sources_corpus_idx').on(table.tenantId, table.corpusId)],
);

/** One crawled page of a source, keyed by its URL: its document and what the next sync's conditional request sends. */
export const sourcePages = pgTable(
  'source_pages',
  {
    sourceId: uuid('source_id').notNull().references(() => sources.id, { onDelete: 'cascade' }),
    url: text('url').notNull(),
    documentId: uuid('document_id'),
    etag: text('etag'),
    lastModified: text('last_modified'),
    /** SHA-256 of the extracted title and text: an unchanged hash makes no new version. */
    contentSha256: text('content_sha256'),
    fetchedAt: timestamp('fetched_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (table) => [primaryKey({ columns: [table.sourceId, table.url] })],
);

export interface SourceSyncCounts {
  found: number;
  fetched: number;
  unchanged: number;
  added: number;
  updated: number;
  deleted: number;
  failed: number;
  skipped: number;
}

export interface SourcePageError {
  url: string;
  code: string;
  status?: number;
  message: string;
}

export const sourceSyncs = pgTable(
  'source_syncs',
  {
    id: id(),
    sourceId: uuid('source_id').notNull().references(() => sources.id, { onDelete: 'cascade' }),
    tenantId: uuid('tenant_id').notNull(),
    /** create | manual | schedule */
    trigger: text('trigger').notNull(),
    /** queued | running | completed | failed */
    status: text('status').notNull().default('queued'),
    jobId: text('job_id'),
    counts: jsonb('counts').$type<Partial<SourceSyncCounts>>().notNull().default({}),
    /** Per-page errors and skips (robots.txt), the first SOURCE_SYNC_MAX_ERRORS of them. */
    errors: jsonb('errors').$type<SourcePageError[]>().notNull().default([]),
    errorCode: text('error_code'),
    errorMessage: text('error_message'),
    createdAt: createdAt(),
    startedAt: timestamp('started_at', { withTimezone: true }),
    finishedAt: timestamp('finished_at', { withTimezone: true }),
  },
  (table) => [index('source_syncs_source_idx').on(table.sourceId, table.createdAt)],
);
export type SourceRow = typeof sources.$inferSelect;
export type SourcePageRow = typeof sourcePages.$inferSelect;
export type SourceSyncRow = typeof sourceSyncs.$inferSelect;
