import { Worker } from 'node:worker_threads';
import { AppError, type ErrorCode } from '../../src/core/errors';
import { layoutPage, toParsedPages, type LayoutBlock, type TextRun } from './pdf-layout';
import type { ParseOptions, ParsedDocument } from './types';

export const DEFAULT_PDF_TIMEOUT_MS = 30_000;
export const DEFAULT_PDF_MAX_MEMORY_MB = 512;

const WORKER_URL = new URL('./pdf-worker.mjs', import.meta.url);

type WorkerMessage =
  | { type: 'open'; pageCount: number }
  | { type: 'page'; page: number; runs: TextRun[]; failed: boolean }
  | { type: 'done'; title?: string }
  | { type: 'error'; stage: 'open' | 'extract'; error: { name: string; message: string } };

const MESSAGE_TYPES = new Set(['open', 'page', 'done', 'error']);

// The worker is our own code, so a discriminator check is enough; anything else is a bug.
function isWorkerMessage(value: unknown): value is WorkerMessage {
  return typeof value === 'object' && value !== null && MESSAGE_TYPES.has((value as { type?: unknown }).type as string);
}

interface Extraction {
  pageCount: number;
  title: string | undefined;
  pages: { page: number; blocks: LayoutBlock[] }[];
  failedPages: number;
}

function badFile(code: ErrorCode, message: string, cause?: unknown): AppError {
  return new AppError(code, message, { retryable: false, ...(cause === undefined ? {} : { cause }) });
}

function workerFailure(message: Extract<WorkerMessage, { type: 'error' }>): AppError {
  const { name, message: detail } = message.error;
  if (name === 'PasswordException') return badFile('PDF_ENCRYPTED', 'the PDF is password-protected; upload an unencrypted copy');
  if (message.stage === 'open') return badFile('PDF_CORRUPT', `the PDF could not be opened (${name}: ${detail})`);
  return badFile('PDF_CORRUPT', `the PDF could not be read (${name}: ${detail})`);
}

function crashFailure(error: unknown): AppError {
  const code = (error as { code?: unknown } | null)?.code;
  if (code === 'ERR_WORKER_OUT_OF_MEMORY') {
    return badFile('PDF_TIMEOUT', 'PDF parsing exceeded its resource limit (memory) and was stopped', error);
  }
  const detail = error instanceof Error ? error.message : String(error);
  return badFile('PDF_CORRUPT', `the PDF parser failed: ${detail}`, error);
}

/** Runs extraction in a resource-limited worker; layout of each page happens here as pages arrive. */
function extract(bytes: Uint8Array, options: ParseOptions): Promise<Extraction> {
  const timeoutMs = options.pdfTimeoutMs ?? DEFAULT_PDF_TIMEOUT_MS;
  const maxMemoryMb = options.pdfMaxMemoryMb ?? DEFAULT_PDF_MAX_MEMORY_MB;
  const { signal } = options;
  if (signal?.aborted) return Promise.reject(signal.reason);
  // Copy so that transferring never detaches the caller's buffer.
  const copy = bytes.slice();
  const worker = new Worker(WORKER_URL, {
    workerData: { bytes: copy },
    transferList: [copy.buffer],
    resourceLimits: { maxOldGenerationSizeMb: maxMemoryMb },
    stdout: true,
    stderr: true,
  });
  // pdf.js may still print on stderr for odd files; drain it rather than echo it into service logs.
  worker.stdout.resume();
  worker.stderr.resume();
  const result: Extraction = { pageCount: 0, title: undefined, pages: [], failedPages: 0 };

  return new Promise<Extraction>((resolve, reject) => {
    let settled = false;
    const finish = (outcome: () => void): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      signal?.removeEventListener('abort', onAbort);
      void worker.terminate();
      outcome();
    };
    const fail = (error: unknown): void => finish(() => reject(error));
    const onAbort = (): void => fail(signal?.reason);
    const timer = setTimeout(() => {
      fail(badFile('PDF_TIMEOUT', `PDF parsing exceeded its time limit of ${timeoutMs} ms and was stopped`));
    }, timeoutMs);
    signal?.addEventListener('abort', onAbort, { once: true });

    worker.on('message', (message: unknown) => {
      if (!isWorkerMessage(message)) return fail(new AppError('INTERNAL', 'unexpected message from the PDF worker'));
      switch (message.type) {
        case 'open':
          result.pageCount = message.pageCount;
          return;
        case 'page':
          if (message.failed) result.failedPages += 1;
          result.pages.push({ page: message.page, blocks: layoutPage(message.runs) });
          return;
        case 'done':
          result.title = message.title;
          return finish(() => resolve(result));
        case 'error':
          return fail(workerFailure(message));
        default:
          return assertNever(message);
      }
    });
    worker.on('error', (error) => fail(crashFailure(error)));
    worker.on('exit', (exitCode) => fail(badFile('PDF_CORRUPT', `the PDF parser stopped unexpectedly (exit code ${exitCode})`)));
  });
}

function assertNever(value: never): never {
  throw new AppError('INTERNAL', `unhandled PDF worker message ${JSON.stringify(value)}`);
}

function countNonSpace(extraction: Extraction): number {
  let count = 0;
  for (const { blocks } of extraction.pages) {
    for (const block of blocks) for (const line of block.lines) count += line.replace(/\s+/gu, '').length;
  }
  return count;
}

/** Parses a PDF page by page, keeping 1-based page numbers. Throws AppError PDF_* for bad files. */
export async function parsePdf(bytes: Uint8Array, options: ParseOptions = {}): Promise<ParsedDocument> {
  const extraction = await extract(bytes, options);
  if (extraction.pageCount === 0) throw badFile('PDF_CORRUPT', 'the PDF has no pages');
  // Image-only scans yield (almost) nothing; below one visible character per page there is no text layer worth indexing.
  if (countNonSpace(extraction) < extraction.pageCount) {
    throw badFile('PDF_NO_TEXT', 'the PDF has no extractable text (it looks scanned or image-only); OCR is not supported');
  }
  return {
    mime: 'application/pdf',
    pageCount: extraction.pageCount,
    ...(extraction.title === undefined ? {} : { title: extraction.title }),
    pages: toParsedPages(extraction.pages),
  };
}
