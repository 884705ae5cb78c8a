import type { FastifyInstance } from 'fastify';
import type { AppDeps } from '../deps';

/** Prometheus exposition. Unauthenticated like /healthz: bind it to an internal network in production. */
export function metricsRoutes(app: FastifyInstance, deps: AppDeps): void {
  app.get('/metrics', async (_request, reply) => {
    const text = await deps.metrics.registry.metrics();
    return reply.header('content-type', deps.metrics.registry.contentType).send(text);
  });
}
