import type { FastifyInstance } from 'fastify';
import { AppError, type ErrorCode } from '../../core/errors';

/**
 * /readyz: 503 when a dependency the instance cannot serve without fails (the
 * store, Redis with BullMQ, Qdrant when configured), naming it; 200 with
 * `status: "degraded"` when only an external model provider fails. Providers
 * are shared by every instance and have their own breakers and fallbacks:
 * taking all instances out of rotation for one would turn a partial outage
 * (BM25 retrieval, the UI, job status, cached answers still work) into a total one.
 */
export interface ReadinessCheck {
  name: string;
  check(): Promise<void>;
  /** The error code of a 503 caused by this check (default OVERLOADED). */
  code?: ErrorCode;
  /** false: a failure makes the status "degraded" (200), not 503. Default true. */
  required?: boolean;
}

const CHECK_TIMEOUT_MS = 2_000;

function withDeadline(promise: Promise<void>, ms: number): Promise<void> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no answer in ${ms} ms`)), ms);
    promise.then(
      () => {
        clearTimeout(timer);
        resolve();
      },
      (error: unknown) => {
        clearTimeout(timer);
        reject(error instanceof Error ? error : new Error(String(error)));
      },
    );
  });
}

export function healthRoutes(app: FastifyInstance, checks: ReadinessCheck[]): void {
  app.get('/healthz', async () => ({ status: 'ok' }));
  app.get('/readyz', async (_request, reply) => {
    const results = await Promise.all(
      checks.map(async ({ name, check }) => {
        try {
          await withDeadline(check(), CHECK_TIMEOUT_MS);
          return { name, ok: true as const };
        } catch (error) {
          return { name, ok: false as const, error: error instanceof Error ? error.message : String(error), unsupported: error instanceof AppError && error.code === 'INDEX_UNSUPPORTED' };
        }
      }),
    );
    const byName = new Map(checks.map((check) => [check.name, check]));
    const required = (name: string) => byName.get(name)?.required !== false;
    const stateOf = (result: (typeof results)[number]) => {
      if (result.ok) return 'ok';
      if (result.unsupported) return 'unsupported';
      return required(result.name) ? 'unreachable' : 'failing';
    };
    // Messages stay in the log: the endpoint is unauthenticated and a provider's error text is not for everyone.
    for (const result of results) if (!result.ok) app.log.warn({ check: result.name, reason: result.error }, 'readiness check failed');
    const failing = results.filter((result) => !result.ok && required(result.name));
    const degraded = results.filter((result) => !result.ok && !required(result.name)).map((result) => result.name);
    const checksBody = Object.fromEntries(results.map((result) => [result.name, stateOf(result)]));
    if (failing.length === 0) return degraded.length === 0 ? { status: 'ready', checks: checksBody } : { status: 'degraded', checks: checksBody, degraded };
    const coded = failing.map((result) => byName.get(result.name)?.code).find((code) => code !== undefined);
    return reply.status(503).send({
      status: 'unavailable',
      checks: checksBody,
      ...(degraded.length > 0 ? { degraded } : {}),
      error: {
        code: failing.some((result) => result.name === 'store') ? 'STORE_UNAVAILABLE' : (coded ?? 'OVERLOADED'),
        message: `not ready: ${failing.map((result) => result.name).join(', ')} unreachable`,
        details: { unreachable: failing.map((result) => result.name) },
      },
    });
  });
}
