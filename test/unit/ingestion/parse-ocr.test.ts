import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { createCanvas } from '@napi-rs/canvas';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { normalizeDocument } from '../../../ingestion/normalize';
import { parseDocument } from '../../../ingestion/parse';
import { closeOcrEngines, OcrEngine } from '../../../ingestion/parse/ocr';
import { pdfWorkers } from '../../../ingestion/parse/pdf-worker-pool';
import { sniffMime } from '../../../ingestion/sniff';
import { AppError } from '../../../src/core/errors';
import { makePdf, textPage } from './make-pdf';

afterAll(async () => {
  await closeOcrEngines();
  await pdfWorkers.close();
});

const KNOWN_TEXT = [
  'Support hours are Monday to Friday from eight to six.',
  'Reset the router by holding the button for ten seconds.',
  'Firmware version 4.2 fixes the dropped connection issue.',
  'Call the hotline for warranty claims within thirty days.',
];

/** A page "scanned" from known text: grey paper, speckle noise, rotated by 1.2 degrees. Deterministic (seeded noise). */
function scannedPage(lines: readonly string[]): Uint8Array {
  const canvas = createCanvas(1700, 900);
  const context = canvas.getContext('2d');
  context.fillStyle = '#eeeeea';
  context.fillRect(0, 0, 1700, 900);
  context.translate(850, 450);
  context.rotate((1.2 * Math.PI) / 180);
  context.translate(-850, -450);
  context.fillStyle = '#222222';
  context.font = '40px serif';
  lines.forEach((line, index) => context.fillText(line, 80, 150 + index * 90));
  context.setTransform(1, 0, 0, 1, 0, 0);
  let seed = 7;
  const random = () => ((seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648);
  for (let dot = 0; dot < 6000; dot += 1) {
    context.fillStyle = random() < 0.5 ? '#888888' : '#cccccc';
    context.fillRect(random() * 1700, random() * 900, 2, 2);
  }
  return new Uint8Array(canvas.toBuffer('image/png'));
}

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

  it('refuses an image larger than the pixel cap (IMAGE_TOO_LARGE), before decoding it', async () => {
    const png = scannedPage(['x']);
    const error = await parseDocument(png, 'image/png', { ocr: { maxPixels: 100_000 } }).then(() => undefined, (caught: unknown) => caught);
    expect(error).toBeInstanceOf(AppError);
    expect((error as AppError).code).toBe('IMAGE_TOO_LARGE');
  });

  it('OCRs the image-only page of a scanned PDF and marks the page with its confidence', async () => {
    const bytes = new Uint8Array(readFileSync(resolve(process.cwd(), '../shared/datasets/wled-docs/scanned/scan-websocket.pdf')));
    const doc = await parseDocument(bytes, 'application/pdf', { pdfTimeoutMs: 60_000 });
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
      await parseDocument(scan, 'application/pdf').catch(() => undefined);
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
