import { createHash, randomUUID } from 'node:crypto';
import { and, eq, lt } from 'drizzle-orm';
import type { Db } from '../core/db/client';
import { idempotencyKeys } from '../core/db/schema';
import { AppError } from '../core/errors';

const TTL_MS = 24 * 3600 * 1000;
/**
 * How long a pending claim lives without its process renewing it. The process renews the claims it holds every
 * HEARTBEAT_MS while their requests run (answers may take ANSWER_DEADLINE_MS, 60 s by default), so only a claim
 * whose process died lapses: the key is free again within this long (it was 5 minutes, and a retry after a
 * crash was told 409 all that time). Four missed renewals of slack for an event loop that stalls.
 */
export const PENDING_LEASE_MS = 20_000;
const HEARTBEAT_MS = 5_000;
const WAIT_FOR_FIRST_MS = 10_000;

export type IdempotencyOutcome =
  | { kind: 'new' }
  | { kind: 'replay'; statusCode: number; body: string; headers: Record<string, string> };

export function requestHash(parts: unknown[]): string {
  return createHash('sha256').update(JSON.stringify(parts)).digest('hex');
}

export interface IdempotencyStoreOptions {
  leaseMs?: number;
  heartbeatMs?: number;
  /** How long a retry waits for a first request still running before 409 IDEMPOTENCY_IN_PROGRESS. */
  waitForFirstMs?: number;
}

/**
 * Stored responses per (tenant, Idempotency-Key), kept 24 h. The first request
 * claims the key (a row in state pending, owned by this process and leased for PENDING_LEASE_MS, renewed while
 * the request runs) before doing the work; a retry gets the stored response, waits briefly for a first request
 * still running, or is told 409; the same key with another body is 422.
 */
export class IdempotencyStore {
  /** This process, as the owner of the claims it holds. */
  readonly owner = randomUUID();
  private readonly leaseMs: number;
  private readonly waitForFirstMs: number;
  private held = 0;
  private readonly heartbeat: NodeJS.Timeout;

  constructor(
    private readonly db: Db,
    options: IdempotencyStoreOptions = {},
  ) {
    this.leaseMs = options.leaseMs ?? PENDING_LEASE_MS;
    this.waitForFirstMs = options.waitForFirstMs ?? WAIT_FOR_FIRST_MS;
    this.heartbeat = setInterval(() => void this.renew(), options.heartbeatMs ?? HEARTBEAT_MS);
    this.heartbeat.unref();
  }

  /** Extends the lease of every claim this process holds (one statement, and none while it holds nothing). */
  private async renew(): Promise<void> {
    if (this.held === 0) return;
    await this.db
      .update(idempotencyKeys)
      .set({ expiresAt: new Date(Date.now() + this.leaseMs) })
      .where(and(eq(idempotencyKeys.owner, this.owner), eq(idempotencyKeys.state, 'pending')))
      .catch(() => undefined);
  }

  async begin(tenantId: string, key: string, route: string, hash: string): Promise<IdempotencyOutcome> {
    const deadline = Date.now() + this.waitForFirstMs;
    for (;;) {
      const claimed = await this.db
        .insert(idempotencyKeys)
        .values({ tenantId, key, route, requestHash: hash, state: 'pending', owner: this.owner, expiresAt: new Date(Date.now() + this.leaseMs) })
        .onConflictDoNothing()
        .returning({ key: idempotencyKeys.key });
      if (claimed.length > 0) {
        this.held++;
        return { kind: 'new' };
      }
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

  /** Only this process's own claim: one whose lease lapsed and was taken by another request is not overwritten. */
  async complete(tenantId: string, key: string, statusCode: number, body: string, headers: Record<string, string>): Promise<void> {
    this.held = Math.max(0, this.held - 1);
    await this.db
      .update(idempotencyKeys)
      .set({ state: 'done', statusCode, responseBody: body, responseHeaders: headers, owner: null, expiresAt: new Date(Date.now() + TTL_MS) })
      .where(and(eq(idempotencyKeys.tenantId, tenantId), eq(idempotencyKeys.key, key), eq(idempotencyKeys.owner, this.owner)));
  }

  /** A failure that a retry may fix (5xx, a refusal for a limit) releases the key so the retry runs again. */
  async abandon(tenantId: string, key: string): Promise<void> {
    this.held = Math.max(0, this.held - 1);
    await this.db.delete(idempotencyKeys).where(and(eq(idempotencyKeys.tenantId, tenantId), eq(idempotencyKeys.key, key), eq(idempotencyKeys.owner, this.owner)));
  }

  /** Stops renewing (the process is going away; claims still pending lapse within one lease). */
  close(): void {
    clearInterval(this.heartbeat);
  }
}
