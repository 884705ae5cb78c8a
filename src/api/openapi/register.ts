import swagger from '@fastify/swagger';
import type { FastifyInstance, RouteOptions } from 'fastify';
import { createJsonSchemaTransform, createJsonSchemaTransformObject } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { ERROR_CATALOG, type ErrorCode } from '../../core/errors';
import { requiredScopeOf } from '../auth';
import { honoursIdempotency, rateClassOf } from '../shell';
import { errorBodyOf, errorCodesOf } from './errors';
import { answerEventSchemas, isDocumented, RESPONSES } from './responses';

/** What the document says of each operation beyond its schemas, gathered as routes register. */
interface OperationMeta {
  auth: 'none' | 'key' | 'scope';
  scope?: string;
  idempotent: boolean;
  rateLimited: boolean;
  /** Error codes by HTTP status. */
  errors: Map<number, readonly ErrorCode[]>;
}

export function operationKey(method: string, url: string): string {
  return `${method.toUpperCase()} ${url}`;
}

function methodsOf(route: RouteOptions): string[] {
  return (Array.isArray(route.method) ? route.method : [route.method]).map((method) => String(method).toUpperCase());
}

function preHandlersOf(route: RouteOptions): unknown[] {
  const handlers = route.preHandler;
  if (!handlers) return [];
  return Array.isArray(handlers) ? handlers : [handlers];
}

const errorCatalogTable = Object.entries(ERROR_CATALOG)
  .map(([code, { status, retryable }]) => `| \`${code}\` | ${status} | ${retryable ? 'yes' : 'no'} |`)
  .join('\n');

const DESCRIPTION = `Attest answers questions over your documents with verified, cited answers, or refuses when the documents don't say.

**Authentication**: \`Authorization: Bearer <API key>\`. Keys carry scopes (\`ingest\`, \`query\`, \`admin\`; \`admin\` implies the others); each operation names the scope it needs.

**Errors** are \`{"error": {"code", "message", "details?"}}\` with a stable code:

| code | status | retry |
|---|---|---|
${errorCatalogTable}

**Idempotency**: operations marked so honour \`Idempotency-Key\` (1-200 visible ASCII characters) for 24 hours: the same key with the same body replays the first completed outcome (\`Idempotent-Replayed: true\`); with a different body it is refused (422 \`IDEMPOTENCY_KEY_REUSED\`); while the first is still running, 409 \`IDEMPOTENCY_IN_PROGRESS\`.

**Rate limits**: limited operations answer \`RateLimit-Limit\`, \`RateLimit-Remaining\` and \`RateLimit-Reset\`, and 429 with \`Retry-After\` (seconds) when over the limit. 503 answers (\`OVERLOADED\`, \`STORE_UNAVAILABLE\`, \`SHUTTING_DOWN\`) carry \`Retry-After\` too.

**Streaming answers**: \`POST /v1/corpora/{corpus}/answers\` with \`Accept: text/event-stream\` streams Server-Sent Events: \`retrieval\`, \`delta\`, \`reset\`, \`citation\`, then \`done\` (the same body as the JSON answer) or \`error\`.`;

const rateLimitHeaders = {
  'RateLimit-Limit': { schema: { type: 'integer' }, description: 'Requests allowed per window' },
  'RateLimit-Remaining': { schema: { type: 'integer' }, description: 'Requests left in this window' },
  'RateLimit-Reset': { schema: { type: 'integer' }, description: 'Seconds until the window resets' },
};
const replayedHeader = { 'Idempotent-Replayed': { schema: { type: 'string', const: 'true' }, description: 'Present when this is the stored outcome of an earlier request with the same Idempotency-Key' } };
const retryAfterHeader = { 'Retry-After': { schema: { type: 'integer' }, description: 'Seconds to wait before retrying' } };

type JsonObject = Record<string, unknown>;

function asObject(value: unknown): JsonObject | undefined {
  return value && typeof value === 'object' && !Array.isArray(value) ? (value as JsonObject) : undefined;
}

/** Schemas with an id are the document's components: point at them there instead of at local $defs. */
function asComponentRefs(schema: JsonObject): JsonObject {
  const { $defs: _defs, $schema: _schema, ...rest } = schema;
  return JSON.parse(JSON.stringify(rest).replaceAll('"#/$defs/', '"#/components/schemas/')) as JsonObject;
}

/** JSON Schema of an SSE event's data, as the document's components reference them. */
function eventSchemas(): JsonObject {
  const oneOf = Object.entries(answerEventSchemas).map(([event, schema]) => ({
    title: event,
    type: 'object',
    required: ['event', 'data'],
    description: `\`event: ${event}\`; \`data:\` is this JSON`,
    properties: { event: { const: event }, data: asComponentRefs(z.toJSONSchema(schema, { target: 'draft-2020-12', unrepresentable: 'any', io: 'output' })) },
  }));
  return { oneOf };
}

/** Adds what the per-route transform cannot know: security, scopes, idempotency and rate-limit headers, SSE. */
function decorateDocument(document: JsonObject, meta: Map<string, OperationMeta>): JsonObject {
  const components = (asObject(document.components) ?? {}) as JsonObject;
  components.securitySchemes = { apiKey: { type: 'http', scheme: 'bearer', description: 'An Attest API key' } };
  document.components = components;
  const paths = asObject(document.paths) ?? {};
  for (const [path, item] of Object.entries(paths)) {
    const operations = asObject(item) ?? {};
    for (const [method, value] of Object.entries(operations)) {
      const operation = asObject(value);
      if (!operation) continue;
      const url = path.replace(/\{([^}]+)\}/g, ':$1');
      const info = meta.get(operationKey(method, url));
      if (!info) continue;
      if (info.auth === 'none') operation.security = [];
      else {
        operation.security = [{ apiKey: [] }];
        if (info.scope) operation['x-required-scope'] = info.scope;
        const needs = info.scope ? `Needs an API key with the \`${info.scope}\` scope (or \`admin\`).` : 'Needs an API key (any scope).';
        operation.description = [operation.description, needs].filter(Boolean).join('\n\n');
      }
      const parameters = Array.isArray(operation.parameters) ? [...(operation.parameters as unknown[])] : [];
      if (info.idempotent) {
        parameters.push({ name: 'Idempotency-Key', in: 'header', required: false, schema: { type: 'string', pattern: '^[\\x21-\\x7e]{1,200}$' }, description: 'Replays the first completed outcome of this key for 24 hours' });
        operation['x-idempotent'] = true;
      }
      if (parameters.length > 0) operation.parameters = parameters;
      const responses = (asObject(operation.responses) ?? {}) as JsonObject;
      for (const [status, response] of Object.entries(responses)) {
        const body = asObject(response);
        if (!body) continue;
        if (status === '204') delete body.content;
        if ((status.startsWith('2') || status === '429') && info.rateLimited) body.headers = { ...(asObject(body.headers) ?? {}), ...rateLimitHeaders };
        if (status.startsWith('2') && info.idempotent) body.headers = { ...(asObject(body.headers) ?? {}), ...replayedHeader };
        const codes = info.errors.get(Number(status));
        if (codes && Number(status) >= 400) body.description = `Error: ${codes.map((code) => `\`${code}\``).join(', ')}`;
        if (codes?.some((code) => ERROR_CATALOG[code].retryable || code === 'BUDGET_EXCEEDED')) body.headers = { ...(asObject(body.headers) ?? {}), ...retryAfterHeader };
      }
      if (url === '/v1/corpora/:corpus/documents' && method === 'post') operation.requestBody = uploadBody;
      if ((url === '/v1/corpora/:corpus/answers' || url === '/v1/conversations/:id/messages') && method === 'post') {
        const ok = asObject(responses['200']);
        const content = asObject(ok?.content);
        if (content) content['text/event-stream'] = { schema: eventSchemas() };
      }
      operation.responses = responses;
    }
  }
  return document;
}

function tagOf(url: string): string {
  if (!url.startsWith('/v1/')) return 'ops';
  if (url.startsWith('/v1/admin/')) return 'admin';
  if (/\/(answers|search|traces|feedback)\b/.test(url)) return 'questions';
  if (/\/(canaries|canary-|alerts)/.test(url)) return 'canaries';
  if (url.includes('/builds')) return 'builds';
  if (/\/(documents|jobs|chunks|versions)\b/.test(url)) return 'documents';
  if (url.startsWith('/v1/conversations')) return 'conversations';
  return 'corpora';
}

const uploadBody = {
  required: true,
  content: {
    'multipart/form-data': {
      schema: {
        type: 'object',
        required: ['file'],
        properties: {
          file: { type: 'string', format: 'binary', description: 'The document (type sniffed from its bytes)' },
          title: { type: 'string', minLength: 1, maxLength: 300 },
          externalId: { type: 'string', minLength: 1, maxLength: 300 },
        },
      },
    },
  },
};

export interface OpenApiOptions {
  /** The authenticator every route's preHandler uses: an operation whose preHandler is it needs a key of any scope. */
  authenticate: unknown;
  version: string;
}

/**
 * Registers @fastify/swagger before the routes so it sees each of them, with the success responses of
 * RESPONSES and, for each error status the route can answer, the Error schema with the codes of errors.ts. Call before registering routes;
 * the document is `app.swagger()`.
 */
export async function registerOpenApi(app: FastifyInstance, options: OpenApiOptions): Promise<void> {
  const meta = new Map<string, OperationMeta>();
  app.addHook('onRoute', (route) => {
    for (const method of methodsOf(route)) {
      if (!isDocumented(method, route.url)) {
        if (method !== 'HEAD') route.schema = { ...route.schema, hide: true } as typeof route.schema;
        continue;
      }
      const handlers = preHandlersOf(route);
      const scope = handlers.map(requiredScopeOf).find((found) => found !== undefined);
      const keyed = scope !== undefined || handlers.includes(options.authenticate) || route.url === '/mcp';
      const key = operationKey(method, route.url);
      const idempotent = method === 'POST' && honoursIdempotency(route.url);
      const rateLimited = rateClassOf(method, route.url) !== undefined;
      const errors = errorCodesOf(key, { method, keyed, scope, rateLimited, idempotent, hasParams: route.url.includes(':') });
      meta.set(key, { auth: scope ? 'scope' : keyed ? 'key' : 'none', ...(scope ? { scope } : {}), idempotent, rateLimited, errors });
      const errorBodies = Object.fromEntries([...errors].map(([status, codes]) => [status, errorBodyOf(codes)]));
      route.schema = {
        ...route.schema,
        tags: [tagOf(route.url)],
        // A success schema of the same status (the 503 of /readyz) is what that status answers.
        response: { ...errorBodies, ...(RESPONSES[key] ?? {}), ...(asObject(route.schema?.response) ?? {}) },
      };
    }
  });
  const transformObject = createJsonSchemaTransformObject({});
  await app.register(swagger, {
    openapi: {
      openapi: '3.1.0',
      info: { title: 'Attest API', version: options.version, description: DESCRIPTION },
      tags: [
        { name: 'corpora', description: 'Collections of documents' },
        { name: 'documents', description: 'Uploads, their versions, jobs and source text' },
        { name: 'questions', description: 'Search, answers with verified citations, traces and feedback' },
        { name: 'builds', description: 'Index builds and their promotion' },
        { name: 'canaries', description: 'Known-answer recall checks and their alerts' },
        { name: 'conversations', description: 'Follow-up questions with history' },
        { name: 'admin', description: 'Tenants and API keys' },
        { name: 'ops', description: 'Health, readiness and metrics' },
      ],
    },
    transform: createJsonSchemaTransform({}),
    transformObject: (input) => decorateDocument(transformObject(input) as JsonObject, meta) as ReturnType<typeof transformObject>,
  });
}
