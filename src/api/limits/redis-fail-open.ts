import { Counter } from 'prom-client';
import type { Redis } from 'ioredis';
import { isSocketErrorCode } from '../../core/socket-errors';
import type { Metrics } from '../metrics';

/**
 * Redis-backed limits fail OPEN: while Redis is unreachable a request is admitted rather than refused or
 * answered 500. Rate limits protect capacity and fairness; turning a Redis outage into a full API outage
 * (uploads included, which issue 3 requires to keep being accepted) costs more than a few minutes of
 * unenforced limits. Per-tenant daily budgets are read from PostgreSQL and still apply.
 */

/**
 * How long a limiter waits on one Redis command. A script on a healthy Redis answers in well under a
 * millisecond; this only matters when the connection looks ready but the server does not answer (a
 * half-open connection). An unreachable Redis is detected from the client's state without waiting.
 */
export const REDIS_LIMIT_TIMEOUT_MS = 500;

const MESSAGES = [
  // ioredis: a command sent on (or queued for) a connection that closed before it answered.
  /connection is closed/iu,
  /stream isn't writeable/iu,
  // ioredis: the reconnect attempts allowed per command (maxRetriesPerRequest) ran out.
  /reached the max retries per request/iu,
  // Redis itself, just restarted with persistence and still loading, or a replica promoted mid-failover.
  /^LOADING\b/u,
  /^READONLY\b/u,
  /^MASTERDOWN\b/u,
  /^TRYAGAIN\b/u,
];

/** An ioredis error that means Redis cannot be reached now (retry later), as opposed to a bug in a command. */
export function isRedisUnavailable(error: unknown): boolean {
  let current: unknown = error;
  for (let depth = 0; depth < 5 && current instanceof Error; depth += 1) {
    if (current.name === 'MaxRetriesPerRequestError' || current instanceof RedisLimitTimeout) return true;
    if (isSocketErrorCode((current as { code?: unknown }).code)) return true;
    const message = current.message;
    if (MESSAGES.some((pattern) => pattern.test(message))) return true;
    current = (current as { cause?: unknown }).cause ?? (current as { lastNodeError?: unknown }).lastNodeError;
  }
  return false;
}

export class RedisLimitTimeout extends Error {
  constructor(ms: number) {
    super(`Redis did not answer a limit command in ${ms} ms`);
    this.name = 'RedisLimitTimeout';
  }
}

export type LimiterName = 'token-buckets' | 'concurrency-gates';

export interface FailOpenLog {
  warn(fields: Record<string, unknown>, message: string): void;
  info(fields: Record<string, unknown>, message: string): void;
}

/** Without an app logger (the limiters are built before the app), one JSON line on stderr, as pino writes. */
const stderrLog: FailOpenLog = {
  warn: (fields, message) => console.warn(JSON.stringify({ level: 40, time: Date.now(), ...fields, msg: message })),
  info: (fields, message) => console.warn(JSON.stringify({ level: 30, time: Date.now(), ...fields, msg: message })),
};

/**
 * ioredis states in which a command is sent at once ('wait': lazyConnect, not connected yet; the command
 * connects). Any other state fails open without sending: 'reconnecting' would queue the command until the
 * next attempt, and 'connecting' can last the whole connect timeout against an unreachable host. The cost is
 * that the few milliseconds of a (re)connect handshake are not limited either.
 */
const SENDABLE = new Set(['ready', 'wait']);

/**
 * Runs limiter commands against Redis and admits on an outage. One instance is shared by the token buckets
 * and the concurrency gates of a process, so an outage window logs one warning (when it starts) and one
 * line when Redis answers again, however many requests it admitted in between; every admission without
 * Redis is counted in attest_limits_fail_open_total{limiter} when a Metrics handle is given.
 */
export class RedisFailOpen {
  private outage: { since: number; admitted: number } | undefined;
  private readonly counter: Counter<'limiter'> | undefined;
  private readonly log: FailOpenLog;
  private readonly timeoutMs: number;

  constructor(options: { metrics?: Pick<Metrics, 'registry'>; log?: FailOpenLog; timeoutMs?: number } = {}) {
    this.log = options.log ?? stderrLog;
    this.timeoutMs = options.timeoutMs ?? REDIS_LIMIT_TIMEOUT_MS;
    this.counter = options.metrics
      ? new Counter({
          name: 'attest_limits_fail_open_total',
          help: 'Requests admitted without their Redis rate or concurrency limit because Redis was unreachable',
          labelNames: ['limiter'] as const,
          registers: [options.metrics.registry],
        })
      : undefined;
  }

  /** True while the last limiter command found Redis unreachable. */
  get open(): boolean {
    return this.outage !== undefined;
  }

  /**
   * `command` against `redis`, or `admit()` when Redis is unreachable: not connected (no wait for the
   * reconnect: ioredis would queue the command until then), a connection error, or no answer in time.
   * Any other error (a bug in a command) is thrown.
   */
  async run<T>(redis: Redis, limiter: LimiterName, command: () => Promise<T>, admit: () => T, options: { release?: boolean } = {}): Promise<T> {
    // A release that cannot reach Redis admits no one: it is neither counted nor a new outage to report.
    const admitted = options.release ? () => admit() : (reason: string) => this.admitted(limiter, reason, admit);
    if (!SENDABLE.has(redis.status)) return admitted(`redis ${redis.status}`);
    let timer: NodeJS.Timeout | undefined;
    const pending = command();
    // The command may still settle after the timeout; nobody awaits it then.
    pending.catch(() => undefined);
    try {
      const result = await Promise.race([
        pending,
        new Promise<never>((_resolve, reject) => {
          timer = setTimeout(() => reject(new RedisLimitTimeout(this.timeoutMs)), this.timeoutMs);
        }),
      ]);
      this.recovered();
      return result;
    } catch (error) {
      if (!isRedisUnavailable(error)) throw error;
      // Error names and codes only: an ioredis message can carry the host, never needed to act on this.
      const reason = error instanceof Error ? ((error as { code?: string }).code ?? error.name) : 'unknown';
      return admitted(reason);
    } finally {
      clearTimeout(timer);
    }
  }

  private admitted<T>(limiter: LimiterName, reason: string, admit: () => T): T {
    this.counter?.inc({ limiter });
    if (this.outage) {
      this.outage.admitted += 1;
    } else {
      this.outage = { since: Date.now(), admitted: 1 };
      this.log.warn({ limiter, reason }, 'Redis unreachable: rate and concurrency limits are not enforced (requests admitted) until it answers again');
    }
    return admit();
  }

  private recovered(): void {
    if (!this.outage) return;
    const { since, admitted } = this.outage;
    this.outage = undefined;
    this.log.info({ outageMs: Date.now() - since, admitted }, 'Redis answers again: rate and concurrency limits enforced');
  }
}
