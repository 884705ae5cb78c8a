import { Worker } from 'node:worker_threads';

const WORKER_URL = new URL('./pdf-worker.mjs', import.meta.url);

/** Idle workers kept per memory limit: the in-process job runner parses two documents at a time. */
const MAX_IDLE = 2;
/** A quiet service gives pdf.js's memory back. */
const IDLE_TIMEOUT_MS = 30_000;
/** Bounds whatever pdf.js may keep between documents (font and CMap caches). */
const MAX_DOCUMENTS_PER_WORKER = 100;

export interface PdfWorkerLease {
  worker: Worker;
  /** The job ended with a message from the worker (done or a reported error): it may take another. */
  release(): void;
  /** The job ended any other way (time or memory limit, abort, crash): the worker is stopped, never reused. */
  discard(): void;
}

interface PooledWorker {
  worker: Worker;
  memoryMb: number;
  documents: number;
  idleTimer: NodeJS.Timeout | undefined;
  exited: boolean;
}

/**
 * Warm pdf.js workers. Starting one costs 150-450 ms (a fresh isolate loading
 * pdf.js), which was most of the parse time of a small PDF. A worker serves one
 * document at a time; the caller keeps the per-document time and memory limits
 * (the worker's heap limit is fixed when it starts, so workers are pooled per limit)
 * and discards a worker that hit one, so the next document gets a fresh one.
 */
export class PdfWorkerPool {
  private readonly idle: PooledWorker[] = [];

  /** `url`: the worker script; the Office parsers' pool runs office-worker.mjs the same way. */
  constructor(private readonly url: URL = WORKER_URL) {}

  acquire(memoryMb: number): PdfWorkerLease {
    let pooled = this.takeIdle(memoryMb);
    if (!pooled) pooled = this.spawn(memoryMb);
    pooled.worker.ref();
    const entry = pooled;
    let ended = false;
    return {
      worker: entry.worker,
      release: () => {
        if (ended) return;
        ended = true;
        entry.documents += 1;
        this.putBack(entry);
      },
      discard: () => {
        if (ended) return;
        ended = true;
        stop(entry);
      },
    };
  }

  /** Stops every idle worker (tests, shutdown). Workers in use end with their document. */
  async close(): Promise<void> {
    const workers = this.idle.splice(0);
    await Promise.all(workers.map((entry) => stop(entry)));
  }

  get idleCount(): number {
    return this.idle.length;
  }

  private takeIdle(memoryMb: number): PooledWorker | undefined {
    const index = this.idle.findIndex((entry) => entry.memoryMb === memoryMb && !entry.exited);
    if (index < 0) return undefined;
    const [entry] = this.idle.splice(index, 1);
    if (entry?.idleTimer) clearTimeout(entry.idleTimer);
    return entry;
  }

  private spawn(memoryMb: number): PooledWorker {
    const worker = new Worker(this.url, { resourceLimits: { maxOldGenerationSizeMb: memoryMb }, stdout: true, stderr: true });
    // pdf.js may still print on odd files; drain it rather than echo it into service logs.
    worker.stdout.resume();
    worker.stderr.resume();
    const entry: PooledWorker = { worker, memoryMb, documents: 0, idleTimer: undefined, exited: false };
    worker.on('exit', () => {
      entry.exited = true;
      this.forget(entry);
    });
    // Errors of a worker in use reach its job's own listener; an idle one's only need to take it out of the pool.
    worker.on('error', () => this.forget(entry));
    return entry;
  }

  private putBack(entry: PooledWorker): void {
    if (entry.exited || entry.documents >= MAX_DOCUMENTS_PER_WORKER || this.idle.length >= MAX_IDLE) {
      void stop(entry);
      return;
    }
    // An idle worker must not keep the process alive.
    entry.worker.unref();
    entry.idleTimer = setTimeout(() => {
      this.forget(entry);
      void stop(entry);
    }, IDLE_TIMEOUT_MS);
    entry.idleTimer.unref();
    this.idle.push(entry);
  }

  private forget(entry: PooledWorker): void {
    const index = this.idle.indexOf(entry);
    if (index >= 0) this.idle.splice(index, 1);
    if (entry.idleTimer) clearTimeout(entry.idleTimer);
  }
}

async function stop(entry: PooledWorker): Promise<void> {
  if (entry.idleTimer) clearTimeout(entry.idleTimer);
  entry.exited = true;
  await entry.worker.terminate();
}

/** The process's pool: every parse shares it. */
export const pdfWorkers = new PdfWorkerPool();
