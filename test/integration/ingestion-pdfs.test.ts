import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../helpers/app';
import { storeTargets } from '../helpers/stores';
import { parseDocument } from '../../ingestion/parse';
import { createCorpus, getDocument, pdfManifest, readPdf, upload, waitForJob, type PdfManifestEntry } from '../helpers/ingestion';

/**
 * Real PDFs through the whole pipeline (HTTP upload → job → chunks in the
 * store): chunk offsets and pages match the stored normalized text, and every
 * PDF of the shared set ends completed or failed with a PDF_* code in time.
 */
const targets = await storeTargets('ingestion of real PDFs');
const manifest = pdfManifest();

const ALLOWED_FAILURES = ['PDF_ENCRYPTED', 'PDF_CORRUPT', 'PDF_NO_TEXT', 'PDF_TIMEOUT', 'NO_TEXT'];
// The service's default (PDF_TIMEOUT_MS in config.ts). At a third of it, on 2 AVX2 cores under the suite's load,
// freeculture.pdf and scan-bad.pdf ran out of time in CI; these suites check outcomes and codes, not speed
// (the time limit itself is tested below with limits of its own).
const PDF_TIMEOUT_MS = 30_000;

interface ChunkRow {
  id: string;
  ordinal: number;
  text: string;
  char_start: number;
  char_end: number;
  page_start: number | null;
  page_end: number | null;
  chunker_hash: string;
}

async function chunksOf(t: TestApp, versionId: string): Promise<{ normalized: string; pages: number; chunks: ChunkRow[] }> {
  const [version] = await t.container.store.query<{ normalized_text: string; pages: number }>(
    sql`SELECT normalized_text, pages FROM document_versions WHERE id = ${versionId}::uuid`,
  );
  const chunks = await t.container.store.query<ChunkRow>(
    sql`SELECT id, ordinal, text, char_start, char_end, page_start, page_end, chunker_hash FROM chunks WHERE version_id = ${versionId}::uuid ORDER BY ordinal`,
  );
  return { normalized: version?.normalized_text ?? '', pages: Number(version?.pages ?? 0), chunks };
}

describe.each(targets)('chunk offsets and pages of real PDFs on $name', (target) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp({ store: await target.open(), env: { PDF_TIMEOUT_MS: String(PDF_TIMEOUT_MS) } });
    await createCorpus(t, 'papers');
  });
  afterAll(async () => {
    await t?.close();
  });

  it.each(['born-digital/tracemonkey.pdf', 'born-digital/TAMReview.pdf'])(
    '%s: every chunk equals normalized_text[char_start, char_end) and its pages lie in 1..pages',
    async (file) => {
      const entry = manifest.find((candidate) => candidate.file === file)!;
      const answer = await upload(t, 'papers', { name: file.split('/').pop()!, bytes: readPdf(file), contentType: 'application/pdf' });
      const job = await waitForJob(t, answer.jobId!, { timeoutMs: 60_000 });
      expect(job.state, JSON.stringify(job.error)).toBe('completed');

      const { normalized, pages, chunks } = await chunksOf(t, answer.versionId);
      expect(pages).toBe(entry.pages);
      expect(chunks.length).toBeGreaterThan(5);
      expect(chunks.map((chunk) => chunk.ordinal)).toEqual(chunks.map((_, index) => index));
      const mismatches = chunks.filter((chunk) => normalized.slice(chunk.char_start, chunk.char_end) !== chunk.text);
      expect(mismatches.map((chunk) => chunk.ordinal)).toEqual([]);
      let previousStart = -1;
      for (const chunk of chunks) {
        expect(chunk.char_start).toBeGreaterThanOrEqual(0);
        expect(chunk.char_end).toBeGreaterThan(chunk.char_start);
        expect(chunk.char_end).toBeLessThanOrEqual(normalized.length);
        expect(chunk.char_start).toBeGreaterThan(previousStart);
        previousStart = chunk.char_start;
        expect(chunk.page_start).not.toBeNull();
        expect(chunk.page_start!).toBeGreaterThanOrEqual(1);
        expect(chunk.page_end!).toBeGreaterThanOrEqual(chunk.page_start!);
        expect(chunk.page_end!).toBeLessThanOrEqual(pages);
      }
      // The chunks cover the document from its first to its last page.
      expect(chunks[0]!.page_start).toBe(1);
      expect(Math.max(...chunks.map((chunk) => chunk.page_end!))).toBeGreaterThan(pages - 2);

      const document = (await getDocument(t, answer.documentId)).json();
      expect(document.versions[0]).toMatchObject({ status: 'ready', pages: entry.pages, chunkCount: chunks.length, mime: 'application/pdf' });
    },
    90_000,
  );
});

/** What the shared set's manifest (pdf.js 6.5's own run) says each file must give. */
function expectation(entry: PdfManifestEntry): { ok: true } | { ok: false; codes: string[] } {
  const reference = entry.pdfjs_6_5_438;
  if (entry.category === 'born-digital') return { ok: true };
  if (!reference.opened) return { ok: false, codes: ['PDF_CORRUPT'] };
  if (entry.password !== null) return { ok: false, codes: ['PDF_ENCRYPTED'] };
  // No text layer: OCR'd. Pages with printed text complete; blank pages and photos still end PDF_NO_TEXT.
  if ((reference.nonspace_chars ?? 0) < (reference.pages ?? 0)) return { ok: false, codes: ['PDF_NO_TEXT', 'NO_TEXT', 'completed'] };
  return { ok: true };
}

describe('every PDF of the shared set through the pipeline (PGlite)', () => {
  let t: TestApp;
  beforeAll(async () => {
    const pglite = targets.find((candidate) => candidate.name === 'pglite')!;
    t = await createTestApp({ store: await pglite.open(), env: { PDF_TIMEOUT_MS: String(PDF_TIMEOUT_MS) } });
    await createCorpus(t, 'pdfs');
  });
  afterAll(async () => {
    await t?.close();
  });

  it('completes with chunks or fails with a PDF_* code, never INTERNAL, never hanging', async () => {
    expect(manifest.length).toBeGreaterThanOrEqual(50);
    const started = Date.now();
    const uploads = [];
    for (const entry of manifest) {
      const answer = await upload(t, 'pdfs', { name: entry.file.replaceAll('/', '_'), bytes: readPdf(entry.file), contentType: 'application/pdf' }, { externalId: entry.file });
      expect(answer.deduplicated).toBe(false);
      uploads.push({ entry, answer });
    }
    const outcomes: { file: string; state: string; code?: string; chunks: number; pages: number | null }[] = [];
    for (const { entry, answer } of uploads) {
      const job = await waitForJob(t, answer.jobId!, { timeoutMs: 120_000 });
      const document = (await getDocument(t, answer.documentId)).json();
      const version = document.versions[0];
      outcomes.push({ file: entry.file, state: job.state, code: job.error?.code, chunks: version.chunkCount, pages: version.pages });

      if (job.state === 'completed') {
        expect(version.status, entry.file).toBe('ready');
        expect(version.chunkCount, entry.file).toBeGreaterThan(0);
        if (entry.category === 'born-digital') expect(version.pages, entry.file).toBe(entry.pages);
      } else {
        expect(job.state, entry.file).toBe('failed');
        expect(ALLOWED_FAILURES, `${entry.file}: ${JSON.stringify(job.error)}`).toContain(job.error?.code);
        // A bad file fails on its first attempt: retrying cannot fix it.
        expect(version, entry.file).toMatchObject({ status: 'failed', error: { code: job.error?.code } });
      }
      const expected = expectation(entry);
      if (expected.ok) expect.soft(job.state, `${entry.file}: ${JSON.stringify(job.error)}`).toBe('completed');
      else expect.soft(expected.codes, `${entry.file}: ${job.state} ${JSON.stringify(job.error)}`).toContain(job.state === 'completed' ? 'completed' : job.error?.code);
    }
    const elapsed = Date.now() - started;
    const summary = outcomes.reduce<Record<string, number>>((tally, outcome) => {
      const key = outcome.state === 'completed' ? 'completed' : outcome.code ?? 'unknown';
      tally[key] = (tally[key] ?? 0) + 1;
      return tally;
    }, {});
    console.info(`shared PDF set: ${manifest.length} files in ${elapsed} ms`, summary);
    expect(outcomes.every((outcome) => outcome.code !== 'INTERNAL')).toBe(true);
  }, 170_000);
});

describe('PDF time limit with a busy event loop', () => {
  it('a PDF parsed within its limit is not failed because the main thread was busy when the deadline passed', async () => {
    // The embedded store runs SQL synchronously on the main thread; a long statement can outlast a small PDF's deadline.
    const bytes = readPdf('pdfjs-testcorpus/text/issue918.pdf');
    const parsing = parseDocument(bytes, 'application/pdf', { pdfTimeoutMs: 1_000 });
    await new Promise<void>((resolveBusy) =>
      setImmediate(() => {
        const until = Date.now() + 5_000;
        while (Date.now() < until);
        resolveBusy();
      }),
    );
    const parsed = await parsing;
    expect(parsed.pageCount).toBe(1);
  });

  it('a PDF still being parsed at its deadline fails with PDF_TIMEOUT', async () => {
    const parsing = parseDocument(readPdf('born-digital/freeculture.pdf'), 'application/pdf', { pdfTimeoutMs: 300 });
    await expect(parsing).rejects.toMatchObject({ code: 'PDF_TIMEOUT' });
  });
});
