import { MessageChannel } from 'node:worker_threads';
import { AppError } from '../../src/core/errors';
import { PdfWorkerPool } from './pdf-worker-pool';

/** The Office/EPUB/CSV/email/TIFF worker pool (office-worker.mjs), pooled like the PDF workers. */
export const officeWorkers = new PdfWorkerPool(new URL('./office-worker.mjs', import.meta.url));

export interface WorkerFailure {
  /** The worker's own code: ZIP_TOO_LARGE, ZIP_CORRUPT, ZIP_ENCRYPTED, TOO_MANY_ROWS, IMAGE_TOO_LARGE, CORRUPT. */
  code: string;
  message: string;
}

export interface WorkerCallOptions {
  timeoutMs: number;
  maxMemoryMb: number;
  signal?: AbortSignal | undefined;
}

export type WorkerOutcome<T> = { ok: true; result: T } | { ok: false; failure: WorkerFailure };

/**
 * One job for one worker, under a time limit and the worker's heap limit. A worker that hits a limit, crashes
 * or is aborted is stopped and never reused; one that answered (result or reported failure) takes the next job.
 */
export function callWorker<T>(pool: PdfWorkerPool, job: Record<string, unknown> & { bytes: Uint8Array }, options: WorkerCallOptions): Promise<WorkerOutcome<T>> {
  const { signal } = options;
  if (signal?.aborted) return Promise.reject(signal.reason);
  const copy = job.bytes.slice();
  const channel = new MessageChannel();
  const lease = pool.acquire(options.maxMemoryMb);
  const { worker } = lease;
  return new Promise<WorkerOutcome<T>>((resolve, reject) => {
    let settled = false;
    const finish = (reusable: boolean, outcome: () => void): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      signal?.removeEventListener('abort', onAbort);
      worker.off('error', onError);
      worker.off('exit', onExit);
      channel.port1.close();
      if (reusable) lease.release();
      else lease.discard();
      outcome();
    };
    const onAbort = (): void => finish(false, () => reject(signal?.reason));
    const onError = (error: Error): void => {
      const code = (error as { code?: unknown }).code;
      if (code === 'ERR_WORKER_OUT_OF_MEMORY') finish(false, () => resolve({ ok: false, failure: { code: 'OUT_OF_MEMORY', message: 'parsing exceeded its memory limit and was stopped' } }));
      else finish(false, () => reject(new AppError('INTERNAL', `the parse worker failed: ${error.message}`, { cause: error, retryable: true })));
    };
    const onExit = (exitCode: number): void =>
      finish(false, () => resolve({ ok: false, failure: { code: 'CORRUPT', message: `the parser stopped unexpectedly (exit code ${exitCode})` } }));
    const timer = setTimeout(
      () => finish(false, () => resolve({ ok: false, failure: { code: 'TIMEOUT', message: `parsing exceeded its time limit of ${options.timeoutMs} ms and was stopped` } })),
      options.timeoutMs,
    );
    signal?.addEventListener('abort', onAbort, { once: true });
    channel.port1.on('message', (message: { type: 'done'; result: T } | { type: 'error'; error: WorkerFailure }) => {
      if (message.type === 'done') finish(true, () => resolve({ ok: true, result: message.result }));
      else finish(true, () => resolve({ ok: false, failure: message.error }));
    });
    worker.on('error', onError);
    worker.on('exit', onExit);
    worker.postMessage({ ...job, bytes: copy, port: channel.port2 }, [copy.buffer, channel.port2]);
  });
}
