/**
 * Property-based fuzzing of every route of the HTTP API (issue 9): random JSON,
 * bodies shaped like the route's own zod schema with wrong types, huge strings,
 * controls and lone surrogates, 300k-deep JSON, invalid UTF-8, wrong content
 * types, junk path parameters and query strings, with and without credentials.
 * Property: never a 5xx, every error a catalogued `{error:{code,message}}` with
 * its catalogue status, and every request answered within REQUEST_TIMEOUT_MS.
 *
 * Routes come from the app itself (BuildAppOptions.onRoute), so a new route is
 * fuzzed without editing this file. PGlite in memory, local models.
 * FUZZ_SEED / FUZZ_RUNS explore more; FUZZ_LOG=1 prints the server's error logs.
 */
import { sql } from 'drizzle-orm';
import fc from 'fast-check';
import type { FastifyInstance, InjectOptions, RouteOptions } from 'fastify';
import { afterAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../src/api/app';
import { sharedStore, uploadText } from '../helpers/answers';
import { bearer, createTestApp } from '../helpers/app';
import { createCorpus } from '../helpers/ingestion';
import { raceProperty } from './races';
import { authHeader, expectHandled, fuzzSettings, hostileValue, hugeString, nastyString, nearValid, objectShape, pathParam, queryString, withDeadline, type Pools } from './support';

/** Admission limits far above what the fuzzer sends, so requests reach the handlers instead of a 429. */
const ENV = {
  RATE_LIMIT_QUERY_PER_MINUTE: '1000000',
  RATE_LIMIT_INGEST_PER_MINUTE: '1000000',
  RATE_LIMIT_ADMIN_PER_MINUTE: '1000000',
  TOKENS_PER_MINUTE: '1000000000',
  DAILY_TOKEN_BUDGET: '1000000000',
  MAX_CONCURRENT_ANSWERS: '200',
};

interface FuzzRoute {
  method: string;
  url: string;
  params: string[];
  body: unknown;
}

const shared = await sharedStore();
const t = await createTestApp({ store: shared.store, env: ENV });
const seen: RouteOptions[] = [];
// A second app on the same container, built with a route observer: the fuzzer's view of the API.
const app: FastifyInstance = await buildApp(t.container, { onRoute: (route) => seen.push(route), logger: process.env.FUZZ_LOG === '1' ? { level: 'error' } : false });

/** Statuses per route, printed at the end: shows how many requests got past validation into the handlers. */
const tally = new Map<string, Map<number, number>>();
afterAll(async () => {
  for (const [route, counts] of tally) console.log(`${route}: ${[...counts].sort(([a], [b]) => a - b).map(([status, count]) => `${status}×${count}`).join(' ')}`);
  await app.close();
  await t.close();
  await shared.close();
});

const routes: FuzzRoute[] = seen
  .flatMap((route) => (Array.isArray(route.method) ? route.method : [route.method]).map((method) => ({ route, method: String(method).toUpperCase() })))
  // HEAD runs the GET handler; fuzzing it again only doubles the time.
  .filter(({ method }) => method !== 'HEAD')
  .map(({ route, method }) => ({
    method,
    url: route.url,
    params: [...route.url.matchAll(/:([A-Za-z0-9_]+)|\*/gu)].map((match) => match[1] ?? '*'),
    body: (route.schema as { body?: unknown } | undefined)?.body,
  }));

// Real ids and names, so part of the requests get past the lookups into the handlers and the store.
const CORPUS = 'fuzz main';
const corpus = await createCorpus(t, CORPUS);
const doc = await uploadText(t, CORPUS, 'router.txt', 'To reset the router, hold the reset button for ten seconds. The light blinks twice.');
const answer = (await app.inject({ method: 'POST', url: `/v1/corpora/${encodeURIComponent(CORPUS)}/answers`, headers: bearer(t.adminKey), payload: { question: 'How do I reset the router?' } })).json() as { traceId: string; sources: { chunkId: string }[] };
const canary = (await app.inject({ method: 'POST', url: `/v1/corpora/${encodeURIComponent(CORPUS)}/canaries`, headers: bearer(t.adminKey), payload: { query: 'reset router', expect: { documentId: doc.documentId } } })).json() as { id: string };
// Only keys of a tenant of their own are offered to DELETE /v1/admin/keys/:id: revoking the admin key would end the run.
const tenant = (await app.inject({ method: 'POST', url: '/v1/admin/tenants', headers: bearer(t.adminKey), payload: { name: 'fuzz-tenant' } })).json() as { id: string; name: string };
const spareKey = (await app.inject({ method: 'POST', url: '/v1/admin/keys', headers: bearer(t.adminKey), payload: { tenant: tenant.name, name: 'spare', scopes: ['query'] } })).json() as { id: string };
const uuids = [doc.documentId, doc.versionId, corpus.id, corpus.activeBuildId, answer.traceId, canary.id, tenant.id, spareKey.id, ...answer.sources.map((source) => source.chunkId)].filter((value): value is string => typeof value === 'string');
const pools: Pools = {
  params: { corpus: [CORPUS, corpus.id, 'no such corpus'], id: [...uuids, tenant.name, `ingest-${doc.versionId}`], '*': ['index.js', 'app.css'] },
  uuids,
};

const JSON_TYPES = ['application/json', 'application/json; charset=utf-8', 'application/json; charset=latin1', 'application/JSON', 'application/vnd.api+json', 'application/json;;;', 'application/json; boundary=x'];
const WRONG_TYPES = ['text/plain', 'application/x-www-form-urlencoded', 'multipart/form-data', 'multipart/form-data; boundary=zz', 'application/xml', 'application/octet-stream', 'text/event-stream', '*/*', 'application', '', ';', 'x/y; charset="'];
const INVALID_UTF8 = [[0xff], [0xfe, 0xff], [0xc0, 0xae], [0xed, 0xa0, 0x80], [0xf4, 0x90, 0x80, 0x80], [0xe2, 0x82], [0x80]];

interface Body {
  kind: string;
  payload?: string | Buffer;
  contentType?: string;
}

function bodyFor(route: FuzzRoute): fc.Arbitrary<Body> {
  const shaped = route.body === undefined ? fc.jsonValue({ maxDepth: 3 }) : nearValid(route.body, pools);
  const shape = objectShape(route.body);
  const keys = shape ? Object.keys(shape) : ['name', 'query', 'question'];
  const contentType = fc.oneof({ weight: 4, arbitrary: fc.constant('application/json') }, { weight: 1, arbitrary: fc.constantFrom(...JSON_TYPES) });
  const json = (kind: string, value: fc.Arbitrary<unknown>) => fc.tuple(value, contentType).map(([body, type]): Body => ({ kind, payload: JSON.stringify(body) ?? 'null', contentType: type }));
  return fc.oneof(
    // Bodies shaped like the route's own are half of all: they are the ones that reach the handler and the store.
    { weight: 12, arbitrary: json('shaped', shaped) },
    { weight: 2, arbitrary: json('json value', fc.jsonValue({ maxDepth: 4 })) },
    { weight: 1, arbitrary: json('hostile', hostileValue) },
    {
      weight: 1,
      arbitrary: fc.tuple(fc.constantFrom(...keys), hugeString).map(([key, value]): Body => ({ kind: `huge ${key}`, payload: JSON.stringify({ [key]: value }), contentType: 'application/json' })),
    },
    {
      weight: 1,
      arbitrary: fc
        .tuple(fc.integer({ min: 1_000, max: 300_000 }), fc.constantFrom('[', '{"a":'), fc.constantFrom(...keys), fc.boolean())
        .map(([depth, open, key, wrapped]): Body => {
          const close = open === '[' ? ']' : '}';
          const nested = `${open.repeat(depth)}1${close.repeat(depth)}`;
          return { kind: `depth ${depth}`, payload: wrapped ? `{"${key}":${nested}}` : nested, contentType: 'application/json' };
        }),
    },
    {
      weight: 1,
      arbitrary: fc.tuple(fc.constantFrom(...keys), fc.constantFrom(...INVALID_UTF8), nastyString).map(([key, bytes, text]): Body => ({
        kind: 'invalid utf-8 in a string',
        payload: Buffer.concat([Buffer.from(`{"${key}":"${text.replace(/["\\]/gu, '')}`), Buffer.from(bytes), Buffer.from('"}')]),
        contentType: 'application/json',
      })),
    },
    { weight: 1, arbitrary: fc.uint8Array({ maxLength: 512 }).map((bytes): Body => ({ kind: 'random bytes', payload: Buffer.from(bytes), contentType: 'application/json' })) },
    {
      weight: 1,
      arbitrary: fc.tuple(shaped, fc.nat()).map(([value, cut]): Body => {
        const text = JSON.stringify(value) ?? 'null';
        return { kind: 'truncated', payload: text.slice(0, cut % Math.max(1, text.length)), contentType: 'application/json' };
      }),
    },
    { weight: 1, arbitrary: fc.tuple(shaped, fc.constantFrom(...WRONG_TYPES)).map(([value, contentType]): Body => ({ kind: 'wrong type', payload: JSON.stringify(value) ?? '', contentType })) },
    { weight: 1, arbitrary: fc.constantFrom<Body>({ kind: 'none' }, { kind: 'empty json', payload: '', contentType: 'application/json' }, { kind: 'json null', payload: 'null', contentType: 'application/json' }) },
  );
}

/** Header values Node's HTTP client would send (no controls, Latin-1). */
const headerValue = fc.string({ unit: fc.integer({ min: 0x20, max: 0xff }).filter((code) => code !== 0x7f).map((code) => String.fromCharCode(code)), minLength: 1, maxLength: 250 });

interface FuzzRequest {
  options: InjectOptions;
  describe: string;
}

function requestFor(route: FuzzRoute): fc.Arbitrary<FuzzRequest> {
  const hasBody = route.method !== 'GET';
  const path = fc.tuple(...route.params.map((name) => pathParam(name, pools))).map((values) => {
    let index = 0;
    return route.url.replace(/:[A-Za-z0-9_]+|\*/gu, () => values[index++] ?? '');
  });
  return fc
    .record({
      path,
      query: queryString,
      auth: authHeader(t.adminKey),
      body: hasBody ? bodyFor(route) : fc.oneof({ weight: 5, arbitrary: fc.constant<Body>({ kind: 'none' }) }, { weight: 1, arbitrary: bodyFor(route) }),
      idempotency: fc.option(fc.oneof(fc.uuid().map((uuid) => `fuzz-${uuid}`), headerValue, fc.constantFrom('fuzz-fixed-key')), { freq: 4 }),
      stream: fc.boolean(),
    })
    .map(({ path: url, query, auth, body, idempotency, stream }) => {
      const headers: Record<string, string> = { ...auth };
      if (body.contentType !== undefined) headers['content-type'] = body.contentType;
      if (idempotency !== null) headers['idempotency-key'] = idempotency;
      if (stream) headers.accept = 'text/event-stream';
      const options: InjectOptions = { method: route.method as InjectOptions['method'], url: `${url}${query}`, headers, ...(body.payload === undefined ? {} : { payload: body.payload }) };
      const payloadText = body.payload === undefined ? '' : String(body.payload);
      // Counterexamples print this (a megabyte of payload would drown the report).
      const describe = `${route.method} ${String(options.url).slice(0, 200)} [${body.kind}, ${payloadText.length} chars: ${JSON.stringify(payloadText.slice(0, 200))}] headers ${JSON.stringify(headers).slice(0, 300)}`;
      return Object.assign({ options, describe }, { [fc.toStringMethod]: () => describe });
    });
}

/**
 * Row counts of the tables only requests write (background jobs write builds, runs and alerts):
 * a request that was refused must not have changed any of them.
 */
async function requestOwnedRows(): Promise<Record<string, number>> {
  const [row] = await t.container.store.query<Record<string, number>>(
    sql`select (select count(*) from tenants)::int as tenants, (select count(*) from api_keys)::int as api_keys, (select count(*) from corpora)::int as corpora,
      (select count(*) from documents)::int as documents, (select count(*) from document_versions)::int as versions, (select count(*) from canaries)::int as canaries,
      (select count(*) from feedback)::int as feedback, (select count(*) from api_keys where revoked_at is not null)::int as revoked_keys`,
  );
  return row ?? {};
}

describe('HTTP API fuzzing: every route', () => {
  it('enumerates the API from the app itself', () => {
    const names = routes.map((route) => `${route.method} ${route.url}`);
    for (const known of ['POST /v1/corpora', 'GET /v1/corpora/:corpus', 'POST /v1/corpora/:corpus/answers', 'POST /v1/corpora/:corpus/documents', 'POST /v1/corpora/:corpus/search', 'DELETE /v1/documents/:id', 'PATCH /v1/admin/tenants/:id', 'GET /v1/versions/:id/text']) {
      expect(names).toContain(known);
    }
    expect(routes.length).toBeGreaterThanOrEqual(30);
    // The schemas came along: bodies can be shaped like the real ones.
    expect(objectShape(routes.find((route) => route.method === 'POST' && route.url === '/v1/corpora/:corpus/search')?.body)).toHaveProperty('query');
  });

  // The upload route also gets a multipart fuzzer of its own (upload.test.ts); here it gets JSON and junk.
  const settings = fuzzSettings(25);
  for (const route of routes) {
    it(`${route.method} ${route.url}: never a 5xx, never hangs, errors are catalogued`, async () => {
      await fc.assert(
        fc.asyncProperty(requestFor(route), async (request) => {
          const before = route.method === 'GET' ? undefined : await requestOwnedRows();
          const response = await withDeadline(app.inject(request.options), request.describe);
          // A refused request leaves no partial row behind.
          if (before && response.statusCode >= 400) expect(await requestOwnedRows(), `${request.describe}: rows after ${response.statusCode}`).toEqual(before);
          const name = `${route.method} ${route.url}`;
          const counts = tally.get(name) ?? new Map<number, number>();
          counts.set(response.statusCode, (counts.get(response.statusCode) ?? 0) + 1);
          tally.set(name, counts);
          expectHandled(response, request.describe);
        }),
        settings,
      );
    }, 120_000);
  }
});

describe('HTTP API fuzzing: the same request several times at once', () => {
  // Check-then-insert races (two creates of one name, two deletes of one document, one Idempotency-Key
  // claimed twice) only show when the copies interleave.
  it('no copy gets a 5xx or hangs', async () => {
    const copies = fc.constantFrom(...routes).chain((route) => fc.tuple(fc.constant(route), requestFor(route), fc.integer({ min: 2, max: 4 })));
    await fc.assert(
      fc.asyncProperty(copies, async ([, request, count]) => {
        const responses = await Promise.all(Array.from({ length: count }, () => withDeadline(app.inject(request.options), `${count} × ${request.describe}`)));
        for (const response of responses) expectHandled(response, `${count} × ${request.describe}`);
      }),
      fuzzSettings(60),
    );
  }, 300_000);
});

describe('HTTP API fuzzing: valid creates and deletes racing each other', () => {
  it('no 5xx and no hang when identical valid requests (with or without one Idempotency-Key) run at once', async () => {
    await fc.assert(raceProperty(app, t.adminKey, { corpusName: CORPUS, activeBuildId: corpus.activeBuildId, documentId: doc.documentId, tenantName: tenant.name }), fuzzSettings(20));
  }, 300_000);
});

/** Minimal counterexamples the fuzzer found, kept as plain regressions. */
describe('HTTP API fuzzing: regressions', () => {
  const send = (options: InjectOptions) => withDeadline(app.inject({ ...options, headers: { ...bearer(t.adminKey), ...options.headers } }), String(options.url));

  it("a path parameter over 100 characters is a catalogued 400, not fastify's own body echoing the path", async () => {
    const response = await send({ method: 'GET', url: `/v1/chunks/${'a'.repeat(101)}` });
    expect(response.statusCode).toBe(400);
    expect(response.json()).toEqual({ error: { code: 'BAD_REQUEST', message: expect.any(String) } });
    expect(response.body).not.toContain('a'.repeat(101));
  });

  it('a path with bad percent-encoding is a catalogued 400', async () => {
    const response = await send({ method: 'GET', url: '/v1/corpora/%ff%zz' });
    expect(response.statusCode).toBe(400);
    expect(response.json().error.code).toBe('BAD_REQUEST');
  });

  it('NUL in a path parameter is a 400, not a database error (was 500: GET /v1/corpora/%00)', async () => {
    for (const url of ['/v1/corpora/%00', '/v1/jobs/%00', '/v1/corpora/a%00b/documents']) {
      const response = await send({ method: 'GET', url });
      expect(response.statusCode, url).toBe(400);
      expect(response.json().error.code, url).toBe('VALIDATION_FAILED');
    }
  });

  it('NUL in a JSON string or key is a 400 (was 500: POST /v1/admin/keys {"tenant":"\\u0000",...})', async () => {
    const response = await send({ method: 'POST', url: '/v1/admin/keys', payload: { tenant: '\u0000', scopes: ['ingest'], name: '!' } });
    expect(response.statusCode).toBe(400);
    expect(response.json().error).toMatchObject({ code: 'VALIDATION_FAILED', message: expect.stringContaining('NUL') });
    const inKey = await send({ method: 'POST', url: '/v1/corpora', payload: '{"name":"ok","\\u0000":1}', headers: { 'content-type': 'application/json' } });
    expect(inKey.statusCode).toBe(400);
  });

  it('an unpaired surrogate in a JSON string is a 400 (was 500 on PGlite: POST /v1/admin/keys {"tenant":"\\u200e\\udc00",...})', async () => {
    const response = await send({ method: 'POST', url: '/v1/admin/keys', payload: '{"tenant":"\\u200e\\udc00","scopes":["ingest"],"name":"x"}', headers: { 'content-type': 'application/json' } });
    expect(response.statusCode).toBe(400);
    expect(response.json().error).toMatchObject({ code: 'VALIDATION_FAILED', message: expect.stringContaining('surrogate') });
    // A well-formed pair (an emoji) is still fine.
    const emoji = await send({ method: 'POST', url: '/v1/admin/keys', payload: '{"name":"key \\ud83d\\ude00","scopes":["query"]}', headers: { 'content-type': 'application/json' } });
    expect(emoji.statusCode, emoji.body).toBe(201);
  });

  it('JSON nested 4182 levels with an Idempotency-Key is a 400 (was 500: stack overflow in the idempotency hash)', async () => {
    const deep = `{"name":${'['.repeat(4182)}1${']'.repeat(4182)}}`;
    const response = await send({ method: 'POST', url: '/v1/corpora', payload: deep, headers: { 'content-type': 'application/json', 'idempotency-key': 'fuzz-regression-deep' } });
    expect(response.statusCode).toBe(400);
    expect(response.json().error).toMatchObject({ code: 'VALIDATION_FAILED', message: expect.stringContaining('nests deeper') });
  });

  it('a canary webhook must be an http(s) URL (file:///etc/passwd and javascript: were accepted as webhooks)', async () => {
    const url = `/v1/corpora/${encodeURIComponent(CORPUS)}/canary-settings`;
    for (const webhook of ['file:///etc/passwd', 'javascript:alert(1)', 'data:text/plain,x']) {
      const response = await send({ method: 'PATCH', url, payload: { webhooks: [webhook] } });
      expect(response.statusCode, webhook).toBe(400);
      expect(response.json().error.code).toBe('VALIDATION_FAILED');
    }
    const ok = await send({ method: 'PATCH', url, payload: { webhooks: ['https://hooks.example.test/attest'] } });
    expect(ok.statusCode, ok.body).toBe(200);
    expect(ok.json().webhooks).toEqual(['https://hooks.example.test/attest']);
    await send({ method: 'PATCH', url, payload: { webhooks: [] } });
  });
});
