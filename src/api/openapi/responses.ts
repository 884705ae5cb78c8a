import { z } from 'zod';
import { ERROR_CATALOG } from '../../core/errors';

/**
 * What each route answers, by status, as zod schemas. They are kept here, in one table keyed by
 * "METHOD /path", rather than on each route: the OpenAPI document is generated from them, the contract
 * test validates real responses against them, and a route without an entry fails that test. Objects are
 * loose (extra fields allowed) so a field added to a response is not a breaking change for clients; the
 * fields named are the ones clients may rely on.
 */

export const errorCodeSchema = z.enum(Object.keys(ERROR_CATALOG) as [keyof typeof ERROR_CATALOG, ...(keyof typeof ERROR_CATALOG)[]]);

export const errorBodySchema = z
  .object({
    error: z.looseObject({
      code: errorCodeSchema.describe('Stable error code; see the catalogue in the API description'),
      message: z.string(),
      details: z.record(z.string(), z.unknown()).optional(),
    }),
  })
  .meta({ id: 'Error' });

const iso = z.string().describe('ISO 8601 timestamp');
const uuid = z.string();

export const corpusSchema = z.looseObject({ id: uuid, name: z.string(), activeBuildId: uuid.nullable(), generation: z.number().int(), createdAt: iso }).meta({ id: 'Corpus' });

const jobProgress = z.looseObject({ stage: z.string(), done: z.number(), total: z.number() });
export const jobSchema = z
  .looseObject({
    id: z.string(),
    name: z.string(),
    state: z.enum(['waiting', 'active', 'completed', 'failed', 'delayed', 'queued', 'cancelled']).or(z.string()),
    progress: jobProgress,
    attempts: z.number().int(),
    error: z.looseObject({ code: z.string(), message: z.string() }).optional(),
    result: z.unknown().optional(),
    createdAt: iso,
    updatedAt: iso,
  })
  .meta({ id: 'Job' });

export const uploadResultSchema = z
  .looseObject({ documentId: uuid, versionId: uuid, jobId: z.string().nullable(), status: z.string(), deduplicated: z.boolean() })
  .meta({ id: 'UploadResult' });

const attachmentOutcome = z.looseObject({
  fileName: z.string(),
  mime: z.string().describe('As the email declared it'),
  bytes: z.number().int(),
  documentId: uuid.optional().describe('The document the attachment became'),
  versionId: uuid.optional(),
  status: z.string().optional().describe("Its document's version status, when it became one"),
  error: z.looseObject({ code: z.string(), message: z.string() }).optional().describe('Why the attachment was not ingested, or its document failed (the email itself is not failed)'),
});
const versionSchema = z.looseObject({
  id: uuid,
  status: z.string(),
  chunkCount: z.number().int(),
  pages: z.number().int().nullable(),
  bytes: z.number().int(),
  mime: z.string().describe('The type the file was sniffed as'),
  fileName: z.string().nullable(),
  jobId: z.string().nullable().describe('The ingestion job of this version'),
  createdAt: iso,
  error: z.looseObject({ code: z.string(), message: z.string() }).optional().describe('Why the version failed to ingest'),
  attachments: z.array(attachmentOutcome).optional().describe("An email version's attachments and what became of each"),
});
export const documentSchema = z
  .looseObject({
    id: uuid,
    corpusId: uuid,
    title: z.string(),
    status: z.string(),
    versions: z.array(versionSchema),
    createdAt: iso,
    parentDocumentId: uuid.nullable().optional().describe("An email attachment's document: the email's document"),
  })
  .meta({ id: 'Document' });

const sourceLocation = {
  documentId: uuid,
  versionId: uuid,
  title: z.string(),
  page: z.number().int().nullable().describe('Page where the text starts (paginated sources)'),
  pageEnd: z.number().int().nullable().optional().describe('Page where it ends'),
  headingPath: z.array(z.string()).nullable().optional().describe('Section headings above the text (non-paginated sources)'),
  start: z.number().int().describe("Character offset in the version's normalized text"),
  end: z.number().int(),
  ocr: z.looseObject({ confidence: z.number().describe("OCR's mean word confidence on the pages the text lies on (lowest of them), 0-100") }).optional().describe('Present when the text came from OCR of a scanned page or image'),
};

export const searchResultSchema = z.looseObject({ chunkId: uuid, ...sourceLocation, text: z.string(), score: z.number(), scores: z.record(z.string(), z.unknown()).optional(), ranks: z.record(z.string(), z.unknown()).optional() }).meta({ id: 'SearchResult' });
export const searchResponseSchema = z
  .looseObject({ query: z.string(), buildId: uuid.nullable(), empty: z.boolean(), reason: z.string().optional(), results: z.array(searchResultSchema), timings: z.record(z.string(), z.number()) })
  .meta({ id: 'SearchResponse' });

export const citationSchema = z
  .looseObject({ n: z.number().int(), chunkId: z.string(), ...sourceLocation, quote: z.string().describe('Verbatim text of the source'), verified: z.boolean() })
  .meta({ id: 'Citation' });
/** A passage retrieval gave the answerer (cited or not). */
const answerSourceSchema = z.looseObject({ chunkId: uuid, documentId: uuid, versionId: uuid, title: z.string(), page: z.number().int().nullable(), start: z.number().int(), end: z.number().int(), score: z.number(), text: z.string() });

export const answerSchema = z
  .looseObject({
    answer: z.string(),
    sentences: z.array(z.looseObject({ text: z.string(), citations: z.array(z.number().int()), support: z.number().optional().describe('Claim support of its best quote (absent when no scorer ran)') })),
    citations: z.array(citationSchema),
    refused: z.boolean(),
    refusalReason: z.string().nullable(),
    mode: z.enum(['extractive', 'generative']).describe('extractive: passages quoted by the local answerer (no language model); generative: a model wrote the answer'),
    gate: z.looseObject({ passed: z.boolean(), reason: z.string().nullable(), message: z.string().nullable().describe('Why the question was refused before generation, for the agent') }),
    degraded: z.boolean(),
    cached: z.boolean(),
    traceId: z.string(),
    sources: z.array(answerSourceSchema),
    usage: z.looseObject({
      provider: z.string(),
      model: z.string().describe('The model that answered, as the provider names it (dated id)'),
      inputTokens: z.number(),
      outputTokens: z.number(),
      cachedTokens: z.number(),
      cacheWriteTokens: z.number(),
      cachedShare: z.number().describe('Share of the input the provider read from its prompt cache'),
      costUsd: z.number(),
    }),
    timings: z.record(z.string(), z.number()),
  })
  .meta({ id: 'Answer' });

/** The events of an answer streamed as Server-Sent Events (`Accept: text/event-stream`), by event name. */
export const answerEventSchemas = {
  retrieval: z.looseObject({ sources: z.array(answerSourceSchema) }),
  delta: z.looseObject({ text: z.string() }),
  reset: z.looseObject({ reason: z.enum(['retry', 'unverified']).or(z.string()) }),
  citation: citationSchema,
  done: answerSchema,
  error: errorBodySchema.shape.error,
} as const;

export const buildSchema = z
  .looseObject({
    id: uuid,
    corpusId: uuid,
    status: z.string(),
    embeddingModel: z.string(),
    chunker: z.record(z.string(), z.unknown()),
    chunkerHash: z.string(),
    analyzerVersion: z.string().or(z.number()),
    stats: z.looseObject({ documents: z.number().int(), chunks: z.number().int(), failures: z.number().int() }),
    warning: z.string().nullable(),
    canaryReport: z.unknown().nullable(),
    createdAt: iso,
    promotedAt: iso.nullable(),
  })
  .meta({ id: 'Build' });

export const canarySchema = z
  .looseObject({ id: uuid, corpusId: uuid, query: z.string(), expect: z.looseObject({ documentId: uuid.optional(), chunkContains: z.string().optional() }), k: z.number().int(), createdAt: iso })
  .meta({ id: 'Canary' });
export const canaryRunSchema = z
  .looseObject({
    id: uuid,
    corpusId: uuid,
    buildId: uuid.nullable(),
    trigger: z.string(),
    recallAtK: z.number().nullable(),
    mrr: z.number().nullable(),
    k: z.number().int().nullable(),
    hits: z.number().int(),
    total: z.number().int(),
    misses: z.array(z.looseObject({ query: z.string(), got: z.array(z.looseObject({ title: z.string() })) })).describe('Canaries whose expected source was not in the top k, and what came instead'),
    failed: z.boolean().describe('The run could not search (error says why)'),
    error: z.string().nullable(),
    alerted: z.boolean(),
    createdAt: iso,
  })
  .meta({ id: 'CanaryRun' });
const canarySettingsSchema = z.looseObject({}).meta({ id: 'CanarySettings' });

const tenantSchema = z.looseObject({ id: uuid, name: z.string(), limits: z.record(z.string(), z.number()), createdAt: iso }).meta({ id: 'Tenant' });
const keySchema = z.looseObject({ id: uuid, prefix: z.string(), name: z.string(), scopes: z.array(z.string()), createdAt: iso, lastUsedAt: iso.nullable(), revokedAt: iso.nullable() }).meta({ id: 'ApiKey' });

const chunkSchema = z
  .looseObject({ id: uuid, documentId: uuid, versionId: uuid, title: z.string(), ordinal: z.number().int(), page: z.number().int().nullable(), pageEnd: z.number().int().nullable(), headingPath: z.array(z.string()).nullable(), start: z.number().int(), end: z.number().int(), text: z.string() })
  .meta({ id: 'Chunk' });

/** A 503 names the dependency that failed: the store, Redis (OVERLOADED, the checks' default) or Qdrant. */
const readinessError = errorBodySchema.shape.error.extend({ code: z.enum(['STORE_UNAVAILABLE', 'OVERLOADED', 'INDEX_UNAVAILABLE']) });
const readinessSchema = z.looseObject({ status: z.enum(['ready', 'degraded', 'unavailable']), checks: z.record(z.string(), z.string()), error: readinessError.optional() });

export const conversationSchema = z
  .looseObject({ id: uuid, corpusId: uuid, title: z.string().nullable(), turns: z.number().int(), createdAt: iso, updatedAt: iso, expiresAt: iso.nullable() })
  .meta({ id: 'Conversation' });
export const turnSchema = answerSchema
  .extend({
    conversationId: uuid,
    turn: z.number().int(),
    question: z.string(),
    standaloneQuestion: z.string().describe('The follow-up rewritten to stand alone; what retrieval searched for'),
    rewriter: z
      .looseObject({
        by: z.string().describe('none (first turn), local, cached (this turn rewritten before), or the provider'),
        model: z.string().optional(),
        fallbackFrom: z.string().optional().describe('provider:model whose rewrite failed; the local rewrite stood in'),
        fallbackReason: z.string().optional().describe('the error code of that failure'),
        ms: z.number(),
        usage: z.looseObject({ inputTokens: z.number(), outputTokens: z.number(), cachedTokens: z.number(), costUsd: z.number() }).optional(),
      })
      .optional()
      .describe('Which rewriter produced standaloneQuestion'),
  })
  .meta({ id: 'ConversationTurn' });
const messageSchema = z
  .looseObject({
    turn: z.number().int(),
    question: z.string(),
    standaloneQuestion: z.string(),
    createdAt: iso,
    traceId: uuid.nullable(),
    feedback: z.enum(['up', 'down']).nullable().describe('The latest rating of this turn (POST /v1/feedback with its traceId)'),
    answer: answerSchema.extend({ citations: z.array(citationSchema.extend({ deleted: z.boolean().describe('The cited document version has been deleted since') })) }).describe('The turn body as it was returned'),
  })
  .meta({ id: 'ConversationMessage' });

const syncCounts = z.looseObject({
  found: z.number().int(),
  fetched: z.number().int(),
  unchanged: z.number().int(),
  added: z.number().int(),
  updated: z.number().int(),
  deleted: z.number().int(),
  failed: z.number().int(),
  skipped: z.number().int(),
});
export const sourceSyncSchema = z
  .looseObject({
    id: uuid,
    trigger: z.enum(['create', 'manual', 'schedule']).or(z.string()),
    status: z.enum(['queued', 'running', 'completed', 'failed']).or(z.string()),
    jobId: z.string().nullable(),
    counts: syncCounts,
    errors: z.array(z.looseObject({ url: z.string(), code: z.string(), status: z.number().int().optional(), message: z.string() })).describe('Per-page errors and skips (the first 200)'),
    error: z.looseObject({ code: z.string(), message: z.string() }).nullable().describe('Why the whole sync failed (robots.txt or sitemap unreadable)'),
    createdAt: iso,
    startedAt: iso.nullable(),
    finishedAt: iso.nullable(),
  })
  .meta({ id: 'SourceSync' });
export const sourceSchema = z
  .looseObject({
    id: uuid,
    corpusId: uuid,
    type: z.literal('sitemap'),
    url: z.string(),
    include: z.array(z.string()),
    exclude: z.array(z.string()),
    schedule: z.string().nullable(),
    pages: z.number().int().describe('Pages the source holds documents for'),
    createdAt: iso,
    lastSync: sourceSyncSchema.nullable(),
  })
  .meta({ id: 'Source' });

/** 204: no body. */
export const NO_CONTENT = z.null().describe('No content');

export type ResponseTable = Record<string, Partial<Record<number, z.ZodType>>>;

/** Every API route's success responses. Error responses (4XX/5XX, the Error schema) are added to all of them. */
export const RESPONSES: ResponseTable = {
  'GET /healthz': { 200: z.looseObject({ status: z.literal('ok') }) },
  'GET /readyz': { 200: readinessSchema, 503: readinessSchema },
  'GET /metrics': { 200: z.string().describe('Prometheus text exposition format') },

  'POST /v1/corpora': { 201: corpusSchema },
  'GET /v1/corpora': { 200: z.looseObject({ corpora: z.array(corpusSchema) }) },
  'GET /v1/corpora/:corpus': { 200: corpusSchema },

  'POST /v1/corpora/:corpus/documents': { 202: uploadResultSchema },
  'GET /v1/corpora/:corpus/documents': { 200: z.looseObject({ documents: z.array(documentSchema) }) },
  'GET /v1/documents/:id': { 200: documentSchema },
  'DELETE /v1/documents/:id': { 204: NO_CONTENT },
  'GET /v1/jobs/:id': { 200: jobSchema },

  'GET /v1/chunks/:id': { 200: chunkSchema },
  'GET /v1/versions/:id/original': { 200: z.string().describe('The file as it was uploaded, with its sniffed content type and Content-Disposition') },
  'GET /v1/versions/:id/text': { 200: z.looseObject({ versionId: uuid, start: z.number().int(), end: z.number().int(), length: z.number().int(), text: z.string() }) },

  'POST /v1/corpora/:corpus/search': { 200: searchResponseSchema },
  'POST /v1/corpora/:corpus/answers': { 200: answerSchema },
  'GET /v1/traces/:id': { 200: z.looseObject({ id: uuid, createdAt: iso }) },
  'POST /v1/feedback': { 201: z.looseObject({ id: uuid, traceId: uuid, rating: z.enum(['up', 'down']) }) },

  'POST /v1/corpora/:corpus/builds': { 202: z.looseObject({ build: buildSchema, jobId: z.string().nullable() }) },
  'GET /v1/corpora/:corpus/builds': { 200: z.looseObject({ builds: z.array(buildSchema) }) },
  'GET /v1/builds/:id': { 200: buildSchema },
  'POST /v1/builds/:id/promote': { 200: buildSchema },

  'POST /v1/corpora/:corpus/canaries': { 201: canarySchema },
  'GET /v1/corpora/:corpus/canaries': { 200: z.looseObject({ canaries: z.array(canarySchema) }) },
  'DELETE /v1/corpora/:corpus/canaries/:id': { 204: NO_CONTENT },
  'POST /v1/corpora/:corpus/canaries/generate': { 200: z.looseObject({ proposals: z.array(z.looseObject({ query: z.string() })) }) },
  'POST /v1/corpora/:corpus/canaries/run': { 200: canaryRunSchema },
  'GET /v1/corpora/:corpus/canary-runs': { 200: z.looseObject({ runs: z.array(canaryRunSchema) }) },
  'GET /v1/corpora/:corpus/alerts': {
    200: z.looseObject({ alerts: z.array(z.looseObject({ id: uuid, cause: z.string(), status: z.string(), runId: uuid.nullable(), delivered: z.boolean(), createdAt: iso, text: z.string() })) }),
  },
  'GET /v1/corpora/:corpus/canary-settings': { 200: canarySettingsSchema },
  'PATCH /v1/corpora/:corpus/canary-settings': { 200: canarySettingsSchema },

  'POST /v1/corpora/:corpus/sources': { 201: sourceSchema },
  'GET /v1/corpora/:corpus/sources': { 200: z.looseObject({ sources: z.array(sourceSchema) }) },
  'GET /v1/sources/:id': { 200: sourceSchema },
  'POST /v1/sources/:id/sync': { 202: sourceSyncSchema },
  'DELETE /v1/sources/:id': { 200: z.looseObject({ deletedDocuments: z.number().int().describe('Documents of the source\'s pages deleted with it') }) },

  'POST /v1/admin/tenants': { 201: tenantSchema },
  'GET /v1/admin/tenants': { 200: z.looseObject({ tenants: z.array(tenantSchema) }) },
  'PATCH /v1/admin/tenants/:id': { 200: tenantSchema },
  'POST /v1/admin/keys': { 201: z.looseObject({ id: uuid, key: z.string().describe('Shown only once'), prefix: z.string(), tenantId: uuid, name: z.string(), scopes: z.array(z.string()), createdAt: iso }) },
  'GET /v1/admin/keys': { 200: z.looseObject({ keys: z.array(keySchema) }) },
  'DELETE /v1/admin/keys/:id': { 204: NO_CONTENT },

  'POST /v1/conversations': { 201: conversationSchema.extend({ messages: z.array(messageSchema) }) },
  'GET /v1/conversations': { 200: z.looseObject({ conversations: z.array(conversationSchema) }) },
  'GET /v1/conversations/:id': { 200: conversationSchema.extend({ messages: z.array(messageSchema) }) },
  'PATCH /v1/conversations/:id': { 200: conversationSchema },
  'DELETE /v1/conversations/:id': { 204: NO_CONTENT },
  'POST /v1/conversations/:id/messages': { 200: turnSchema },

  'POST /mcp': { 200: z.unknown().describe('The JSON-RPC response (MCP Streamable HTTP, stateless)'), 202: NO_CONTENT },
  'GET /mcp': {},
  'DELETE /mcp': {},
};

/** Routes that are not part of the API document (the UI's files, the document itself). */
export function isDocumented(method: string, url: string): boolean {
  if (method === 'HEAD' || method === 'OPTIONS') return false;
  return url.startsWith('/v1/') || url === '/healthz' || url === '/readyz' || url === '/metrics' || url === '/mcp';
}
