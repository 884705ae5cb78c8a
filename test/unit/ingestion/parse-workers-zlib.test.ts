import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import type { Worker } from 'node:worker_threads';
import { afterAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { normalizeDocument } from '../../../ingestion/normalize';
import { parseDocument } from '../../../ingestion/parse';
import { closeOcrEngines } from '../../../ingestion/parse/ocr';
import { pdfWorkers } from '../../../ingestion/parse/pdf-worker-pool';
import { officeWorkers } from '../../../ingestion/parse/worker-call';
import { DOCX, ODT, XLSX } from '../../../ingestion/sniff';
import { makeDocx, makeOdf, makeXlsx } from './office-fixtures';
import { makeTiff, scannedPage } from './scan-fixtures';

// The parse workers are terminated at a document's time or memory limit. On Node 20, terminating a worker thread
// while it constructs a zlib handle aborts the whole process (node_zlib.cc:285 "close before init"; it took a vitest
// process down in CI after a PDF_TIMEOUT). So these workers must never create one. The pools below run the real
// worker scripts behind test/fixtures/workers/zlib-guard.mjs, which reports any zlib handle the worker creates.
const seen = vi.hoisted(() => ({ zlibHandles: [] as string[] }));

vi.mock('../../../ingestion/parse/pdf-worker-pool', async (importOriginal) => {
  const actual = await importOriginal<typeof import('../../../ingestion/parse/pdf-worker-pool')>();
  const watched = new WeakSet<Worker>();
  class WatchedPool extends actual.PdfWorkerPool {
    override acquire(memoryMb: number) {
      const lease = super.acquire(memoryMb);
      if (!watched.has(lease.worker)) {
        watched.add(lease.worker);
        lease.worker.on('message', (message: { zlibHandle?: string }) => {
          if (message.zlibHandle) seen.zlibHandles.push(message.zlibHandle);
        });
      }
      return lease;
    }
  }
  return { ...actual, PdfWorkerPool: WatchedPool, pdfWorkers: new WatchedPool(new URL('../../fixtures/workers/guarded-pdf-worker.mjs', import.meta.url)) };
});

vi.mock('../../../ingestion/parse/worker-call', async (importOriginal) => {
  const actual = await importOriginal<typeof import('../../../ingestion/parse/worker-call')>();
  const { PdfWorkerPool } = await import('../../../ingestion/parse/pdf-worker-pool');
  return { ...actual, officeWorkers: new PdfWorkerPool(new URL('../../fixtures/workers/guarded-office-worker.mjs', import.meta.url)) };
});

afterAll(async () => {
  await closeOcrEngines();
  await pdfWorkers.close();
  await officeWorkers.close();
});

beforeEach(() => {
  seen.zlibHandles.length = 0;
});

const textOf = (doc: Awaited<ReturnType<typeof parseDocument>>) => normalizeDocument(doc).text;

describe('parse workers create no zlib handle (they may be terminated at any moment)', () => {
  it('the guard itself reports a zlib handle (else the tests below could not fail)', async () => {
    const { Worker: ThreadWorker } = await import('node:worker_threads');
    const worker = new ThreadWorker(new URL('data:text/javascript,' + encodeURIComponent(`import '${new URL('../../fixtures/workers/zlib-guard.mjs', import.meta.url).href}'; (await import('node:zlib')).inflateRawSync((await import('node:zlib')).deflateRawSync(Buffer.from('x')));`)));
    const message = new Promise<{ zlibHandle?: string }>((done) => worker.once('message', done));
    // Left to end by itself: terminating it while it makes its zlib handles is the very abort this file is about.
    const exitCode = await new Promise<number>((done) => worker.once('exit', done));
    expect(exitCode).toBe(0);
    expect((await message).zlibHandle).toContain('zlib handle created');
  });

  it('PDF: rendering Flate-compressed scans for OCR inflates them without zlib, and the text is read', async () => {
    const bytes = new Uint8Array(readFileSync(resolve(process.cwd(), '../shared/datasets/wled-docs/scanned/scan-websocket.pdf')));
    const doc = await parseDocument(bytes, 'application/pdf', { ocr: { maxPages: 1 } });
    expect(doc.pages[0]?.ocr?.confidence ?? 0).toBeGreaterThan(50);
    expect(textOf(doc).length).toBeGreaterThan(200);
    expect(seen.zlibHandles).toEqual([]);
  }, 120_000);

  it('Office and OpenDocument archives are inflated without zlib, with their content intact', async () => {
    const docx = await parseDocument(await makeDocx(), DOCX);
    expect(textOf(docx)).toContain('Drain the housing.');
    const xlsx = await parseDocument(await makeXlsx(300), XLSX);
    expect(xlsx.pages.length).toBeGreaterThan(0);
    const odt = await parseDocument(makeOdf(ODT, '<office:body><office:text><text:h text:outline-level="1">Valves</text:h><text:p>Close the inlet valve first.</text:p></office:text></office:body>'), ODT);
    expect(textOf(odt)).toContain('Close the inlet valve first.');
    expect(seen.zlibHandles).toEqual([]);
  }, 60_000);

  it('TIFF pages are decoded and rendered for OCR without zlib', async () => {
    const tiff = await makeTiff([scannedPage(['Page one covers the power supply.'], { width: 900, compact: true })]);
    const doc = await parseDocument(tiff, 'image/tiff');
    expect(textOf(doc)).toContain('power supply');
    expect(seen.zlibHandles).toEqual([]);
  }, 120_000);
});
