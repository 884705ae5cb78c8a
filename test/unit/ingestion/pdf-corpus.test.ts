import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { chunkDocument, DEFAULT_CHUNKER } from '../../../ingestion/chunk';
import { normalizeDocument } from '../../../ingestion/normalize';
import { parseDocument } from '../../../ingestion/parse';
import { sniffMime } from '../../../ingestion/sniff';
import { AppError } from '../../../src/core/errors';
import { expectChunkInvariants } from './chunk-invariants';

/**
 * Every shared PDF either parses or fails with a PDF_* code inside its limit.
 * The expected outcome comes from the manifest (what pdf.js 6.5 made of the file).
 */
const PDFS = resolve(process.cwd(), '../shared/datasets/pdfs');
const PER_FILE_LIMIT_MS = 15_000;
/** The image-only files also go through OCR (a page or two each, at ~10-30 s a page on a busy 2-core machine). */
const OCR_FILE_LIMIT_MS = 90_000;
/** Files that hold printed text under no text layer: OCR must find it. */
const PRINTED_SCANS = new Set(['pdfjs-testcorpus/scanned/issue13561_reduced.pdf']);

interface ManifestEntry {
  file: string;
  category: string;
  password: string | null;
  pages: number | null;
  pdfjs_6_5_438: { opened: boolean; pages: number | null; nonspace_chars: number | null };
}

type Outcome =
  | { ok: true; pages: number; chars: number }
  | { ok: false; code: 'PDF_CORRUPT' | 'PDF_ENCRYPTED' }
  // No text layer: OCR'd now. Pages with printed text come back with OCR text; blank pages and photos still end PDF_NO_TEXT.
  | { ok: 'ocr'; pages: number };

const manifest: ManifestEntry[] = readFileSync(resolve(PDFS, 'manifest.jsonl'), 'utf8')
  .split('\n')
  .filter((line) => line.trim().length > 0)
  .map((line) => JSON.parse(line) as ManifestEntry);

function expectedOutcome(entry: ManifestEntry): Outcome {
  const reference = entry.pdfjs_6_5_438;
  if (!reference.opened) return { ok: false, code: 'PDF_CORRUPT' };
  // The manifest's pdf.js run was given the known password; we never are.
  if (entry.password !== null) return { ok: false, code: 'PDF_ENCRYPTED' };
  const pages = reference.pages ?? 0;
  if ((reference.nonspace_chars ?? 0) < pages) return { ok: 'ocr', pages };
  return { ok: true, pages, chars: reference.nonspace_chars ?? 0 };
}

describe('shared PDF corpus', () => {
  it('lists the PDFs this test expects', () => {
    expect(manifest.length).toBeGreaterThanOrEqual(50);
  });

  it.each(manifest.map((entry) => [entry.file, entry] as const))(
    '%s',
    async (file, entry) => {
      const bytes = new Uint8Array(readFileSync(resolve(PDFS, file)));
      expect(sniffMime(bytes, file)).toBe('application/pdf');
      const expected = expectedOutcome(entry);
      const started = performance.now();
      // The text layer is what the manifest measured, so OCR is only on for the files without one.
      const ocr = expected.ok === 'ocr' || PRINTED_SCANS.has(file);
      const outcome = await parseDocument(bytes, 'application/pdf', { pdfTimeoutMs: ocr ? OCR_FILE_LIMIT_MS / 2 : PER_FILE_LIMIT_MS, ocr: { enabled: ocr } }).then(
        (doc) => ({ doc }),
        (error: unknown) => ({ error }),
      );
      expect(performance.now() - started).toBeLessThan((ocr ? OCR_FILE_LIMIT_MS : PER_FILE_LIMIT_MS) + 2_000);

      if (expected.ok === 'ocr' || PRINTED_SCANS.has(file)) {
        if (PRINTED_SCANS.has(file)) {
          if ('error' in outcome) throw outcome.error;
          const ocrPages = outcome.doc.pages.filter((page) => page.ocr);
          expect(ocrPages.length).toBeGreaterThan(0);
          expect(ocrPages.flatMap((page) => page.blocks).some((block) => /\p{L}{3,}/u.test(block.text))).toBe(true);
        } else if ('error' in outcome) {
          expect(outcome.error).toMatchObject({ code: 'PDF_NO_TEXT', isRetryable: false });
        } else {
          expect(outcome.doc.pages.some((page) => page.ocr)).toBe(true);
        }
        return;
      }

      if (!expected.ok) {
        expect('error' in outcome).toBe(true);
        const error = (outcome as { error: unknown }).error;
        expect(error).toBeInstanceOf(AppError);
        expect(error).toMatchObject({ code: expected.code, isRetryable: false });
        return;
      }
      if ('error' in outcome) throw outcome.error;
      const { doc } = outcome;
      expect(doc.pageCount).toBe(expected.pages);
      if (entry.category === 'born-digital') expect(doc.pageCount).toBe(entry.pages);
      expect(doc.pages.map((page) => page.page)).toEqual(Array.from({ length: expected.pages }, (_, index) => index + 1));
      const chars = doc.pages.flatMap((page) => page.blocks).reduce((sum, block) => sum + block.text.replace(/\s+/gu, '').length, 0);
      expect(Math.abs(chars - expected.chars)).toBeLessThanOrEqual(Math.ceil(expected.chars * 0.01));

      const normalized = normalizeDocument(doc);
      expectChunkInvariants(normalized, chunkDocument(normalized), DEFAULT_CHUNKER);
    },
    OCR_FILE_LIMIT_MS + 5_000,
  );
});
