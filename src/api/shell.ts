import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { AppError, isAppError } from '../core/errors';
import type { Authenticator } from './auth';
import type { IdempotencyStore } from './idempotency';
import { requestHash } from './idempotency';
import type { Limits, RateClass } from './limits/limits';
import type { Metrics } from './metrics';

/** Route class of each limited route: what a tenant's requests per minute are counted against. */
export function rateClassOf(method: string, route: string): RateClass | undefined {
  if (!route.startsWith('/v1/')) return undefined;
  if (route.startsWith('/v1/admin/')) return 'admin';
  if (method === 'GET') return undefined;
  if (route === '/v1/corpora/:corpus/documents' || route === '/v1/documents/:id' || route === '/v1/corpora/:corpus/builds') return 'ingest';
  if (route === '/v1/corpora/:corpus/search' || route === '/v1/corpora/:corpus/answers' || route === '/v1/feedback' || route.startsWith('/v1/conversations')) return 'query';
  return 'admin';
}

/** POSTs that create something or cost tokens honour Idempotency-Key. */
const IDEMPOTENT_ROUTES = new Set([
  '/v1/corpora',
  '/v1/corpora/:corpus/documents',
  '/v1/corpora/:corpus/answers',
  '/v1/corpora/:corpus/builds',
  '/v1/corpora/:corpus/canaries',
  '/v1/corpora/:corpus/canaries/run',
  '/v1/builds/:id/promote',
  '/v1/admin/tenants',
  '/v1/admin/keys',
  '/v1/feedback',
  '/v1/conversations',
  '/v1/conversations/:id/messages',
]);

declare module 'fastify' {
  interface FastifyRequest {
    idempotency?: { tenantId: string; key: string };
    /**
     * Set on an idempotent multipart request: its body is streamed to the handler, so the key is claimed there,
     * once the body has been read and hashed. True means a stored response was sent and the handler must stop.
     */
    claimIdempotency?: (bodyFingerprint: string) => Promise<boolean>;
  }
}

export function honoursIdempotency(route: string): boolean {
  return IDEMPOTENT_ROUTES.has(route);
}

/**
 * Whether a response is an outcome to keep and replay under its Idempotency-Key. A refusal that says "not now"
 * (429 for a rate or token budget, 408, any 5xx such as 503 OVERLOADED) is not: the client is told to retry
 * after Retry-After, and a stored refusal would answer that retry with the same 429 for a day.
 */
export function isCompletedOutcome(statusCode: number): boolean {
  return statusCode < 500 && statusCode !== 429 && statusCode !== 408;
}

const KEY_PATTERN = /^[\x21-\x7e]{1,200}$/;

export interface ShellDeps {
  authenticate: Authenticator;
  limits: Limits;
  idempotency: IdempotencyStore;
  metrics: Metrics;
}

async function applyIdempotency(deps: ShellDeps, request: FastifyRequest, reply: FastifyReply, route: string): Promise<boolean> {
  const header = request.headers['idempotency-key'];
  if (request.method !== 'POST' || typeof header !== 'string' || !IDEMPOTENT_ROUTES.has(route)) return false;
  if (!KEY_PATTERN.test(header)) throw new AppError('VALIDATION_FAILED', 'Idempotency-Key must be 1-200 visible ASCII characters');
  // A streamed answer cannot be replayed byte for byte; streaming requests are not deduplicated.
  if (String(request.headers.accept ?? '').includes('text/event-stream')) return false;
  const principal = await deps.authenticate(request);
  const claim = async (body: unknown): Promise<boolean> => {
    const outcome = await deps.idempotency.begin(principal.tenantId, header, route, requestHash([request.method, request.url, body]));
    if (outcome.kind === 'replay') {
      void reply.code(outcome.statusCode).headers({ ...outcome.headers, 'idempotent-replayed': 'true' }).send(outcome.body);
      return true;
    }
    request.idempotency = { tenantId: principal.tenantId, key: header };
    return false;
  };
  // A multipart body is not read yet: the handler streams it, hashes what it read and claims the key then.
  // (Its Content-Length was the fingerprint once, so a different file of the same size was answered with the
  // first file's 202 and never stored.)
  if (String(request.headers['content-type'] ?? '').startsWith('multipart/')) {
    request.claimIdempotency = (bodyFingerprint) => claim({ multipart: bodyFingerprint });
    return false;
  }
  return claim(request.body ?? null);
}

/** Rate limits, idempotency and request metrics around every route. */
export function registerShell(app: FastifyInstance, deps: ShellDeps): void {
  app.addHook('preHandler', async (request, reply) => {
    const route = request.routeOptions.url ?? '';
    const rateClass = rateClassOf(request.method, route);
    if (rateClass) {
      const principal = await deps.authenticate(request);
      request.log = request.log.child({ tenantId: principal.tenantId, route });
      reply.log = request.log;
      try {
        const headers = await deps.limits.admitRequest(principal.tenantId, rateClass);
        void reply.headers({ ...headers });
      } catch (error) {
        if (isAppError(error)) {
          deps.metrics.rateLimited.inc({ class: rateClass, code: error.code });
          const headers = error.details?.headers;
          if (headers && typeof headers === 'object') void reply.headers(headers as Record<string, string>);
        }
        throw error;
      }
    }
    if (await applyIdempotency(deps, request, reply, route)) return reply;
    return undefined;
  });

  app.addHook('onSend', async (request, reply, payload) => {
    const claim = request.idempotency;
    if (!claim) return payload;
    request.idempotency = undefined;
    if (!isCompletedOutcome(reply.statusCode) || typeof payload !== 'string') {
      await deps.idempotency.abandon(claim.tenantId, claim.key);
    } else {
      const contentType = reply.getHeader('content-type');
      await deps.idempotency.complete(claim.tenantId, claim.key, reply.statusCode, payload, contentType ? { 'content-type': String(contentType) } : {});
    }
    return payload;
  });

  app.addHook('onResponse', async (request, reply) => {
    const route = request.routeOptions.url ?? 'unmatched';
    deps.metrics.httpDuration.observe({ method: request.method, route, status: String(reply.statusCode) }, reply.elapsedTime / 1000);
  });
}
