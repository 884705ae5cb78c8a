import { randomBytes } from 'node:crypto';
import scalar from '@scalar/fastify-api-reference';
import type { FastifyInstance } from 'fastify';

/**
 * `/openapi.json` (the document, public like /healthz: it holds no tenant data) and `/docs`, Scalar's
 * rendering of it from its bundled script (no CDN: the server may have no internet, and the page must not
 * load code from elsewhere). Scalar's page starts itself with one inline script and injects its styles, so
 * its CSP allows scripts from this origin and with this process's nonce, and inline styles; nothing else
 * (no connections but this origin, no framing).
 */
export async function openApiRoutes(app: FastifyInstance): Promise<void> {
  app.get('/openapi.json', { schema: { hide: true } }, async (_request, reply) => reply.header('cache-control', 'no-cache').send(app.swagger()));
  const nonce = randomBytes(16).toString('base64');
  await app.register(async (scope) => {
    scope.addHook('onSend', async (_request, reply, payload) => {
      reply.headers({
        'content-security-policy': `default-src 'self'; script-src 'self' 'nonce-${nonce}'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; font-src 'self' data:; connect-src 'self'; frame-ancestors 'none'`,
        'x-content-type-options': 'nosniff',
        'referrer-policy': 'no-referrer',
      });
      return payload;
    });
    await scope.register(scalar, {
      routePrefix: '/docs',
      // The document route above; Scalar's own copy under /docs would be a second URL for the same thing.
      configuration: { url: '/openapi.json', pageTitle: 'Attest API', nonce, hideClientButton: true, telemetry: false },
    });
  });
}
