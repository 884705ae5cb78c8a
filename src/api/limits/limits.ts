import { and, eq, sql } from 'drizzle-orm';
import type { Config } from '../../core/config';
import type { Db } from '../../core/db/client';
import { tenants, tenantUsage } from '../../core/db/schema';
import { AppError } from '../../core/errors';
import { WriteBatcher } from '../../core/write-batcher';
import type { ConcurrencyGates } from './concurrency';
import type { TakeResult, TokenBuckets } from './token-bucket';

export type RateClass = 'ingest' | 'query' | 'admin';

export interface TenantLimits {
  requestsPerMinute: Record<RateClass, number>;
  tokensPerMinute: number;
  maxConcurrentAnswers: number;
  dailyTokenBudget: number;
}

export function defaultLimits(config: Config): TenantLimits {
  return {
    requestsPerMinute: { ingest: config.RATE_LIMIT_INGEST_PER_MINUTE, query: config.RATE_LIMIT_QUERY_PER_MINUTE, admin: config.RATE_LIMIT_ADMIN_PER_MINUTE },
    tokensPerMinute: config.TOKENS_PER_MINUTE,
    maxConcurrentAnswers: config.MAX_CONCURRENT_ANSWERS,
    dailyTokenBudget: config.DAILY_TOKEN_BUDGET,
  };
}

/** Overrides stored on the tenant use the config variable names. */
export function mergeLimits(base: TenantLimits, overrides: Record<string, number>): TenantLimits {
  return {
    requestsPerMinute: {
      ingest: overrides.RATE_LIMIT_INGEST_PER_MINUTE ?? base.requestsPerMinute.ingest,
      query: overrides.RATE_LIMIT_QUERY_PER_MINUTE ?? base.requestsPerMinute.query,
      admin: overrides.RATE_LIMIT_ADMIN_PER_MINUTE ?? base.requestsPerMinute.admin,
    },
    tokensPerMinute: overrides.TOKENS_PER_MINUTE ?? base.tokensPerMinute,
    maxConcurrentAnswers: overrides.MAX_CONCURRENT_ANSWERS ?? base.maxConcurrentAnswers,
    dailyTokenBudget: overrides.DAILY_TOKEN_BUDGET ?? base.dailyTokenBudget,
  };
}

export interface RateHeaders extends Record<string, string> {
  'ratelimit-limit': string;
  'ratelimit-remaining': string;
  'ratelimit-reset': string;
}

function headers(limit: number, result: TakeResult): RateHeaders {
  return {
    'ratelimit-limit': String(limit),
    'ratelimit-remaining': String(result.remaining),
    'ratelimit-reset': String(Math.ceil(result.resetMs / 1000)),
  };
}

export interface AnswerLease {
  /** Reconciles the admission estimate with the actual usage, and frees the concurrency slot. */
  settle(actual: { tokens: number; costUsd: number } | undefined): Promise<void>;
}

const utcDay = (date: Date = new Date()) => date.toISOString().slice(0, 10);
const SPENT_REFRESH_MS = 1_000;

interface UsageRecord {
  tenantId: string;
  day: string;
  tokens: number;
  costUsd: number;
}

/** One upsert for a batch of usage records, summed per (tenant, day) first: an upsert may touch a row only once. */
async function writeUsage(db: Db, records: UsageRecord[]): Promise<void> {
  const totals = new Map<string, UsageRecord>();
  for (const record of records) {
    const key = `${record.tenantId}:${record.day}`;
    const total = totals.get(key);
    if (total) {
      total.tokens += record.tokens;
      total.costUsd += record.costUsd;
    } else {
      totals.set(key, { ...record });
    }
  }
  await db
    .insert(tenantUsage)
    .values([...totals.values()])
    .onConflictDoUpdate({
      target: [tenantUsage.tenantId, tenantUsage.day],
      set: { tokens: sql`${tenantUsage.tokens} + excluded.tokens`, costUsd: sql`${tenantUsage.costUsd} + excluded.cost_usd` },
    });
}

export interface LimitsDeps {
  db: Db;
  buckets: TokenBuckets;
  gates: ConcurrencyGates;
  defaults: TenantLimits;
  /** How long a usage record waits for others to share its upsert (default 50 ms). */
  usageWriteDelayMs?: number;
  /** A usage write failed; `dropped` records were given up (kept for a retry while the store is down). */
  onUsageWriteError?: (error: unknown, dropped: number) => void;
}

/** Per-tenant admission: requests per minute, tokens per minute, concurrent answers, daily token budget. */
export class Limits {
  private readonly cache = new Map<string, { limits: TenantLimits; at: number }>();
  private readonly spent = new Map<string, { day: string; tokens: number; at: number }>();
  /** Token usage, written in batches off the answer's path (see WriteBatcher). */
  private readonly usage: WriteBatcher<UsageRecord>;

  constructor(private readonly deps: LimitsDeps) {
    this.usage = new WriteBatcher<UsageRecord>({
      write: (records) => writeUsage(deps.db, records),
      delayMs: deps.usageWriteDelayMs ?? 50,
      maxBatch: 500,
      maxPending: 100_000,
      retryDelayMs: 1_000,
      ...(deps.onUsageWriteError ? { onError: deps.onUsageWriteError } : {}),
    });
  }

  /** Writes the usage recorded so far (before the store closes; tests). */
  flushUsage(): Promise<void> {
    return this.usage.flush();
  }

  async limitsFor(tenantId: string): Promise<TenantLimits> {
    const cached = this.cache.get(tenantId);
    // Overrides change rarely; a few seconds of staleness saves a query per request.
    if (cached && Date.now() - cached.at < 5_000) return cached.limits;
    const [row] = await this.deps.db.select({ limits: tenants.limits }).from(tenants).where(eq(tenants.id, tenantId));
    const limits = mergeLimits(this.deps.defaults, row?.limits ?? {});
    this.cache.set(tenantId, { limits, at: Date.now() });
    return limits;
  }

  /** One request of a route class; throws RATE_LIMITED with Retry-After, returns the RateLimit-* headers. */
  async admitRequest(tenantId: string, rateClass: RateClass): Promise<RateHeaders> {
    const perMinute = (await this.limitsFor(tenantId)).requestsPerMinute[rateClass];
    const result = await this.deps.buckets.take(`req:${rateClass}:${tenantId}`, { capacity: perMinute, refillPerSecond: perMinute / 60 }, 1);
    const rateHeaders = headers(perMinute, result);
    if (!result.allowed) {
      throw new AppError('RATE_LIMITED', `rate limit of ${perMinute} ${rateClass} requests per minute reached`, {
        retryAfterMs: result.retryAfterMs,
        details: { class: rateClass, limit: perMinute, retryAfterSeconds: Math.ceil(result.retryAfterMs / 1000), headers: rateHeaders },
      });
    }
    return rateHeaders;
  }

  /**
   * Tokens the tenant spent today. Read from the database at most once a second
   * per tenant (other processes' spending shows up within that), plus what this
   * process has recorded since: a request does not pay a query for a check that
   * is approximate under concurrency anyway.
   */
  async spentToday(tenantId: string): Promise<number> {
    const day = utcDay();
    const cached = this.spent.get(tenantId);
    if (cached && cached.day === day && Date.now() - cached.at < SPENT_REFRESH_MS) return cached.tokens;
    const [row] = await this.deps.db
      .select({ tokens: tenantUsage.tokens })
      .from(tenantUsage)
      .where(and(eq(tenantUsage.tenantId, tenantId), eq(tenantUsage.day, day)));
    // Plus what this process recorded that is not written yet.
    const unwritten = this.usage.items().reduce((sum, record) => (record.tenantId === tenantId && record.day === day ? sum + record.tokens : sum), 0);
    const tokens = Number(row?.tokens ?? 0) + unwritten;
    this.spent.set(tenantId, { day, tokens, at: Date.now() });
    return tokens;
  }

  /**
   * Admits an answer: daily budget, a concurrency slot, and the estimated tokens
   * charged to the tokens-per-minute bucket now; `settle` charges or refunds
   * the difference once the real usage is known.
   */
  async admitAnswer(tenantId: string, estimatedTokens: number): Promise<AnswerLease> {
    const limits = await this.limitsFor(tenantId);
    const spent = await this.spentToday(tenantId);
    if (spent >= limits.dailyTokenBudget) {
      const now = new Date();
      const midnight = Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate() + 1);
      throw new AppError('BUDGET_EXCEEDED', `daily token budget of ${limits.dailyTokenBudget} is spent (${spent} used today)`, {
        retryAfterMs: midnight - now.getTime(),
        details: { budget: limits.dailyTokenBudget, spent },
      });
    }
    const bucket = { capacity: limits.tokensPerMinute, refillPerSecond: limits.tokensPerMinute / 60 };
    const charge = Math.min(estimatedTokens, limits.tokensPerMinute);
    // The slot and the tokens at once (two Redis round trips in parallel, not in a row); whichever was granted
    // is given back when the other is refused.
    const [release, taken] = await Promise.all([
      this.deps.gates.acquire(`answers:${tenantId}`, limits.maxConcurrentAnswers),
      this.deps.buckets.take(`tpm:${tenantId}`, bucket, charge),
    ]);
    if (!release) {
      if (taken.allowed) await this.deps.buckets.take(`tpm:${tenantId}`, bucket, -charge);
      throw new AppError('RATE_LIMITED', `at most ${limits.maxConcurrentAnswers} answers may run at once`, { retryAfterMs: 1_000, details: { limit: limits.maxConcurrentAnswers, kind: 'concurrency' } });
    }
    if (!taken.allowed) {
      await release();
      throw new AppError('RATE_LIMITED', `tokens-per-minute limit of ${limits.tokensPerMinute} reached`, {
        retryAfterMs: taken.retryAfterMs,
        details: { limit: limits.tokensPerMinute, kind: 'tokens', estimate: charge },
      });
    }
    let settled = false;
    return {
      settle: async (actual) => {
        if (settled) return;
        settled = true;
        // Independent writes, in parallel; the slot is given back whatever happens to the others.
        const difference = actual ? actual.tokens - charge : -charge;
        if (actual) this.record(tenantId, actual.tokens, actual.costUsd);
        const results = await Promise.allSettled([
          difference !== 0 ? this.deps.buckets.take(`tpm:${tenantId}`, bucket, difference) : undefined,
          release(),
        ]);
        const failed = results.find((result): result is PromiseRejectedResult => result.status === 'rejected');
        if (failed) throw failed.reason;
      },
    };
  }

  /** Counts spent tokens now; the row is written with the next batch. */
  record(tenantId: string, tokens: number, costUsd: number): void {
    if (tokens <= 0 && costUsd <= 0) return;
    const day = utcDay();
    const cached = this.spent.get(tenantId);
    if (cached && cached.day === day) cached.tokens += tokens;
    this.usage.add({ tenantId, day, tokens, costUsd });
  }
}
