import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Store } from '../../../src/core/db/client';
import { ensureTenant } from '../../../src/core/tenancy';
import { InProcessConcurrencyGates, ProviderSemaphore } from '../../../src/api/limits/concurrency';
import { Limits, type TenantLimits } from '../../../src/api/limits/limits';
import { InProcessTokenBuckets } from '../../../src/api/limits/token-bucket';
import { memoryStore } from '../../helpers/stores';

const DEFAULTS: TenantLimits = {
  requestsPerMinute: { ingest: 60, query: 60, admin: 60 },
  tokensPerMinute: 10_000,
  maxConcurrentAnswers: 2,
  dailyTokenBudget: 50_000,
};

let store: Store;
let tenantCount = 0;
beforeAll(async () => {
  store = await memoryStore();
});
afterAll(async () => {
  await store?.close();
});

/** Each test gets its own tenant (and so its own buckets and usage) in one shared store. */
async function setup(overrides: Partial<TenantLimits> = {}, options: { usageWriteDelayMs?: number } = {}) {
  tenantCount += 1;
  const tenant = await ensureTenant(store.db, `limits-${tenantCount}`);
  let now = 1_000_000;
  const limits = new Limits({ db: store.db, buckets: new InProcessTokenBuckets(() => now), gates: new InProcessConcurrencyGates(), defaults: { ...DEFAULTS, ...overrides }, ...options });
  return { tenantId: tenant.id, limits, advance: (ms: number) => (now += ms) };
}

describe('token bucket request limits', () => {
  it('allows the burst, refuses beyond it with a Retry-After, and refills over time', async () => {
    const { limits, tenantId, advance } = await setup({ requestsPerMinute: { ingest: 3, query: 3, admin: 3 } });
    for (let index = 0; index < 3; index++) await limits.admitRequest(tenantId, 'query');
    const refused = await limits.admitRequest(tenantId, 'query').catch((error: unknown) => error);
    expect(refused).toMatchObject({ code: 'RATE_LIMITED', status: 429 });
    expect((refused as { retryAfterMs: number }).retryAfterMs).toBe(20_000);
    // Other classes have their own bucket.
    await expect(limits.admitRequest(tenantId, 'ingest')).resolves.toMatchObject({ 'ratelimit-limit': '3' });
    advance(20_000);
    await expect(limits.admitRequest(tenantId, 'query')).resolves.toMatchObject({ 'ratelimit-remaining': '0' });
  });
});

describe('tokens per minute', () => {
  it('charges the estimate at admission and reconciles to the actual usage', async () => {
    const { limits, tenantId } = await setup();
    const lease = await limits.admitAnswer(tenantId, 6_000);
    // 4,000 of 10,000 left: a second 6,000-token estimate does not fit now.
    await expect(limits.admitAnswer(tenantId, 6_000)).rejects.toMatchObject({ code: 'RATE_LIMITED', details: { kind: 'tokens' } });
    await lease.settle({ tokens: 1_500, costUsd: 0.01 });
    // The 4,500 unused tokens came back: 8,500 available, so 6,000 fits again.
    const second = await limits.admitAnswer(tenantId, 6_000);
    await second.settle({ tokens: 6_000, costUsd: 0.02 });
    expect(await limits.spentToday(tenantId)).toBe(7_500);
  });

  it('refunds the whole estimate when the answer fails', async () => {
    const { limits, tenantId } = await setup();
    const lease = await limits.admitAnswer(tenantId, 9_000);
    await lease.settle(undefined);
    const again = await limits.admitAnswer(tenantId, 9_000);
    await again.settle(undefined);
    expect(await limits.spentToday(tenantId)).toBe(0);
  });

  it('caps concurrent answers per tenant and frees the slot on settle', async () => {
    const { limits, tenantId } = await setup();
    const first = await limits.admitAnswer(tenantId, 10);
    const second = await limits.admitAnswer(tenantId, 10);
    await expect(limits.admitAnswer(tenantId, 10)).rejects.toMatchObject({ code: 'RATE_LIMITED', details: { kind: 'concurrency' } });
    await first.settle(undefined);
    const third = await limits.admitAnswer(tenantId, 10);
    await Promise.all([second.settle(undefined), third.settle(undefined)]);
  });

  it('refuses with BUDGET_EXCEEDED once the daily budget is spent', async () => {
    const { limits, tenantId } = await setup({ dailyTokenBudget: 1_000 });
    const lease = await limits.admitAnswer(tenantId, 100);
    await lease.settle({ tokens: 1_200, costUsd: 0 });
    await expect(limits.admitAnswer(tenantId, 100)).rejects.toMatchObject({ code: 'BUDGET_EXCEEDED', status: 429, details: { budget: 1_000, spent: 1_200 } });
  });
});

describe('token usage, written in batches', () => {
  it('counts usage not written yet when the daily figure is read again from the database, and writes it as one row per day', async () => {
    const { limits, tenantId } = await setup({}, { usageWriteDelayMs: 60_000 });
    expect(await limits.spentToday(tenantId)).toBe(0);
    for (const tokens of [100, 250, 650]) {
      const lease = await limits.admitAnswer(tenantId, 10);
      await lease.settle({ tokens, costUsd: 0.001 });
    }
    const rows = () => store.query<{ tokens: string | number; cost_usd: number }>(sql`SELECT tokens, cost_usd FROM tenant_usage WHERE tenant_id = ${tenantId}::uuid`);
    // Nothing written yet (the batch waits a minute here) ...
    expect(await rows()).toEqual([]);
    // ... yet once the per-second figure is stale and read from the database again, the unwritten 1,000 count.
    await new Promise((resolve) => setTimeout(resolve, 1_100));
    expect(await limits.spentToday(tenantId)).toBe(1_000);
    await limits.flushUsage();
    const written = await rows();
    expect(written).toHaveLength(1);
    expect(Number(written[0]!.tokens)).toBe(1_000);
    expect(written[0]!.cost_usd).toBeCloseTo(0.003, 9);
    await new Promise((resolve) => setTimeout(resolve, 1_100));
    expect(await limits.spentToday(tenantId)).toBe(1_000);
  });
});

describe('provider semaphore', () => {
  it('queues beyond the cap for a bounded time and then refuses', async () => {
    const semaphore = new ProviderSemaphore(1, 50, 1);
    const release = await semaphore.acquire();
    expect(release).toBeTypeOf('function');
    const waiting = semaphore.acquire();
    // The queue holds one: a third caller is refused at once.
    expect(await semaphore.acquire()).toBeUndefined();
    release?.();
    const handedOver = await waiting;
    expect(handedOver).toBeTypeOf('function');
    expect(semaphore.active).toBe(1);
    const timedOut = await semaphore.acquire();
    expect(timedOut).toBeUndefined();
    handedOver?.();
    expect(semaphore.active).toBe(0);
  });
});
