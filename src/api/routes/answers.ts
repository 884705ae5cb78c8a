import type { FastifyInstance, FastifyReply } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { and, eq } from 'drizzle-orm';
import { z } from 'zod';
import { getCorpus } from '../../core/corpora';
import { answerTraces, feedback } from '../../core/db/schema';
import { AppError, toAppError } from '../../core/errors';
import { estimateTokens } from '../../core/tokens';
import { principalOf, requireScope } from '../auth';
import type { AppDeps } from '../deps';
import { toHttpError } from '../error-handler';

const answerBody = z
  .object({
    question: z.string().trim().min(1).max(4000),
    options: z.object({ k: z.number().int().min(1).max(20).default(8) }).strict().default({ k: 8 }),
  })
  .strict();

function wantsStream(accept: string | undefined): boolean {
  return typeof accept === 'string' && accept.includes('text/event-stream');
}

function sseWriter(reply: FastifyReply) {
  reply.raw.writeHead(200, {
    'content-type': 'text/event-stream; charset=utf-8',
    'cache-control': 'no-cache, no-transform',
    connection: 'keep-alive',
    'x-accel-buffering': 'no',
    'x-request-id': String(reply.request.id),
  });
  return (event: string, data: unknown) => {
    if (reply.raw.writableEnded || reply.raw.destroyed) return;
    reply.raw.write(`event: ${event}\ndata: ${JSON.stringify(data)}\n\n`);
  };
}

export function answerRoutes(app: FastifyInstance, deps: AppDeps): void {
  const routes = app.withTypeProvider<ZodTypeProvider>();
  routes.post(
    '/v1/corpora/:corpus/answers',
    { schema: { params: z.object({ corpus: z.string().min(1) }), body: answerBody }, preHandler: requireScope(deps.authenticate, 'query') },
    async (request, reply) => {
      const { tenantId } = principalOf(request);
      const corpus = await getCorpus(deps.store.db, tenantId, request.params.corpus);
      // Before admission and before an SSE stream starts: an over-budget question is a plain 413.
      deps.services.answers.checkBudget(request.body.question);
      const controller = new AbortController();
      // A client that goes away cancels the provider call.
      reply.raw.on('close', () => {
        if (!reply.raw.writableFinished) controller.abort(new Error('client disconnected'));
      });
      // Tokens per minute are charged at admission from an estimate and reconciled with the real usage.
      const estimate = estimateTokens(request.body.question) + deps.config.MAX_INPUT_TOKENS + deps.config.MAX_OUTPUT_TOKENS;
      const lease = await deps.limits.admitAnswer(tenantId, estimate);
      const settle = (body: { usage: { inputTokens: number; outputTokens: number; costUsd: number } } | undefined) =>
        lease.settle(body ? { tokens: body.usage.inputTokens + body.usage.outputTokens, costUsd: body.usage.costUsd } : undefined).catch(() => undefined);
      if (!wantsStream(request.headers.accept)) {
        try {
          const body = await deps.services.answers.answer(corpus, request.body.question, request.body.options, { signal: controller.signal, requestId: request.id });
          await settle(body);
          return body;
        } catch (error) {
          await settle(undefined);
          throw error;
        }
      }
      reply.hijack();
      const send = sseWriter(reply);
      try {
        const body = await deps.services.answers.answer(corpus, request.body.question, request.body.options, {
          signal: controller.signal,
          requestId: request.id,
          events: {
            onRetrieval: (sources) => send('retrieval', { sources }),
            onDelta: (text) => send('delta', { text }),
            onReset: () => send('reset', { reason: 'retry' }),
            onCitation: (citation) => send('citation', citation),
          },
        });
        await settle(body);
        send('done', body);
      } catch (error) {
        await settle(undefined);
        const appError = toHttpError(error);
        if (appError.status >= 500) request.log.error({ err: error }, 'streamed answer failed');
        send('error', toAppError(appError).toBody().error);
      } finally {
        reply.raw.end();
      }
      return reply;
    },
  );

  routes.get('/v1/traces/:id', { schema: { params: z.object({ id: z.string().uuid() }) }, preHandler: deps.authenticate }, async (request) => {
    const { tenantId } = principalOf(request);
    const [row] = await deps.store.db
      .select()
      .from(answerTraces)
      .where(and(eq(answerTraces.id, request.params.id), eq(answerTraces.tenantId, tenantId)));
    if (!row) throw new AppError('TRACE_NOT_FOUND', `trace ${request.params.id} not found`);
    return { id: row.id, createdAt: row.createdAt.toISOString(), ...row.trace };
  });

  routes.post(
    '/v1/feedback',
    {
      schema: {
        body: z.object({ traceId: z.string().uuid(), rating: z.enum(['up', 'down']), comment: z.string().trim().max(2000).optional() }).strict(),
      },
      preHandler: requireScope(deps.authenticate, 'query'),
    },
    async (request, reply) => {
      const { tenantId } = principalOf(request);
      const [trace] = await deps.store.db
        .select({ id: answerTraces.id })
        .from(answerTraces)
        .where(and(eq(answerTraces.id, request.body.traceId), eq(answerTraces.tenantId, tenantId)));
      if (!trace) throw new AppError('TRACE_NOT_FOUND', `trace ${request.body.traceId} not found`);
      const [row] = await deps.store.db
        .insert(feedback)
        .values({ tenantId, traceId: trace.id, rating: request.body.rating, comment: request.body.comment ?? null })
        .returning();
      return reply.status(201).send({ id: row?.id, traceId: trace.id, rating: request.body.rating });
    },
  );
}
