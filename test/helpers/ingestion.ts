import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { expect } from 'vitest';
import type { TestApp } from './app';
import { bearer } from './app';

/** The shared PDF set, read in place (third-party files are never copied into the repo). */
export const PDF_DIR = resolve(process.cwd(), '../shared/datasets/pdfs');

export interface PdfManifestEntry {
  file: string;
  category: string;
  bytes: number;
  pages: number | null;
  password: string | null;
  encrypted: boolean | null;
  pdfjs_6_5_438: { opened: boolean; pages: number | null; nonspace_chars: number | null; error: string | null };
}

export function pdfManifest(): PdfManifestEntry[] {
  return readFileSync(resolve(PDF_DIR, 'manifest.jsonl'), 'utf8')
    .split('\n')
    .filter((line) => line.trim().length > 0)
    .map((line) => JSON.parse(line) as PdfManifestEntry);
}

export function readPdf(file: string): Uint8Array {
  return new Uint8Array(readFileSync(resolve(PDF_DIR, file)));
}

export interface UploadFile {
  name: string;
  bytes: Uint8Array | string;
  contentType?: string;
}

/**
 * A multipart/form-data body built by hand (RFC 7578), so tests control every
 * byte: text fields first, then the file part (omitted when `file` is undefined).
 */
export function multipartBody(fields: Record<string, string>, file: UploadFile | undefined, fileField = 'file'): { payload: Buffer; headers: Record<string, string> } {
  const boundary = `----attest-test-${Math.random().toString(36).slice(2)}${Date.now().toString(36)}`;
  const parts: Buffer[] = [];
  for (const [name, value] of Object.entries(fields)) {
    parts.push(Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="${name}"\r\n\r\n${value}\r\n`, 'utf8'));
  }
  if (file) {
    parts.push(
      Buffer.from(
        `--${boundary}\r\nContent-Disposition: form-data; name="${fileField}"; filename="${file.name}"\r\n` +
          `Content-Type: ${file.contentType ?? 'application/octet-stream'}\r\n\r\n`,
        'utf8',
      ),
    );
    parts.push(typeof file.bytes === 'string' ? Buffer.from(file.bytes, 'utf8') : Buffer.from(file.bytes.buffer, file.bytes.byteOffset, file.bytes.byteLength));
    parts.push(Buffer.from('\r\n', 'utf8'));
  }
  parts.push(Buffer.from(`--${boundary}--\r\n`, 'utf8'));
  return { payload: Buffer.concat(parts), headers: { 'content-type': `multipart/form-data; boundary=${boundary}` } };
}

export async function createCorpus(t: TestApp, name: string, key = t.adminKey): Promise<{ id: string; name: string; activeBuildId: string; generation: number }> {
  const response = await t.app.inject({ method: 'POST', url: '/v1/corpora', headers: bearer(key), payload: { name } });
  expect(response.statusCode, response.body).toBe(201);
  return response.json();
}

export async function getCorpusView(t: TestApp, name: string, key = t.adminKey): Promise<{ id: string; activeBuildId: string; generation: number }> {
  const response = await t.app.inject({ method: 'GET', url: `/v1/corpora/${encodeURIComponent(name)}`, headers: bearer(key) });
  expect(response.statusCode, response.body).toBe(200);
  return response.json();
}

export function uploadRequest(t: TestApp, corpus: string, file: UploadFile | undefined, fields: Record<string, string> = {}, key = t.adminKey) {
  const body = multipartBody(fields, file);
  return t.app.inject({
    method: 'POST',
    url: `/v1/corpora/${encodeURIComponent(corpus)}/documents`,
    headers: { ...bearer(key), ...body.headers },
    payload: body.payload,
  });
}

export interface UploadAnswer {
  documentId: string;
  versionId: string;
  jobId: string | null;
  status: string;
  deduplicated: boolean;
}

/** Uploads and expects 202 with the documented shape. */
export async function upload(t: TestApp, corpus: string, file: UploadFile, fields: Record<string, string> = {}, key = t.adminKey): Promise<UploadAnswer> {
  const response = await uploadRequest(t, corpus, file, fields, key);
  expect(response.statusCode, response.body).toBe(202);
  const body = response.json() as UploadAnswer;
  expect(Object.keys(body).sort()).toEqual(['deduplicated', 'documentId', 'jobId', 'status', 'versionId']);
  return body;
}

export interface JobView {
  id: string;
  state: 'queued' | 'active' | 'completed' | 'failed';
  progress: { stage: string; done: number; total: number };
  error?: { code: string; message: string };
  result?: Record<string, unknown>;
}

/** Polls GET /v1/jobs/:id until the job is completed or failed; fails the test on timeout (never hangs). */
export async function waitForJob(t: TestApp, jobId: string, options: { key?: string; timeoutMs?: number } = {}): Promise<JobView> {
  const deadline = Date.now() + (options.timeoutMs ?? 30_000);
  let last: JobView | undefined;
  while (Date.now() < deadline) {
    const response = await t.app.inject({ method: 'GET', url: `/v1/jobs/${encodeURIComponent(jobId)}`, headers: bearer(options.key ?? t.adminKey) });
    expect(response.statusCode, response.body).toBe(200);
    last = response.json() as JobView;
    if (last.state === 'completed' || last.state === 'failed') return last;
    await new Promise((resolveSleep) => setTimeout(resolveSleep, 25));
  }
  throw new Error(`job ${jobId} did not finish in ${options.timeoutMs ?? 30_000} ms (last: ${JSON.stringify(last)})`);
}

export async function getDocument(t: TestApp, documentId: string, key = t.adminKey) {
  return t.app.inject({ method: 'GET', url: `/v1/documents/${documentId}`, headers: bearer(key) });
}

export interface SearchHit {
  chunkId: string;
  documentId: string;
  versionId: string;
  text: string;
}

export async function search(t: TestApp, corpus: string, query: string, k = 20, key = t.adminKey): Promise<SearchHit[]> {
  const response = await t.app.inject({
    method: 'POST',
    url: `/v1/corpora/${encodeURIComponent(corpus)}/search`,
    headers: bearer(key),
    payload: { query, k, mode: 'hybrid' },
  });
  expect(response.statusCode, response.body).toBe(200);
  return (response.json() as { results: SearchHit[] }).results;
}
