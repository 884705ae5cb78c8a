import type { Redis } from 'ioredis';
import { RedisFailOpen } from './redis-fail-open';

/** Counts in-flight work per key; acquire fails beyond the limit. */
export interface ConcurrencyGates {
  acquire(key: string, limit: number): Promise<(() => Promise<void>) | undefined>;
}

export class InProcessConcurrencyGates implements ConcurrencyGates {
  private readonly counts = new Map<string, number>();

  async acquire(key: string, limit: number) {
    const current = this.counts.get(key) ?? 0;
    if (current >= limit) return undefined;
    this.counts.set(key, current + 1);
    let released = false;
    return async () => {
      if (released) return;
      released = true;
      const now = (this.counts.get(key) ?? 1) - 1;
      if (now <= 0) this.counts.delete(key);
      else this.counts.set(key, now);
    };
  }
}

/** A lease expires on its own if a process dies holding it, so a crash cannot lock a tenant out for good. */
const LEASE_TTL_SECONDS = 300;

/** One round trip, atomic: the count never exists without its lease expiry, even if Redis goes away mid-acquire. */
const ACQUIRE_SCRIPT = `
local count = redis.call('INCR', KEYS[1])
redis.call('EXPIRE', KEYS[1], tonumber(ARGV[2]))
if count > tonumber(ARGV[1]) then
  redis.call('DECR', KEYS[1])
  return 0
end
return 1
`;

/**
 * Gives a slot back, never below zero and never creating the key: after a restart that emptied Redis, a
 * lease taken before it must not leave a count of -1 without an expiry (one extra slot for good).
 */
const RELEASE_SCRIPT = `
local count = tonumber(redis.call('GET', KEYS[1]) or '0')
if count <= 1 then
  redis.call('DEL', KEYS[1])
  return 0
end
return redis.call('DECR', KEYS[1])
`;

export class RedisConcurrencyGates implements ConcurrencyGates {
  constructor(
    private readonly redis: Redis,
    private readonly prefix = 'attest:inflight:',
    /** Share one with the token buckets, so one outage logs once. */
    private readonly failOpen = new RedisFailOpen(),
  ) {}

  async acquire(key: string, limit: number) {
    const redisKey = `${this.prefix}${key}`;
    const noop = async () => undefined;
    const admitted = await this.failOpen.run(
      this.redis,
      'concurrency-gates',
      async () => (await this.redis.eval(ACQUIRE_SCRIPT, 1, redisKey, limit, LEASE_TTL_SECONDS)) === 1,
      // Redis unreachable: admitted, holding no slot (there is no count to give back).
      () => undefined,
    );
    if (admitted === false) return undefined;
    if (admitted === undefined) return noop;
    let released = false;
    return async () => {
      if (released) return;
      released = true;
      // Redis gone since the acquire: the lease expires on its own (LEASE_TTL_SECONDS); an answer must not fail for it.
      await this.failOpen.run(
        this.redis,
        'concurrency-gates',
        () => this.redis.eval(RELEASE_SCRIPT, 1, redisKey),
        () => 0,
        { release: true },
      );
    };
  }
}

/**
 * A process-wide cap on in-flight provider calls. Beyond it, callers wait in a
 * bounded queue for at most `maxWaitMs`, then are told to come back later.
 */
export class ProviderSemaphore {
  private inflight = 0;
  private readonly waiting: { resolve: () => void; timer: NodeJS.Timeout }[] = [];

  constructor(
    private readonly limit: number,
    private readonly maxWaitMs: number,
    private readonly maxQueue: number = limit * 4,
  ) {}

  get active(): number {
    return this.inflight;
  }

  get queued(): number {
    return this.waiting.length;
  }

  /** Resolves with a release function, or undefined when the wait ran out or the queue is full. */
  async acquire(): Promise<(() => void) | undefined> {
    if (this.inflight < this.limit) {
      this.inflight += 1;
      return this.releaser();
    }
    if (this.waiting.length >= this.maxQueue) return undefined;
    const admitted = await new Promise<boolean>((resolve) => {
      const entry = {
        resolve: () => {
          clearTimeout(entry.timer);
          resolve(true);
        },
        timer: setTimeout(() => {
          const index = this.waiting.indexOf(entry);
          if (index >= 0) this.waiting.splice(index, 1);
          resolve(false);
        }, this.maxWaitMs),
      };
      this.waiting.push(entry);
    });
    return admitted ? this.releaser() : undefined;
  }

  private releaser(): () => void {
    let released = false;
    return () => {
      if (released) return;
      released = true;
      const next = this.waiting.shift();
      // The slot passes straight to the next waiter; inflight stays the same.
      if (next) next.resolve();
      else this.inflight -= 1;
    };
  }
}
