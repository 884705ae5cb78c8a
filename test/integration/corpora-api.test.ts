import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bearer, createTestApp, type TestApp } from '../helpers/app';
import { storeTargets } from '../helpers/stores';

const targets = await storeTargets('corpora API');

describe.each(targets)('corpora API on $name', (target) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp({ store: await target.open() });
  });
  afterAll(async () => {
    await t?.close();
  });

  it('creates a corpus with its first active build and lists it', async () => {
    const created = await t.app.inject({ method: 'POST', url: '/v1/corpora', headers: bearer(t.adminKey), payload: { name: 'support-docs' } });
    expect(created.statusCode).toBe(201);
    const body = created.json();
    expect(body).toMatchObject({ name: 'support-docs' });
    expect(body.id).toMatch(/^[0-9a-f-]{36}$/);
    expect(body.activeBuildId).toMatch(/^[0-9a-f-]{36}$/);
    const listed = await t.app.inject({ method: 'GET', url: '/v1/corpora', headers: bearer(t.adminKey) });
    expect(listed.statusCode).toBe(200);
    expect(listed.json().corpora.map((corpus: { name: string }) => corpus.name)).toContain('support-docs');
    const byName = await t.app.inject({ method: 'GET', url: '/v1/corpora/support-docs', headers: bearer(t.adminKey) });
    expect(byName.json().id).toBe(body.id);
  });

  it('a corpus whose first build cannot be created is taken back, so the same create can be retried', async () => {
    const { store } = t.container;
    // Any failure between the corpus row and its first build (here: every index_builds insert refused).
    await store.query(sql`ALTER TABLE index_builds ADD CONSTRAINT refuse_builds CHECK (false) NOT VALID`);
    try {
      const failed = await t.app.inject({ method: 'POST', url: '/v1/corpora', headers: bearer(t.adminKey), payload: { name: 'half-made' } });
      expect(failed.statusCode).toBeGreaterThanOrEqual(500);
      const missing = await t.app.inject({ method: 'GET', url: '/v1/corpora/half-made', headers: bearer(t.adminKey) });
      expect(missing.statusCode).toBe(404);
    } finally {
      await store.query(sql`ALTER TABLE index_builds DROP CONSTRAINT refuse_builds`);
    }
    const retried = await t.app.inject({ method: 'POST', url: '/v1/corpora', headers: bearer(t.adminKey), payload: { name: 'half-made' } });
    expect(retried.statusCode).toBe(201);
    expect(retried.json().activeBuildId).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('answers 409 with a stable code for a duplicate name', async () => {
    await t.app.inject({ method: 'POST', url: '/v1/corpora', headers: bearer(t.adminKey), payload: { name: 'dup' } });
    const again = await t.app.inject({ method: 'POST', url: '/v1/corpora', headers: bearer(t.adminKey), payload: { name: 'dup' } });
    expect(again.statusCode).toBe(409);
    expect(again.json().error.code).toBe('CORPUS_EXISTS');
  });

  it('answers 401 without a key and with an unknown key', async () => {
    const none = await t.app.inject({ method: 'GET', url: '/v1/corpora' });
    expect(none.statusCode).toBe(401);
    expect(none.json().error.code).toBe('UNAUTHORIZED');
    const wrong = await t.app.inject({ method: 'GET', url: '/v1/corpora', headers: bearer('atk_not-a-real-key') });
    expect(wrong.statusCode).toBe(401);
  });

  it('answers 403 when the key lacks the scope', async () => {
    const queryOnly = await t.keyFor('default', ['query']);
    const response = await t.app.inject({ method: 'POST', url: '/v1/corpora', headers: bearer(queryOnly), payload: { name: 'nope' } });
    expect(response.statusCode).toBe(403);
    expect(response.json().error).toMatchObject({ code: 'FORBIDDEN', details: { required: 'admin' } });
  });

  it("answers 404 for another tenant's corpus, by id and by name", async () => {
    const created = await t.app.inject({ method: 'POST', url: '/v1/corpora', headers: bearer(t.adminKey), payload: { name: 'private' } });
    const otherKey = await t.keyFor('tenant-b', ['admin', 'query', 'ingest']);
    for (const ref of [created.json().id, 'private']) {
      const response = await t.app.inject({ method: 'GET', url: `/v1/corpora/${ref}`, headers: bearer(otherKey) });
      expect(response.statusCode).toBe(404);
      expect(response.json().error.code).toBe('CORPUS_NOT_FOUND');
    }
    const listed = await t.app.inject({ method: 'GET', url: '/v1/corpora', headers: bearer(otherKey) });
    expect(listed.json().corpora).toEqual([]);
  });

  it('maps malformed JSON, wrong content type, bad bodies and unknown routes to clear 4xx', async () => {
    const malformed = await t.app.inject({
      method: 'POST',
      url: '/v1/corpora',
      headers: { ...bearer(t.adminKey), 'content-type': 'application/json' },
      payload: '{"name":',
    });
    expect(malformed.statusCode).toBe(400);
    expect(malformed.json().error.code).toBe('INVALID_JSON');
    const wrongType = await t.app.inject({
      method: 'POST',
      url: '/v1/corpora',
      headers: { ...bearer(t.adminKey), 'content-type': 'application/xml' },
      payload: '<name>x</name>',
    });
    expect(wrongType.statusCode).toBe(415);
    expect(wrongType.json().error.code).toBe('UNSUPPORTED_MEDIA_TYPE');
    const invalid = await t.app.inject({ method: 'POST', url: '/v1/corpora', headers: bearer(t.adminKey), payload: { name: '' } });
    expect(invalid.statusCode).toBe(400);
    expect(invalid.json().error.code).toBe('VALIDATION_FAILED');
    const unknown = await t.app.inject({ method: 'GET', url: '/v1/nothing-here', headers: bearer(t.adminKey) });
    expect(unknown.statusCode).toBe(404);
    expect(unknown.json().error.code).toBe('ROUTE_NOT_FOUND');
  });

  it('reports ready when the store answers', async () => {
    const response = await t.app.inject({ method: 'GET', url: '/readyz' });
    expect(response.statusCode).toBe(200);
    expect(response.json().checks.store).toBe('ok');
    expect((await t.app.inject({ method: 'GET', url: '/healthz' })).statusCode).toBe(200);
  });
});
