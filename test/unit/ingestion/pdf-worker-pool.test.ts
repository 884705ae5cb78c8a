import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { parseDocument } from '../../../ingestion/parse';
import { pdfWorkers } from '../../../ingestion/parse/pdf-worker-pool';
import { makePdf, textPage } from './make-pdf';

const PDFS = resolve(process.cwd(), '../shared/datasets/pdfs');
const readPdf = (file: string): Uint8Array => new Uint8Array(readFileSync(resolve(PDFS, file)));
const small = () => makePdf([textPage(['# Warranty', 'Every unit is covered for two years.'])]);

/** Parses and returns which worker thread served the document, with the outcome. */
async function parseOn(bytes: Uint8Array, options: Parameters<typeof parseDocument>[2] = {}) {
  const acquire = vi.spyOn(pdfWorkers, 'acquire');
  try {
    const outcome = await parseDocument(bytes, 'application/pdf', options).then(
      (doc) => ({ ok: true as const, doc }),
      (error: unknown) => ({ ok: false as const, error: error as { code?: string } }),
    );
    const lease = acquire.mock.results[0]?.value as ReturnType<typeof pdfWorkers.acquire>;
    return { ...outcome, worker: lease.worker };
  } finally {
    acquire.mockRestore();
  }
}

describe('PDF worker pool', () => {
  afterEach(async () => {
    await pdfWorkers.close();
  });

  it('a worker that finished a document takes the next one', async () => {
    const first = await parseOn(small());
    const second = await parseOn(small());
    expect(first.ok && second.ok).toBe(true);
    expect(second.worker).toBe(first.worker);
    expect(pdfWorkers.idleCount).toBe(1);
  });

  it('a worker that reported a bad file (encrypted) stays in use', async () => {
    const encrypted = await parseOn(readPdf('pdfjs-testcorpus/encrypted/issue3371.pdf'));
    expect(encrypted.ok ? undefined : encrypted.error.code).toBe('PDF_ENCRYPTED');
    const next = await parseOn(small());
    expect(next.ok).toBe(true);
    expect(next.worker).toBe(encrypted.worker);
  });

  it('a document that hits the time limit fails with PDF_TIMEOUT, and its worker is stopped and replaced', async () => {
    const warm = await parseOn(small());
    const exited = new Promise<void>((whenGone) => warm.worker.once('exit', () => whenGone()));
    const slow = await parseOn(readPdf('born-digital/freeculture.pdf'), { pdfTimeoutMs: 200 });
    expect(slow.ok ? undefined : slow.error.code).toBe('PDF_TIMEOUT');
    expect(slow.worker).toBe(warm.worker);
    await exited;
    expect(pdfWorkers.idleCount).toBe(0);
    const next = await parseOn(small());
    expect(next.ok).toBe(true);
    expect(next.worker).not.toBe(warm.worker);
  });

  it('a document that hits the memory limit fails with PDF_TIMEOUT and its worker is not reused', async () => {
    const heavy = await parseOn(readPdf('born-digital/freeculture.pdf'), { pdfMaxMemoryMb: 8, pdfTimeoutMs: 15_000 });
    expect(heavy.ok ? undefined : heavy.error.code).toBe('PDF_TIMEOUT');
    const next = await parseOn(small(), { pdfMaxMemoryMb: 8 });
    expect(next.worker).not.toBe(heavy.worker);
  });

  it('an aborted parse stops its worker', async () => {
    const warm = await parseOn(small());
    const controller = new AbortController();
    const exited = new Promise<void>((whenGone) => warm.worker.once('exit', () => whenGone()));
    setTimeout(() => controller.abort(new Error('cancelled by test')), 20);
    const aborted = await parseOn(readPdf('born-digital/freeculture.pdf'), { signal: controller.signal });
    expect(aborted.ok).toBe(false);
    expect(aborted.worker).toBe(warm.worker);
    await exited;
    expect(pdfWorkers.idleCount).toBe(0);
  });
});
