import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createMemoryApp, type TestApp } from '../helpers/app';
import { freePort } from '../helpers/ports';
import { startFakeProviders, type FakeProviders } from '../fake-providers/server';

/**
 * Start-up never waits on an embedding provider: the registry records models
 * without calling them, and /readyz reports a failing provider as "degraded"
 * (200, naming it) rather than taking every instance out of rotation for an
 * outage they all share (see src/api/routes/health.ts).
 */

describe('an embedding provider that refuses at start', () => {
  let t: TestApp;
  beforeAll(async () => {
    // The configured EMBEDDING_MODEL's provider is not there at all.
    t = await createMemoryApp({
      env: { OPENAI_API_KEY: 'sk-test', OPENAI_BASE_URL: `http://127.0.0.1:${await freePort()}/v1`, EMBEDDING_MODEL: 'text-embedding-3-small', PROVIDER_MAX_RETRIES: '0' },
    });
  });
  afterAll(async () => {
    await t?.close();
  });

  it('the server starts, answers /healthz, and /readyz names the provider as degraded', async () => {
    expect((await t.app.inject({ method: 'GET', url: '/healthz' })).statusCode).toBe(200);
    const ready = await t.app.inject({ method: 'GET', url: '/readyz' });
    expect(ready.statusCode, ready.body).toBe(200);
    expect(ready.json()).toMatchObject({
      status: 'degraded',
      checks: { store: 'ok', 'embedding:text-embedding-3-small': 'failing' },
      degraded: ['embedding:text-embedding-3-small'],
    });
    // The local embedder is code in this process: never probed, never reported.
    expect(Object.keys(ready.json().checks)).not.toContain('embedding:local-hash');
  });
});

describe('an OpenAI key that may chat but not embed', () => {
  let fake: FakeProviders;
  let t: TestApp;
  beforeAll(async () => {
    fake = await startFakeProviders();
    fake.setDefault('openai.embeddings', { status: 403, message: 'You have insufficient permissions for this operation. Missing scopes: model.request' });
    t = await createMemoryApp({
      env: { OPENAI_API_KEY: 'sk-chat-only', OPENAI_BASE_URL: fake.openaiBaseURL, GENERATORS: 'openai', PROVIDER_MAX_RETRIES: '0' },
    });
  });
  afterAll(async () => {
    await t?.close();
    await fake?.close();
  });

  it('does not break the start (nothing is embedded before it is needed); /readyz reports the embedder, then recovers with it', async () => {
    expect(fake.callCount('openai.embeddings'), 'no embedding call at start').toBe(0);
    const ready = await t.app.inject({ method: 'GET', url: '/readyz' });
    expect(ready.statusCode, ready.body).toBe(200);
    expect(ready.json()).toMatchObject({ status: 'degraded', checks: { 'embedding:text-embedding-3-small': 'failing' } });
    // A failing provider is not probed again on every readiness call (each probe is a paid request).
    const probes = fake.callCount('openai.embeddings');
    await t.app.inject({ method: 'GET', url: '/readyz' });
    expect(fake.callCount('openai.embeddings')).toBe(probes);

    // Its next real call succeeds: readiness follows without another probe.
    fake.setDefault('openai.embeddings', { default: true });
    await t.container.registry.provider('text-embedding-3-small').embed(['hello'], { inputType: 'query' });
    const recovered = await t.app.inject({ method: 'GET', url: '/readyz' });
    expect(recovered.json()).toMatchObject({ status: 'ready', checks: { 'embedding:text-embedding-3-small': 'ok' } });
  });

  it('a provider answering vectors of another dimension fails that call with EMBEDDING_MODEL_MISMATCH', async () => {
    fake.setDefault('openai.embeddings', { malformed: true });
    await expect(t.container.registry.provider('text-embedding-3-small').embed(['hello'], { inputType: 'query' })).rejects.toMatchObject({
      code: expect.stringMatching(/EMBEDDING_MODEL_MISMATCH|PROVIDER_BAD_OUTPUT/),
    });
    expect(t.container.registry.healthOf('text-embedding-3-small')?.state).toBe('failing');
  });
});
