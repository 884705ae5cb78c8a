import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { AnswerBody, AnswerContext } from '../../query/answer-service';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { feedback } from '../../core/db/schema';
import { AppError, toAppError } from '../../core/errors';
import { estimateTokens } from '../../core/tokens';
import { principalOf, requireScope } from '../auth';
import type { AppDeps } from '../deps';
import { toHttpError } from '../error-handler';
import { loggableError } from '../../core/loggable-error';
import { AdaptiveLimit } from '../limits/adaptive-limit';
import { traceNotFound } from '../../query/trace-log';

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

type Billable = { inputTokens: number; outputTokens: number; costUsd: number };

/** What an answer costs the tenant: its generation, plus a conversation turn's provider rewrite (`rewriter.usage`). */
function billed(body: AnswerBody): { tokens: number; costUsd: number } {
  const extra = (body['rewriter'] as { usage?: Billable } | undefined)?.usage;
  const parts: Billable[] = extra ? [body.usage, extra] : [body.usage];
  return { tokens: parts.reduce((sum, part) => sum + part.inputTokens + part.outputTokens, 0), costUsd: parts.reduce((sum, part) => sum + part.costUsd, 0) };
}

/** The reason in-flight answers are aborted with when the server shuts down. */
function shuttingDown(): AppError {
  return new AppError('SHUTTING_DOWN', 'the server is shutting down; retry the question', { retryAfterMs: 1_000 });
}

function isShutdown(reason: unknown): reason is AppError {
  return reason instanceof AppError && reason.code === 'SHUTTING_DOWN';
}

/** What other question routes (conversation turns) share with the answers route: admission and the JSON/SSE response. */
export interface AnswerResponder {
  admit: (request: FastifyRequest, reply: FastifyReply, done: (error?: Error) => void) => void;
  respond: (request: FastifyRequest, reply: FastifyReply, tenantId: string, question: string, run: (context: AnswerContext) => Promise<AnswerBody>) => Promise<unknown>;
}

export function answerRoutes(app: FastifyInstance, deps: AppDeps): AnswerResponder {
  const routes = app.withTypeProvider<ZodTypeProvider>();
  // A graceful shutdown waits for open connections; an answer may wait on a provider for up to
  // PROVIDER_TIMEOUT_MS per attempt. Aborting them when the close begins ends every stream with
  // an `error` event (never a `done` after part of an answer) and lets the drain finish at once.
  const inFlight = new Set<AbortController>();
  // Answers admitted and not yet finished in this process, and how many may be (MAX_INFLIGHT_ANSWERS at
  // most; fewer while answers take longer than ANSWER_OVERHEAD_TARGET_MS of this process's own time).
  let working = 0;
  const target = deps.config.ANSWER_OVERHEAD_TARGET_MS;
  const admission = new AdaptiveLimit({
    max: deps.config.MAX_INFLIGHT_ANSWERS,
    min: target > 0 ? Math.min(deps.config.ANSWER_INFLIGHT_MIN, deps.config.MAX_INFLIGHT_ANSWERS) : deps.config.MAX_INFLIGHT_ANSWERS,
    targetMs: target > 0 ? target : Number.POSITIVE_INFINITY,
    // A second of answers per judgement: over 250-ms windows of five or so answers, one GC pause or noisy
    // neighbour moved a window's median past the target and cut a half-idle process (30 clients: 71 refused).
    windowMs: 1_000,
    minSamples: 10,
  });
  // The provider's share of each admitted answer's time (set when it succeeds), by request.
  const providerMs = new WeakMap<object, number>();
  deps.metrics.gauge('attest_answer_admission', 'Answers this process admits at once (limit), is working on (in_flight), and adaptive cuts and raises since start', ['state'], (gauge) => {
    const state = admission.state();
    gauge.set({ state: 'limit' }, state.limit);
    gauge.set({ state: 'in_flight' }, working);
    gauge.set({ state: 'cuts' }, state.cuts);
    gauge.set({ state: 'raises' }, state.raises);
  });
  app.addHook('preClose', (done) => {
    for (const controller of inFlight) controller.abort(shuttingDown());
    done();
  });
  /**
   * Admission, first of all, before authentication and any database read: a saturated process must turn
   * questions away for almost nothing, or the refusals themselves take the CPU the admitted answers need.
   * Shared by every route that answers a question (single answers and conversation turns).
   */
  const admit = (request: FastifyRequest, reply: FastifyReply, done: (error?: Error) => void) => {
    const busy = app.memoryUsage().eventLoopUtilized;
    const shedAbove = deps.config.ANSWER_SHED_EVENT_LOOP_UTILIZATION;
    if (shedAbove > 0 && busy > shedAbove) {
      done(new AppError('OVERLOADED', `this server is busy (event loop ${Math.round(busy * 100)}% utilised); retry shortly`, { retryAfterMs: 1_000 }));
      return;
    }
    // Last: admitting takes a pacing token.
    if (!admission.admit(working, performance.now())) {
      done(new AppError('OVERLOADED', `this server is answering ${working} questions; retry shortly`, { retryAfterMs: 1_000 }));
      return;
    }
    working++;
    const admittedAt = performance.now();
    let released = false;
    const release = () => {
      if (released) return;
      released = true;
      working--;
      const provider = providerMs.get(request);
      // Only answers that were given: a failure's time says nothing about this process's queue.
      if (provider === undefined) return;
      const now = performance.now();
      admission.record(admittedAt, Math.max(0, now - admittedAt - provider), now);
    };
    reply.raw.once('finish', release);
    reply.raw.once('close', release);
    done();
  };

  /**
   * Answers one question as JSON or, with `Accept: text/event-stream`, as SSE: the token lease, cancellation
   * when the client goes away or the server stops, and the error event. `run` produces the answer body.
   */
  const respond = async (request: FastifyRequest, reply: FastifyReply, tenantId: string, question: string, run: (context: AnswerContext) => Promise<AnswerBody>) => {
    const controller = new AbortController();
    inFlight.add(controller);
    // A client that goes away cancels the provider call.
    reply.raw.on('close', () => {
      inFlight.delete(controller);
      if (!reply.raw.writableFinished) controller.abort(new Error('client disconnected'));
    });
    // What the answer failed with, or the shutdown that aborted it (the provider's abort error says less).
    const failure = (error: unknown) => (isShutdown(controller.signal.reason) ? controller.signal.reason : error);
    // Tokens per minute are charged at admission from an estimate and reconciled with the real usage.
    const estimate = estimateTokens(question) + deps.config.MAX_INPUT_TOKENS + deps.config.MAX_OUTPUT_TOKENS;
    let lease: Awaited<ReturnType<typeof deps.limits.admitAnswer>>;
    try {
      lease = await deps.limits.admitAnswer(tenantId, estimate);
    } catch (error) {
      inFlight.delete(controller);
      throw error;
    }
    const settle = (body: AnswerBody | undefined) => lease.settle(body ? billed(body) : undefined).catch(() => undefined);
    if (!wantsStream(request.headers.accept)) {
      try {
        const body = await run({ signal: controller.signal, requestId: request.id });
        providerMs.set(request, body.timings.generateMs);
        await settle(body);
        return body;
      } catch (error) {
        await settle(undefined);
        throw failure(error);
      } finally {
        inFlight.delete(controller);
      }
    }
    reply.hijack();
    const send = sseWriter(reply);
    try {
      const body = await run({
        signal: controller.signal,
        requestId: request.id,
        events: {
          onRetrieval: (sources) => send('retrieval', { sources }),
          onDelta: (text) => send('delta', { text }),
          onReset: (reason) => send('reset', { reason }),
          onCitation: (citation) => send('citation', citation),
        },
      });
      providerMs.set(request, body.timings.generateMs);
      await settle(body);
      send('done', body);
    } catch (error) {
      await settle(undefined);
      const appError = toHttpError(failure(error));
      if (appError.status >= 500 && appError.code !== 'SHUTTING_DOWN') request.log.error({ error: loggableError(error) }, 'streamed answer failed');
      send('error', toAppError(appError).toBody().error);
    } finally {
      inFlight.delete(controller);
      reply.raw.end();
      // The stream said keep-alive; a closing server must not wait for this idle socket's keep-alive timeout.
      if (isShutdown(controller.signal.reason)) reply.raw.socket?.end();
    }
    return reply;
  };

  routes.post(
    '/v1/corpora/:corpus/answers',
    {
      schema: { params: z.object({ corpus: z.string().min(1) }), body: answerBody },
      onRequest: admit,
      preHandler: requireScope(deps.authenticate, 'query'),
    },
    async (request, reply) => {
      const { tenantId } = principalOf(request);
      const corpus = await deps.services.corpora.find(tenantId, request.params.corpus);
      // Before admission and before an SSE stream starts: an over-budget question is a plain 413.
      deps.services.answers.checkBudget(request.body.question, tenantId);
      return respond(request, reply, tenantId, request.body.question, (context) => deps.services.answers.answer(corpus, request.body.question, request.body.options, context));
    },
  );

  // A trace holds a user's question and its answer: readable with the query (or admin) scope only, not by an ingest-only key.
  routes.get('/v1/traces/:id', { schema: { params: z.object({ id: z.string().uuid() }) }, preHandler: requireScope(deps.authenticate, 'query') }, async (request) => {
    const { tenantId } = principalOf(request);
    const row = await deps.services.traces.find(tenantId, request.params.id);
    if (!row) throw traceNotFound(request.params.id);
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
      const trace = await deps.services.traces.find(tenantId, request.body.traceId);
      if (!trace) throw traceNotFound(request.body.traceId);
      const [row] = await deps.store.db
        .insert(feedback)
        .values({ tenantId, traceId: trace.id, rating: request.body.rating, comment: request.body.comment ?? null })
        .returning();
      return reply.status(201).send({ id: row?.id, traceId: trace.id, rating: request.body.rating });
    },
  );
  return { admit, respond };
}
