import { and, eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { IdempotencyStore, PENDING_LEASE_MS, requestHash } from '../../../src/api/idempotency';
import type { Store } from '../../../src/core/db/client';
import { idempotencyKeys } from '../../../src/core/db/schema';
import { ensureTenant } from '../../../src/core/tenancy';
import { memoryStore } from '../../helpers/stores';

describe('Idempotency-Key claims', () => {
  let store: Store;
  let tenantId: string;
  beforeAll(async () => {
    store = await memoryStore();
    tenantId = (await ensureTenant(store.db, 'idempotency')).id;
  });
  afterAll(async () => store?.close());

  const expiresAt = async (key: string) =>
    (await store.db.select().from(idempotencyKeys).where(and(eq(idempotencyKeys.tenantId, tenantId), eq(idempotencyKeys.key, key))))[0]?.expiresAt.getTime();

  it('a pending claim is leased, not held for a day: once the lease is over (its request died) the key is claimed again', async () => {
    const idempotency = new IdempotencyStore(store.db);
    const hash = requestHash(['POST', '/v1/corpora', { name: 'kb' }]);
    const before = Date.now();
    expect(await idempotency.begin(tenantId, 'crashed-request', 'POST /v1/corpora', hash)).toEqual({ kind: 'new' });
    const lease = (await expiresAt('crashed-request'))! - before;
    expect(lease).toBeGreaterThanOrEqual(PENDING_LEASE_MS - 1_000);
    expect(lease).toBeLessThanOrEqual(PENDING_LEASE_MS + 1_000);

    // The process that claimed it died: nothing completes or abandons the claim. After the lease, a retry runs.
    await store.query(sql`UPDATE idempotency_keys SET expires_at = now() - interval '1 second' WHERE key = 'crashed-request'`);
    const started = Date.now();
    expect(await idempotency.begin(tenantId, 'crashed-request', 'POST /v1/corpora', hash)).toEqual({ kind: 'new' });
    expect(Date.now() - started).toBeLessThan(2_000);
  });

  it('a claim lives while its process does and is free within one lease once that process is gone (it blocked the key for 5 minutes)', async () => {
    const hash = requestHash(['POST', '/v1/corpora', { name: 'kb3' }]);
    const holder = new IdempotencyStore(store.db, { leaseMs: 600, heartbeatMs: 100 });
    const retrier = new IdempotencyStore(store.db, { waitForFirstMs: 200 });
    try {
      expect(await holder.begin(tenantId, 'in-flight', 'POST /v1/corpora', hash)).toEqual({ kind: 'new' });
      // The request runs for three leases: its process renews the claim, so a retry is still told to wait.
      await new Promise((resolve) => setTimeout(resolve, 1_800));
      await expect(retrier.begin(tenantId, 'in-flight', 'POST /v1/corpora', hash)).rejects.toMatchObject({ code: 'IDEMPOTENCY_IN_PROGRESS' });
      // The process dies (its heartbeat stops; nothing completes or abandons the claim).
      holder.close();
      const died = Date.now();
      let outcome;
      for (;;) {
        outcome = await retrier.begin(tenantId, 'in-flight', 'POST /v1/corpora', hash).catch((error: { code?: string }) => error.code);
        if (outcome !== 'IDEMPOTENCY_IN_PROGRESS' || Date.now() - died > 5_000) break;
      }
      expect(outcome).toEqual({ kind: 'new' });
      expect(Date.now() - died).toBeLessThan(1_500);
      // The dead process's late completion does not overwrite the retry's claim.
      await holder.complete(tenantId, 'in-flight', 201, '{"stale":true}', {});
      const [row] = await store.db.select().from(idempotencyKeys).where(and(eq(idempotencyKeys.tenantId, tenantId), eq(idempotencyKeys.key, 'in-flight')));
      expect(row).toMatchObject({ state: 'pending', owner: retrier.owner });
    } finally {
      holder.close();
      retrier.close();
    }
  });

  it('a completed response is kept for the full day whatever its lease was', async () => {
    const idempotency = new IdempotencyStore(store.db);
    const hash = requestHash(['POST', '/v1/corpora', { name: 'kb2' }]);
    await idempotency.begin(tenantId, 'finished-request', 'POST /v1/corpora', hash);
    await idempotency.complete(tenantId, 'finished-request', 201, '{"ok":true}', {});
    expect((await expiresAt('finished-request'))! - Date.now()).toBeGreaterThan(23 * 3600 * 1000);
    expect(await idempotency.begin(tenantId, 'finished-request', 'POST /v1/corpora', hash)).toMatchObject({ kind: 'replay', statusCode: 201 });
  });
});
