import { randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Store } from '../../src/core/db/client';
import { answerCache } from '../../src/core/db/schema';
import { ensureTenant } from '../../src/core/tenancy';
import { PostgresAnswerCache, RedisAnswerCache, type AnswerCache } from '../../src/query/answer-cache';
import { REDIS_URL, requireService } from '../helpers/services';
import { memoryStore } from '../helpers/stores';

/**
 * The shared answer caches' batched write (setMany, what the write-behind memory tier sends): every
 * entry lands, the last one for a key wins, and entries keep their tenant and expiry.
 */
const redisUp = await requireService('redis', 'shared answer caches');

async function exercise(cache: AnswerCache, tenantId: string, otherTenantId: string): Promise<void> {
  const prefix = randomUUID();
  await cache.setMany!([
    { key: `${prefix}:a`, tenantId, body: { answer: 'a1' }, ttlSeconds: 60 },
    { key: `${prefix}:b`, tenantId: otherTenantId, body: { answer: 'b' }, ttlSeconds: 60 },
    { key: `${prefix}:a`, tenantId, body: { answer: 'a2' }, ttlSeconds: 60 },
    { key: `${prefix}:gone`, tenantId, body: { answer: 'expired' }, ttlSeconds: 0 },
  ]);
  expect(await cache.get(`${prefix}:a`, tenantId)).toEqual({ answer: 'a2' });
  expect(await cache.get(`${prefix}:b`, otherTenantId)).toEqual({ answer: 'b' });
  // Another tenant's entry is not found under this tenant.
  expect(await cache.get(`${prefix}:b`, tenantId)).toBeUndefined();
  // Overwriting an existing entry in a later batch.
  await cache.setMany!([{ key: `${prefix}:a`, tenantId, body: { answer: 'a3' }, ttlSeconds: 60 }]);
  expect(await cache.get(`${prefix}:a`, tenantId)).toEqual({ answer: 'a3' });
  await new Promise((resolve) => setTimeout(resolve, 20));
  expect(await cache.get(`${prefix}:gone`, tenantId)).toBeUndefined();
}

describe('PostgresAnswerCache.setMany (PGlite)', () => {
  let store: Store;
  beforeAll(async () => {
    store = await memoryStore();
  });
  afterAll(async () => {
    await store?.close();
  });

  it('writes a batch in one upsert, the last entry for a key winning', async () => {
    const [one, two] = await Promise.all([ensureTenant(store.db, 'cache-one'), ensureTenant(store.db, 'cache-two')]);
    await exercise(new PostgresAnswerCache(store.db), one.id, two.id);
  });

  it('lists the keys of unexpired entries, or nothing when there are more than asked for', async () => {
    const tenant = await ensureTenant(store.db, 'cache-keys');
    const cache = new PostgresAnswerCache(store.db);
    await store.db.delete(answerCache);
    await cache.setMany([
      { key: 'live-1', tenantId: tenant.id, body: {}, ttlSeconds: 60 },
      { key: 'live-2', tenantId: tenant.id, body: {}, ttlSeconds: 60 },
      { key: 'expired', tenantId: tenant.id, body: {}, ttlSeconds: 0 },
    ]);
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect((await cache.liveKeys(2))?.sort()).toEqual(['live-1', 'live-2']);
    expect(await cache.liveKeys(1)).toBeUndefined();
  });
});

describe.skipIf(!redisUp)('RedisAnswerCache.setMany', () => {
  let redis: Redis;
  beforeAll(() => {
    redis = new Redis(REDIS_URL, { maxRetriesPerRequest: 1 });
  });
  afterAll(async () => {
    await redis?.quit();
  });

  it('writes a batch in one pipeline, the last entry for a key winning', async () => {
    // Redis refuses EX 0: a zero TTL entry is the caller's mistake there, so this side uses the others only.
    const cache = new RedisAnswerCache(redis);
    const prefix = randomUUID();
    const tenantId = randomUUID();
    await cache.setMany([
      { key: `${prefix}:a`, tenantId, body: { answer: 'a1' }, ttlSeconds: 60 },
      { key: `${prefix}:a`, tenantId, body: { answer: 'a2' }, ttlSeconds: 60 },
      { key: `${prefix}:b`, tenantId, body: { answer: 'b' }, ttlSeconds: 60 },
    ]);
    expect(await cache.get(`${prefix}:a`, tenantId)).toEqual({ answer: 'a2' });
    expect(await cache.get(`${prefix}:b`, tenantId)).toEqual({ answer: 'b' });
    expect(await cache.get(`${prefix}:b`, randomUUID())).toBeUndefined();
    expect(await redis.ttl(`attest:${tenantId}:${prefix}:a`)).toBeGreaterThan(50);
    await redis.del(`attest:${tenantId}:${prefix}:a`, `attest:${tenantId}:${prefix}:b`);
  });
});
