import Ajv2020 from 'ajv/dist/2020';
import { sql } from 'drizzle-orm';
import type { InjectOptions, LightMyRequestResponse } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { memoryStore } from '../helpers/stores';
import { ERROR_CATALOG, type ErrorCode } from '../../src/core/errors';
import type { ResponseViolation } from '../../src/api/openapi/validate-responses';
import { bearer, createTestApp, type TestApp } from '../helpers/app';
import { multipart } from '../helpers/multipart';
import { WARRANTY } from '../helpers/documents';

/**
 * Contract test of the error responses: for every (operation, status, code) the OpenAPI document declares, a real
 * request that produces it, whose body must validate against the document's schema for that status. Driven by the
 * document: a route or code added to it fails here until it gets a way to provoke it (SPECIFIC, or a generic probe
 * in GENERIC) or a reason it cannot be provoked from outside (NOT_DRIVEN).
 */

const NIL = '00000000-0000-4000-8000-000000000000';
const ABSENT = 'no-such-corpus';
const CORPUS = 'docs';
const METRICS_TOKEN = 'metrics-token-0123456789abcdef';
/** Within the 4,000 characters a question may have, more tokens with the prompt than MAX_INPUT_TOKENS (8,000): two per CJK character. */
const OVER_BUDGET = '龘'.repeat(3_000);

interface Operation {
  /** "METHOD /path/:param", as the routes and errors.ts name it. */
  key: string;
  method: InjectOptions['method'];
  url: string;
  scope?: string;
  errors: { status: number; code: ErrorCode; schema: object }[];
}

type Document = { components: { schemas: Record<string, Record<string, unknown>> }; paths: Record<string, Record<string, { 'x-required-scope'?: string; responses: Record<string, { content?: Record<string, { schema?: Record<string, unknown> }> }> }>> };

function operationsOf(document: Document): Operation[] {
  return Object.entries(document.paths).flatMap(([path, item]) =>
    Object.entries(item).map(([method, operation]) => {
      const url = path.replace(/\{([^}]+)\}/g, ':$1');
      const errors = Object.entries(operation.responses)
        .filter(([status]) => Number(status) >= 400)
        .flatMap(([status, response]) => {
          const reference = response.content?.['application/json']?.schema ?? {};
          // Error bodies are components, one per set of codes.
          const schema = typeof reference.$ref === 'string' ? (document.components.schemas[reference.$ref.replace('#/components/schemas/', '')] ?? {}) : reference;
          const codes = ((schema.properties as { error?: { properties?: { code?: { enum?: ErrorCode[] } } } } | undefined)?.error?.properties?.code?.enum ?? []);
          return codes.map((code) => ({ status: Number(status), code, schema }));
        });
      return { key: `${method.toUpperCase()} ${url}`, method: method.toUpperCase() as InjectOptions['method'], url, scope: operation['x-required-scope'], errors };
    }),
  );
}

/** What the test set up: ids of real things, and keys of each kind. */
interface Fixtures {
  admin: string;
  /** A key without the scope an operation needs, by that scope. */
  lacking: Record<string, string>;
  /** An admin key of a tenant allowed one request per minute of each class. */
  limited: string;
  /** An admin key of a tenant whose daily token budget is spent, and its corpus. */
  spent: string;
  upload: { payload: Buffer; headers: Record<string, string> };
  buildId: string;
}

/** A request the operation accepts (it passes validation and reaches the handler); the generic probes alter it. */
interface Sample {
  url: string;
  body?: unknown;
  multipart?: boolean;
}

/** Valid bodies and parameters; a path's :corpus defaults to a corpus that does not exist and :id to an unknown id. */
const SAMPLES: Record<string, (f: Fixtures) => Partial<Sample>> = {
  'POST /v1/corpora': () => ({ body: { name: `c-${crypto.randomUUID().slice(0, 8)}` } }),
  'POST /v1/corpora/:corpus/documents': () => ({ url: `/v1/corpora/${CORPUS}/documents`, multipart: true }),
  'POST /v1/corpora/:corpus/search': () => ({ body: { query: 'warranty' } }),
  'POST /v1/corpora/:corpus/answers': () => ({ body: { question: 'How long is the warranty?' } }),
  'POST /v1/feedback': () => ({ body: { traceId: NIL, rating: 'up' } }),
  'POST /v1/corpora/:corpus/builds': () => ({ body: {} }),
  'POST /v1/corpora/:corpus/canaries': () => ({ body: { query: 'warranty', expect: { chunkContains: 'months' } } }),
  'POST /v1/corpora/:corpus/canaries/generate': () => ({ body: {} }),
  'PATCH /v1/corpora/:corpus/canary-settings': () => ({ body: { threshold: 0.5 } }),
  'POST /v1/admin/tenants': () => ({ body: { name: `t-${crypto.randomUUID().slice(0, 8)}` } }),
  'PATCH /v1/admin/tenants/:id': () => ({ body: { limits: { TOKENS_PER_MINUTE: 1000 } } }),
  'POST /v1/admin/keys': () => ({ body: { scopes: ['query'], name: 'contract' } }),
  'POST /v1/corpora/:corpus/sources': () => ({ body: { type: 'sitemap', url: 'https://help.example.com/sitemap.xml' } }),
  'POST /v1/conversations': () => ({ body: { corpus: ABSENT } }),
  'PATCH /v1/conversations/:id': () => ({ body: { title: 'renamed' } }),
  'POST /v1/conversations/:id/messages': () => ({ body: { question: 'And then?' } }),
  'POST /mcp': () => ({ body: { jsonrpc: '2.0', id: 1, method: 'tools/list' } }),
};

function sampleOf(operation: Operation, fixtures: Fixtures): Sample {
  const url = operation.url.replace(':corpus', ABSENT).replace(/:id\b/g, NIL);
  return { url, ...SAMPLES[operation.key]?.(fixtures) };
}

type Probe = (operation: Operation, sample: Sample, f: Fixtures, send: (request: InjectOptions) => Promise<LightMyRequestResponse>) => Promise<LightMyRequestResponse>;

/** The sample as a request with this key (or none) and these headers. */
function request(operation: Operation, sample: Sample, f: Fixtures, key: string | undefined, headers: Record<string, string> = {}, url = sample.url): InjectOptions {
  const auth = key ? bearer(key) : {};
  if (sample.multipart) return { method: operation.method, url, headers: { ...auth, ...f.upload.headers, ...headers }, payload: f.upload.payload };
  if (sample.body === undefined) return { method: operation.method, url, headers: { ...auth, ...headers } };
  return { method: operation.method, url, headers: { ...auth, 'content-type': 'application/json', ...headers }, payload: JSON.stringify(sample.body) };
}

const BODY_METHODS = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

/** How to provoke a code on any operation that declares it, from the operation's sample request. */
const GENERIC: Partial<Record<ErrorCode, Probe>> = {
  UNAUTHORIZED: (op, sample, f, send) => send(request(op, sample, f, undefined)),
  FORBIDDEN: (op, sample, f, send) => send(request(op, sample, f, f.lacking[op.scope ?? ''])),
  VALIDATION_FAILED: (op, sample, f, send) => send(request(op, sample, f, f.admin, {}, `${sample.url}?probe=%00`)),
  INVALID_JSON: (op, sample, f, send) => send({ method: op.method, url: sample.url, headers: { ...bearer(f.admin), 'content-type': 'application/json' }, payload: '{"broken":' }),
  // An empty JSON body where a body may come; a path parameter over 100 characters where there is none.
  BAD_REQUEST: (op, sample, f, send) =>
    BODY_METHODS.has(String(op.method))
      ? send({ method: op.method, url: sample.url, headers: { ...bearer(f.admin), 'content-type': 'application/json' }, payload: '' })
      : send({ method: op.method, url: op.url.replace(/:[a-z]+/gi, 'x'.repeat(101)), headers: bearer(f.admin) }),
  UNSUPPORTED_MEDIA_TYPE: (op, sample, f, send) => send({ method: op.method, url: sample.url, headers: { ...bearer(f.admin), 'content-type': 'application/xml' }, payload: '<question/>' }),
  // Over the JSON body limit (1 MiB), and over the upload limit this app is given (MAX_UPLOAD_BYTES).
  PAYLOAD_TOO_LARGE: (op, sample, f, send) =>
    send({ method: op.method, url: sample.url, headers: { ...bearer(f.admin), 'content-type': 'application/json' }, payload: JSON.stringify({ padding: 'x'.repeat(1_100_000) }) }),
  RATE_LIMITED: async (op, sample, f, send) => {
    // One request a minute per class: the first of a class may pass, the next is refused.
    let response = await send(request(op, sample, f, f.limited));
    if (response.statusCode !== 429) response = await send(request(op, sample, f, f.limited));
    return response;
  },
  IDEMPOTENCY_KEY_REUSED: async (op, sample, f, send) => {
    const key = `contract-${crypto.randomUUID()}`;
    await send(request(op, sample, f, f.admin, { 'idempotency-key': key }, `${sample.url}?attempt=1`));
    return send(request(op, sample, f, f.admin, { 'idempotency-key': key }, `${sample.url}?attempt=2`));
  },
};

/** The sample request addresses a corpus or id that does not exist: the operation's own not-found code. */
for (const code of Object.keys(ERROR_CATALOG) as ErrorCode[]) {
  if (code.endsWith('NOT_FOUND') && code !== 'ROUTE_NOT_FOUND') GENERIC[code] = (op, sample, f, send) => send(request(op, sample, f, f.admin));
}

const json = (f: Fixtures, method: InjectOptions['method'], url: string, body: unknown, key = f.admin): InjectOptions => ({
  method,
  url,
  headers: { ...bearer(key), 'content-type': 'application/json' },
  payload: JSON.stringify(body),
});

/** Codes that need their own request, by "METHOD /path STATUS CODE". */
const SPECIFIC: Record<string, (f: Fixtures, send: (request: InjectOptions) => Promise<LightMyRequestResponse>) => Promise<LightMyRequestResponse>> = {
  'POST /v1/corpora 409 CORPUS_EXISTS': (f, send) => send(json(f, 'POST', '/v1/corpora', { name: CORPUS })),
  'POST /v1/corpora/:corpus/documents 404 CORPUS_NOT_FOUND': (f, send) =>
    send({ method: 'POST', url: `/v1/corpora/${ABSENT}/documents`, headers: { ...bearer(f.admin), ...f.upload.headers }, payload: f.upload.payload }),
  'POST /v1/corpora/:corpus/documents 422 EMPTY_FILE': async (f, send) => {
    const form = await multipart({}, { name: 'empty.txt', content: '' });
    return send({ method: 'POST', url: `/v1/corpora/${CORPUS}/documents`, headers: { ...bearer(f.admin), ...form.headers }, payload: form.payload });
  },
  'POST /v1/corpora/:corpus/documents 422 OFFICE_ENCRYPTED': async (f, send) => {
    // An OLE2 compound file holding an EncryptedPackage stream: how Office stores a password-protected document.
    const bytes = Buffer.concat([Buffer.from('d0cf11e0a1b11ae1', 'hex'), Buffer.alloc(504), Buffer.from('EncryptedPackage', 'utf16le'), Buffer.alloc(512)]);
    const form = await multipart({}, { name: 'secret.docx', content: bytes });
    return send({ method: 'POST', url: `/v1/corpora/${CORPUS}/documents`, headers: { ...bearer(f.admin), ...form.headers }, payload: form.payload });
  },
  'POST /v1/corpora/:corpus/answers 413 BUDGET_EXCEEDED': (f, send) =>
    send(json(f, 'POST', `/v1/corpora/${CORPUS}/answers`, { question: OVER_BUDGET })),
  'POST /v1/corpora/:corpus/answers 429 BUDGET_EXCEEDED': (f, send) => send(json(f, 'POST', `/v1/corpora/${CORPUS}/answers`, { question: 'How long is the warranty?' }, f.spent)),
  'POST /v1/conversations/:id/messages 413 BUDGET_EXCEEDED': async (f, send) => {
    const conversation = (await send(json(f, 'POST', '/v1/conversations', { corpus: CORPUS }))).json<{ id: string }>();
    return send(json(f, 'POST', `/v1/conversations/${conversation.id}/messages`, { question: OVER_BUDGET }));
  },
  'POST /v1/conversations/:id/messages 429 BUDGET_EXCEEDED': async (f, send) => {
    const conversation = (await send(json(f, 'POST', '/v1/conversations', { corpus: CORPUS }, f.spent))).json<{ id: string }>();
    return send(json(f, 'POST', `/v1/conversations/${conversation.id}/messages`, { question: 'How long is the warranty?' }, f.spent));
  },
  'POST /v1/corpora/:corpus/sources 400 SOURCE_URL_INVALID': (f, send) => send(json(f, 'POST', `/v1/corpora/${CORPUS}/sources`, { type: 'sitemap', url: 'ftp://help.example.com/sitemap.xml' })),
  'POST /v1/corpora/:corpus/sources 400 SCHEDULE_INVALID': (f, send) =>
    send(json(f, 'POST', `/v1/corpora/${CORPUS}/sources`, { type: 'sitemap', url: 'https://help.example.com/sitemap.xml', schedule: 'not a cron' })),
  'POST /v1/corpora/:corpus/sources 422 SOURCE_URL_FORBIDDEN': (f, send) => send(json(f, 'POST', `/v1/corpora/${CORPUS}/sources`, { type: 'sitemap', url: 'http://127.0.0.1:9/sitemap.xml' })),
  'GET /v1/conversations 404 CORPUS_NOT_FOUND': (f, send) => send({ method: 'GET', url: `/v1/conversations?corpus=${ABSENT}`, headers: bearer(f.admin) }),
  'POST /v1/corpora/:corpus/builds 422 EMBEDDING_MODEL_UNKNOWN': (f, send) => send(json(f, 'POST', `/v1/corpora/${CORPUS}/builds`, { embeddingModel: 'no-such-model' })),
  'POST /v1/builds/:id/promote 409 BUILD_NOT_PROMOTABLE': (f, send) => send({ method: 'POST', url: `/v1/builds/${f.buildId}/promote`, headers: bearer(f.admin) }),
  'DELETE /v1/corpora/:corpus/canaries/:id 404 CANARY_NOT_FOUND': (f, send) => send({ method: 'DELETE', url: `/v1/corpora/${CORPUS}/canaries/${NIL}`, headers: bearer(f.admin) }),
  'PATCH /v1/corpora/:corpus/canary-settings 422 WEBHOOK_TARGET_FORBIDDEN': (f, send) => send(json(f, 'PATCH', `/v1/corpora/${CORPUS}/canary-settings`, { webhooks: ['http://127.0.0.1:9/hook'] })),
  'POST /v1/admin/tenants 409 CONFLICT': (f, send) => send(json(f, 'POST', '/v1/admin/tenants', { name: 'default' })),
  'POST /v1/admin/keys 404 TENANT_NOT_FOUND': (f, send) => send(json(f, 'POST', '/v1/admin/keys', { tenant: 'nobody', scopes: ['query'], name: 'x' })),
  'POST /mcp 406 NOT_ACCEPTABLE': (f, send) => send(json(f, 'POST', '/mcp', { jsonrpc: '2.0', id: 1, method: 'tools/list' })),
  'GET /mcp 405 METHOD_NOT_ALLOWED': (f, send) => send({ method: 'GET', url: '/mcp', headers: bearer(f.admin) }),
  'DELETE /mcp 405 METHOD_NOT_ALLOWED': (f, send) => send({ method: 'DELETE', url: '/mcp', headers: bearer(f.admin) }),
  'GET /metrics 401 UNAUTHORIZED': (_f, send) => send({ method: 'GET', url: '/metrics', headers: bearer('not-the-metrics-token') }),
};

const PROVIDER = 'needs a failing model provider (the test app answers with local models); test/integration/answers-fallback.test.ts and the provider adapter tests cover it';
const INDEX = 'needs a failing Qdrant (the test app indexes in the database); test/integration/qdrant-wiring.test.ts covers it';
const ANSWERING = (what: string) => `needs ${what}; test/integration/answers-overload.test.ts covers it`;

/** Codes no request can produce from outside on this app, on any operation, and why. */
const NOT_DRIVEN_ANYWHERE: Partial<Record<ErrorCode, string>> = {
  INTERNAL: 'an unexpected failure (a bug): by design no request produces it',
  STORE_UNAVAILABLE: 'needs the database to go away mid-test; test/faults covers it',
  QUEUE_UNAVAILABLE: 'needs Redis to go away (the test app queues in process); test/faults covers it',
  IDEMPOTENCY_IN_PROGRESS: 'needs a first request still running after WAIT_FOR_FIRST_MS (10 s); test/unit/api/idempotency-lease.test.ts covers it',
  PROVIDER_ERROR: PROVIDER,
  PROVIDER_RATE_LIMITED: PROVIDER,
  PROVIDER_TIMEOUT: PROVIDER,
  PROVIDER_BAD_OUTPUT: PROVIDER,
  PROVIDER_QUOTA_EXCEEDED: PROVIDER,
  PROVIDER_OUTPUT_TRUNCATED: 'needs a language model that hits its output limit (the test app answers extractively); test/unit covers the mapping',
  CIRCUIT_OPEN: PROVIDER,
  INDEX_UNAVAILABLE: INDEX,
  INDEX_UNSUPPORTED: INDEX,
};

/** Codes of one operation no request can produce on this app, by "METHOD /path STATUS CODE", and why. */
const NOT_DRIVEN: Record<string, string> = {
  'POST /v1/corpora/:corpus/documents 503 OVERLOADED': 'needs MAX_INGEST_QUEUE_DEPTH ingestion jobs waiting (the test queue runs them at once); test/integration/production-shell.test.ts covers it',
  'GET /readyz 503 OVERLOADED': 'needs Redis (the test app has none) to fail its readiness check; test/integration/readiness.test.ts covers it',
  'POST /v1/corpora/:corpus/answers 503 OVERLOADED': ANSWERING('more questions in flight than the process admits'),
  'POST /v1/conversations/:id/messages 503 OVERLOADED': ANSWERING('more questions in flight than the process admits'),
  'POST /v1/corpora/:corpus/answers 503 SHUTTING_DOWN': 'needs the server to close during an answer; test/integration/answers-streaming.test.ts covers it',
  'POST /v1/conversations/:id/messages 503 SHUTTING_DOWN': 'needs the server to close during an answer; test/integration/answers-streaming.test.ts covers it',
  'POST /v1/conversations/:id/messages 409 CONVERSATION_BUSY': 'needs a turn of the same conversation in flight; test/integration/conversations.test.ts covers it',
};

describe('every documented error code, driven', () => {
  let t: TestApp;
  let fixtures: Fixtures;
  let operations: Operation[];
  const violations: ResponseViolation[] = [];

  beforeAll(async () => {
    const store = await memoryStore();
    t = await createTestApp({
      store,
      env: { METRICS_TOKEN, MAX_UPLOAD_BYTES: String(256 * 1024), RATE_LIMIT_QUERY_PER_MINUTE: '100000', RATE_LIMIT_INGEST_PER_MINUTE: '100000', RATE_LIMIT_ADMIN_PER_MINUTE: '100000' },
      appOptions: { onResponseViolation: (violation) => violations.push(violation) },
    });
    const send = (options: InjectOptions) => t.app.inject(options);
    const admin = t.adminKey;
    const created = async (options: InjectOptions) => {
      const response = await send(options);
      expect(response.statusCode, response.body).toBeLessThan(300);
      return response.json<Record<string, unknown>>();
    };
    const base = { admin, lacking: {}, limited: '', spent: '', upload: await multipart({ title: 'Warranty' }, { name: 'warranty.txt', content: WARRANTY, type: 'text/plain' }), buildId: '' } as Fixtures;
    await created(json(base, 'POST', '/v1/corpora', { name: CORPUS }));
    await created({ method: 'POST', url: `/v1/corpora/${CORPUS}/documents`, headers: { ...bearer(admin), ...base.upload.headers }, payload: base.upload.payload });
    await t.idle();
    // A build that can no longer be promoted: the first one, retired when a second build replaced it.
    const first = await created({ method: 'GET', url: `/v1/corpora/${CORPUS}`, headers: bearer(admin) });
    await created(json(base, 'POST', `/v1/corpora/${CORPUS}/builds`, {}));
    await t.idle();
    await created(json(base, 'POST', '/v1/admin/tenants', { name: 'limited', limits: { RATE_LIMIT_QUERY_PER_MINUTE: 1, RATE_LIMIT_INGEST_PER_MINUTE: 1, RATE_LIMIT_ADMIN_PER_MINUTE: 1 } }));
    const spentTenant = await created(json(base, 'POST', '/v1/admin/tenants', { name: 'spent', limits: { DAILY_TOKEN_BUDGET: 1 } }));
    const spent = await t.keyFor('spent', ['admin']);
    await created(json(base, 'POST', '/v1/corpora', { name: CORPUS }, spent));
    // Today's usage of the tenant, as answers record it: more than its budget of one token.
    await t.container.store.db.execute(sql`insert into tenant_usage (tenant_id, day, tokens) values (${spentTenant.id as string}, ${new Date().toISOString().slice(0, 10)}, 10)`);
    fixtures = {
      ...base,
      lacking: { query: await t.keyFor('default', ['ingest']), ingest: await t.keyFor('default', ['query']), admin: await t.keyFor('default', ['ingest', 'query']) },
      limited: await t.keyFor('limited', ['admin']),
      spent,
      buildId: String(first.activeBuildId),
    };
    operations = operationsOf(t.app.swagger() as unknown as Document);
  }, 120_000);
  afterAll(async () => {
    await t?.close();
  });

  it('every declared (operation, status, code) is driven by a real request or listed with the reason it cannot be', async () => {
    const ajv = new Ajv2020({ strict: false });
    const send = (options: InjectOptions) => t.app.inject(options);
    const problems: string[] = [];
    const declared = new Set<string>();
    let driven = 0;
    for (const operation of operations) {
      for (const { status, code, schema } of operation.errors) {
        const name = `${operation.key} ${status} ${code}`;
        declared.add(name);
        const specific = SPECIFIC[name];
        const generic = GENERIC[code];
        if (!specific && !generic) {
          if (!NOT_DRIVEN[name] && !NOT_DRIVEN_ANYWHERE[code]) problems.push(`${name}: documented, but neither driven nor listed as impossible to drive`);
          continue;
        }
        const response = specific ? await specific(fixtures, send) : await generic!(operation, sampleOf(operation, fixtures), fixtures, send);
        driven++;
        const body = response.json<{ error?: { code?: string } }>();
        if (response.statusCode !== status || body.error?.code !== code) {
          problems.push(`${name}: got ${response.statusCode} ${body.error?.code ?? response.body.slice(0, 120)}`);
          continue;
        }
        if (!ajv.validate(schema, body)) problems.push(`${name}: the body does not match the documented schema: ${ajv.errorsText()}`);
      }
    }
    // Entries for what the document no longer declares are stale: a route lost a code, or a key is misspelt.
    for (const name of [...Object.keys(SPECIFIC), ...Object.keys(NOT_DRIVEN)]) if (!declared.has(name)) problems.push(`${name}: listed here but not in the document`);
    expect(problems).toEqual([]);
    expect(violations).toEqual([]);
    expect(driven).toBeGreaterThan(200);
  }, 120_000);
});
