import { STATUS_CODES } from 'node:http';
import type { Duplex } from 'node:stream';
import Fastify, { type FastifyInstance, type FastifyReply, type FastifyServerOptions, type RouteOptions } from 'fastify';
import { serializerCompiler, validatorCompiler } from 'fastify-type-provider-zod';
import underPressure from '@fastify/under-pressure';
import { AppError } from '../core/errors';
import type { AppDeps } from './deps';
import { registerErrorHandling } from './error-handler';
import { registerShell } from './shell';
import { adminRoutes } from './routes/admin';
import { metricsRoutes } from './routes/metrics';
import { answerRoutes } from './routes/answers';
import { buildRoutes } from './routes/builds';
import { canaryRoutes } from './routes/canaries';
import { corporaRoutes } from './routes/corpora';
import { documentRoutes } from './routes/documents';
import { healthRoutes } from './routes/health';
import { jobRoutes } from './routes/jobs';
import { searchRoutes } from './routes/search';
import { textRoutes } from './routes/texts';
import { uiRoutes } from './routes/ui';

/** pino options: JSON lines; credentials and question/document text never logged. */
export function loggerOptions(level: string): FastifyServerOptions['logger'] {
  return {
    level,
    redact: {
      paths: ['req.headers.authorization', 'req.headers.cookie', 'req.headers["x-api-key"]', 'headers.authorization', '*.apiKey', '*.key', '*.question', '*.query', '*.text', '*.quote'],
      censor: '[redacted]',
    },
  };
}

const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;
const isWellFormed = (text: string): boolean => !LONE_SURROGATE.test(text);

/** Deeper than any request body of the API (the deepest, a search filter, nests 3 levels). */
export const MAX_INPUT_DEPTH = 32;

/**
 * Where a parsed request input breaks what every route relies on, or undefined:
 * U+0000 in any string or key (PostgreSQL text and jsonb cannot hold it, so it
 * would surface as a database error, a 500), an unpaired UTF-16 surrogate (a JSON
 * "\\udc00" escape; it has no UTF-8 form, and PGlite fails the query with
 * "invalid byte sequence"), or nesting beyond MAX_INPUT_DEPTH
 * (recursive code downstream, e.g. the idempotency hash's JSON.stringify,
 * overflows the stack on a few thousand levels). Iterative, so the check itself
 * cannot overflow.
 */
export function inputProblem(input: unknown, where: string): string | undefined {
  const stack: { value: unknown; path: string; depth: number }[] = [{ value: input, path: where, depth: 0 }];
  while (stack.length > 0) {
    const { value, path, depth } = stack.pop()!;
    if (typeof value === 'string') {
      if (value.includes('\u0000')) return `${path} contains the NUL character (U+0000)`;
      if (!isWellFormed(value)) return `${path} contains an unpaired surrogate (not valid Unicode)`;
      continue;
    }
    if (typeof value !== 'object' || value === null) continue;
    if (depth >= MAX_INPUT_DEPTH) return `${path} nests deeper than ${MAX_INPUT_DEPTH} levels`;
    for (const [key, child] of Object.entries(value)) {
      if (key.includes('\u0000') || !isWellFormed(key)) return `${path} has a key with the NUL character or an unpaired surrogate`;
      stack.push({ value: child, path: Array.isArray(value) ? `${path}[${key}]` : `${path}.${key.slice(0, 50)}`, depth: depth + 1 });
    }
  }
  return undefined;
}

/**
 * Requests Node's HTTP parser rejects (not HTTP, broken chunked encoding, headers
 * over the size limit) never reach fastify's error handler; its default answer
 * is `{"error":"Bad Request","message":"Client Error","statusCode":400}`, outside
 * the API's error shape. Same statuses, our body.
 */
function clientErrorHandler(error: Error & { code?: string }, socket: Duplex): void {
  // A reset connection has nobody to answer.
  if (error.code === 'ECONNRESET' || socket.destroyed) return;
  const answer =
    error.code === 'HPE_HEADER_OVERFLOW'
      ? { status: 431, body: new AppError('PAYLOAD_TOO_LARGE', 'the request headers are too large', { status: 431 }).toBody() }
      : error.code === 'ERR_HTTP_REQUEST_TIMEOUT'
        ? { status: 408, body: new AppError('BAD_REQUEST', 'the request was not received in time', { status: 408 }).toBody() }
        : { status: 400, body: new AppError('BAD_REQUEST', 'the request is not valid HTTP').toBody() };
  const text = JSON.stringify(answer.body);
  if (socket.writable) {
    socket.write(`HTTP/1.1 ${answer.status} ${STATUS_CODES[answer.status]}\r\nContent-Length: ${Buffer.byteLength(text)}\r\nContent-Type: application/json; charset=utf-8\r\nConnection: close\r\n\r\n${text}`);
  }
  socket.destroy(error);
}

export interface BuildAppOptions {
  logger?: FastifyServerOptions['logger'];
  /** Sees every route as it is registered, schema included (the API fuzzer enumerates routes from it, so a new route is fuzzed without editing the test). */
  onRoute?: (route: RouteOptions) => void;
}

/** Builds the HTTP app from injected dependencies; never listens (tests use inject()). */
export async function buildApp(deps: AppDeps, options: BuildAppOptions = {}): Promise<FastifyInstance> {
  const app = Fastify({
    logger: options.logger ?? false,
    bodyLimit: 1024 * 1024,
    requestIdHeader: 'x-request-id',
    genReqId: () => crypto.randomUUID(),
    return503OnClosing: true,
    clientErrorHandler,
    // Errors fastify answers before routing (bad percent-encoding, a path parameter over
    // maxParamLength) skip the error handler; without this they leave with fastify's own
    // body shape, an uncatalogued code and the whole path echoed back.
    frameworkErrors: (error, _request, reply) => {
      const message =
        error.code === 'FST_ERR_MAX_PARAM_LENGTH' ? 'a path parameter is longer than 100 characters' : error.code === 'FST_ERR_BAD_URL' ? 'the URL path is not valid percent-encoded UTF-8' : 'the request cannot be routed';
      // Typed for the raw server's generics here; it is the same reply object routes get.
      void (reply as unknown as FastifyReply).status(400).send(new AppError('BAD_REQUEST', message).toBody());
    },
  });
  const { onRoute } = options;
  if (onRoute) app.addHook('onRoute', (route) => onRoute(route));
  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);
  registerErrorHandling(app);
  // Before validation, authentication and the shell's idempotency hash: nothing downstream sees such input.
  app.addHook('preValidation', async (request) => {
    const problem = inputProblem(request.params, 'path') ?? inputProblem(request.query, 'query') ?? inputProblem(request.body, 'body');
    if (problem) throw new AppError('VALIDATION_FAILED', problem);
  });
  // Samples event-loop utilisation for load shedding (the answers route reads it); no global thresholds.
  await app.register(underPressure, { sampleInterval: 250 });
  registerShell(app, deps);
  app.addHook('onSend', async (request, reply) => {
    reply.header('x-request-id', request.id);
  });

  healthRoutes(app, deps.readiness);
  metricsRoutes(app, deps);
  adminRoutes(app, deps);
  corporaRoutes(app, deps);
  jobRoutes(app, deps);
  documentRoutes(app, deps);
  searchRoutes(app, deps);
  buildRoutes(app, deps);
  canaryRoutes(app, deps);
  answerRoutes(app, deps);
  textRoutes(app, deps);
  uiRoutes(app, deps);
  await app.ready();
  return app;
}
