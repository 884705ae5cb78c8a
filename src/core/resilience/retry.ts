/**
 * Retries an operation at most `maxRetries` times (so at most 1 + maxRetries calls),
 * with full-jitter exponential backoff. It decides only from AppError.isRetryable
 * and AppError.retryAfterMs: anything else (including aborts) is rethrown at once.
 * A Retry-After is honoured (the wait is at least that long), capped at maxRetryAfterMs.
 */
import { AppError, isAppError } from '../errors';

export interface RetryOptions {
  /** Default 2. */
  maxRetries?: number;
  /** Backoff cap for attempt n is min(maxDelayMs, initialDelayMs × 2^n). Default 200. */
  initialDelayMs?: number;
  /** Default 5 000. */
  maxDelayMs?: number;
  /** Longest Retry-After honoured; longer ones wait this long. Default 30 000. */
  maxRetryAfterMs?: number;
  signal?: AbortSignal | undefined;
  /** Injectable for tests. Default Math.random. */
  random?: () => number;
  /** Injectable for tests. Default: an abortable setTimeout. */
  sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
  onRetry?: (event: { attempt: number; delayMs: number; error: AppError }) => void;
}

export function abortableSleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) {
      reject(signal.reason);
      return;
    }
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal?.reason);
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

/** The wait before retry number `attempt + 1` (attempt counts from 0). */
export function retryDelayMs(attempt: number, error: AppError, options: RetryOptions = {}): number {
  const initialDelayMs = options.initialDelayMs ?? 200;
  const maxDelayMs = options.maxDelayMs ?? 5_000;
  const maxRetryAfterMs = options.maxRetryAfterMs ?? 30_000;
  const random = options.random ?? Math.random;
  const backoff = random() * Math.min(maxDelayMs, initialDelayMs * 2 ** attempt);
  const retryAfter = error.retryAfterMs === undefined ? 0 : Math.min(error.retryAfterMs, maxRetryAfterMs);
  return Math.max(backoff, retryAfter);
}

export async function retry<T>(operation: (attempt: number) => Promise<T>, options: RetryOptions = {}): Promise<T> {
  const maxRetries = options.maxRetries ?? 2;
  const sleep = options.sleep ?? abortableSleep;
  const { signal } = options;
  for (let attempt = 0; ; attempt += 1) {
    signal?.throwIfAborted();
    try {
      return await operation(attempt);
    } catch (error) {
      if (signal?.aborted) throw error;
      if (!isAppError(error) || !error.isRetryable || attempt >= maxRetries) throw error;
      const delayMs = retryDelayMs(attempt, error, options);
      options.onRetry?.({ attempt, delayMs, error });
      await sleep(delayMs, signal);
    }
  }
}
