import { describe, expect, it } from 'vitest';
import { withTimeout } from '../../../src/core/resilience/with-timeout';
import { captureError, expectAppError } from '../../fake-providers/assertions';

const never = (signal: AbortSignal) =>
  new Promise<never>((_resolve, reject) => signal.addEventListener('abort', () => reject(new Error('aborted inside'))));

describe('withTimeout', () => {
  it('returns the result when in time', async () => {
    expect(await withTimeout(async () => 'done', { timeoutMs: 1_000 })).toBe('done');
  });

  it('rejects with PROVIDER_TIMEOUT at the deadline and aborts the operation', async () => {
    let seen: AbortSignal | undefined;
    const error = await expectAppError(
      withTimeout((signal) => {
        seen = signal;
        return never(signal);
      }, { timeoutMs: 20, provider: 'openai' }),
      'PROVIDER_TIMEOUT',
    );
    expect(error.isRetryable).toBe(true);
    expect(error.details).toMatchObject({ provider: 'openai', timeoutMs: 20 });
    expect(seen?.aborted).toBe(true);
  });

  it('settles on time even when the operation ignores its signal', async () => {
    const started = Date.now();
    await expectAppError(withTimeout(() => new Promise(() => undefined), { timeoutMs: 20 }), 'PROVIDER_TIMEOUT');
    expect(Date.now() - started).toBeLessThan(500);
  });

  it('rejects with the caller’s abort reason, unchanged', async () => {
    const controller = new AbortController();
    const reason = new Error('user left');
    setTimeout(() => controller.abort(reason), 10);
    expect(await captureError(withTimeout(never, { timeoutMs: 1_000, signal: controller.signal }))).toBe(reason);
    const aborted = new AbortController();
    aborted.abort(reason);
    expect(await captureError(withTimeout(async () => 'never runs', { timeoutMs: 1_000, signal: aborted.signal }))).toBe(reason);
  });

  it('has no deadline for a non-finite timeout', async () => {
    expect(await withTimeout(async () => 1, { timeoutMs: Number.POSITIVE_INFINITY })).toBe(1);
  });
});
