import { z } from 'zod';
import { ERROR_CATALOG, type ErrorCode } from '../../core/errors';

/**
 * The error codes each operation can answer with, by status, for the OpenAPI document and the contract tests.
 * Most follow from what a route is (it needs a key, a scope, takes a body, is rate-limited, honours
 * Idempotency-Key); ROUTE_ERRORS adds what its own handler and services throw. A code listed here must be one
 * the route really gives: test/integration/openapi-errors.test.ts drives each of them, and the response check
 * of the contract tests refuses a code the operation does not list.
 */

/** What the document knows of a route that decides its common errors. */
export interface RouteTraits {
  method: string;
  /** Needs an API key. */
  keyed: boolean;
  /** Needs this scope (FORBIDDEN otherwise). */
  scope?: string | undefined;
  /** Counted against a tenant's requests per minute. */
  rateLimited: boolean;
  idempotent: boolean;
  /** Has path parameters (a parameter over fastify's maxParamLength is refused before routing). */
  hasParams: boolean;
}

/** A code with the status the route answers it with where that is not the catalogue's. */
type Declared = ErrorCode | readonly [ErrorCode, number];

/** What a model provider call can fail with (embeddings, reranking, generation), after retries and fallbacks. */
const PROVIDER_FAILURES: readonly ErrorCode[] = ['PROVIDER_ERROR', 'PROVIDER_RATE_LIMITED', 'PROVIDER_TIMEOUT', 'PROVIDER_BAD_OUTPUT', 'PROVIDER_QUOTA_EXCEEDED', 'CIRCUIT_OPEN'];
/** What the external index (Qdrant, when configured) can fail with. */
const INDEX_FAILURES: readonly ErrorCode[] = ['INDEX_UNAVAILABLE', 'INDEX_UNSUPPORTED'];
/** An answered question: admission, budgets, the provider, the verifier's retries, the shutdown of the server. */
const ANSWER_FAILURES: readonly Declared[] = [
  ['BUDGET_EXCEEDED', 413],
  ['BUDGET_EXCEEDED', 429],
  'OVERLOADED',
  'SHUTTING_DOWN',
  'PROVIDER_OUTPUT_TRUNCATED',
  ...PROVIDER_FAILURES,
  ...INDEX_FAILURES,
];

/** Errors particular to each operation ("METHOD /path"), beyond the common ones of commonErrors(). */
export const ROUTE_ERRORS: Readonly<Record<string, readonly Declared[]>> = {
  'GET /metrics': ['UNAUTHORIZED'],

  'POST /v1/corpora': ['CORPUS_EXISTS'],
  'GET /v1/corpora/:corpus': ['CORPUS_NOT_FOUND'],

  // Parsing and embedding run in the ingestion job: their failures are the job's, not the upload's.
  'POST /v1/corpora/:corpus/documents': ['CORPUS_NOT_FOUND', 'EMPTY_FILE', 'OFFICE_ENCRYPTED', 'OVERLOADED', 'QUEUE_UNAVAILABLE'],
  'GET /v1/corpora/:corpus/documents': ['CORPUS_NOT_FOUND'],
  'GET /v1/documents/:id': ['DOCUMENT_NOT_FOUND'],
  'DELETE /v1/documents/:id': ['DOCUMENT_NOT_FOUND'],
  'GET /v1/jobs/:id': ['JOB_NOT_FOUND'],

  'GET /v1/chunks/:id': ['NOT_FOUND'],
  'GET /v1/versions/:id/original': ['NOT_FOUND'],
  'GET /v1/versions/:id/text': ['NOT_FOUND'],

  'POST /v1/corpora/:corpus/search': ['CORPUS_NOT_FOUND', ...PROVIDER_FAILURES, ...INDEX_FAILURES],
  'POST /v1/corpora/:corpus/answers': ['CORPUS_NOT_FOUND', ...ANSWER_FAILURES],
  'GET /v1/traces/:id': ['TRACE_NOT_FOUND'],
  'POST /v1/feedback': ['TRACE_NOT_FOUND'],

  // The backfill (embedding) runs in its job.
  'POST /v1/corpora/:corpus/builds': ['CORPUS_NOT_FOUND', 'EMBEDDING_MODEL_UNKNOWN', 'QUEUE_UNAVAILABLE'],
  'GET /v1/corpora/:corpus/builds': ['CORPUS_NOT_FOUND'],
  'GET /v1/builds/:id': ['BUILD_NOT_FOUND'],
  'POST /v1/builds/:id/promote': ['BUILD_NOT_FOUND', 'BUILD_NOT_PROMOTABLE'],

  'POST /v1/corpora/:corpus/canaries': ['CORPUS_NOT_FOUND'],
  'GET /v1/corpora/:corpus/canaries': ['CORPUS_NOT_FOUND'],
  'DELETE /v1/corpora/:corpus/canaries/:id': ['CORPUS_NOT_FOUND', 'CANARY_NOT_FOUND'],
  // A corpus is created with its first build: there is always an active one.
  'POST /v1/corpora/:corpus/canaries/generate': ['CORPUS_NOT_FOUND'],
  // A run whose searches fail is recorded as a failed run (200), not answered with the failure.
  'POST /v1/corpora/:corpus/canaries/run': ['CORPUS_NOT_FOUND'],
  'GET /v1/corpora/:corpus/canary-runs': ['CORPUS_NOT_FOUND'],
  'GET /v1/corpora/:corpus/alerts': ['CORPUS_NOT_FOUND'],
  'GET /v1/corpora/:corpus/canary-settings': ['CORPUS_NOT_FOUND'],
  'PATCH /v1/corpora/:corpus/canary-settings': ['CORPUS_NOT_FOUND', 'WEBHOOK_TARGET_FORBIDDEN'],

  'POST /v1/admin/tenants': ['CONFLICT'],
  'PATCH /v1/admin/tenants/:id': ['TENANT_NOT_FOUND'],
  'POST /v1/admin/keys': ['TENANT_NOT_FOUND'],
  'DELETE /v1/admin/keys/:id': ['KEY_NOT_FOUND'],

  'POST /v1/corpora/:corpus/sources': ['CORPUS_NOT_FOUND', 'SOURCE_URL_INVALID', 'SCHEDULE_INVALID', 'SOURCE_URL_FORBIDDEN'],
  'GET /v1/corpora/:corpus/sources': ['CORPUS_NOT_FOUND'],
  'GET /v1/sources/:id': ['SOURCE_NOT_FOUND'],
  'POST /v1/sources/:id/sync': ['SOURCE_NOT_FOUND'],
  'DELETE /v1/sources/:id': ['SOURCE_NOT_FOUND'],

  'POST /v1/conversations': ['CORPUS_NOT_FOUND'],
  'GET /v1/conversations': ['CORPUS_NOT_FOUND'],
  'GET /v1/conversations/:id': ['CONVERSATION_NOT_FOUND'],
  'PATCH /v1/conversations/:id': ['CONVERSATION_NOT_FOUND'],
  'DELETE /v1/conversations/:id': ['CONVERSATION_NOT_FOUND'],
  'POST /v1/conversations/:id/messages': ['CONVERSATION_NOT_FOUND', 'CONVERSATION_BUSY', ...ANSWER_FAILURES],

  'POST /mcp': ['NOT_ACCEPTABLE'],
  'GET /mcp': ['METHOD_NOT_ALLOWED'],
  'DELETE /mcp': ['METHOD_NOT_ALLOWED'],
};

const BODY_METHODS = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

/** Errors every route of its kind can give, whatever its handler does. */
function commonErrors(traits: RouteTraits): Declared[] {
  const codes: Declared[] = ['VALIDATION_FAILED', 'INTERNAL'];
  if (BODY_METHODS.has(traits.method)) codes.push('BAD_REQUEST', 'INVALID_JSON', 'UNSUPPORTED_MEDIA_TYPE', 'PAYLOAD_TOO_LARGE');
  if (traits.hasParams) codes.push('BAD_REQUEST');
  if (traits.keyed) codes.push('UNAUTHORIZED', 'STORE_UNAVAILABLE');
  if (traits.scope) codes.push('FORBIDDEN');
  if (traits.rateLimited) codes.push('RATE_LIMITED');
  if (traits.idempotent) codes.push('IDEMPOTENCY_KEY_REUSED', 'IDEMPOTENCY_IN_PROGRESS');
  return codes;
}

/** The codes an operation answers with, by HTTP status, each list sorted. */
export function errorCodesOf(operation: string, traits: RouteTraits): Map<number, ErrorCode[]> {
  const byStatus = new Map<number, Set<ErrorCode>>();
  for (const declared of [...commonErrors(traits), ...(ROUTE_ERRORS[operation] ?? [])]) {
    const [code, status] = typeof declared === 'string' ? [declared, ERROR_CATALOG[declared].status] : declared;
    const codes = byStatus.get(status) ?? new Set<ErrorCode>();
    codes.add(code);
    byStatus.set(status, codes);
  }
  return new Map([...byStatus].sort(([a], [b]) => a - b).map(([status, codes]) => [status, [...codes].sort()]));
}

const errorBodies = new Map<string, z.ZodType>();

/**
 * The Error body of one status of one operation: its code is one of the codes listed. One schema per set of
 * codes, a component of the document named after them (`Error_UNAUTHORIZED`): most sets recur on many
 * operations, and inlining each copy tripled the document.
 */
export function errorBodyOf(codes: readonly ErrorCode[]): z.ZodType {
  const id = `Error_${codes.join('_')}`;
  const known = errorBodies.get(id);
  if (known) return known;
  const schema = z
    .object({
      error: z.looseObject({
        code: z.enum(codes as [ErrorCode, ...ErrorCode[]]),
        message: z.string(),
        details: z.record(z.string(), z.unknown()).optional(),
      }),
    })
    .describe(`Error: ${codes.map((code) => `\`${code}\``).join(', ')}`)
    .meta({ id });
  errorBodies.set(id, schema);
  return schema;
}
