import { createHash } from 'node:crypto';
import { and, eq, lt } from 'drizzle-orm';
import type { Db } from '../core/db/client';
import { idempotencyKeys } from '../core/db/schema';
import { AppError } from '../core/errors';

const TTL_MS = 24 * 3600 * 1000;
/**
 * A claim still pending after this long belongs to a request that died with its process (a finished request
 * completes or abandons it): the key is free again. Longer than any request runs (answers are cut at
 * ANSWER_DEADLINE_MS, 60 s by default); without it, a crash left the key answering 409 for 24 h.
 */
export const PENDING_LEASE_MS = 5 * 60 * 1000;
const WAIT_FOR_FIRST_MS = 10_000;

export type IdempotencyOutcome =
  | { kind: 'new' }
  | { kind: 'replay'; statusCode: number; body: string; headers: Record<string, string> };

export function requestHash(parts: unknown[]): string {
  return createHash('sha256').update(JSON.stringify(parts)).digest('hex');
}

/**
 * Stored responses per (tenant, Idempotency-Key), kept 24 h. The first request
 * claims the key (a row in state pending, leased for PENDING_LEASE_MS) before doing the work; a retry gets
 * the stored response, waits briefly for a first request still running, or is
 * told 409; the same key with another body is 422.
 */
export class IdempotencyStore {
  constructor(private readonly db: Db) {}

  async begin(tenantId: string, key: string, route: string, hash: string): Promise<IdempotencyOutcome> {
    const deadline = Date.now() + WAIT_FOR_FIRST_MS;
    for (;;) {
      const claimed = await this.db
        .insert(idempotencyKeys)
        .values({ tenantId, key, route, requestHash: hash, state: 'pending', expiresAt: new Date(Date.now() + PENDING_LEASE_MS) })
        .onConflictDoNothing()
        .returning({ key: idempotencyKeys.key });
      if (claimed.length > 0) return { kind: 'new' };
      const [row] = await this.db
        .select()
        .from(idempotencyKeys)
        .where(and(eq(idempotencyKeys.tenantId, tenantId), eq(idempotencyKeys.key, key)));
      if (!row) continue;
      if (row.expiresAt.getTime() < Date.now()) {
        await this.db.delete(idempotencyKeys).where(and(eq(idempotencyKeys.tenantId, tenantId), eq(idempotencyKeys.key, key), lt(idempotencyKeys.expiresAt, new Date())));
        continue;
      }
      if (row.route !== route || row.requestHash !== hash) {
        throw new AppError('IDEMPOTENCY_KEY_REUSED', 'this Idempotency-Key was used with a different request', { details: { key } });
      }
      if (row.state === 'done' && row.statusCode !== null) {
        return { kind: 'replay', statusCode: row.statusCode, body: row.responseBody ?? '', headers: row.responseHeaders ?? {} };
      }
      if (Date.now() >= deadline) {
        throw new AppError('IDEMPOTENCY_IN_PROGRESS', 'a request with this Idempotency-Key is still running; retry later', { retryAfterMs: 1_000, details: { key } });
      }
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }

  async complete(tenantId: string, key: string, statusCode: number, body: string, headers: Record<string, string>): Promise<void> {
    await this.db
      .update(idempotencyKeys)
      .set({ state: 'done', statusCode, responseBody: body, responseHeaders: headers, expiresAt: new Date(Date.now() + TTL_MS) })
      .where(and(eq(idempotencyKeys.tenantId, tenantId), eq(idempotencyKeys.key, key)));
  }

  /** A failure that a retry may fix (5xx) releases the key so the retry runs again. */
  async abandon(tenantId: string, key: string): Promise<void> {
    await this.db.delete(idempotencyKeys).where(and(eq(idempotencyKeys.tenantId, tenantId), eq(idempotencyKeys.key, key)));
  }
}
