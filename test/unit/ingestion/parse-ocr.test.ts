import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { normalizeDocument } from '../../../ingestion/normalize';
import { parseDocument } from '../../../ingestion/parse';
import { closeOcrEngines, OcrEngine } from '../../../ingestion/parse/ocr';
import { pdfWorkers } from '../../../ingestion/parse/pdf-worker-pool';
import { officeWorkers } from '../../../ingestion/parse/worker-call';
import { sniffMime } from '../../../ingestion/sniff';
import { AppError } from '../../../src/core/errors';
import { makePdf, textPage } from './make-pdf';
import { makeTiff, scannedPage } from './scan-fixtures';

afterAll(async () => {
  await closeOcrEngines();
  await pdfWorkers.close();
  await officeWorkers.close();
});

const KNOWN_TEXT = [
  'Support hours are Monday to Friday from eight to six.',
  'Reset the router by holding the button for ten seconds.',
  'Firmware version 4.2 fixes the dropped connection issue.',
  'Call the hotline for warranty claims within thirty days.',
];

function levenshtein(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, index) => index);
  for (let i = 1; i <= a.length; i += 1) {
    const current = [i];
    for (let j = 1; j <= b.length; j += 1) current[j] = Math.min(previous[j]! + 1, current[j - 1]! + 1, previous[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1));
    previous = current;
  }
  return previous[b.length]!;
}

const squash = (text: string) => text.replace(/\s+/gu, ' ').trim();

describe('OCR', () => {
  it('reads a noisy, slightly rotated PNG scan of known text; reports its character error rate', async () => {
    const png = scannedPage(KNOWN_TEXT);
    expect(sniffMime(png)).toBe('image/png');
    const doc = await parseDocument(png, 'image/png');
    expect(doc.pageCount).toBe(1);
    expect(doc.pages[0]!.ocr!.confidence).toBeGreaterThan(60);
    const text = normalizeDocument(doc).text;
    const expected = squash(KNOWN_TEXT.join(' '));
    const cer = levenshtein(squash(text), expected) / expected.length;
    console.info(`OCR character error rate on the synthetic scan: ${(cer * 100).toFixed(2)}% (${expected.length} characters, confidence ${doc.pages[0]!.ocr!.confidence})`);
    expect(cer).toBeLessThan(0.05);
    expect(text).toContain('Reset the router by holding the button');
  }, 120_000);

  it('reads each page of a multi-page TIFF through OCR, numbered; a broken TIFF is IMAGE_CORRUPT', async () => {
    const tiff = await makeTiff([scannedPage(['Page one covers the power supply.'], { width: 900, compact: true }), scannedPage(['Page two covers the LED strip.'], { width: 900, compact: true })]);
    expect(sniffMime(tiff)).toBe('image/tiff');
    const doc = await parseDocument(tiff, 'image/tiff');
    expect(doc.pageCount).toBe(2);
    expect(doc.pages.map((page) => page.page)).toEqual([1, 2]);
    expect(doc.pages.every((page) => (page.ocr?.confidence ?? 0) > 60)).toBe(true);
    const normalized = normalizeDocument(doc);
    expect(normalized.pages.map((page) => page.ocr?.confidence)).toEqual(doc.pages.map((page) => page.ocr?.confidence));
    const text = squash(normalized.text);
    expect(text).toContain('power supply');
    expect(text).toContain('LED strip');
    const broken = tiff.slice(0, 64);
    const error = await parseDocument(broken, 'image/tiff').then(() => undefined, (caught: unknown) => caught);
    expect((error as AppError).code).toBe('IMAGE_CORRUPT');
  }, 120_000);

  it('refuses an image larger than the pixel cap (IMAGE_TOO_LARGE), before decoding it', async () => {
    const png = scannedPage(['x']);
    const error = await parseDocument(png, 'image/png', { ocr: { maxPixels: 100_000 } }).then(() => undefined, (caught: unknown) => caught);
    expect(error).toBeInstanceOf(AppError);
    expect((error as AppError).code).toBe('IMAGE_TOO_LARGE');
  });

  it('OCRs the image-only page of a scanned PDF and marks the page with its confidence', async () => {
    const bytes = new Uint8Array(readFileSync(resolve(process.cwd(), '../shared/datasets/wled-docs/scanned/scan-websocket.pdf')));
    // 150 dpi, not the default 200: the page's print reads as well, at about half the pixels to recognize.
    const doc = await parseDocument(bytes, 'application/pdf', { pdfTimeoutMs: 60_000, ocr: { dpi: 150 } });
    expect(doc.pages[0]!.ocr!.confidence).toBeGreaterThan(70);
    expect(squash(normalizeDocument(doc).text)).toContain('a WebSocket server is enabled by default');
  }, 180_000);

  it('leaves a born-digital PDF with one image-only page (a figure) to its text layer: no page is rendered for OCR', async () => {
    const recognize = vi.spyOn(OcrEngine.prototype, 'recognize');
    try {
      const mixed = makePdf([
        textPage(['# Installation', 'Flash the firmware with the web installer.']),
        { rawContent: '0 0 0 rg 100 100 300 300 re f' },
        textPage(['# Presets', 'Save up to 250 presets on the controller.']),
      ]);
      const doc = await parseDocument(mixed, 'application/pdf');
      expect(doc.pageCount).toBe(3);
      expect(doc.pages.some((page) => page.ocr !== undefined)).toBe(false);
      expect(recognize).not.toHaveBeenCalled();
      // A document that is mostly image-only still goes through OCR.
      const scan = makePdf([{ rawContent: '0 0 0 rg 100 100 300 300 re f' }, { rawContent: '0.5 g 50 50 100 100 re f' }]);
      // Rendered small: what is checked is that both pages go to OCR, not what it reads there.
      await parseDocument(scan, 'application/pdf', { ocr: { dpi: 36 } }).catch(() => undefined);
      expect(recognize).toHaveBeenCalledTimes(2);
    } finally {
      recognize.mockRestore();
    }
  }, 120_000);

  it('rendering a scan for OCR does not extend the PDF time limit: a page still rendering at the deadline fails with PDF_TIMEOUT, promptly', async () => {
    const bytes = new Uint8Array(readFileSync(resolve(process.cwd(), '../shared/datasets/wled-docs/scanned/scan-websocket.pdf')));
    const started = performance.now();
    const error = await parseDocument(bytes, 'application/pdf', { pdfTimeoutMs: 800 }).then(() => undefined, (caught: unknown) => caught);
    expect(error).toBeInstanceOf(AppError);
    expect((error as AppError).code).toBe('PDF_TIMEOUT');
    // Before, announcing a render extended the deadline by 15 s, and the page's recognition ran outside it (about 13 s here).
    expect(performance.now() - started).toBeLessThan(2_800);
  }, 60_000);
});
