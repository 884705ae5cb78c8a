import { AppError, toAppError, type ErrorCode } from '../../src/core/errors';
import { layoutPage, toParsedPages, type LayoutBlock, type TextRun } from './pdf-layout';
import { DEFAULT_OCR_OPTIONS, ocrEngine, type OcrPage } from './ocr';
import { pdfWorkers } from './pdf-worker-pool';
import type { OcrOptions, ParseOptions, ParsedDocument } from './types';
import { runWorker } from './worker-call';

export const DEFAULT_PDF_TIMEOUT_MS = 30_000;
/**
 * The PDF worker's V8 heap limit. Not lower by default: below 2 GB V8 grows a heap by a smaller factor
 * (1.3-2.0 instead of 4), so pdf.js's worker ran two to three times as many full collections, and each
 * one threw away optimized code that the next document compiled again. At 512 MB the pipeline's
 * optimizing-compiler time per round of the five benchmark PDFs settled near 400 ms instead of under
 * 200 (scratch --trace-opt runs, six rounds), for the same peak RSS within 10 MB (evals/bench/ingestion.ts).
 */
export const DEFAULT_PDF_MAX_MEMORY_MB = 2048;

type WorkerMessage =
  | { type: 'open'; pageCount: number }
  | { type: 'page'; page: number; runs: TextRun[]; failed: boolean }
  | { type: 'image'; page: number; image: Uint8Array }
  | { type: 'done'; title?: string }
  | { type: 'error'; stage: 'open' | 'extract'; error: { name: string; message: string } };

const MESSAGE_TYPES = new Set(['open', 'page', 'image', 'done', 'error']);

// The worker is our own code, so a discriminator check is enough; anything else is a bug.
function isWorkerMessage(value: unknown): value is WorkerMessage {
  return typeof value === 'object' && value !== null && MESSAGE_TYPES.has((value as { type?: unknown }).type as string);
}

interface Extraction {
  pageCount: number;
  title: string | undefined;
  pages: { page: number; blocks: LayoutBlock[] }[];
  failedPages: number;
  /** Pages rendered for OCR (no text layer), their images handed to the OCR engine as they arrive. */
  ocr: Map<number, Promise<OcrPage | Error>>;
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

// The worker could not start at all: our deployment is broken, not the file.
const STARTUP_FAILURES = new Set(['ERR_WORKER_INIT_FAILED', 'ERR_WORKER_PATH', 'ERR_MODULE_NOT_FOUND', 'ERR_UNKNOWN_FILE_EXTENSION']);

function crashFailure(error: unknown): AppError {
  const code = (error as { code?: unknown } | null)?.code;
  if (code === 'ERR_WORKER_OUT_OF_MEMORY') {
    return badFile('PDF_TIMEOUT', 'PDF parsing exceeded its resource limit (memory) and was stopped', error);
  }
  const detail = error instanceof Error ? error.message : String(error);
  if (typeof code === 'string' && STARTUP_FAILURES.has(code)) {
    return new AppError('INTERNAL', `the PDF worker could not start: ${detail}`, { cause: error, retryable: true });
  }
  return badFile('PDF_CORRUPT', `the PDF parser failed: ${detail}`, error);
}

/** Folds one worker message into the extraction; returns 'done', 'image' (a page went to OCR), a failure, or nothing. */
function applyMessage(result: Extraction, message: unknown, recognize: (image: Uint8Array) => Promise<OcrPage | Error>): 'done' | 'image' | AppError | undefined {
  if (!isWorkerMessage(message)) return new AppError('INTERNAL', 'unexpected message from the PDF worker');
  switch (message.type) {
    case 'open':
      result.pageCount = message.pageCount;
      return undefined;
    case 'page':
      if (message.failed) result.failedPages += 1;
      result.pages.push({ page: message.page, blocks: layoutPage(message.runs) });
      return undefined;
    case 'image':
      result.ocr.set(message.page, recognize(message.image));
      return 'image';
    case 'done':
      result.title = message.title;
      return 'done';
    case 'error':
      return workerFailure(message);
    default:
      return assertNever(message);
  }
}

/**
 * Runs extraction in a resource-limited worker (worker-call.ts); each page is laid out here as it arrives. The
 * limits are per document: a worker that hits one is stopped and never reused, and only a worker that finished
 * its document goes back to the pool.
 */
function extract(bytes: Uint8Array, options: ParseOptions, ocr: OcrOptions, limit: Deadline, signal: AbortSignal): Promise<Extraction> {
  const result: Extraction = { pageCount: 0, title: undefined, pages: [], failedPages: 0, ocr: new Map() };
  // OCR starts as each rendered page arrives, overlapping the extraction of the next; a failure is kept per page.
  const recognize = (image: Uint8Array): Promise<OcrPage | Error> =>
    ocrEngine(ocr.languages).recognize(image, ocr.pageTimeoutMs, signal).catch((error: unknown) => (error instanceof Error ? error : new Error(String(error))));
  const render = { enabled: ocr.enabled, maxPages: ocr.maxPages, dpi: ocr.dpi, maxPixels: ocr.maxPixels };
  return runWorker<Extraction>({
    pool: pdfWorkers,
    message: { bytes, ocr: render },
    maxMemoryMb: options.pdfMaxMemoryMb ?? DEFAULT_PDF_MAX_MEMORY_MB,
    deadline: () => limit.at,
    signal,
    onMessage: (message) => {
      let outcome: ReturnType<typeof applyMessage>;
      try {
        outcome = applyMessage(result, message, recognize);
      } catch (error) {
        return { error: toAppError(error), reusable: false };
      }
      if (outcome === 'image') {
        // Each page handed to OCR buys the document one page's OCR time (its recognition, the next render).
        limit.at += ocr.pageTimeoutMs;
        return 'rearm';
      }
      if (outcome === 'done') return { value: result, reusable: true };
      if (outcome) return { error: outcome, reusable: isWorkerMessage(message) && message.type === 'error' };
      return undefined;
    },
    onTimeout: () => ({ error: pdfTimeout(limit.timeoutMs), reusable: false }),
    onError: (error) => ({ error: crashFailure(error), reusable: false }),
    onExit: (exitCode) => ({ error: badFile('PDF_CORRUPT', `the PDF parser stopped unexpectedly (exit code ${exitCode})`), reusable: false }),
  });
}

function assertNever(value: never): never {
  throw new AppError('INTERNAL', `unhandled PDF worker message ${JSON.stringify(value)}`);
}

/** Whether the pages hold at least `needed` visible (non-\s) characters; stops counting there. */
function hasVisibleChars(extraction: Extraction, needed: number): boolean {
  let count = 0;
  for (const { blocks } of extraction.pages) {
    for (const block of blocks) {
      for (const line of block.lines) {
        count += line.length - (line.match(/\s/gu)?.length ?? 0);
        if (count >= needed) return true;
      }
    }
  }
  return count >= needed;
}

// Producer defaults rather than titles: "Untitled", "Microsoft Word - Document1", file names.
const PLACEHOLDER_TITLE = /^(?:untitled|microsoft (?:word|powerpoint|excel) - .*|.*\.(?:docx?|pptx?|xlsx?|pdf|tex|dvi|ps|indd|qxd|graffle|rtf|odt))$/iu;

export function cleanTitle(raw: string | undefined): string | undefined {
  const title = raw?.replace(/\s+/gu, ' ').replace(/^[\s\-–—:|]+/u, '').trim();
  if (!title || PLACEHOLDER_TITLE.test(title)) return undefined;
  return (title.match(/\p{L}/gu)?.length ?? 0) >= 3 ? title : undefined;
}

/**
 * The OCR'd pages' text in place of their (near-empty) text layer. Returns the page numbers with OCR text and
 * the first OCR failure, which decides the error when no page has text at all. Recognition still running at the
 * document's deadline fails the document with PDF_TIMEOUT: OCR counts against the PDF time limit like extraction.
 */
async function applyOcr(extraction: Extraction, limit: Deadline): Promise<{ recognized: Map<number, OcrPage>; failure: Error | undefined }> {
  const recognized = new Map<number, OcrPage>();
  let failure: Error | undefined;
  if (extraction.ocr.size === 0) return { recognized, failure };
  let timer: NodeJS.Timeout | undefined;
  const expired = new Promise<'expired'>((resolve) => {
    timer = setTimeout(() => resolve('expired'), Math.max(0, limit.at - Date.now()));
  });
  try {
    for (const [page, pending] of extraction.ocr) {
      const outcome = await Promise.race([pending, expired]);
      if (outcome === 'expired') throw pdfTimeout(limit.timeoutMs);
      if (outcome instanceof Error) failure ??= outcome;
      else if (outcome.blocks.length > 0) recognized.set(page, outcome);
    }
  } finally {
    clearTimeout(timer);
  }
  return { recognized, failure };
}

/**
 * The document's one deadline, OCR included: PDF_TIMEOUT_MS for reading the file and rendering its first page for
 * OCR, plus OCR_PAGE_TIMEOUT_MS for each page handed to OCR. Rendering no longer extends it by itself, so a worker
 * past it is stopped at once, and recognition still running at it fails the document and is stopped too.
 */
interface Deadline {
  /** Epoch ms by which the whole document, OCR included, is parsed; moved on by each page sent to OCR. */
  at: number;
  timeoutMs: number;
}

function pdfTimeout(timeoutMs: number): AppError {
  return badFile('PDF_TIMEOUT', `PDF parsing exceeded its time limit of ${timeoutMs} ms and was stopped`);
}

/**
 * Parses a PDF page by page, keeping 1-based page numbers; pages without a text layer go through OCR
 * (up to ocr.maxPages of them). Throws AppError PDF_* for bad files, OCR_* when OCR was all there was and it failed.
 */
export async function parsePdf(bytes: Uint8Array, options: ParseOptions = {}): Promise<ParsedDocument> {
  const ocr: OcrOptions = { ...DEFAULT_OCR_OPTIONS, ...options.ocr };
  const timeoutMs = options.pdfTimeoutMs ?? DEFAULT_PDF_TIMEOUT_MS;
  const limit: Deadline = { at: Date.now() + timeoutMs, timeoutMs };
  // One signal for the document: the caller's abort, or our own when the document fails (deadline, bad file),
  // which stops its OCR pages still queued or running so that they do not hold the shared OCR threads.
  const stop = new AbortController();
  const onAbort = (): void => stop.abort(options.signal?.reason);
  if (options.signal?.aborted) throw options.signal.reason;
  options.signal?.addEventListener('abort', onAbort, { once: true });
  let extraction: Extraction;
  let ocrOutcome: Awaited<ReturnType<typeof applyOcr>>;
  try {
    extraction = await extract(bytes, options, ocr, limit, stop.signal);
    ocrOutcome = await applyOcr(extraction, limit);
  } catch (error) {
    stop.abort(error);
    throw error;
  } finally {
    options.signal?.removeEventListener('abort', onAbort);
  }
  const { recognized, failure } = ocrOutcome;
  if (extraction.pageCount === 0) throw badFile('PDF_CORRUPT', 'the PDF has no pages');
  if (extraction.failedPages === extraction.pageCount) throw badFile('PDF_CORRUPT', 'none of the PDF’s pages could be read');
  const pages = toParsedPages(extraction.pages).map((page) => {
    const text = page.page === null ? undefined : recognized.get(page.page);
    return text ? { page: page.page, blocks: text.blocks, ocr: { confidence: text.confidence } } : page;
  });
  // Image-only scans yield (almost) nothing; below one visible character per page there is no text layer worth indexing.
  if (recognized.size === 0 && !hasVisibleChars(extraction, extraction.pageCount)) {
    if (failure instanceof AppError) throw failure;
    const why = ocr.enabled ? 'and OCR found no printed text on its pages' : 'and OCR is turned off (OCR_ENABLED=false)';
    throw badFile('PDF_NO_TEXT', `the PDF has no extractable text (it looks scanned or image-only) ${why}`);
  }
  const title = cleanTitle(extraction.title);
  return {
    mime: 'application/pdf',
    pageCount: extraction.pageCount,
    ...(title === undefined ? {} : { title }),
    pages,
  };
}
