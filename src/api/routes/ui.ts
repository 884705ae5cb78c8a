import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import fastifyStatic from '@fastify/static';
import type { FastifyInstance, FastifyReply } from 'fastify';
import type { AppDeps } from '../deps';

/** Where `npm run build:ui` (vite build --config src/ui/vite.config.ts) writes the support UI. */
export const UI_DIST_DIR = fileURLToPath(new URL('../../ui/dist/', import.meta.url));

/** Headers on every UI response: the page runs only its own script and style, and is never framed. */
export const UI_SECURITY_HEADERS: Record<string, string> = {
  'content-security-policy': "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; connect-src 'self'; frame-ancestors 'none'",
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
  'x-frame-options': 'DENY',
};

export interface UiRouteOptions {
  /** The built UI (default: src/ui/dist). */
  distDir?: string;
}

const NOT_BUILT = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Attest: UI not built</title></head>
<body><h1>The support UI has not been built</h1>
<p>Run <code>npm run build:ui</code> (or <code>npm start</code>, which builds it first) and reload this page.
The HTTP API under <code>/v1</code> works without it.</p></body></html>
`;

/**
 * Serves the support UI at `/`: index.html (never cached, read per request so a
 * rebuild shows up without a restart) and the hashed files under /assets/
 * (cached for a year). Only `/`, `/index.html` and `/assets/*` are claimed, so
 * `/v1/*`, `/healthz`, `/readyz` and `/metrics` keep their own routes and
 * unknown paths still get the JSON ROUTE_NOT_FOUND.
 */
export function uiRoutes(app: FastifyInstance, _deps?: AppDeps, options: UiRouteOptions = {}): void {
  const distDir = options.distDir ?? UI_DIST_DIR;
  app.register(async (scope) => {
    scope.addHook('onSend', async (_request, reply, payload) => {
      reply.headers(UI_SECURITY_HEADERS);
      return payload;
    });

    await scope.register(fastifyStatic, {
      root: join(distDir, 'assets'),
      prefix: '/assets/',
      wildcard: true,
      index: false,
      decorateReply: false,
      // Missing until the UI is built; the index route explains what to do.
      suppressWarning: true,
      cacheControl: false,
      setHeaders: (reply: FastifyReply) => {
        // File names carry a content hash: a changed file is a new URL.
        reply.header('cache-control', 'public, max-age=31536000, immutable');
      },
    });

    const index = async (_request: unknown, reply: FastifyReply) => {
      let html: string;
      try {
        html = await readFile(join(distDir, 'index.html'), 'utf8');
      } catch {
        return reply.status(503).header('cache-control', 'no-store').type('text/html; charset=utf-8').send(NOT_BUILT);
      }
      return reply.header('cache-control', 'no-cache').type('text/html; charset=utf-8').send(html);
    };
    scope.get('/', index);
    scope.get('/index.html', index);
    // No directory listing: the bare folder is simply not found.
    scope.get('/assets/', (_request, reply) => reply.callNotFound());
  });
}
