import { describe, expect, it } from 'vitest';
import { AppError } from '../../../src/core/errors';
import { retry, retryDelayMs } from '../../../src/core/resilience/retry';
import { captureError } from '../../fake-providers/assertions';

const rateLimited = (retryAfterMs?: number) =>
  new AppError('PROVIDER_RATE_LIMITED', '429', retryAfterMs === undefined ? {} : { retryAfterMs });
const badRequest = () => new AppError('PROVIDER_ERROR', '400', { retryable: false });

/** An operation failing with the given errors, then returning 'ok'. */
function failing(...errors: unknown[]) {
  let calls = 0;
  const operation = async () => {
    calls += 1;
    const error = errors.shift();
    if (error !== undefined) throw error;
    return 'ok';
  };
  return { operation, calls: () => calls };
}

const recordSleeps = () => {
  const delays: number[] = [];
  return { delays, sleep: async (ms: number) => void delays.push(ms) };
};

describe('retry', () => {
  it('retries retryable AppErrors at most maxRetries times (default 2)', async () => {
    const { sleep } = recordSleeps();
    let calls = 0;
    const alwaysRateLimited = async (): Promise<string> => {
      calls += 1;
      throw rateLimited();
    };
    const error = await captureError(retry(alwaysRateLimited, { sleep }));
    expect(error).toBeInstanceOf(AppError);
    expect(calls).toBe(3);
    const once = failing(rateLimited());
    expect(await retry(once.operation, { sleep })).toBe('ok');
    expect(once.calls()).toBe(2);
  });

  it('does not retry non-retryable AppErrors nor other errors', async () => {
    const { sleep } = recordSleeps();
    for (const error of [badRequest(), new TypeError('bug'), new DOMException('stop', 'AbortError')]) {
      const subject = failing(error);
      expect(await captureError(retry(subject.operation, { sleep }))).toBe(error);
      expect(subject.calls()).toBe(1);
    }
  });

  it('waits at least Retry-After, capped at maxRetryAfterMs', async () => {
    const { delays, sleep } = recordSleeps();
    await retry(failing(rateLimited(1_000), rateLimited(1_000)).operation, { sleep, random: () => 0, maxRetryAfterMs: 1_500 });
    expect(delays).toEqual([1_000, 1_000]);
    const capped = recordSleeps();
    await retry(failing(rateLimited(60_000)).operation, { sleep: capped.sleep, random: () => 0, maxRetryAfterMs: 25 });
    expect(capped.delays).toEqual([25]);
  });

  it('uses full-jitter exponential backoff bounded by maxDelayMs', () => {
    const error = rateLimited();
    const options = { initialDelayMs: 100, maxDelayMs: 300 };
    expect(retryDelayMs(0, error, { ...options, random: () => 0.999 })).toBeCloseTo(99.9);
    expect(retryDelayMs(1, error, { ...options, random: () => 0.5 })).toBe(100);
    expect(retryDelayMs(5, error, { ...options, random: () => 1 })).toBe(300);
    expect(retryDelayMs(3, error, { ...options, random: () => 0 })).toBe(0);
    // Backoff above Retry-After wins.
    expect(retryDelayMs(2, rateLimited(10), { ...options, random: () => 1 })).toBe(300);
  });

  it('stops when aborted during the backoff, rejecting with the abort reason', async () => {
    const controller = new AbortController();
    const reason = new Error('cancelled');
    const subject = failing(rateLimited(), rateLimited());
    setTimeout(() => controller.abort(reason), 10);
    const error = await captureError(retry(subject.operation, { signal: controller.signal, initialDelayMs: 5_000, random: () => 1 }));
    expect(error).toBe(reason);
    expect(subject.calls()).toBe(1);
  });
});
