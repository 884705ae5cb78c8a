/**
 * Runs one attempt under a deadline. The operation gets a signal that fires when
 * the deadline passes or the caller aborts; the returned promise settles at that
 * moment even if the operation ignores its signal.
 *
 * - deadline passed → rejects with AppError PROVIDER_TIMEOUT (retryable)
 * - caller aborted  → rejects with the caller's `signal.reason`, unchanged
 */
import { AppError } from '../errors';

export interface TimeoutOptions {
  /** Deadline for the whole attempt, streaming included. Not finite or ≤ 0: no deadline. */
  timeoutMs: number;
  signal?: AbortSignal | undefined;
  /** Named in the timeout error (details.provider). */
  provider?: string;
}

export async function withTimeout<T>(operation: (signal: AbortSignal) => Promise<T>, options: TimeoutOptions): Promise<T> {
  const { timeoutMs, signal: parent, provider } = options;
  parent?.throwIfAborted();
  const controller = new AbortController();
  let timer: ReturnType<typeof setTimeout> | undefined;
  let onParentAbort: (() => void) | undefined;
  const guard = new Promise<never>((_resolve, reject) => {
    if (Number.isFinite(timeoutMs) && timeoutMs > 0) {
      timer = setTimeout(() => {
        const error = new AppError('PROVIDER_TIMEOUT', `${provider ?? 'provider'} call exceeded ${timeoutMs} ms`, {
          details: { ...(provider ? { provider } : {}), timeoutMs },
          retryable: true,
        });
        controller.abort(error);
        reject(error);
      }, timeoutMs);
    }
    if (parent) {
      onParentAbort = () => {
        controller.abort(parent.reason);
        reject(parent.reason);
      };
      parent.addEventListener('abort', onParentAbort, { once: true });
    }
  });
  guard.catch(() => undefined);
  const work = Promise.resolve().then(() => operation(controller.signal));
  try {
    return await Promise.race([work, guard]);
  } finally {
    clearTimeout(timer);
    if (parent && onParentAbort) parent.removeEventListener('abort', onParentAbort);
    // The losing operation still settles (usually with an abort error); nobody awaits it.
    work.catch(() => undefined);
  }
}
