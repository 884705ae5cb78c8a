import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { bearer } from '../helpers/app';
import { multipartBody } from '../helpers/ingestion';
import { killAll, killGroup, SERVER_SCRIPT, startProcess, type ChildEnv, type ChildHandle } from '../helpers/processes';
import { freePort } from '../helpers/redis-server';
import { createTestDatabase, requireService } from '../helpers/services';
import { seedDataDir } from '../helpers/stores';

/**
 * The API process SIGKILLed in the middle of `DELETE /v1/documents/:id` (issue 23, item 1). The server runs as its
 * own process; a test build (NODE_ENV=test, ATTEST_TEST_PAUSE_DELETE_AFTER) pauses every delete after the named
 * step and says so, and the test kills it exactly there: after the chunks left both indexes, before the rows went,
 * which is where the probe's kills left a document reading `ready` with nothing searchable. The server started
 * again finishes the delete before it serves: the document is gone, search agrees, and the same bytes upload anew.
 * The embedded default (PGlite in a DATA_DIR) and PostgreSQL (in-process jobs).
 */
const postgresUp = await requireService('postgres', 'API killed during a delete (PostgreSQL)');

const paragraphs = Array.from({ length: 40 }, (_unused, index) => `Section ${index + 1}. The narwhal census of fjord ${index + 1} counted tusks, pods and calves in early spring, and the survey boat logged each sighting with its depth.`);
const DOCUMENT = `# Narwhal census\n\n${paragraphs.join('\n\n')}\n`;
const QUERY = 'narwhal census tusks fjord';

/** startServer's, with room for a first start's PGlite initdb on a busy machine (65 s measured at load 30 on 2 cores). */
function startServer(env: ChildEnv, base: string): Promise<ChildHandle> {
  const healthy = async () => (await fetch(`${base}/healthz`, { signal: AbortSignal.timeout(1_000) })).ok;
  return startProcess(['--import', 'tsx', SERVER_SCRIPT], { env, ready: healthy, what: 'server', timeoutMs: 180_000 });
}

const backends = [
  { name: 'embedded default (PGlite)', enabled: true },
  { name: 'PostgreSQL', enabled: postgresUp },
];

describe.each(backends.filter((backend) => backend.enabled))('API SIGKILLed during a delete: $name', (backend) => {
  const servers: ChildHandle[] = [];
  const cleanups: (() => Promise<void>)[] = [];
  afterAll(async () => {
    await killAll(servers);
    for (const cleanup of cleanups) await cleanup();
  }, 30_000);

  it('restarts into a consistent state: the document gone everywhere, and the same bytes upload and index anew', async () => {
    const port = await freePort();
    const base = `http://127.0.0.1:${port}`;
    const key = `attest-test-${randomBytes(12).toString('hex')}`;
    const dataDir = await mkdtemp(join(tmpdir(), 'attest-delete-kill-'));
    cleanups.push(() => rm(dataDir, { recursive: true, force: true }));
    let databaseUrl: string | undefined;
    if (backend.name === 'PostgreSQL') {
      const database = await createTestDatabase();
      cleanups.push(database.drop);
      databaseUrl = database.url;
    } else {
      // What the server's first start would make (an initdb and the migrations), copied in instead: it is not under test here.
      await seedDataDir(dataDir);
    }
    const env: ChildEnv = { PORT: String(port), HOST: '127.0.0.1', DATA_DIR: dataDir, BOOTSTRAP_API_KEY: key, LOG_LEVEL: 'warn', DATABASE_URL: databaseUrl, REDIS_URL: undefined, NODE_ENV: 'test' };
    const call = async (method: string, path: string, body?: unknown) => {
      const response = await fetch(`${base}${path}`, { method, headers: { ...bearer(key), ...(body ? { 'content-type': 'application/json' } : {}) }, ...(body ? { body: JSON.stringify(body) } : {}) });
      const text = await response.text();
      return { status: response.status, body: text ? (JSON.parse(text) as Record<string, unknown>) : {} };
    };
    const uploadDocument = async () => {
      const form = multipartBody({ title: 'narwhals.md' }, { name: 'narwhals.md', bytes: DOCUMENT, contentType: 'text/markdown' });
      const response = await fetch(`${base}/v1/corpora/kb/documents`, { method: 'POST', headers: { ...bearer(key), ...form.headers }, body: new Uint8Array(form.payload) });
      expect(response.status).toBe(202);
      const answer = z.object({ documentId: z.string(), versionId: z.string(), jobId: z.string(), deduplicated: z.boolean() }).parse(await response.json());
      const deadline = Date.now() + 60_000;
      for (;;) {
        const job = await call('GET', `/v1/jobs/${answer.jobId}`);
        if (job.body.state === 'completed') break;
        expect(job.body.state).not.toBe('failed');
        if (Date.now() > deadline) throw new Error(`job ${answer.jobId} did not complete`);
        await new Promise((resolveSleep) => setTimeout(resolveSleep, 50));
      }
      return answer;
    };
    const hits = async (mode: string) => {
      const response = await call('POST', '/v1/corpora/kb/search', { query: QUERY, k: 20, mode });
      expect(response.status).toBe(200);
      return (response.body.results as { documentId: string }[]).map((hit) => hit.documentId);
    };

    servers.push(await startServer({ ...env, ATTEST_TEST_PAUSE_DELETE_AFTER: 'vectors' }, base));
    expect((await call('POST', '/v1/corpora', { name: 'kb' })).status).toBe(201);
    const first = await uploadDocument();
    const document = await call('GET', `/v1/documents/${first.documentId}`);
    const chunkCount = (document.body.versions as { chunkCount: number }[])[0]!.chunkCount;
    expect(chunkCount).toBeGreaterThan(3);
    expect(await hits('bm25')).toContain(first.documentId);

    // The delete runs until it has taken the chunks out of both indexes, then waits there; the kill lands at that point.
    const server = servers.at(-1)!;
    const deleting = fetch(`${base}/v1/documents/${first.documentId}`, { method: 'DELETE', headers: bearer(key) }).catch((error: unknown) => error);
    const deadline = Date.now() + 20_000;
    while (!server.output().includes(`delete of ${first.documentId} paused after vectors`)) {
      if (Date.now() > deadline) throw new Error(`the delete did not reach its pause:\n${server.output()}`);
      await new Promise((resolveSleep) => setTimeout(resolveSleep, 20));
    }
    killGroup(server, 'SIGKILL');
    await server.exited;
    expect(await deleting).toBeInstanceOf(Error);

    servers.push(await startServer(env, base));
    expect((await call('GET', `/v1/documents/${first.documentId}`)).status).toBe(404);
    expect((await call('GET', '/v1/corpora/kb/documents')).body.documents).toEqual([]);
    for (const mode of ['bm25', 'vector', 'hybrid']) expect(await hits(mode), mode).toEqual([]);
    expect((await call('DELETE', `/v1/documents/${first.documentId}`)).status).toBe(404);

    const again = await uploadDocument();
    expect(again.deduplicated).toBe(false);
    expect(again.documentId).not.toBe(first.documentId);
    const view = await call('GET', `/v1/documents/${again.documentId}`);
    expect(view.body.status).toBe('ready');
    expect((view.body.versions as { chunkCount: number }[])[0]!.chunkCount).toBe(chunkCount);
    for (const mode of ['bm25', 'vector', 'hybrid']) expect(await hits(mode), mode).toContain(again.documentId);
  }, 480_000);
});
