import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAuthenticator } from '../../src/api/auth';
import type { Store } from '../../src/core/db/client';
import { apiKeys } from '../../src/core/db/schema';
import { createApiKey, ensureTenant } from '../../src/core/tenancy';
import { bearer, createTestApp, type TestApp } from '../helpers/app';
import { memoryStore } from '../helpers/stores';

describe('API key revocation through the API', () => {
  let harness: TestApp;
  beforeAll(async () => {
    const store = await memoryStore();
    harness = await createTestApp({ store });
  });
  afterAll(async () => harness?.close());

  it('a revoked key is refused on its next request, although it was just verified', async () => {
    const created = await harness.app.inject({ method: 'POST', url: '/v1/admin/keys', headers: bearer(harness.adminKey), payload: { name: 'short-lived', scopes: ['query'] } });
    expect(created.statusCode).toBe(201);
    const { id, key } = created.json<{ id: string; key: string }>();
    expect((await harness.app.inject({ method: 'GET', url: '/v1/corpora', headers: bearer(key) })).statusCode).toBe(200);
    expect((await harness.app.inject({ method: 'DELETE', url: `/v1/admin/keys/${id}`, headers: bearer(harness.adminKey) })).statusCode).toBe(204);
    const refused = await harness.app.inject({ method: 'GET', url: '/v1/corpora', headers: bearer(key) });
    expect(refused.statusCode).toBe(401);
    expect(refused.json()).toMatchObject({ error: { code: 'UNAUTHORIZED' } });
  });
});

describe('authenticator cache', () => {
  let store: Store;
  beforeAll(async () => {
    store = await memoryStore();
  });
  afterAll(async () => store?.close());

  const request = (key: string) => ({ headers: { authorization: `Bearer ${key}` } }) as never;

  it('trusts a verified key for the TTL only: revoked elsewhere, it is refused once the TTL has passed', async () => {
    const tenant = await ensureTenant(store.db, 'cache-tenant');
    const { key, row } = await createApiKey(store.db, { tenantId: tenant.id, name: 'k', scopes: ['query'] });
    let clock = 1_000_000;
    const authenticate = createAuthenticator(store.db, { cacheTtlMs: 5_000, now: () => clock });
    await expect(authenticate(request(key))).resolves.toMatchObject({ tenantId: tenant.id, keyId: row.id });
    // Revoked by another process: this one still trusts its recent check...
    await store.db.update(apiKeys).set({ revokedAt: new Date() }).where(eq(apiKeys.id, row.id));
    clock += 4_000;
    await expect(authenticate(request(key))).resolves.toMatchObject({ keyId: row.id });
    // ...until the TTL runs out.
    clock += 1_001;
    await expect(authenticate(request(key))).rejects.toMatchObject({ code: 'UNAUTHORIZED' });
  });

  it('with a TTL of 0 every request reads the database; unknown keys are never cached', async () => {
    const tenant = await ensureTenant(store.db, 'no-cache-tenant');
    const { key, row } = await createApiKey(store.db, { tenantId: tenant.id, name: 'k', scopes: ['query'] });
    const authenticate = createAuthenticator(store.db, { cacheTtlMs: 0 });
    await expect(authenticate(request(key))).resolves.toMatchObject({ keyId: row.id });
    await store.db.update(apiKeys).set({ revokedAt: new Date() }).where(eq(apiKeys.id, row.id));
    await expect(authenticate(request(key))).rejects.toMatchObject({ code: 'UNAUTHORIZED' });
    await expect(authenticate(request('atk_not-a-real-key'))).rejects.toMatchObject({ code: 'UNAUTHORIZED' });
  });
});
