import type { FastifyInstance } from 'fastify';

export interface ReadinessCheck {
  name: string;
  check(): Promise<void>;
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
          return { name, ok: false as const, error: error instanceof Error ? error.message : String(error) };
        }
      }),
    );
    const failing = results.filter((result) => !result.ok);
    const checksBody = Object.fromEntries(results.map((result) => [result.name, result.ok ? 'ok' : 'unreachable']));
    if (failing.length === 0) return { status: 'ready', checks: checksBody };
    return reply.status(503).send({
      status: 'unavailable',
      checks: checksBody,
      error: {
        code: failing.some((result) => result.name === 'store') ? 'STORE_UNAVAILABLE' : 'OVERLOADED',
        message: `not ready: ${failing.map((result) => result.name).join(', ')} unreachable`,
        details: { unreachable: failing.map((result) => result.name) },
      },
    });
  });
}
