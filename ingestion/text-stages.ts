import { Worker } from 'node:worker_threads';
import { AppError, isAppError, type ErrorCode } from '../src/core/errors';
import { chunkDocument, type ChunkDraft, type ChunkerConfig } from './chunk';
import { normalizeDocument, type NormalizedDocument } from './normalize';
import type { ParsedDocument } from './parse/types';
import type { IndexedChunk, IndexScope } from '../indexes/ports';
import { prepareCopies, type PreparedCopies, type PrepareCopies } from '../indexes/postgres/bm25-index';

/**
 * Ingestion's CPU-bound text stages after parsing: normalization, chunking, and the BM25 analysis and binary
 * COPY rows of the lexical write. Pure functions over the whole document, each one synchronous block of CPU (a
 * 352-page book: normalization ~100-140 ms, chunking ~200-250 ms, analysis ~115 ms, COPY rows ~100 ms), which
 * on the event loop would hold every answer for that long. This port lets them run elsewhere.
 */
export interface TextStages {
  normalize(parsed: ParsedDocument): Promise<NormalizedDocument>;
  chunk(doc: NormalizedDocument, config: ChunkerConfig): Promise<ChunkDraft[]>;
  /** BM25 analysis of the chunks and their binary COPY rows (the embedded default's lexical write). */
  bm25Copies: PrepareCopies;
  /** Stops the stages' thread, failing calls in flight. Containers leave the process-wide worker running (see sharedTextStages); tests and tools close their own. */
  close(): Promise<void>;
}

/** On the calling thread: for tests, tools and small documents. */
export const inlineTextStages: TextStages = {
  normalize: async (parsed) => normalizeDocument(parsed),
  chunk: async (doc, config) => chunkDocument(doc, config),
  bm25Copies: prepareCopies,
  close: async () => undefined,
};

type Request =
  | { op: 'normalize'; parsed: ParsedDocument }
  | { op: 'chunk'; doc: NormalizedDocument; config: ChunkerConfig }
  | { op: 'bm25Copies'; scope: IndexScope; chunks: readonly IndexedChunk[] };
export type StageValue = NormalizedDocument | ChunkDraft[] | PreparedCopies;
export type TextStagesRequest = Request & { id: number };
/** A stage's error as plain data: an AppError keeps its code, status and retryability across the thread. */
export interface StageFailure {
  message: string;
  app?: { code: ErrorCode; retryable: boolean; status: number; details?: Record<string, unknown> | undefined };
}
export type TextStagesReply = { id: number; ok: true; value: StageValue } | { id: number; ok: false; failure: StageFailure };

export function toStageFailure(error: unknown): StageFailure {
  if (isAppError(error)) return { message: error.message, app: { code: error.code, retryable: error.isRetryable, status: error.status, details: error.details } };
  return { message: error instanceof Error ? error.message : String(error) };
}

function fromStageFailure(failure: StageFailure): Error {
  if (!failure.app) return new Error(failure.message);
  const { code, retryable, status, details } = failure.app;
  return new AppError(code, failure.message, { retryable, status, ...(details ? { details } : {}) });
}

export interface WorkerTextStagesOptions {
  /**
   * Documents with less text than this run inline: a worker round trip (copying the document both ways) costs
   * more than the stage itself for a page of text. Default 50,000 characters (~15 pages).
   */
  minChars?: number;
  /** Heap of the worker (MB); a document that needs more fails its job with a retryable error. Default 1024. */
  maxMemoryMb?: number;
}

let shared: WorkerTextStages | undefined;

/**
 * The process's text-stages worker, started on first use. One per process rather than per container: starting it
 * compiles its modules through tsx (~0.7 s), and it holds nothing of a container's (an idle worker is
 * unreferenced, so it never keeps the process alive and needs no closing).
 */
export function sharedTextStages(): TextStages {
  shared ??= new WorkerTextStages();
  return shared;
}

const BOOT_URL = new URL('../src/core/threads/typescript-worker.mjs', import.meta.url);
const ENTRY_URL = new URL('./text-stages-worker.ts', import.meta.url);

interface Pending {
  resolve(value: StageValue): void;
  reject(error: Error): void;
}

/**
 * Normalization, chunking and BM25 COPY rows of large documents on one worker thread at background priority (so the event loop
 * and answers get the CPU first; src/core/threads/this-thread.mjs). Started on first use and unreferenced while
 * idle, so it never keeps the process alive. A worker that dies (out of memory) fails its calls with a retryable
 * error and is started again by the next call.
 */
export class WorkerTextStages implements TextStages {
  private worker: Worker | undefined;
  private readonly pending = new Map<number, Pending>();
  private nextId = 1;
  private closed = false;
  private readonly minChars: number;
  private readonly maxMemoryMb: number;
  /** Calls that ran on the worker (tests and benches). */
  offloaded = 0;

  constructor(options: WorkerTextStagesOptions = {}) {
    this.minChars = options.minChars ?? 50_000;
    this.maxMemoryMb = options.maxMemoryMb ?? 1024;
  }

  normalize(parsed: ParsedDocument): Promise<NormalizedDocument> {
    const chars = parsed.pages.reduce((sum, page) => sum + page.blocks.reduce((inner, block) => inner + block.text.length, 0), 0);
    if (chars < this.minChars) return inlineTextStages.normalize(parsed);
    // Without the attachments: their bytes are not normalization's, and would be copied for nothing.
    const { attachments: _attachments, ...text } = parsed;
    return this.call({ op: 'normalize', parsed: text }) as Promise<NormalizedDocument>;
  }

  chunk(doc: NormalizedDocument, config: ChunkerConfig): Promise<ChunkDraft[]> {
    if (doc.text.length < this.minChars) return inlineTextStages.chunk(doc, config);
    return this.call({ op: 'chunk', doc, config }) as Promise<ChunkDraft[]>;
  }

  readonly bm25Copies: PrepareCopies = (scope, chunks) => {
    const chars = chunks.reduce((sum, chunk) => sum + chunk.text.length + (chunk.title?.length ?? 0), 0);
    if (chars < this.minChars) return inlineTextStages.bm25Copies(scope, chunks);
    return this.call({ op: 'bm25Copies', scope, chunks }) as Promise<PreparedCopies>;
  };

  async close(): Promise<void> {
    this.closed = true;
    const worker = this.worker;
    this.worker = undefined;
    this.failAll(new Error('text stages closed'));
    await worker?.terminate();
  }

  private call(request: Request): Promise<StageValue> {
    if (this.closed) return Promise.reject(new Error('text stages closed'));
    const worker = this.worker ?? this.start();
    const id = this.nextId++;
    this.offloaded += 1;
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      worker.ref();
      worker.postMessage({ ...request, id });
    });
  }

  private start(): Worker {
    const worker = new Worker(BOOT_URL, {
      workerData: { entry: ENTRY_URL.href, name: 'attest-text', background: true },
      resourceLimits: { maxOldGenerationSizeMb: this.maxMemoryMb },
    });
    worker.unref();
    worker.on('message', (reply: TextStagesReply) => {
      const pending = this.pending.get(reply.id);
      if (!pending) return;
      this.pending.delete(reply.id);
      if (this.pending.size === 0) worker.unref();
      if (reply.ok) pending.resolve(reply.value);
      else pending.reject(fromStageFailure(reply.failure));
    });
    const died = (reason: string) => {
      if (this.worker !== worker) return;
      this.worker = undefined;
      this.failAll(new AppError('INTERNAL', `the text-stages worker stopped (${reason})`, { retryable: true }));
    };
    worker.on('error', (error) => died(error.message));
    worker.on('exit', (code) => died(`exit code ${code}`));
    this.worker = worker;
    return worker;
  }

  private failAll(error: Error): void {
    const waiting = [...this.pending.values()];
    this.pending.clear();
    for (const pending of waiting) pending.reject(error);
  }
}
