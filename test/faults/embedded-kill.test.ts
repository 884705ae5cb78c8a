import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { bearer } from '../helpers/app';
import { multipartBody } from '../helpers/ingestion';
import { killAll, killGroup, startServer, type ChildEnv, type ChildHandle } from '../helpers/processes';
import { freePort } from '../helpers/redis-server';

/**
 * The API process of the embedded default (PGlite on its worker thread, in-process jobs) SIGKILLed right after
 * it answered (issue 28): what it had confirmed is on disk when a server starts again on the same DATA_DIR.
 * The worker answers a statement only once PGlite returned from it, and PGlite writes through to the data
 * directory's files (NODEFS, fsync off: the kernel has the pages, so a killed process loses nothing; a power
 * cut is another matter, as it was in-process).
 * - uploads answered 202: their documents, versions and jobs, and the jobs then complete;
 * - an answer's trace once read back (a trace is batched for up to 50 ms after its answer, by design:
 *   TraceLog; reading it flushes it).
 */
const WARRANTY = 'Warranty terms\n\nThe warranty period is two years from the date of purchase. It covers the motor.\n';
const UPLOADS = [
  { title: 'returns.txt', text: 'Returns policy\n\nUnused items can be returned within thirty days for a full refund.\n' },
  { title: 'shipping.txt', text: 'Shipping\n\nOrders ship within two business days from the Rotterdam warehouse.\n' },
  { title: 'support.txt', text: 'Support hours\n\nThe support desk answers calls on weekdays from nine to five.\n' },
];

const uploaded = z.object({ documentId: z.string(), versionId: z.string(), jobId: z.string() });
const jobState = z.object({ state: z.string() });

describe('embedded default: the API process SIGKILLed right after it answered', () => {
  let dataDir: string;
  let base: string;
  let env: ChildEnv;
  const key = `attest-test-${randomBytes(12).toString('hex')}`;
  const servers: ChildHandle[] = [];

  const api = (path: string, init: RequestInit = {}) => fetch(`${base}${path}`, { ...init, headers: { ...bearer(key), ...(init.headers as Record<string, string>) } });

  async function start(): Promise<ChildHandle> {
    const server = await startServer(env, base);
    servers.push(server);
    return server;
  }

  async function uploadText(title: string, text: string): Promise<z.infer<typeof uploaded>> {
    const body = multipartBody({ title }, { name: title, bytes: text, contentType: 'text/plain' });
    const response = await api('/v1/corpora/kb/documents', { method: 'POST', headers: body.headers, body: new Uint8Array(body.payload) });
    expect(response.status).toBe(202);
    return uploaded.parse(await response.json());
  }

  async function waitForJob(jobId: string): Promise<string> {
    const deadline = Date.now() + 60_000;
    for (;;) {
      const response = await api(`/v1/jobs/${jobId}`);
      expect(response.status).toBe(200);
      const { state } = jobState.parse(await response.json());
      if (state === 'completed' || state === 'failed' || Date.now() > deadline) return state;
      await new Promise((resolveSleep) => setTimeout(resolveSleep, 100));
    }
  }

  beforeAll(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'attest-embedded-kill-'));
    const port = await freePort();
    base = `http://127.0.0.1:${port}`;
    env = {
      PORT: String(port),
      HOST: '127.0.0.1',
      DATA_DIR: dataDir,
      BOOTSTRAP_API_KEY: key,
      LOG_LEVEL: 'warn',
      // The embedded store, whatever the test process has: PGlite on its worker thread and in-process jobs.
      DATABASE_URL: undefined,
      REDIS_URL: undefined,
      PGLITE_WORKER: 'on',
      GENERATORS: undefined,
      MODELS_DIR: undefined,
      NODE_ENV: 'test',
    };
    await start();
    const created = await api('/v1/corpora', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ name: 'kb' }) });
    expect(created.status).toBe(201);
    const first = await uploadText('warranty.txt', WARRANTY);
    expect(await waitForJob(first.jobId)).toBe('completed');
  }, 120_000);

  afterAll(async () => {
    await killAll(servers);
    if (dataDir) await rm(dataDir, { recursive: true, force: true });
  }, 30_000);

  it('keeps every accepted upload and its job, and the answer trace it returned, for the server started again', async () => {
    const answered = await api('/v1/corpora/kb/answers', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ question: 'How long is the warranty period?' }) });
    expect(answered.status).toBe(200);
    const { traceId } = z.object({ traceId: z.string() }).parse(await answered.json());
    expect((await api(`/v1/traces/${traceId}`)).status).toBe(200);
    const accepted = [];
    for (const document of UPLOADS) accepted.push(await uploadText(document.title, document.text));

    // At once: the uploads' jobs are queued or running in the process being killed.
    const server = servers.at(-1)!;
    killGroup(server, 'SIGKILL');
    await server.exited;

    await start();
    expect((await api(`/v1/traces/${traceId}`)).status).toBe(200);
    const listed = z.object({ documents: z.array(z.object({ id: z.string() })) }).parse(await (await api('/v1/corpora/kb/documents')).json());
    for (const document of accepted) {
      expect(listed.documents.map((row) => row.id)).toContain(document.documentId);
      // The recovery sweep at start re-queues what the killed process had not finished.
      expect(await waitForJob(document.jobId)).toBe('completed');
    }
    const search = await api('/v1/corpora/kb/answers', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ question: 'How many days do I have to return unused items?' }) });
    expect(search.status).toBe(200);
    expect(JSON.stringify(await search.json())).toMatch(/thirty days/u);
  }, 180_000);
});
