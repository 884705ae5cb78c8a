import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BGE_SMALL_EN_V15_Q } from '../../src/core/providers/onnx/catalog';
import { bearer, createTestApp, type TestApp } from '../helpers/app';
import { createCorpus, getCorpusView, upload, waitForJob } from '../helpers/ingestion';
import { requireModels, TEST_MODELS_DIR } from '../helpers/models';
import { memoryStore } from '../helpers/stores';

/**
 * Switching a corpus from the lexical local-hash embedder to the neural model
 * is a new index build: backfilled in a job, gated by the corpus's canaries
 * against the active build, promoted, and then what questions are answered from.
 */
const available = requireModels('local-models-switch');

const DOCUMENTS = [
  { name: 'power.md', bytes: '# Power\n\nThe device fails to power up even when the adapter is plugged in. Hold the reset button for ten seconds.\n' },
  { name: 'refunds.md', bytes: '# Returns\n\nA faulty appliance can be sent back within thirty days for the full purchase price.\n' },
  { name: 'office.md', bytes: '# Office\n\nOur office relocated to a larger building downtown last spring.\n' },
];

describe.skipIf(!available)('switching a corpus from local-hash to the neural embedder (real weights)', () => {
  let t: TestApp;
  beforeAll(async () => {
    const store = await memoryStore();
    // The corpus starts lexical, as corpora made before the models were fetched did.
    t = await createTestApp({ store, env: { LOCAL_MODELS: 'auto', MODELS_DIR: TEST_MODELS_DIR, EMBEDDING_MODEL: 'local-hash', ONNX_WORKERS: '1' } });
    await createCorpus(t, 'support');
    for (const document of DOCUMENTS) {
      const answer = await upload(t, 'support', document);
      expect((await waitForJob(t, answer.jobId!, { timeoutMs: 60_000 })).state).toBe('completed');
    }
    // Canaries worded unlike the documents: the lexical build cannot find them by meaning.
    for (const [query, chunkContains] of [
      ['my router will not turn on', 'fails to power up'],
      ['how do I get my money back for a broken kettle', 'faulty appliance'],
      ['where did the company move', 'relocated'],
    ]) {
      const created = await t.app.inject({ method: 'POST', url: '/v1/corpora/support/canaries', headers: bearer(t.adminKey), payload: { query, expect: { chunkContains }, k: 1 } });
      expect(created.statusCode, created.body).toBe(201);
    }
  }, 240_000);
  afterAll(async () => {
    await t?.close();
  });

  it('exports the local model\'s workers by role on /metrics (one worker: no query lane)', async () => {
    const response = await t.app.inject({ method: 'GET', url: '/metrics' });
    expect(response.statusCode).toBe(200);
    const value = (role: string) => Number(response.body.split('\n').find((line) => line.startsWith(`attest_local_model_workers{role="${role}"}`))?.split(' ').at(-1));
    expect(value('document')).toBe(1);
    expect(value('query_lane')).toBe(0);
  });

  it('backfills a bge build, passes the canary gate on its own, is promoted and answers searches', async () => {
    const before = await getCorpusView(t, 'support');
    const started = await t.app.inject({ method: 'POST', url: '/v1/corpora/support/builds', headers: bearer(t.adminKey), payload: { embeddingModel: BGE_SMALL_EN_V15_Q.id } });
    expect(started.statusCode, started.body).toBe(202);
    const { build: created, jobId } = started.json() as { build: { id: string }; jobId: string };
    expect((await waitForJob(t, jobId, { timeoutMs: 90_000 })).state).toBe('completed');

    const build = (await t.app.inject({ method: 'GET', url: `/v1/builds/${created.id}`, headers: bearer(t.adminKey) })).json() as {
      status: string;
      embeddingModel: string;
      canaryReport: { passed: boolean; reasons: string[]; candidate: { recallAtK: number }; active: { recallAtK: number } };
    };
    expect(build.embeddingModel).toBe(BGE_SMALL_EN_V15_Q.id);
    expect(build.canaryReport.passed, JSON.stringify(build.canaryReport)).toBe(true);
    expect(build.canaryReport.candidate.recallAtK).toBeGreaterThanOrEqual(build.canaryReport.active.recallAtK);
    expect(build.status).toBe('active');
    const after = await getCorpusView(t, 'support');
    expect(after.activeBuildId).toBe(created.id);
    expect(after.activeBuildId).not.toBe(before.activeBuildId);

    const searched = await t.app.inject({ method: 'POST', url: '/v1/corpora/support/search', headers: bearer(t.adminKey), payload: { query: 'my router will not turn on', mode: 'vector', k: 1 } });
    expect(searched.statusCode, searched.body).toBe(200);
    expect(searched.json().buildId).toBe(created.id);
    expect(searched.json().results[0].text).toContain('fails to power up');
  }, 240_000);
});
