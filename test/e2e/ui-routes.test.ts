import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Fastify, { type FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { registerErrorHandling } from '../../src/api/error-handler';
import { healthRoutes } from '../../src/api/routes/health';
import { UI_SECURITY_HEADERS, uiRoutes } from '../../src/api/routes/ui';

/** The UI routes on their own: built and unbuilt dist, headers, and what they must not claim. */
async function appWith(distDir: string): Promise<FastifyInstance> {
  const app = Fastify();
  registerErrorHandling(app);
  healthRoutes(app, []);
  app.get('/v1/corpora', async () => ({ corpora: [] }));
  uiRoutes(app, undefined, { distDir });
  await app.ready();
  return app;
}

describe('UI routes', () => {
  let root: string;
  let built: FastifyInstance;
  let missing: FastifyInstance;

  beforeAll(async () => {
    root = mkdtempSync(join(tmpdir(), 'attest-ui-'));
    const dist = join(root, 'dist');
    mkdirSync(join(dist, 'assets'), { recursive: true });
    writeFileSync(join(dist, 'index.html'), '<!doctype html><title>Attest</title><script type="module" src="/assets/app-abc123.js"></script>');
    writeFileSync(join(dist, 'assets/app-abc123.js'), 'console.log("attest")');
    built = await appWith(dist);
    missing = await appWith(join(root, 'not-built'));
  });
  afterAll(async () => {
    await built?.close();
    await missing?.close();
    rmSync(root, { recursive: true, force: true });
  });

  it('serves index.html at / uncached, with the security headers', async () => {
    for (const url of ['/', '/index.html']) {
      const response = await built.inject({ url });
      expect(response.statusCode).toBe(200);
      expect(response.headers['content-type']).toMatch(/^text\/html/);
      expect(response.headers['cache-control']).toBe('no-cache');
      for (const [name, value] of Object.entries(UI_SECURITY_HEADERS)) expect(response.headers[name]).toBe(value);
      expect(response.body).toContain('/assets/app-abc123.js');
    }
    expect(UI_SECURITY_HEADERS['content-security-policy']).toBe("default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; connect-src 'self'; frame-ancestors 'none'");
  });

  it('serves hashed assets with a long cache', async () => {
    const response = await built.inject({ url: '/assets/app-abc123.js' });
    expect(response.statusCode).toBe(200);
    expect(response.headers['cache-control']).toBe('public, max-age=31536000, immutable');
    expect(response.headers['x-content-type-options']).toBe('nosniff');
    const head = await built.inject({ method: 'HEAD', url: '/' });
    expect(head.statusCode).toBe(200);
  });

  it('answers 503 with how to build it when the UI is not built', async () => {
    const response = await missing.inject({ url: '/' });
    expect(response.statusCode).toBe(503);
    expect(response.body).toContain('npm run build:ui');
    expect(response.headers['content-security-policy']).toBeDefined();
  });

  it('leaves the API, health and unknown routes alone', async () => {
    for (const app of [built, missing]) {
      expect((await app.inject({ url: '/v1/corpora' })).json()).toEqual({ corpora: [] });
      expect((await app.inject({ url: '/healthz' })).statusCode).toBe(200);
      for (const url of ['/v1/nope', '/v1/', '/assets/', '/assets/missing.js', '/assets/../../package.json', '/other']) {
        const response = await app.inject({ url });
        expect(response.statusCode, url).toBe(404);
        expect(response.json().error.code, url).toBe('ROUTE_NOT_FOUND');
      }
      const post = await app.inject({ method: 'POST', url: '/v1/nope', payload: {} });
      expect(post.statusCode).toBe(404);
      expect(post.json().error.code).toBe('ROUTE_NOT_FOUND');
    }
  });
});
