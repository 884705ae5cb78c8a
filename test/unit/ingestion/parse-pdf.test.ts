import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { AppError } from '../../../src/core/errors';
import { parseDocument, type ParsedDocument } from '../../../ingestion/parse';
import { makePdf, textPage } from './make-pdf';

const PDFS = resolve(process.cwd(), '../shared/datasets/pdfs');
const readPdf = (file: string): Uint8Array => new Uint8Array(readFileSync(resolve(PDFS, file)));

interface ManifestEntry {
  file: string;
  pdfjs_6_5_438: { nonspace_chars: number | null };
}
const manifest: ManifestEntry[] = readFileSync(resolve(PDFS, 'manifest.jsonl'), 'utf8')
  .split('\n')
  .filter((line) => line.trim().length > 0)
  .map((line) => JSON.parse(line) as ManifestEntry);

const allText = (doc: ParsedDocument): string => doc.pages.flatMap((page) => page.blocks.map((block) => block.text)).join('\n');
const nonSpace = (text: string): number => text.replace(/\s+/gu, '').length;

async function parseError(promise: Promise<unknown>): Promise<AppError> {
  const error: unknown = await promise.then(
    () => undefined,
    (caught: unknown) => caught,
  );
  expect(error).toBeInstanceOf(AppError);
  const appError = error as AppError;
  expect(appError.isRetryable).toBe(false);
  return appError;
}

describe('parseDocument: PDF', () => {
  it('keeps 1-based page numbers, headings by size and paragraphs by vertical gaps', async () => {
    const pdf = makePdf(
      [
        textPage(['# Refund policy', 'Customers may return any item within', 'thirty days of delivery.', '', 'Refunds are paid to the', 'original card.']),
        textPage(['# Shipping', 'Orders ship within two days.']),
      ],
      { title: 'Store policies' },
    );
    const doc = await parseDocument(pdf, 'application/pdf');
    expect(doc.pageCount).toBe(2);
    expect(doc.title).toBe('Store policies');
    expect(doc.pages.map((page) => page.page)).toEqual([1, 2]);
    expect(doc.pages[0]!.blocks).toEqual([
      { kind: 'heading', text: 'Refund policy', level: 1 },
      { kind: 'paragraph', text: 'Customers may return any item within\nthirty days of delivery.' },
      { kind: 'paragraph', text: 'Refunds are paid to the\noriginal card.' },
    ]);
    expect(doc.pages[1]!.blocks[0]).toEqual({ kind: 'heading', text: 'Shipping', level: 1 });
  });

  it('leaves the caller’s buffer intact (bytes are copied before transfer to the worker)', async () => {
    const pdf = makePdf([textPage(['Some text here.'])]);
    await parseDocument(pdf, 'application/pdf');
    expect(pdf.byteLength).toBeGreaterThan(0);
    expect(new TextDecoder().decode(pdf.subarray(0, 5))).toBe('%PDF-');
  });

  it('reports pages without a text layer as PDF_NO_TEXT when OCR is off, or finds no printed text on them', async () => {
    const imageOnly = makePdf([{ rawContent: '0 0 0 rg 100 100 300 300 re f' }, { rawContent: '0.5 g 50 50 100 100 re f' }]);
    const off = await parseError(parseDocument(imageOnly, 'application/pdf', { ocr: { enabled: false } }));
    expect(off.code).toBe('PDF_NO_TEXT');
    expect(off.message).toMatch(/OCR is turned off/u);
    const on = await parseError(parseDocument(imageOnly, 'application/pdf'));
    expect(on.code).toBe('PDF_NO_TEXT');
    expect(on.message).toMatch(/OCR found no printed text/u);
  }, 120_000);

  it('reports unreadable files as PDF_CORRUPT', async () => {
    const garbage = new TextEncoder().encode('%PDF-1.7\nthis is not really a pdf at all\n%%EOF\n');
    expect((await parseError(parseDocument(garbage, 'application/pdf'))).code).toBe('PDF_CORRUPT');
    const truncated = makePdf([textPage(['hello world'])]).subarray(0, 60);
    expect((await parseError(parseDocument(truncated, 'application/pdf'))).code).toMatch(/^PDF_(CORRUPT|NO_TEXT)$/u);
  });

  it('reports a password-protected file as PDF_ENCRYPTED', async () => {
    const error = await parseError(parseDocument(readPdf('pdfjs-testcorpus/encrypted/issue3371.pdf'), 'application/pdf'));
    expect(error.code).toBe('PDF_ENCRYPTED');
  });

  it('stops at the time limit with PDF_TIMEOUT and terminates the worker promptly', async () => {
    const started = performance.now();
    const error = await parseError(parseDocument(readPdf('born-digital/freeculture.pdf'), 'application/pdf', { pdfTimeoutMs: 250 }));
    expect(error.code).toBe('PDF_TIMEOUT');
    expect(error.message).toMatch(/time limit/u);
    expect(performance.now() - started).toBeLessThan(2_000);
  });

  it('stops at the memory limit with PDF_TIMEOUT (resource limit)', async () => {
    const error = await parseError(parseDocument(readPdf('born-digital/freeculture.pdf'), 'application/pdf', { pdfMaxMemoryMb: 8, pdfTimeoutMs: 15_000 }));
    expect(error.code).toBe('PDF_TIMEOUT');
    expect(error.message).toMatch(/resource limit/u);
  });

  it('honours an AbortSignal', async () => {
    const controller = new AbortController();
    const parsing = parseDocument(readPdf('born-digital/freeculture.pdf'), 'application/pdf', { signal: controller.signal });
    setTimeout(() => controller.abort(new Error('cancelled by test')), 50);
    await expect(parsing).rejects.toThrow('cancelled by test');
  });

  it.each(manifest.filter((entry) => entry.file.includes('/nonlatin/')).map((entry) => [entry.file, entry.pdfjs_6_5_438.nonspace_chars ?? 0] as const))(
    'extracts CJK / RTL / Cyrillic text from %s like pdf.js 6.5 does',
    async (file, expectedChars) => {
      const doc = await parseDocument(readPdf(file), 'application/pdf');
      const chars = nonSpace(allText(doc));
      expect(chars).toBeGreaterThan(0);
      expect(Math.abs(chars - expectedChars)).toBeLessThanOrEqual(Math.ceil(expectedChars * 0.01));
    },
  );

  it('decodes the Shift-JIS CMap file into Japanese (the packed cMaps load)', async () => {
    const doc = await parseDocument(readPdf('pdfjs-testcorpus/nonlatin/90ms_rksj_h_sample.pdf'), 'application/pdf');
    expect(allText(doc)).toContain('日本語');
  });
});
