import { createHash, timingSafeEqual } from 'node:crypto';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { Registry } from 'prom-client';
import { AppError } from '../../core/errors';
import type { AppDeps } from '../deps';

/** Labels whose values are tenant and corpus ids: who the customers are and what they ask about. */
const PRIVATE_LABELS = new Set(['tenant', 'corpus']);

/** The exposition without the series labelled by tenant or corpus. */
async function withoutPrivateSeries(registry: Registry): Promise<string> {
  const names = registry
    .getMetricsAsArray()
    .filter((metric) => !((metric as { labelNames?: readonly string[] }).labelNames ?? []).some((label) => PRIVATE_LABELS.has(label)))
    .map((metric) => metric.name);
  const parts = await Promise.all(names.map((name) => registry.getSingleMetricAsString(name)));
  return `${parts.join('\n\n')}\n`;
}

const digest = (value: string) => createHash('sha256').update(value).digest();

function presentsToken(request: FastifyRequest, expected: Buffer): boolean {
  const match = /^Bearer\s+(\S+)\s*$/i.exec(String(request.headers.authorization ?? ''));
  return match?.[1] !== undefined && timingSafeEqual(digest(match[1]), expected);
}

/**
 * Prometheus exposition. With METRICS_TOKEN set, a scrape presents it (`Authorization: Bearer <token>`) and gets
 * every series. Without it, /metrics is open like /healthz and leaves out the series labelled by tenant or
 * corpus id (tokens, cost, canary recall per corpus): an unauthenticated caller learned every customer's id.
 */
export function metricsRoutes(app: FastifyInstance, deps: AppDeps): void {
  const token = deps.config.METRICS_TOKEN;
  const expected = token ? digest(token) : undefined;
  app.get('/metrics', async (request, reply) => {
    const registry = deps.metrics.registry;
    if (expected && !presentsToken(request, expected)) throw new AppError('UNAUTHORIZED', 'GET /metrics needs Authorization: Bearer <METRICS_TOKEN>');
    const text = expected ? await registry.metrics() : await withoutPrivateSeries(registry);
    return reply.header('content-type', registry.contentType).send(text);
  });
}
