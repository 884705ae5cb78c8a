import { MessageChannel, receiveMessageOnPort } from 'node:worker_threads';
import { AppError } from '../../src/core/errors';
import { PdfWorkerPool } from './pdf-worker-pool';

/** The Office/EPUB/CSV/email/TIFF worker pool (office-worker.mjs), pooled like the PDF workers. */
export const officeWorkers = new PdfWorkerPool(new URL('./office-worker.mjs', import.meta.url));

export interface WorkerFailure {
  /** The worker's own code: ZIP_TOO_LARGE, ZIP_CORRUPT, ZIP_ENCRYPTED, TOO_MANY_ROWS, IMAGE_TOO_LARGE, CORRUPT. */
  code: string;
  message: string;
}

/**
 * What a job's handler makes of an event: settle with a value or an error (`reusable`: the worker ended the job
 * itself and may take the next), `rearm` the deadline timer (the deadline moved), or nothing (keep waiting).
 */
export type WorkerStep<T> = { value: T; reusable: boolean } | { error: unknown; reusable: boolean } | 'rearm' | undefined;

export interface WorkerJob<T> {
  pool: PdfWorkerPool;
  /** Posted to the worker with a copy of `bytes` (transferred) and the job's own port. */
  message: Record<string, unknown> & { bytes: Uint8Array };
  maxMemoryMb: number;
  /** Epoch ms at which the job is stopped; read again on each `rearm`. */
  deadline: () => number;
  signal?: AbortSignal | undefined;
  onMessage(message: unknown): WorkerStep<T>;
  /** The deadline passed with the worker still at work (its messages already sent were handled first). */
  onTimeout(): Exclude<WorkerStep<T>, 'rearm' | undefined>;
  /** The worker threw (out of memory, could not start). */
  onError(error: Error): Exclude<WorkerStep<T>, 'rearm' | undefined>;
  onExit(exitCode: number): Exclude<WorkerStep<T>, 'rearm' | undefined>;
}

/**
 * Runs one job on one pooled worker under a deadline and the worker's heap limit. A worker that hits a limit,
 * crashes or is aborted is stopped and never reused; one that ended the job itself takes the next.
 *
 * The worker reports on a port of this job's own channel rather than parentPort, so that messages already
 * delivered can be read synchronously when the deadline fires or the worker exits (receiveMessageOnPort): a busy
 * event loop (a long synchronous PGlite statement, say) can run the deadline timer before the worker's queued
 * messages, and must not fail a job that finished in time.
 */
export function runWorker<T>(job: WorkerJob<T>): Promise<T> {
  const { signal } = job;
  if (signal?.aborted) return Promise.reject(signal.reason);
  // Copy so that transferring never detaches the caller's buffer.
  const copy = job.message.bytes.slice();
  const channel = new MessageChannel();
  const port = channel.port1;
  const lease = job.pool.acquire(job.maxMemoryMb);
  const { worker } = lease;
  return new Promise<T>((resolve, reject) => {
    let settled = false;
    const settle = (step: Exclude<WorkerStep<T>, 'rearm' | undefined>): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      signal?.removeEventListener('abort', onAbort);
      worker.off('error', onError);
      worker.off('exit', onExit);
      port.close();
      if (step.reusable) lease.release();
      else lease.discard();
      if ('value' in step) resolve(step.value);
      else reject(step.error);
    };
    const arm = (): NodeJS.Timeout => setTimeout(onDeadline, Math.max(0, job.deadline() - Date.now()));
    const onMessage = (message: unknown): void => {
      if (settled) return;
      let step: WorkerStep<T>;
      try {
        step = job.onMessage(message);
      } catch (error) {
        step = { error, reusable: false };
      }
      if (step === 'rearm') {
        clearTimeout(timer);
        timer = arm();
      } else if (step) settle(step);
    };
    // Messages already sent but not yet dispatched, taken synchronously.
    const drain = (): void => {
      for (let queued = receiveMessageOnPort(port); queued && !settled; queued = receiveMessageOnPort(port)) onMessage(queued.message);
    };
    const onAbort = (): void => settle({ error: signal?.reason, reusable: false });
    const onError = (error: Error): void => settle(job.onError(error));
    const onExit = (exitCode: number): void => {
      // The port is not parentPort: its last messages may still be queued when the worker has exited.
      drain();
      settle(job.onExit(exitCode));
    };
    const onDeadline = (): void => {
      drain();
      settle(job.onTimeout());
    };
    let timer = arm();
    signal?.addEventListener('abort', onAbort, { once: true });
    port.on('message', onMessage);
    port.on('messageerror', (error) => settle({ error: new AppError('INTERNAL', `unreadable message from the parse worker: ${error.message}`), reusable: false }));
    worker.on('error', onError);
    worker.on('exit', onExit);
    worker.postMessage({ ...job.message, bytes: copy, port: channel.port2 }, [copy.buffer, channel.port2]);
  });
}

export interface WorkerCallOptions {
  timeoutMs: number;
  maxMemoryMb: number;
  signal?: AbortSignal | undefined;
}

export type WorkerOutcome<T> = { ok: true; result: T } | { ok: false; failure: WorkerFailure };

const failed = <T>(code: string, message: string): { value: WorkerOutcome<T>; reusable: false } => ({ value: { ok: false, failure: { code, message } }, reusable: false });

/** A request-reply job (the Office worker's protocol: one `done` or `error` message); limits come back as failures. */
export function callWorker<T>(pool: PdfWorkerPool, job: Record<string, unknown> & { bytes: Uint8Array }, options: WorkerCallOptions): Promise<WorkerOutcome<T>> {
  const deadline = Date.now() + options.timeoutMs;
  return runWorker<WorkerOutcome<T>>({
    pool,
    message: job,
    maxMemoryMb: options.maxMemoryMb,
    deadline: () => deadline,
    signal: options.signal,
    onMessage: (message) => {
      const reply = message as { type: 'done'; result: T } | { type: 'error'; error: WorkerFailure };
      return { value: reply.type === 'done' ? { ok: true, result: reply.result } : { ok: false, failure: reply.error }, reusable: true };
    },
    onTimeout: () => failed('TIMEOUT', `parsing exceeded its time limit of ${options.timeoutMs} ms and was stopped`),
    onError: (error) => {
      if ((error as { code?: unknown }).code === 'ERR_WORKER_OUT_OF_MEMORY') return failed('OUT_OF_MEMORY', 'parsing exceeded its memory limit and was stopped');
      return { error: new AppError('INTERNAL', `the parse worker failed: ${error.message}`, { cause: error, retryable: true }), reusable: false };
    },
    onExit: (exitCode) => failed('CORRUPT', `the parser stopped unexpectedly (exit code ${exitCode})`),
  });
}
