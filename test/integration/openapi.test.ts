import { validate } from '@scalar/openapi-parser';
import type { RouteOptions } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { memoryStore } from '../helpers/stores';
import { ERROR_CATALOG } from '../../src/core/errors';
import { operationKey } from '../../src/api/openapi/register';
import { isDocumented, RESPONSES } from '../../src/api/openapi/responses';
import type { ResponseViolation } from '../../src/api/openapi/validate-responses';
import { bearer, createTestApp, type TestApp } from '../helpers/app';
import { multipart } from '../helpers/multipart';
import { WARRANTY } from '../helpers/documents';

/** Operations that take no body although they are POSTs (their input is the path, or multipart). */
const BODYLESS = new Set(['POST /v1/corpora/:corpus/canaries/run', 'POST /v1/builds/:id/promote', 'POST /v1/corpora/:corpus/documents', 'POST /v1/sources/:id/sync']);

describe('OpenAPI document', () => {
  let t: TestApp;
  const routes: RouteOptions[] = [];
  const violations: ResponseViolation[] = [];
  let document: { openapi: string; paths: Record<string, Record<string, { responses: Record<string, unknown>; security?: unknown[]; requestBody?: unknown }>> };

  beforeAll(async () => {
    const store = await memoryStore();
    t = await createTestApp({ store, appOptions: { onRoute: (route) => routes.push(route), onResponseViolation: (violation) => violations.push(violation) } });
    const response = await t.app.inject({ method: 'GET', url: '/openapi.json' });
    expect(response.statusCode).toBe(200);
    document = response.json();
  });
  afterAll(async () => {
    await t?.close();
  });

  it('is a valid OpenAPI 3.1 document', async () => {
    expect(document.openapi).toBe('3.1.0');
    const result = await validate(document as never);
    expect(result.errors ?? []).toEqual([]);
    expect(result.valid).toBe(true);
  });

  it('covers every API route, each with its success responses, its error codes by status and its request schemas', () => {
    const api = routes.flatMap((route) => (Array.isArray(route.method) ? route.method : [route.method]).map((method) => ({ method: String(method), route }))).filter(({ method, route }) => isDocumented(method, route.url));
    expect(api.length).toBeGreaterThan(30);
    for (const { method, route } of api) {
      const key = operationKey(method, route.url);
      expect(RESPONSES[key], `${key} has no documented responses`).toBeDefined();
      const path = route.url.replace(/:([A-Za-z]+)/g, '{$1}');
      const operation = document.paths[path]?.[method.toLowerCase()];
      expect(operation, `${key} is missing from the document`).toBeDefined();
      // Errors by status, each naming its codes (openapi-errors.test.ts drives every one of them).
      const errorStatuses = Object.keys(operation?.responses ?? {}).filter((status) => Number(status) >= 400);
      expect(errorStatuses, `${key} documents no errors`).toContain('500');
      for (const status of errorStatuses) expect(JSON.stringify(operation?.responses[status]), `${key} ${status}`).toMatch(/"#\/components\/schemas\/Error_[A-Z_]+"|"enum"/);
      const schema = (route.schema ?? {}) as Record<string, unknown>;
      if (route.url.includes(':')) expect(schema.params, `${key} has path parameters without a schema`).toBeDefined();
      if ((method === 'POST' || method === 'PATCH' || method === 'PUT') && !BODYLESS.has(key)) expect(schema.body, `${key} takes a body without a schema`).toBeDefined();
      if (route.url.startsWith('/v1/')) expect(operation?.security, `${key} does not say how it authenticates`).toEqual([{ apiKey: [] }]);
    }
    // The upload's multipart body and the answer's event stream are described too.
    expect(JSON.stringify(document.paths['/v1/corpora/{corpus}/documents']?.post?.requestBody)).toContain('multipart/form-data');
    expect(JSON.stringify(document.paths['/v1/corpora/{corpus}/answers']?.post?.responses['200'])).toContain('text/event-stream');
    expect(JSON.stringify(document)).toContain('IDEMPOTENCY_KEY_REUSED');
  });

  it('describes the responses the service really gives, errors included', async () => {
    const admin = bearer(t.adminKey);
    const json = { ...admin, 'content-type': 'application/json' };
    const call = async (method: 'GET' | 'POST' | 'PATCH' | 'DELETE', url: string, options: { payload?: unknown; headers?: Record<string, string> } = {}) => {
      const response = await t.app.inject({ method, url, headers: options.headers ?? (options.payload === undefined ? admin : json), ...(options.payload === undefined ? {} : { payload: options.payload as string }) });
      return response;
    };
    const codes = new Set<string>();
    const expectError = async (response: Awaited<ReturnType<typeof call>>, code: keyof typeof ERROR_CATALOG) => {
      expect(response.json().error.code).toBe(code);
      expect(response.statusCode).toBe(ERROR_CATALOG[code].status);
      codes.add(code);
    };

    expect((await call('POST', '/v1/corpora', { payload: { name: 'docs' } })).statusCode).toBe(201);
    await expectError(await call('POST', '/v1/corpora', { payload: { name: 'docs' } }), 'CORPUS_EXISTS');
    await expectError(await call('POST', '/v1/corpora', { payload: { name: '' } }), 'VALIDATION_FAILED');
    await expectError(await t.app.inject({ method: 'POST', url: '/v1/corpora', headers: json, payload: '{"name":' }), 'INVALID_JSON');
    await expectError(await call('GET', '/v1/corpora', { headers: {} }), 'UNAUTHORIZED');
    await expectError(await call('GET', '/v1/corpora/nope'), 'CORPUS_NOT_FOUND');
    await expectError(await call('GET', '/v1/nowhere'), 'ROUTE_NOT_FOUND');
    expect((await call('GET', '/v1/corpora')).statusCode).toBe(200);

    const form = await multipart({ title: 'Warranty' }, { name: 'warranty.txt', content: WARRANTY, type: 'text/plain' });
    const upload = await t.app.inject({ method: 'POST', url: '/v1/corpora/docs/documents', headers: { ...admin, ...form.headers }, payload: form.payload });
    expect(upload.statusCode).toBe(202);
    const empty = await multipart({}, { name: 'empty.txt', content: '', type: 'text/plain' });
    await expectError(await t.app.inject({ method: 'POST', url: '/v1/corpora/docs/documents', headers: { ...admin, ...empty.headers }, payload: empty.payload }), 'EMPTY_FILE');
    await expectError(await call('POST', '/v1/corpora/docs/documents', { payload: { file: 'x' } }), 'UNSUPPORTED_MEDIA_TYPE');
    await t.idle();
    const { documentId, jobId } = upload.json() as { documentId: string; jobId: string };
    expect((await call('GET', `/v1/jobs/${jobId}`)).statusCode).toBe(200);
    await expectError(await call('GET', '/v1/jobs/unknown-job'), 'JOB_NOT_FOUND');
    const doc = await call('GET', `/v1/documents/${documentId}`);
    expect(doc.statusCode).toBe(200);
    await expectError(await call('GET', '/v1/documents/00000000-0000-4000-8000-000000000000'), 'DOCUMENT_NOT_FOUND');
    expect((await call('GET', '/v1/corpora/docs/documents')).statusCode).toBe(200);

    const search = await call('POST', '/v1/corpora/docs/search', { payload: { query: 'warranty period', k: 3 } });
    expect(search.statusCode).toBe(200);
    const hit = (search.json() as { results: { chunkId: string; versionId: string }[] }).results[0];
    expect(hit).toBeDefined();
    expect((await call('GET', `/v1/chunks/${hit?.chunkId}`)).statusCode).toBe(200);
    expect((await call('GET', `/v1/versions/${hit?.versionId}/text?start=0&end=50`)).statusCode).toBe(200);

    const answer = await call('POST', '/v1/corpora/docs/answers', { payload: { question: 'How long is the warranty period?' } });
    expect(answer.statusCode).toBe(200);
    const traceId = (answer.json() as { traceId: string }).traceId;
    expect((await call('GET', `/v1/traces/${traceId}`)).statusCode).toBe(200);
    expect((await call('POST', '/v1/feedback', { payload: { traceId, rating: 'up' } })).statusCode).toBe(201);
    await expectError(await call('POST', '/v1/feedback', { payload: { traceId: '00000000-0000-4000-8000-000000000000', rating: 'up' } }), 'TRACE_NOT_FOUND');

    // A conversation with one turn: the turn, and the thread that gives it back with its citations marked.
    const conversation = await call('POST', '/v1/conversations', { payload: { corpus: 'docs' } });
    expect(conversation.statusCode).toBe(201);
    const conversationId = (conversation.json() as { id: string }).id;
    expect((await call('POST', `/v1/conversations/${conversationId}/messages`, { payload: { question: 'How long is the warranty period?' } })).statusCode).toBe(200);
    const thread = await call('GET', `/v1/conversations/${conversationId}`);
    expect((thread.json() as { messages: { answer: { citations: { deleted: boolean }[] } }[] }).messages[0]?.answer.citations[0]?.deleted).toBe(false);
    expect((await call('GET', '/v1/conversations?corpus=docs')).statusCode).toBe(200);

    const idem = { ...json, 'idempotency-key': 'openapi-contract-1' };
    expect((await call('POST', '/v1/corpora', { payload: { name: 'idem' }, headers: idem })).statusCode).toBe(201);
    await expectError(await call('POST', '/v1/corpora', { payload: { name: 'other' }, headers: idem }), 'IDEMPOTENCY_KEY_REUSED');

    expect((await call('GET', '/v1/corpora/docs/builds')).statusCode).toBe(200);
    const builds = (await call('GET', '/v1/corpora/docs/builds')).json() as { builds: { id: string }[] };
    expect((await call('GET', `/v1/builds/${builds.builds[0]?.id}`)).statusCode).toBe(200);
    await expectError(await call('GET', '/v1/builds/00000000-0000-4000-8000-000000000000'), 'BUILD_NOT_FOUND');

    const canary = await call('POST', '/v1/corpora/docs/canaries', { payload: { query: 'warranty period', expect: { documentId }, k: 5 } });
    expect(canary.statusCode).toBe(201);
    expect((await call('GET', '/v1/corpora/docs/canaries')).statusCode).toBe(200);
    expect((await call('POST', '/v1/corpora/docs/canaries/run')).statusCode).toBe(200);
    expect((await call('GET', '/v1/corpora/docs/canary-runs')).statusCode).toBe(200);
    expect((await call('GET', '/v1/corpora/docs/alerts')).statusCode).toBe(200);
    expect((await call('GET', '/v1/corpora/docs/canary-settings')).statusCode).toBe(200);
    expect((await call('DELETE', `/v1/corpora/docs/canaries/${(canary.json() as { id: string }).id}`)).statusCode).toBe(204);
    await expectError(await call('DELETE', `/v1/corpora/docs/canaries/${(canary.json() as { id: string }).id}`), 'CANARY_NOT_FOUND');

    expect((await call('POST', '/v1/admin/tenants', { payload: { name: 'acme' } })).statusCode).toBe(201);
    expect((await call('GET', '/v1/admin/tenants')).statusCode).toBe(200);
    await expectError(await call('PATCH', '/v1/admin/tenants/nobody', { payload: { limits: { TOKENS_PER_MINUTE: 10 } } }), 'TENANT_NOT_FOUND');
    const key = await call('POST', '/v1/admin/keys', { payload: { tenant: 'acme', scopes: ['query'], name: 'reader' } });
    expect(key.statusCode).toBe(201);
    const reader = bearer((key.json() as { key: string }).key);
    await expectError(await call('POST', '/v1/corpora', { payload: { name: 'x' }, headers: { ...reader, 'content-type': 'application/json' } }), 'FORBIDDEN');
    expect((await call('GET', '/v1/admin/keys')).statusCode).toBe(200);
    await expectError(await call('DELETE', '/v1/admin/keys/00000000-0000-4000-8000-000000000000'), 'KEY_NOT_FOUND');
    expect((await call('DELETE', `/v1/documents/${documentId}`)).statusCode).toBe(204);
    expect((await call('GET', '/healthz', { headers: {} })).statusCode).toBe(200);
    expect((await call('GET', '/readyz', { headers: {} })).statusCode).toBe(200);

    expect(violations).toEqual([]);
    // Every code driven here is in the document's catalogue.
    const text = JSON.stringify(document);
    for (const code of codes) expect(text).toContain(code);
    expect(codes.size).toBeGreaterThanOrEqual(17);
  });

  it('serves the rendered reference at /docs from this origin only', async () => {
    const page = await t.app.inject({ method: 'GET', url: '/docs/' });
    expect(page.statusCode).toBe(200);
    expect(page.headers['content-type']).toContain('text/html');
    const csp = String(page.headers['content-security-policy']);
    expect(csp).toContain("default-src 'self'");
    expect(csp).not.toContain("'unsafe-inline' 'self'; script-src");
    const nonce = /nonce-([^']+)'/.exec(csp)?.[1];
    expect(nonce).toBeDefined();
    // Every script on the page carries the nonce or is this origin's file; none comes from a CDN.
    const scripts = [...page.body.matchAll(/<script([^>]*)>/g)].map((match) => match[1] ?? '');
    expect(scripts.length).toBeGreaterThan(0);
    for (const attributes of scripts) expect(attributes).toContain(`nonce="${nonce}"`);
    expect(page.body).not.toMatch(/src="https?:/);
    const script = await t.app.inject({ method: 'GET', url: '/docs/js/scalar.js' });
    expect(script.statusCode).toBe(200);
  });
});

describe('typed client', () => {
  it('the committed OpenAPI document and client types are generated from the routes as they are (npm run client:generate)', async () => {
    const { readFile } = await import('node:fs/promises');
    const { clientTypesOf } = await import('../../src/client/generate');
    const store = await memoryStore();
    const t = await createTestApp({ store });
    try {
      const live = t.app.swagger();
      const committed = JSON.parse(await readFile(new URL('../../src/client/openapi.json', import.meta.url), 'utf8')) as unknown;
      expect(committed).toEqual(JSON.parse(JSON.stringify(live)));
      expect(await readFile(new URL('../../src/client/schema.ts', import.meta.url), 'utf8')).toBe(await clientTypesOf(live));
    } finally {
      await t.close();
    }
  }, 120_000);
});
