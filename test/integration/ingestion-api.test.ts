import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bearer, createTestApp, type TestApp } from '../helpers/app';
import { storeTargets } from '../helpers/stores';
import { createCorpus, getCorpusView, getDocument, readPdf, search, upload, uploadRequest, waitForJob } from '../helpers/ingestion';

/**
 * The ingestion HTTP API end to end on the embedded job runner: upload, job
 * progress, document views, type sniffing, limits, versioning, delete and
 * tenant isolation, on PGlite and (when reachable) real PostgreSQL.
 */
const targets = await storeTargets('ingestion API');

const MARKDOWN = `# Returns policy

Customers may return any item within 30 days of delivery.

## Refunds

Refunds are issued to the original payment method within five business days.
`;

const HTML = `<!doctype html>
<html><head><title>Shipping</title><style>body { color: red }</style></head>
<body><h1>Shipping guide</h1><p>Parcels leave the warehouse every weekday before noon.</p>
<script>var hidden = "never indexed";</script>
<h2>International</h2><p>International orders clear customs in three to seven days.</p></body></html>`;

const TEXT = 'The warranty covers manufacturing defects for two years from the date of purchase.\n\nAccidental damage is not covered.\n';


async function count(t: TestApp, query: ReturnType<typeof sql>): Promise<number> {
  const [row] = await t.container.store.query<{ n: number | string }>(query);
  return Number(row?.n ?? 0);
}

describe.each(targets)('ingestion API on $name', (target) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp({ store: await target.open(), env: { PDF_TIMEOUT_MS: '10000' } });
    await createCorpus(t, 'docs');
  });
  afterAll(async () => {
    await t?.close();
  });

  it('uploads Markdown: 202, the job reaches completed with progress, the document lists its version', async () => {
    const answer = await upload(t, 'docs', { name: 'returns.md', bytes: MARKDOWN, contentType: 'text/markdown' });
    expect(answer).toMatchObject({ status: 'pending', deduplicated: false });
    expect(answer.documentId).toMatch(/^[0-9a-f-]{36}$/);
    expect(answer.versionId).toMatch(/^[0-9a-f-]{36}$/);
    expect(typeof answer.jobId).toBe('string');

    const job = await waitForJob(t, answer.jobId!);
    expect(job).toMatchObject({ id: answer.jobId, state: 'completed' });
    expect(job.error).toBeUndefined();
    expect(job.progress).toEqual({ stage: 'index', done: expect.any(Number), total: expect.any(Number) });
    expect(job.progress.done).toBe(job.progress.total);
    expect(job.progress.total).toBeGreaterThan(0);

    const response = await getDocument(t, answer.documentId);
    expect(response.statusCode).toBe(200);
    const document = response.json();
    // The title is the document's own first heading, not its file name.
    expect(document).toMatchObject({ id: answer.documentId, title: 'Returns policy', status: 'ready' });
    expect(document.versions).toHaveLength(1);
    const [version] = document.versions;
    expect(version).toMatchObject({ id: answer.versionId, status: 'ready', pages: null, bytes: Buffer.byteLength(MARKDOWN), mime: 'text/markdown' });
    expect(version.chunkCount).toBeGreaterThan(0);
    expect(new Date(version.createdAt).toString()).not.toBe('Invalid Date');
    expect(version.error).toBeUndefined();

    const hits = await search(t, 'docs', 'refunds payment method');
    expect(hits.some((hit) => hit.documentId === answer.documentId)).toBe(true);
  });

  it('ingests HTML (visible text only) and plain text, each typed from its bytes', async () => {
    const html = await upload(t, 'docs', { name: 'shipping.txt', bytes: HTML, contentType: 'text/plain' }, { title: 'Shipping guide' });
    const text = await upload(t, 'docs', { name: 'warranty', bytes: TEXT, contentType: 'application/octet-stream' });
    for (const answer of [html, text]) expect((await waitForJob(t, answer.jobId!)).state).toBe('completed');

    const htmlDoc = (await getDocument(t, html.documentId)).json();
    expect(htmlDoc).toMatchObject({ title: 'Shipping guide', status: 'ready' });
    expect(htmlDoc.versions[0]).toMatchObject({ mime: 'text/html', status: 'ready' });
    expect(htmlDoc.versions[0].chunkCount).toBeGreaterThan(0);
    const textDoc = (await getDocument(t, text.documentId)).json();
    expect(textDoc.versions[0]).toMatchObject({ mime: 'text/plain', status: 'ready' });

    const [normalized] = await t.container.store.query<{ normalized_text: string }>(
      sql`SELECT normalized_text FROM document_versions WHERE id = ${html.versionId}::uuid`,
    );
    expect(normalized?.normalized_text).toContain('Parcels leave the warehouse');
    expect(normalized?.normalized_text).not.toContain('never indexed');
    expect(normalized?.normalized_text).not.toContain('color: red');
  });

  it('ingests text that contains tokenizer special-token strings such as <|endoftext|>', async () => {
    const text = 'Prompt formats end each sample with <|endoftext|> and fill-in-the-middle uses <|fim_prefix|> markers.\n\nThe tokenizer docs list them.\n';
    const answer = await upload(t, 'docs', { name: 'tokens.txt', bytes: text });
    const job = await waitForJob(t, answer.jobId!);
    expect(job.state, JSON.stringify(job.error)).toBe('completed');
    const hits = await search(t, 'docs', 'endoftext fim_prefix markers');
    expect(hits.some((hit) => hit.documentId === answer.documentId)).toBe(true);
  });

  it('decides PDF from the bytes whatever the name says, with page counts', async () => {
    const answer = await upload(t, 'docs', { name: 'notes.txt', bytes: readPdf('born-digital/file_pdfjs_test.pdf'), contentType: 'text/plain' });
    const job = await waitForJob(t, answer.jobId!);
    expect(job.state, JSON.stringify(job.error)).toBe('completed');
    const document = (await getDocument(t, answer.documentId)).json();
    expect(document.versions[0]).toMatchObject({ mime: 'application/pdf', pages: 5, status: 'ready' });
  });

  // PNG is read now (OCR); GIF is still not a format we read.
  it('refuses a GIF named .md with 415 UNSUPPORTED_MEDIA_TYPE', async () => {
    const gif = new Uint8Array([0x47, 0x49, 0x46, 0x38, 0x39, 0x61, 1, 0, 1, 0, 0, 0, 0]);
    const response = await uploadRequest(t, 'docs', { name: 'picture.md', bytes: gif, contentType: 'text/markdown' });
    expect(response.statusCode).toBe(415);
    expect(response.json().error.code).toBe('UNSUPPORTED_MEDIA_TYPE');
  });

  it('refuses an empty file with 422 EMPTY_FILE and a missing file field with 400', async () => {
    const empty = await uploadRequest(t, 'docs', { name: 'empty.txt', bytes: new Uint8Array(0) });
    expect(empty.statusCode).toBe(422);
    expect(empty.json().error.code).toBe('EMPTY_FILE');
    const blank = await uploadRequest(t, 'docs', { name: 'blank.txt', bytes: '  \n\t\n' });
    expect(blank.statusCode).toBe(422);
    expect(blank.json().error.code).toBe('EMPTY_FILE');

    const missing = await uploadRequest(t, 'docs', undefined, { title: 'no file here' });
    expect(missing.statusCode).toBe(400);
    expect(missing.json().error.code).toBe('VALIDATION_FAILED');
  });

  it('answers 404 CORPUS_NOT_FOUND for an upload to an unknown corpus', async () => {
    const response = await uploadRequest(t, 'no-such-corpus', { name: 'a.txt', bytes: TEXT });
    expect(response.statusCode).toBe(404);
    expect(response.json().error.code).toBe('CORPUS_NOT_FOUND');
  });

  it('re-uploading identical bytes is a no-op: deduplicated, same version, no new job', async () => {
    const first = await upload(t, 'docs', { name: 'dedup.txt', bytes: 'Dedup sample: the quick brown fox.\n' });
    await waitForJob(t, first.jobId!);
    const jobsBefore = await count(t, sql`SELECT count(*) AS n FROM jobs`);
    const again = await upload(t, 'docs', { name: 'dedup.txt', bytes: 'Dedup sample: the quick brown fox.\n' });
    expect(again).toMatchObject({ documentId: first.documentId, versionId: first.versionId, jobId: first.jobId, deduplicated: true, status: 'ready' });
    expect(await count(t, sql`SELECT count(*) AS n FROM jobs`)).toBe(jobsBefore);
    const document = (await getDocument(t, first.documentId)).json();
    expect(document.versions).toHaveLength(1);
  });

  it('new bytes under the same externalId make a new version; the old one is superseded and leaves search', async () => {
    const oldText = 'Our helpdesk mascot is the zanzibarquokka.\n\nSupport hours are nine to five on weekdays.\n';
    const newText = 'Support hours are eight to six on weekdays, and ten to two on Saturdays.\n';
    const v1 = await upload(t, 'docs', { name: 'hours-v1.txt', bytes: oldText }, { externalId: 'kb-42', title: 'Support hours' });
    expect((await waitForJob(t, v1.jobId!)).state).toBe('completed');
    const before = await search(t, 'docs', 'zanzibarquokka');
    expect(before.some((hit) => hit.versionId === v1.versionId)).toBe(true);

    const v2 = await upload(t, 'docs', { name: 'hours-v2.txt', bytes: newText }, { externalId: 'kb-42', title: 'Support hours' });
    expect(v2).toMatchObject({ documentId: v1.documentId, deduplicated: false });
    expect(v2.versionId).not.toBe(v1.versionId);
    expect((await waitForJob(t, v2.jobId!)).state).toBe('completed');

    const document = (await getDocument(t, v1.documentId)).json();
    expect(document.status).toBe('ready');
    expect(document.versions.map((version: { id: string; status: string }) => [version.id, version.status])).toEqual([
      [v1.versionId, 'superseded'],
      [v2.versionId, 'ready'],
    ]);
    for (const mode of ['bm25', 'vector', 'hybrid']) {
      const response = await t.app.inject({ method: 'POST', url: '/v1/corpora/docs/search', headers: bearer(t.adminKey), payload: { query: 'zanzibarquokka', k: 50, mode } });
      expect(response.statusCode).toBe(200);
      const hits = response.json().results as { versionId: string }[];
      expect(hits.some((hit) => hit.versionId === v1.versionId), mode).toBe(false);
    }
    const current = await search(t, 'docs', 'Saturdays support hours');
    expect(current.some((hit) => hit.versionId === v2.versionId)).toBe(true);
    // The old version's rows stay (old traces cite them) but nothing of it is indexed.
    expect(await count(t, sql`SELECT count(*) AS n FROM build_chunks bc JOIN chunks c ON c.id = bc.chunk_id WHERE c.version_id = ${v1.versionId}::uuid`)).toBe(0);
    expect(await count(t, sql`SELECT count(*) AS n FROM chunk_vectors cv JOIN chunks c ON c.id = cv.chunk_id WHERE c.version_id = ${v1.versionId}::uuid`)).toBe(0);
  });

  it('new bytes under the same title (no externalId) make a new version of the same document', async () => {
    const v1 = await upload(t, 'docs', { name: 'a.txt', bytes: 'Version one of the onboarding checklist.\n' }, { title: 'Onboarding' });
    await waitForJob(t, v1.jobId!);
    const v2 = await upload(t, 'docs', { name: 'b.txt', bytes: 'Version two of the onboarding checklist.\n' }, { title: 'Onboarding' });
    expect(v2.documentId).toBe(v1.documentId);
    expect(v2.versionId).not.toBe(v1.versionId);
    await waitForJob(t, v2.jobId!);
    const document = (await getDocument(t, v1.documentId)).json();
    expect(document.versions.map((version: { id: string }) => version.id)).toEqual([v1.versionId, v2.versionId]);
    expect(document.versions.map((version: { status: string }) => version.status)).toEqual(['superseded', 'ready']);
  });

  it('uploading an older version\'s bytes again (A → B → A) makes A live again', async () => {
    const a = 'Returns are accepted within thirty days with the receipt.\n';
    const b = 'Returns are accepted within fourteen days, receipt or not.\n';
    const v1 = await upload(t, 'docs', { name: 'returns.txt', bytes: a }, { externalId: 'kb-returns' });
    await waitForJob(t, v1.jobId!);
    const v2 = await upload(t, 'docs', { name: 'returns.txt', bytes: b }, { externalId: 'kb-returns' });
    await waitForJob(t, v2.jobId!);
    const back = await upload(t, 'docs', { name: 'returns.txt', bytes: a }, { externalId: 'kb-returns' });
    expect(back).toMatchObject({ versionId: v1.versionId, deduplicated: true, status: 'pending' });
    expect(back.jobId).not.toBe(v1.jobId);
    expect((await waitForJob(t, back.jobId!)).state).toBe('completed');
    const document = (await getDocument(t, v1.documentId)).json();
    const statuses = Object.fromEntries(document.versions.map((version: { id: string; status: string }) => [version.id, version.status]));
    expect(statuses).toEqual({ [v1.versionId]: 'ready', [v2.versionId]: 'superseded' });
    const hits = await search(t, 'docs', 'returns thirty days receipt');
    expect(hits.some((hit) => hit.versionId === v1.versionId)).toBe(true);
    expect(hits.some((hit) => hit.versionId === v2.versionId)).toBe(false);
  });

  it('DELETE removes chunks, postings, build rows and vectors, bumps the generation, then 404s', async () => {
    await createCorpus(t, 'deletions');
    const keep = await upload(t, 'deletions', { name: 'keep.txt', bytes: 'The kept document talks about invoices and billing cycles.\n' });
    const gone = await upload(t, 'deletions', { name: 'gone.md', bytes: '# Xylophonist rota\n\nThe xylophonist rota is posted every Monday.\n' });
    for (const answer of [keep, gone]) expect((await waitForJob(t, answer.jobId!)).state).toBe('completed');
    const hits = await search(t, 'deletions', 'xylophonist rota');
    expect(hits.some((hit) => hit.documentId === gone.documentId)).toBe(true);

    const chunkIds = (await t.container.store.query<{ id: string }>(sql`SELECT id FROM chunks WHERE document_id = ${gone.documentId}::uuid`)).map((row) => row.id);
    expect(chunkIds.length).toBeGreaterThan(0);
    const ids = sql.param(chunkIds);
    expect(await count(t, sql`SELECT count(*) AS n FROM all_postings WHERE chunk_id = ANY(${ids}::uuid[])`)).toBeGreaterThan(0);
    expect(await count(t, sql`SELECT count(*) AS n FROM build_chunks WHERE chunk_id = ANY(${ids}::uuid[])`)).toBeGreaterThan(0);
    expect(await count(t, sql`SELECT count(*) AS n FROM chunk_vectors WHERE chunk_id = ANY(${ids}::uuid[])`)).toBeGreaterThan(0);
    const generation = (await getCorpusView(t, 'deletions')).generation;

    const deleted = await t.app.inject({ method: 'DELETE', url: `/v1/documents/${gone.documentId}`, headers: bearer(t.adminKey) });
    expect(deleted.statusCode).toBe(204);
    expect(deleted.body).toBe('');

    expect(await count(t, sql`SELECT count(*) AS n FROM chunks WHERE id = ANY(${ids}::uuid[])`)).toBe(0);
    expect(await count(t, sql`SELECT count(*) AS n FROM all_postings WHERE chunk_id = ANY(${ids}::uuid[])`)).toBe(0);
    expect(await count(t, sql`SELECT count(*) AS n FROM build_chunks WHERE chunk_id = ANY(${ids}::uuid[])`)).toBe(0);
    expect(await count(t, sql`SELECT count(*) AS n FROM chunk_vectors WHERE chunk_id = ANY(${ids}::uuid[])`)).toBe(0);
    expect((await getCorpusView(t, 'deletions')).generation).toBeGreaterThan(generation);
    for (const mode of ['bm25', 'vector', 'hybrid+rerank']) {
      const response = await t.app.inject({ method: 'POST', url: '/v1/corpora/deletions/search', headers: bearer(t.adminKey), payload: { query: 'xylophonist rota', k: 50, mode } });
      expect(response.statusCode).toBe(200);
      expect(response.json().results.some((hit: { documentId: string }) => hit.documentId === gone.documentId), mode).toBe(false);
    }
    expect((await getDocument(t, gone.documentId)).statusCode).toBe(404);
    expect((await getDocument(t, keep.documentId)).statusCode).toBe(200);
    const again = await t.app.inject({ method: 'DELETE', url: `/v1/documents/${gone.documentId}`, headers: bearer(t.adminKey) });
    expect(again.statusCode).toBe(404);
    expect(again.json().error.code).toBe('DOCUMENT_NOT_FOUND');

    // BM25 statistics stay equal to a recount after the delete.
    const build = (await getCorpusView(t, 'deletions')).activeBuildId;
    const [stats] = await t.container.store.query<{ doc_count: number | string; total_length: number | string }>(
      sql`SELECT doc_count, total_length FROM build_term_stats WHERE build_id = ${build}::uuid`,
    );
    const [recount] = await t.container.store.query<{ n: number | string; len: number | string | null }>(
      sql`SELECT count(*) AS n, sum(doc_length) AS len FROM build_chunks WHERE build_id = ${build}::uuid`,
    );
    expect(Number(stats?.doc_count)).toBe(Number(recount?.n));
    expect(Number(stats?.total_length)).toBe(Number(recount?.len ?? 0));
  });

  it("keeps tenants apart: another tenant gets 404 for the document, its job and the corpus's list", async () => {
    await createCorpus(t, 'private-kb');
    const answer = await upload(t, 'private-kb', { name: 'secret.txt', bytes: 'Tenant A confidential escalation runbook.\n' });
    await waitForJob(t, answer.jobId!);
    const otherKey = await t.keyFor('tenant-other', ['admin', 'ingest', 'query']);

    const document = await getDocument(t, answer.documentId, otherKey);
    expect(document.statusCode).toBe(404);
    expect(document.json().error.code).toBe('DOCUMENT_NOT_FOUND');
    const job = await t.app.inject({ method: 'GET', url: `/v1/jobs/${answer.jobId}`, headers: bearer(otherKey) });
    expect(job.statusCode).toBe(404);
    expect(job.json().error.code).toBe('JOB_NOT_FOUND');
    const corpus = await getCorpusView(t, 'private-kb');
    for (const ref of ['private-kb', corpus.id]) {
      const list = await t.app.inject({ method: 'GET', url: `/v1/corpora/${ref}/documents`, headers: bearer(otherKey) });
      expect(list.statusCode).toBe(404);
      expect(list.json().error.code).toBe('CORPUS_NOT_FOUND');
    }
    const del = await t.app.inject({ method: 'DELETE', url: `/v1/documents/${answer.documentId}`, headers: bearer(otherKey) });
    expect(del.statusCode).toBe(404);
    const up = await uploadRequest(t, 'private-kb', { name: 'x.txt', bytes: 'intrusion' }, {}, otherKey);
    expect(up.statusCode).toBe(404);
    // Still there for its owner.
    expect((await getDocument(t, answer.documentId)).statusCode).toBe(200);
    const own = await t.app.inject({ method: 'GET', url: '/v1/corpora/private-kb/documents', headers: bearer(t.adminKey) });
    expect(own.json().documents.map((doc: { id: string }) => doc.id)).toEqual([answer.documentId]);
  });

  it('requires the ingest scope to upload and delete', async () => {
    const queryKey = await t.keyFor('default', ['query']);
    const response = await uploadRequest(t, 'docs', { name: 'a.txt', bytes: TEXT }, {}, queryKey);
    expect(response.statusCode).toBe(403);
  });
});

describe('upload size limit', () => {
  let t: TestApp;
  beforeAll(async () => {
    const [pglite] = targets;
    t = await createTestApp({ store: await pglite!.open(), env: { MAX_UPLOAD_BYTES: '1024' } });
    await createCorpus(t, 'small');
  });
  afterAll(async () => {
    await t?.close();
  });

  it('answers 413 PAYLOAD_TOO_LARGE for a file over MAX_UPLOAD_BYTES', async () => {
    const response = await uploadRequest(t, 'small', { name: 'big.txt', bytes: 'a'.repeat(200_000) });
    expect(response.statusCode).toBe(413);
    expect(response.json().error.code).toBe('PAYLOAD_TOO_LARGE');
  });

  it('answers 413 for a file just over the limit inside a body under the transport allowance', async () => {
    const response = await uploadRequest(t, 'small', { name: 'big.txt', bytes: 'word '.repeat(300) });
    expect(response.statusCode).toBe(413);
    expect(response.json().error.code).toBe('PAYLOAD_TOO_LARGE');
  });

  it('accepts a file at the limit', async () => {
    const response = await uploadRequest(t, 'small', { name: 'ok.txt', bytes: 'word '.repeat(200) });
    expect(response.statusCode, response.body).toBe(202);
    await t.idle();
  });
});
