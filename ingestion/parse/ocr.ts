import { createHash, randomUUID } from 'node:crypto';
import { createReadStream, createWriteStream, readFileSync } from 'node:fs';
import { lstat, mkdir, mkdtemp, open, rename, rm, stat } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { createGunzip } from 'node:zlib';
import { createWorker, OEM, type Worker as TesseractWorker } from 'tesseract.js';
import { z } from 'zod';
import { AppError } from '../../src/core/errors';
import type { OcrOptions, ParsedBlock } from './types';

export const DEFAULT_OCR_OPTIONS: OcrOptions = Object.freeze({
  enabled: true,
  languages: 'eng',
  maxPages: 50,
  pageTimeoutMs: 60_000,
  dpi: 200,
  maxPixels: 40_000_000,
});

export interface OcrPage {
  blocks: ParsedBlock[];
  /** tesseract's mean word confidence, 0-100. */
  confidence: number;
}

const require = createRequire(import.meta.url);
const directories = new Map<string, Promise<string>>();

/**
 * A directory holding `<lang>.traineddata` for each of `codes`, inflated from its npm package
 * (@tesseract.js-data/<lang>, the 4.0.0_best_int LSTM model). tesseract.js reads a local langPath from disk
 * and fetches from a CDN only when given none or a URL, so this service never reaches out at run time.
 *
 * Inflated here, on the libuv pool, rather than by each tesseract worker (its gzip option): a worker thread
 * terminated while it constructs a zlib handle aborts the whole process on Node 20 (node_zlib.cc "close before
 * init"), and Node terminates workers that are still starting when the service shuts down.
 *
 * Kept between processes, per user and per set of package versions, so that restarts neither inflate again nor
 * leave 5 MB per language behind in the temporary directory each time.
 */
function languagePath(codes: readonly string[]): Promise<string> {
  const key = codes.join('+');
  let directory = directories.get(key);
  if (!directory) {
    // Once per language set and process: each package's manifest is read here, not at every worker start.
    directory = Promise.resolve().then(() => prepareOcrLanguages(codes.map((code) => languagePackage(code))));
    directories.set(key, directory);
    // A failed inflation may be retried by the next page.
    directory.catch(() => directories.delete(key));
  }
  return directory;
}

export interface LanguagePackage {
  code: string;
  version: string;
  /** The gzipped traineddata inside the package. */
  source: string;
}

export function languagePackage(code: string): LanguagePackage {
  let manifest: string;
  try {
    manifest = require.resolve(`@tesseract.js-data/${code}/package.json`);
  } catch {
    throw new AppError('CONFIG_INVALID', `OCR language "${code}" is not installed: add the npm package @tesseract.js-data/${code}`, { retryable: false });
  }
  const version = z.object({ version: z.string().min(1) }).parse(JSON.parse(readFileSync(manifest, 'utf8'))).version;
  return { code, version, source: join(dirname(manifest), '4.0.0_best_int', `${code}.traineddata.gz`) };
}

/**
 * The language directory for `packages` under `base` (by default the user's cache directory), each file inflated
 * unless one of the right size is already there.
 */
export async function prepareOcrLanguages(packages: readonly LanguagePackage[], base?: string): Promise<string> {
  const key = packages.map((entry) => `${entry.code}@${entry.version}`).join('+');
  const directory = join(base ?? (await userCacheDirectory()), createHash('sha256').update(key).digest('hex').slice(0, 16));
  await mkdir(directory, { recursive: true, mode: 0o700 });
  for (const entry of packages) {
    const target = join(directory, `${entry.code}.traineddata`);
    const expected = await gzipSize(entry.source);
    const present = await stat(target).then((found) => found.size, () => -1);
    if (present === expected) continue;
    // Written beside and renamed, so a worker never reads half a file, and two processes never mix theirs.
    const partial = `${target}.${process.pid}.${randomUUID()}.partial`;
    try {
      await pipeline(createReadStream(entry.source), createGunzip(), createWriteStream(partial, { mode: 0o600 }));
      await rename(partial, target);
    } finally {
      await rm(partial, { force: true });
    }
  }
  return directory;
}

/** The inflated size a gzip file's trailer states (ISIZE: the last 4 bytes, little-endian). */
async function gzipSize(path: string): Promise<number> {
  const file = await open(path, 'r');
  try {
    const { size } = await file.stat();
    const trailer = Buffer.alloc(4);
    await file.read(trailer, 0, 4, size - 4);
    return trailer.readUInt32LE(0);
  } finally {
    await file.close();
  }
}

/**
 * `<tmp>/attest-tessdata-<uid>`, when it is a real directory of this user's (not a link someone left there);
 * otherwise a fresh private directory for this process, as before.
 */
async function userCacheDirectory(): Promise<string> {
  const uid = typeof process.getuid === 'function' ? process.getuid() : undefined;
  const shared = join(tmpdir(), `attest-tessdata-${uid ?? 'user'}`);
  await mkdir(shared, { mode: 0o700 }).catch(() => undefined);
  const found = await lstat(shared).catch(() => undefined);
  if (found?.isDirectory() && !found.isSymbolicLink() && (uid === undefined || found.uid === uid) && (found.mode & 0o077) === 0) return shared;
  return mkdtemp(join(tmpdir(), 'attest-tessdata-'));
}

export function ocrLanguages(languages: string): string[] {
  const codes = languages.split(/[+,\s]+/u).filter((code) => code.length > 0);
  for (const code of codes) if (!/^[a-z_]{3,8}$/u.test(code)) throw new AppError('CONFIG_INVALID', `OCR_LANGUAGES: "${code}" is not a tesseract language code`);
  return codes.length > 0 ? codes : ['eng'];
}

interface Line {
  text: string;
  height: number;
}

/**
 * Words tesseract is less sure of than this are dropped: on photos and drawings it "reads" texture as strings
 * of symbols at confidences of 10-40, while printed words, even on poor scans, come out above 60.
 */
export const MIN_WORD_CONFIDENCE = 50;

interface OcrLine {
  text: string;
  bbox: { y0: number; y1: number };
  words?: { text: string; confidence: number }[];
}

function lineText(line: OcrLine): string {
  if (!line.words) return line.text.replace(/\s+$/u, '');
  return line.words.filter((word) => word.confidence >= MIN_WORD_CONFIDENCE).map((word) => word.text).join(' ');
}

/** tesseract's paragraphs as blocks; a one-line paragraph set well above the page's usual line height is a heading. */
export function ocrBlocks(paragraphs: { lines: OcrLine[] }[]): ParsedBlock[] {
  const lines: Line[][] = paragraphs.map((paragraph) =>
    paragraph.lines.map((line) => ({ text: lineText(line), height: line.bbox.y1 - line.bbox.y0 })).filter((line) => /[\p{L}\p{N}]/u.test(line.text)),
  );
  const heights = lines.flat().map((line) => line.height).sort((a, b) => a - b);
  const median = heights[Math.floor(heights.length / 2)] ?? 0;
  const blocks: ParsedBlock[] = [];
  for (const paragraph of lines) {
    if (paragraph.length === 0) continue;
    const text = paragraph.map((line) => line.text).join('\n');
    const only = paragraph.length === 1 ? paragraph[0]! : undefined;
    if (only && median > 0 && only.text.length <= 80 && only.height >= 1.25 * median) {
      blocks.push({ kind: 'heading', level: only.height >= 1.6 * median ? 1 : 2, text });
    } else blocks.push({ kind: 'paragraph', text });
  }
  return blocks;
}

/** At least half the tokens read are words (two letters or more): below that it is texture read as symbols (a photo). */
export function looksLikeText(blocks: readonly ParsedBlock[]): boolean {
  const tokens = blocks.flatMap((block) => block.text.split(/\s+/u)).filter((token) => token.length > 0);
  const words = tokens.filter((token) => /\p{L}{2,}/u.test(token));
  return words.length >= 2 && words.length * 2 >= tokens.length;
}

interface Slot {
  worker: TesseractWorker;
}

/**
 * A few tesseract.js workers (each its own thread with the WASM engine), shared by every document of the
 * process. A page that passes its time limit costs its worker: it is terminated, never reused, and the next
 * page gets a fresh one, so a runaway page cannot hold a slot.
 */
export class OcrEngine {
  private readonly idle: Slot[] = [];
  private readonly waiting: (() => void)[] = [];
  private busy = 0;
  private starting = 0;

  constructor(
    private readonly languages: string,
    private readonly size: number,
  ) {}

  async recognize(image: Uint8Array, timeoutMs: number, signal?: AbortSignal): Promise<OcrPage> {
    const slot = await this.acquire(signal);
    let timer: NodeJS.Timeout | undefined;
    let onAbort: (() => void) | undefined;
    let healthy = true;
    try {
      // An abort (the document failed or hit its deadline) stops the page now: its worker is terminated below.
      const stopped = new Promise<never>((_resolve, reject) => {
        timer = setTimeout(() => reject(new AppError('OCR_TIMEOUT', `OCR of a page exceeded its time limit of ${timeoutMs} ms`, { retryable: false })), timeoutMs);
        onAbort = () => reject(signal?.reason instanceof Error ? signal.reason : new AppError('OCR_FAILED', 'OCR was stopped', { retryable: false }));
        if (signal?.aborted) onAbort();
        else signal?.addEventListener('abort', onAbort, { once: true });
      });
      const result = await Promise.race([slot.worker.recognize(Buffer.from(image.buffer, image.byteOffset, image.byteLength), { rotateAuto: true }, { text: true, blocks: true }), stopped]);
      const paragraphs = (result.data.blocks ?? []).flatMap((block) => block.paragraphs);
      const blocks = ocrBlocks(paragraphs);
      return { blocks: looksLikeText(blocks) ? blocks : [], confidence: Math.round(result.data.confidence * 10) / 10 };
    } catch (error) {
      healthy = false;
      if (error instanceof AppError) throw error;
      throw new AppError('OCR_FAILED', `OCR failed: ${error instanceof Error ? error.message.slice(0, 200) : String(error)}`, { retryable: false, cause: error });
    } finally {
      clearTimeout(timer);
      if (onAbort) signal?.removeEventListener('abort', onAbort);
      this.release(slot, healthy);
    }
  }

  /** Stops every idle worker (tests, benchmarks, shutdown). */
  async close(): Promise<void> {
    const slots = this.idle.splice(0);
    await Promise.all(slots.map((slot) => slot.worker.terminate().catch(() => undefined)));
  }

  private async acquire(signal?: AbortSignal): Promise<Slot> {
    while (this.busy + this.starting >= this.size && this.idle.length === 0) {
      await new Promise<void>((resolve) => this.waiting.push(resolve));
      if (signal?.aborted) {
        // Pass the wake-up on: this page no longer wants the slot that freed.
        this.wake();
        throw signal.reason;
      }
    }
    if (signal?.aborted) throw signal.reason;
    const slot = this.idle.pop();
    if (slot) {
      this.busy += 1;
      return slot;
    }
    this.starting += 1;
    try {
      const codes = ocrLanguages(this.languages);
      const langPath = await languagePath(codes);
      // cacheMethod 'none': no cache is read or written; the local langPath is all it loads, already inflated.
      const worker = await createWorker(codes, OEM.LSTM_ONLY, { langPath, cacheMethod: 'none', gzip: false, logger: () => undefined, errorHandler: () => undefined });
      this.busy += 1;
      return { worker };
    } catch (error) {
      this.wake();
      if (error instanceof AppError) throw error;
      throw new AppError('OCR_FAILED', `the OCR engine could not start: ${error instanceof Error ? error.message : String(error)}`, { cause: error });
    } finally {
      this.starting -= 1;
    }
  }

  private release(slot: Slot, healthy: boolean): void {
    this.busy -= 1;
    if (healthy) this.idle.push(slot);
    else void slot.worker.terminate().catch(() => undefined);
    this.wake();
  }

  private wake(): void {
    this.waiting.shift()?.();
  }
}

const engines = new Map<string, OcrEngine>();

/** The process's engine for a language set; OCR_WORKERS threads at most. */
export function ocrEngine(languages: string, workers = defaultOcrWorkers()): OcrEngine {
  const key = `${languages}/${workers}`;
  let engine = engines.get(key);
  if (!engine) {
    engine = new OcrEngine(languages, workers);
    engines.set(key, engine);
  }
  return engine;
}

let configuredWorkers = 2;

export function setOcrWorkers(count: number): void {
  configuredWorkers = Math.max(1, Math.floor(count));
}

function defaultOcrWorkers(): number {
  return configuredWorkers;
}

export async function closeOcrEngines(): Promise<void> {
  await Promise.all([...engines.values()].map((engine) => engine.close()));
}
