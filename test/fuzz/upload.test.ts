/**
 * Property-based fuzzing of the upload route, POST /v1/corpora/:corpus/documents
 * (issue 9): random bytes, truncated and byte-mutated real PDFs (read in place
 * from ../shared/datasets/pdfs), invalid UTF-8, control characters, huge or odd
 * title/externalId/file names, no file part, several file parts, a file under
 * another field, truncated multipart bodies, wrong content types.
 *
 * Property, per upload: never a 5xx, never a hung request; 202 with the
 * documented body or a catalogued 4xx; a refused upload leaves no row behind;
 * once the job queue is idle every job has completed or failed with a catalogued
 * code, and the ingestion tables keep their invariants (./invariants.ts).
 * PGlite in memory, local models. FUZZ_SEED / FUZZ_RUNS explore more.
 */
import { sql } from 'drizzle-orm';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import type { Store } from '../../src/core/db/client';
import { sharedStore } from '../helpers/answers';
import { storeTargets } from '../helpers/stores';
import { bearer, createTestApp } from '../helpers/app';
import { createCorpus, multipartBody, pdfManifest, readPdf } from '../helpers/ingestion';
import { brokenInvariants, chunksNotMatchingText, rowCounts } from './invariants';
import { expectHandled, fuzzSettings, nastyString, withDeadline } from './support';

const MAX_UPLOAD_BYTES = 256 * 1024;
/**
 * PGlite by default (fast, no service). FUZZ_POSTGRES=1 runs the same property on
 * real PostgreSQL, where ingestion jobs and uploads interleave statements.
 */
async function openFuzzStore(): Promise<{ store: Store; close(): Promise<void> }> {
  if (process.env.FUZZ_POSTGRES !== '1') return sharedStore();
  const postgres = (await storeTargets('upload fuzzing on PostgreSQL')).find((target) => target.name === 'postgres');
  if (!postgres) throw new Error('FUZZ_POSTGRES=1 but PostgreSQL is not reachable');
  const store = await postgres.open();
  // The app's close() closes (and drops) it; nothing left to do after.
  return { store, close: async () => undefined };
}
const shared = await openFuzzStore();
const t = await createTestApp({
  store: shared.store,
  // FUZZ_LOG=1 prints the server's own error logs (the cause of a 5xx) while investigating a counterexample.
  logger: process.env.FUZZ_LOG === '1' ? { level: 'error' } : false,
  env: {
    // Small, so that an oversized upload costs little to generate.
    MAX_UPLOAD_BYTES: String(MAX_UPLOAD_BYTES),
    // A mutated PDF that sends the parser into a loop must end as PDF_TIMEOUT well before the idle deadline.
    PDF_TIMEOUT_MS: '8000',
    RATE_LIMIT_INGEST_PER_MINUTE: '1000000',
    RATE_LIMIT_ADMIN_PER_MINUTE: '1000000',
    RATE_LIMIT_QUERY_PER_MINUTE: '1000000',
  },
});
afterAll(async () => {
  await t.close();
  await shared.close();
});

const CORPUS = 'fuzz uploads';
await createCorpus(t, CORPUS);
const URL = `/v1/corpora/${encodeURIComponent(CORPUS)}/documents`;
/** Long enough for the slowest legitimate case: a mutated PDF that runs into PDF_TIMEOUT_MS on a loaded machine, retried. */
const IDLE_DEADLINE_MS = 60_000;

// Small real PDFs of every category (broken, encrypted, scanned, forms, non-Latin), plus the start of a large one.
const PDFS = pdfManifest()
  .filter((entry) => entry.bytes <= 40_000)
  .map((entry) => ({ file: entry.file, bytes: readPdf(entry.file) }));
const LARGE_PDF = pdfManifest().find((entry) => entry.category === 'born-digital');
if (LARGE_PDF) PDFS.push({ file: `${LARGE_PDF.file} (first ${MAX_UPLOAD_BYTES} bytes)`, bytes: readPdf(LARGE_PDF.file).slice(0, MAX_UPLOAD_BYTES) });

interface FileContent {
  kind: string;
  bytes: Uint8Array;
}

const pdf = fc.constantFrom(...PDFS);
const truncatedPdf = fc.tuple(pdf, fc.double({ min: 0, max: 1, noNaN: true })).map(([source, at]): FileContent => ({ kind: `${source.file} cut at ${Math.floor(source.bytes.length * at)}`, bytes: source.bytes.slice(0, Math.floor(source.bytes.length * at)) }));
const mutation = fc.record({ at: fc.double({ min: 0, max: 1, noNaN: true }), op: fc.constantFrom('set', 'delete', 'duplicate', 'zero'), value: fc.integer({ min: 0, max: 255 }), length: fc.integer({ min: 1, max: 64 }) });
const mutatedPdf = fc.tuple(pdf, fc.array(mutation, { minLength: 1, maxLength: 20 })).map(([source, mutations]): FileContent => {
  let bytes = Buffer.from(source.bytes);
  for (const { at, op, value, length } of mutations) {
    const index = Math.floor(bytes.length * at);
    if (op === 'set') bytes[index] = value;
    else if (op === 'zero') bytes.fill(0, index, Math.min(bytes.length, index + length));
    else if (op === 'delete') bytes = Buffer.concat([bytes.subarray(0, index), bytes.subarray(index + length)]);
    else bytes = Buffer.concat([bytes.subarray(0, index + length), bytes.subarray(index, index + length), bytes.subarray(index + length)]);
  }
  return { kind: `${source.file} with ${mutations.length} mutations`, bytes: new Uint8Array(bytes.subarray(0, MAX_UPLOAD_BYTES)) };
});
const utf8 = (text: string) => new Uint8Array(Buffer.from(text, 'utf8'));
const prose = fc.array(fc.constantFrom('Reset the router.', 'Hold the button for ten seconds.', 'Le voyant clignote deux fois.', 'ルーターをリセットします。', 'مرحبا بالعالم', '😀 ok', '# Heading', '- item', '<p>para</p>', '\u202eevil\u202c', 'zero\u200bwidth', 'a\u0301e\u0301', '\t', '\n\n', '\r\n'), { minLength: 1, maxLength: 60 }).map((parts) => parts.join(' '));
const INVALID_UTF8 = [[0xff], [0xc0, 0xae], [0xed, 0xa0, 0x80], [0xf4, 0x90, 0x80, 0x80], [0xe2, 0x82], [0x80]];

const fileContent: fc.Arbitrary<FileContent> = fc.oneof(
  { weight: 3, arbitrary: fc.uint8Array({ maxLength: 4096 }).map((bytes): FileContent => ({ kind: 'random bytes', bytes })) },
  { weight: 3, arbitrary: truncatedPdf },
  { weight: 4, arbitrary: mutatedPdf },
  { weight: 1, arbitrary: fc.uint8Array({ maxLength: 2048 }).map((bytes): FileContent => ({ kind: '%PDF- then junk', bytes: new Uint8Array([...utf8('%PDF-1.7\n'), ...bytes]) })) },
  { weight: 3, arbitrary: prose.map((text): FileContent => ({ kind: 'text', bytes: utf8(text) })) },
  {
    weight: 2,
    arbitrary: fc.tuple(prose, fc.constantFrom(...INVALID_UTF8), fc.double({ min: 0, max: 1, noNaN: true })).map(([text, bad, at]): FileContent => {
      const bytes = utf8(text);
      const index = Math.floor(bytes.length * at);
      return { kind: 'text with invalid UTF-8', bytes: new Uint8Array([...bytes.subarray(0, index), ...bad, ...bytes.subarray(index)]) };
    }),
  },
  {
    weight: 2,
    arbitrary: fc.tuple(prose, fc.array(fc.integer({ min: 0, max: 0x1f }), { minLength: 1, maxLength: 30 })).map(([text, controls]): FileContent => ({
      kind: 'text with control characters',
      bytes: utf8(controls.reduce((acc, code, index) => { const at = (index * 7919) % (acc.length + 1); return acc.slice(0, at) + String.fromCharCode(code) + acc.slice(at); }, text)),
    })),
  },
  { weight: 1, arbitrary: fc.constantFrom<FileContent>({ kind: 'empty', bytes: new Uint8Array() }, { kind: 'whitespace', bytes: utf8(' \n\t\r\n ') }, { kind: 'BOM only', bytes: new Uint8Array([0xef, 0xbb, 0xbf]) }, { kind: 'UTF-16 BOM', bytes: new Uint8Array([0xff, 0xfe, 0x41, 0x00]) }) },
  { weight: 1, arbitrary: fc.integer({ min: 20_000, max: 200_000 }).map((size): FileContent => ({ kind: `${size} bytes of prose`, bytes: utf8('The router blinks twice. '.repeat(Math.ceil(size / 25)).slice(0, size)) })) },
  { weight: 1, arbitrary: fc.integer({ min: 1, max: 4096 }).map((extra): FileContent => ({ kind: `${extra} bytes over the limit`, bytes: new Uint8Array(MAX_UPLOAD_BYTES + extra).fill(0x61) })) },
);

/** title / externalId / file name values: ordinary, hostile, over the 300-character limit, over busboy's 4 KB field size. */
const fieldValue = fc.oneof(
  { weight: 3, arbitrary: fc.constantFrom('Manual', 'manual.pdf', 'ext-1', ' padded ', 'Заголовок', '😀') },
  { weight: 4, arbitrary: nastyString },
  { weight: 1, arbitrary: fc.integer({ min: 250, max: 20_000 }).map((size) => 't'.repeat(size)) },
  { weight: 1, arbitrary: fc.constantFrom('\u0000', 'a\u0000b', ' ', '\r\n', '"', '";name="file', '\r\n\r\n--x') },
);
const fileName = fc.oneof(fc.constantFrom('a.txt', 'b.md', 'c.pdf', 'd.html', 'noext', '../../etc/passwd', 'C:\\x\\y.txt', '.hidden', ''), nastyString, fc.integer({ min: 300, max: 5_000 }).map((size) => `${'n'.repeat(size)}.txt`));
const declaredType = fc.constantFrom('application/pdf', 'text/plain', 'application/octet-stream', 'text/html; charset=latin1', 'image/png', '', 'x');

/** Multipart by hand, for shapes the helper does not build (several file parts, raw bytes in a field, any header text). */
function rawMultipart(parts: { name: string; fileName?: string; type?: string; bytes: Uint8Array }[], boundary = `fuzz${Math.random().toString(36).slice(2)}`) {
  const chunks: Buffer[] = [];
  for (const part of parts) {
    const disposition = `form-data; name="${part.name}"${part.fileName === undefined ? '' : `; filename="${part.fileName}"`}`;
    chunks.push(Buffer.from(`--${boundary}\r\nContent-Disposition: ${disposition}\r\n${part.type === undefined ? '' : `Content-Type: ${part.type}\r\n`}\r\n`, 'utf8'), Buffer.from(part.bytes), Buffer.from('\r\n'));
  }
  chunks.push(Buffer.from(`--${boundary}--\r\n`));
  return { payload: Buffer.concat(chunks), contentType: `multipart/form-data; boundary=${boundary}` };
}

interface Upload {
  kind: string;
  payload: Buffer;
  contentType: string;
  describe: string;
}

// Mostly no or plain fields, so most uploads get past validation to the parser and the pipeline.
const fields = fc.oneof(
  { weight: 2, arbitrary: fc.constant({}) },
  { weight: 1, arbitrary: fc.record({ title: fc.constantFrom('Manual', 'Guide 😀', ' padded '), externalId: fc.constantFrom('ext-1', 'ext-2') }, { requiredKeys: [] }) },
  { weight: 2, arbitrary: fc.record({ title: fieldValue, externalId: fieldValue, note: fieldValue }, { requiredKeys: [] }) },
);
const described = (upload: Omit<Upload, 'describe'>, detail: string): Upload => {
  const describe = `${upload.kind} [${detail}] ${upload.payload.length} bytes, content-type ${upload.contentType.slice(0, 80)}`;
  return Object.assign({ ...upload, describe }, { [fc.toStringMethod]: () => describe });
};

const upload: fc.Arbitrary<Upload> = fc.oneof(
  {
    weight: 10,
    arbitrary: fc.tuple(fields, fileContent, fileName, declaredType).map(([values, content, name, type]) => {
      const body = multipartBody(values as Record<string, string>, { name, bytes: content.bytes, contentType: type });
      return described({ kind: 'one file', payload: body.payload, contentType: body.headers['content-type']! }, `${content.kind}; fields ${JSON.stringify(values).slice(0, 200)}; name ${JSON.stringify(name.slice(0, 60))}`);
    }),
  },
  {
    weight: 1,
    arbitrary: fields.map((values) => {
      const body = multipartBody(values as Record<string, string>, undefined);
      return described({ kind: 'no file part', payload: body.payload, contentType: body.headers['content-type']! }, JSON.stringify(values).slice(0, 200));
    }),
  },
  {
    weight: 1,
    arbitrary: fc.tuple(fc.array(fileContent, { minLength: 2, maxLength: 3 }), fc.constantFrom('file', 'file', 'files', 'other')).map(([contents, second]) => {
      const body = rawMultipart(contents.map((content, index) => ({ name: index === 0 ? 'file' : second, fileName: `f${index}.txt`, type: 'text/plain', bytes: content.bytes })));
      return described({ kind: 'several file parts', payload: body.payload, contentType: body.contentType }, contents.map((content) => content.kind).join(' + '));
    }),
  },
  {
    weight: 1,
    arbitrary: fc.tuple(fileContent, fc.constantFrom('upload', 'File', 'title', '')).map(([content, field]) => {
      const body = multipartBody({}, { name: 'x.txt', bytes: content.bytes }, field);
      return described({ kind: `file under "${field}"`, payload: body.payload, contentType: body.headers['content-type']! }, content.kind);
    }),
  },
  {
    weight: 1,
    arbitrary: fc.tuple(fileContent, fc.constantFrom(...INVALID_UTF8), fc.constantFrom('title', 'externalId')).map(([content, bad, field]) => {
      const body = rawMultipart([{ name: field, bytes: new Uint8Array([0x61, ...bad, 0x62]) }, { name: 'file', fileName: 'x.txt', bytes: content.bytes }]);
      return described({ kind: `invalid UTF-8 in ${field}`, payload: body.payload, contentType: body.contentType }, content.kind);
    }),
  },
  {
    weight: 1,
    arbitrary: fc.integer({ min: 11, max: 40 }).map((count) => {
      const body = multipartBody(Object.fromEntries(Array.from({ length: count }, (_, index) => [`f${index}`, 'v'])), { name: 'x.txt', bytes: utf8('hello there') });
      return described({ kind: `${count} fields`, payload: body.payload, contentType: body.headers['content-type']! }, '');
    }),
  },
  {
    weight: 2,
    arbitrary: fc.tuple(fileContent, fc.double({ min: 0, max: 1, noNaN: true })).map(([content, at]) => {
      const body = multipartBody({ title: 'cut' }, { name: 'x.txt', bytes: content.bytes });
      const cut = Math.floor(body.payload.length * at);
      return described({ kind: `multipart cut at ${cut}`, payload: body.payload.subarray(0, cut), contentType: body.headers['content-type']! }, content.kind);
    }),
  },
  {
    weight: 2,
    arbitrary: fc.tuple(fileContent, fc.constantFrom('application/json', 'text/plain', 'application/octet-stream', 'multipart/form-data', 'multipart/form-data; boundary=', 'multipart/form-data; boundary=nomatch', 'multipart/mixed; boundary=x', 'application/x-www-form-urlencoded')).map(([content, type]) =>
      described({ kind: `raw body as ${type}`, payload: Buffer.from(content.bytes), contentType: type }, content.kind),
    ),
  },
);

const accepted = z.object({ documentId: z.string().uuid(), versionId: z.string().uuid(), jobId: z.string().min(1).nullable(), status: z.string(), deduplicated: z.boolean() }).strict();
const jobView = z.object({ state: z.enum(['queued', 'active', 'completed', 'failed']), error: z.object({ code: z.string(), message: z.string() }).optional() }).passthrough();

/** Outcomes per kind of upload, printed at the end: shows which inputs were ingested and which refused. */
const tally = new Map<string, number>();

afterAll(() => {
  console.log([...tally].sort(([a], [b]) => a.localeCompare(b)).map(([key, count]) => `${key}: ${count}`).join('\n'));
});

async function settle(what: string): Promise<void> {
  await withDeadline(t.idle(), `${what}: job queue idle`, IDLE_DEADLINE_MS);
}

describe('upload fuzzing', () => {
  it('never a 5xx, a hang or a partial row; jobs end; the ingestion tables keep their invariants', async () => {
    await fc.assert(
      fc.asyncProperty(upload, async (request) => {
        const before = await rowCounts(t.container.store);
        const response = await withDeadline(t.app.inject({ method: 'POST', url: URL, headers: { ...bearer(t.adminKey), 'content-type': request.contentType }, payload: request.payload }), request.describe);
        const code = expectHandled(response, request.describe);
        if (response.statusCode === 202) {
          const body = accepted.parse(response.json());
          await settle(request.describe);
          if (body.jobId !== null) {
            const job = jobView.parse((await t.app.inject({ method: 'GET', url: `/v1/jobs/${encodeURIComponent(body.jobId)}`, headers: bearer(t.adminKey) })).json());
            expect(['completed', 'failed'], `${request.describe}: job ${JSON.stringify(job)}`).toContain(job.state);
            if (job.state === 'failed') expect(job.error?.code, request.describe).toBeTypeOf('string');
            tally.set(`202 → job ${job.state}${job.error ? ` ${job.error.code}` : ''}`, (tally.get(`202 → job ${job.state}${job.error ? ` ${job.error.code}` : ''}`) ?? 0) + 1);
          }
          expect(await chunksNotMatchingText(t.container.store, [body.versionId]), request.describe).toEqual([]);
        } else {
          expect(response.statusCode, `${request.describe}: ${response.body.slice(0, 300)}`).toBeGreaterThanOrEqual(400);
          // A refused upload leaves nothing behind: no document, no version, no bytes.
          expect(await rowCounts(t.container.store), `${request.describe}: rows after ${response.statusCode} ${code}`).toEqual(before);
          tally.set(`${response.statusCode} ${code}`, (tally.get(`${response.statusCode} ${code}`) ?? 0) + 1);
          await settle(request.describe);
        }
        expect(await brokenInvariants(t.container.store, { settled: true }), request.describe).toEqual({});
      }),
      fuzzSettings(40),
    );
  }, 600_000);

  it('every chunk ingested during the run is its version text sliced at its offsets', async () => {
    await settle('final check');
    // The run must have ingested something, or this check would pass on nothing.
    const [ready] = await t.container.store.query<{ count: number }>(sql`select count(*)::int as count from chunks`);
    expect(Number(ready?.count)).toBeGreaterThan(0);
    expect(await chunksNotMatchingText(t.container.store)).toEqual([]);
    expect(await brokenInvariants(t.container.store, { settled: true })).toEqual({});
  });
});

/** Minimal counterexamples the fuzzer found, kept as plain regressions. */
describe('upload fuzzing: regressions', () => {
  const post = (payload: Buffer, contentType: string) =>
    withDeadline(t.app.inject({ method: 'POST', url: URL, headers: { ...bearer(t.adminKey), 'content-type': contentType }, payload }), `upload as ${contentType}`);

  it('a multipart body with an empty boundary is a 400 (was 500: "Unexpected end of multipart data")', async () => {
    const before = await rowCounts(t.container.store);
    const response = await post(Buffer.from([0x61]), 'multipart/form-data; boundary=');
    expect(response.statusCode, response.body).toBe(400);
    expect(response.json().error.code).toBe('BAD_REQUEST');
    expect(await rowCounts(t.container.store)).toEqual(before);
  });

  it('a multipart body cut in the middle of the file is a 400 and stores nothing', async () => {
    const before = await rowCounts(t.container.store);
    const body = multipartBody({ title: 'cut' }, { name: 'x.txt', bytes: 'The router blinks twice.' });
    const response = await post(body.payload.subarray(0, body.payload.length - 20), body.headers['content-type']!);
    expect(response.statusCode, response.body).toBe(400);
    expect(response.json().error.code).toBe('BAD_REQUEST');
    expect(await rowCounts(t.container.store)).toEqual(before);
  });

  it('a 20000-byte part whose file name holds a bare line feed is a 400, not a request that never answers', async () => {
    const before = await rowCounts(t.container.store);
    const body = multipartBody({}, { name: '\n', bytes: 'The router blinks twice. '.repeat(800) });
    const response = await post(body.payload, body.headers['content-type']!);
    expect(response.statusCode, response.body).toBe(400);
    expect(response.json().error.code).toBe('BAD_REQUEST');
    expect(await rowCounts(t.container.store)).toEqual(before);
  });

  it('NUL in title or externalId is a 400 and stores nothing (was 500: {"title":"\\u0000"} reached the documents insert)', async () => {
    for (const fieldsWithNul of [{ title: '\u0000' }, { externalId: '\u0000' }, { title: 'a\u0000b' }] as Record<string, string>[]) {
      const before = await rowCounts(t.container.store);
      const body = multipartBody(fieldsWithNul, { name: 'x.txt', bytes: 'Hold the button for ten seconds.' });
      const response = await post(body.payload, body.headers['content-type']!);
      expect(response.statusCode, JSON.stringify(fieldsWithNul)).toBe(400);
      expect(response.json().error.code).toBe('VALIDATION_FAILED');
      expect(await rowCounts(t.container.store)).toEqual(before);
    }
  });
});
