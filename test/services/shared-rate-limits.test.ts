import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Store } from '../../src/core/db/client';
import { bearer, createTestApp, type TestApp } from '../helpers/app';
import { REDIS_URL, requireService } from '../helpers/services';
import { memoryStore } from '../helpers/stores';

const redisUp = await requireService('redis', 'shared rate limits');

describe.runIf(redisUp)('rate limits shared across two API instances on one Redis', () => {
  let store: Store;
  let first: TestApp;
  let second: TestApp;

  beforeAll(async () => {
    // One database, two app instances (two "processes") sharing Redis.
    store = await memoryStore();
    const redis = new Redis(REDIS_URL);
    await redis.flushdb();
    redis.disconnect();
    const env = { REDIS_URL, RATE_LIMIT_QUERY_PER_MINUTE: '6' };
    first = await createTestApp({ store, env });
    second = await createTestApp({ store, env });
  });
  afterAll(async () => {
    await first?.app.close();
    await second?.app.close();
    await first?.container.redis?.quit();
    await second?.container.redis?.quit();
    await store?.close();
  });

  it('counts a burst split over both instances against one bucket', async () => {
    const corpus = (await first.app.inject({ method: 'POST', url: '/v1/corpora', headers: bearer(first.adminKey), payload: { name: 'shared' } })).json();
    const statuses: number[] = [];
    for (let index = 0; index < 10; index++) {
      const app = index % 2 === 0 ? first.app : second.app;
      const response = await app.inject({ method: 'POST', url: `/v1/corpora/${corpus.id}/search`, headers: bearer(first.adminKey), payload: { query: 'anything', k: 1 } });
      statuses.push(response.statusCode);
      if (response.statusCode === 429) expect(Number(response.headers['retry-after'])).toBeGreaterThanOrEqual(1);
    }
    expect(statuses.filter((status) => status === 200)).toHaveLength(6);
    expect(statuses.slice(6)).toEqual([429, 429, 429, 429]);
  });
});
