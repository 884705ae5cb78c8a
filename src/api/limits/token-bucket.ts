import type { Redis } from 'ioredis';
import { RedisFailOpen } from './redis-fail-open';

/**
 * Token buckets: `capacity` tokens (the burst), refilled continuously at
 * `refillPerSecond`. A take of `cost` succeeds when that many are there.
 */
export interface BucketSpec {
  capacity: number;
  refillPerSecond: number;
}

export interface TakeResult {
  allowed: boolean;
  /** Tokens left after this take (or now, when refused). */
  remaining: number;
  /** Milliseconds until `cost` tokens would be available (0 when allowed). */
  retryAfterMs: number;
  /** Milliseconds until the bucket is full again. */
  resetMs: number;
}

export interface TokenBuckets {
  /** Takes `cost` tokens; a negative cost refunds (reconciliation), never above capacity. */
  take(key: string, spec: BucketSpec, cost: number): Promise<TakeResult>;
}

/** The refill arithmetic, shared by the in-process buckets and mirrored in the Redis script. */
export function refill(state: { tokens: number; updatedMs: number }, spec: BucketSpec, nowMs: number): number {
  const elapsed = Math.max(0, nowMs - state.updatedMs) / 1000;
  return Math.min(spec.capacity, state.tokens + elapsed * spec.refillPerSecond);
}

export function decide(available: number, spec: BucketSpec, cost: number): TakeResult & { tokens: number } {
  const allowed = cost <= 0 || available >= cost;
  const tokens = allowed ? Math.min(spec.capacity, available - cost) : available;
  const missing = allowed ? 0 : cost - available;
  return {
    allowed,
    tokens,
    remaining: Math.max(0, Math.floor(tokens)),
    retryAfterMs: allowed ? 0 : Math.ceil((missing / spec.refillPerSecond) * 1000),
    resetMs: Math.ceil(((spec.capacity - tokens) / spec.refillPerSecond) * 1000),
  };
}

export class InProcessTokenBuckets implements TokenBuckets {
  private readonly state = new Map<string, { tokens: number; updatedMs: number }>();

  constructor(private readonly now: () => number = Date.now) {}

  async take(key: string, spec: BucketSpec, cost: number): Promise<TakeResult> {
    const nowMs = this.now();
    const current = this.state.get(key) ?? { tokens: spec.capacity, updatedMs: nowMs };
    const result = decide(refill(current, spec, nowMs), spec, cost);
    this.state.set(key, { tokens: result.tokens, updatedMs: nowMs });
    return result;
  }
}

/** Atomic in Redis: one script reads, refills, decides and writes, so several API processes share one bucket. */
const TAKE_SCRIPT = `
local capacity = tonumber(ARGV[1])
local rate = tonumber(ARGV[2])
local cost = tonumber(ARGV[3])
local clock = redis.call('TIME')
local now = tonumber(clock[1]) * 1000 + math.floor(tonumber(clock[2]) / 1000)
local state = redis.call('HMGET', KEYS[1], 'tokens', 'updated')
local tokens = tonumber(state[1]) or capacity
local updated = tonumber(state[2]) or now
tokens = math.min(capacity, tokens + math.max(0, now - updated) / 1000 * rate)
local allowed = 0
if cost <= 0 or tokens >= cost then
  allowed = 1
  tokens = math.min(capacity, tokens - cost)
end
redis.call('HSET', KEYS[1], 'tokens', tostring(tokens), 'updated', tostring(now))
redis.call('PEXPIRE', KEYS[1], math.ceil(capacity / rate * 1000) + 60000)
return {allowed, tostring(tokens)}
`;

export class RedisTokenBuckets implements TokenBuckets {
  constructor(
    private readonly redis: Redis,
    private readonly prefix = 'attest:rl:',
    /** Share one with the concurrency gates, so one outage logs once. */
    private readonly failOpen = new RedisFailOpen(),
  ) {}

  async take(key: string, spec: BucketSpec, cost: number): Promise<TakeResult> {
    return this.failOpen.run(
      this.redis,
      'token-buckets',
      async () => {
        const [allowed, tokensText] = (await this.redis.eval(TAKE_SCRIPT, 1, `${this.prefix}${key}`, spec.capacity, spec.refillPerSecond, cost)) as [number, string];
        const tokens = Number(tokensText);
        const missing = allowed === 1 ? 0 : cost - tokens;
        return {
          allowed: allowed === 1,
          remaining: Math.max(0, Math.floor(tokens)),
          retryAfterMs: allowed === 1 ? 0 : Math.ceil((missing / spec.refillPerSecond) * 1000),
          resetMs: Math.ceil(((spec.capacity - tokens) / spec.refillPerSecond) * 1000),
        };
      },
      // Redis unreachable: admitted, reported as a full bucket (the headers cannot say more).
      () => ({ allowed: true, remaining: Math.max(0, Math.floor(spec.capacity - Math.max(0, cost))), retryAfterMs: 0, resetMs: 0 }),
    );
  }
}
