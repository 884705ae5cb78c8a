/**
 * One provider call under the full policy, outermost first:
 * retry → circuit breaker → timeout → the call.
 *
 * Each attempt passes the breaker (so it counts every provider call, and an open
 * circuit stops the remaining retries at once) and gets its own deadline. One
 * logical call therefore makes at most 1 + maxRetries provider calls, and none
 * while the circuit is open. When the circuit opens part-way through a logical
 * call, the caller gets the provider's last error rather than CIRCUIT_OPEN.
 */
import { isAppError } from '../errors';
import type { CircuitBreaker } from './circuit-breaker';
import { retry, type RetryOptions } from './retry';
import { withTimeout } from './with-timeout';

export type RetryPolicy = Omit<RetryOptions, 'signal'>;

export interface ResiliencePolicy {
  breaker?: CircuitBreaker;
  /** Deadline per attempt (streaming included). Not finite or ≤ 0: none beyond the adapter's own. */
  timeoutMs?: number;
  retry?: RetryPolicy;
}

export async function callWithPolicy<T>(
  policy: ResiliencePolicy,
  options: { signal?: AbortSignal | undefined; provider: string },
  operation: (signal: AbortSignal | undefined) => Promise<T>,
): Promise<T> {
  const { signal, provider } = options;
  const { breaker, timeoutMs } = policy;
  const providerErrors: unknown[] = [];
  const attempt = async (): Promise<T> => {
    try {
      return timeoutMs !== undefined && Number.isFinite(timeoutMs) && timeoutMs > 0
        ? await withTimeout((attemptSignal) => operation(attemptSignal), { timeoutMs, signal, provider })
        : await operation(signal);
    } catch (error) {
      providerErrors.push(error);
      throw error;
    }
  };
  try {
    return await retry(() => (breaker ? breaker.execute(attempt) : attempt()), { ...policy.retry, signal });
  } catch (error) {
    const rejectedByBreaker = isAppError(error) && error.code === 'CIRCUIT_OPEN' && !providerErrors.includes(error);
    throw rejectedByBreaker && providerErrors.length > 0 ? providerErrors.at(-1) : error;
  }
}
