import { STATUS_CODES } from 'node:http';
import type { Duplex } from 'node:stream';
import Fastify, { LogController, type FastifyInstance, type FastifyReply, type FastifyRequest, type FastifyServerOptions, type RouteOptions } from 'fastify';
import { validatorCompiler } from 'fastify-type-provider-zod';
import underPressure from '@fastify/under-pressure';
import { AppError } from '../core/errors';
import type { AppDeps } from './deps';
import { registerBodyIdleTimeout } from './body-timeout';
import { registerErrorHandling } from './error-handler';
import { inputProblem } from './input-check';
import { registerShell } from './shell';
import { registerOpenApi } from './openapi/register';
import { openApiRoutes } from './openapi/routes';
import { mcpRoutes } from '../mcp/http';
import { validateResponses, type ResponseViolation } from './openapi/validate-responses';
import { adminRoutes } from './routes/admin';
import { metricsRoutes } from './routes/metrics';
import { answerRoutes } from './routes/answers';
import { conversationRoutes } from './routes/conversations';
import { buildRoutes } from './routes/builds';
import { canaryRoutes } from './routes/canaries';
import { corporaRoutes } from './routes/corpora';
import { sourceRoutes } from './routes/sources';
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

/**
 * One access-log line per request, when it ends (method, url, status, time), instead of fastify's two
 * ("incoming request" and "request completed"): at hundreds of requests a second, most of them answered 503
 * under overload, the second line was about 3% of the process's CPU for nothing a reader needs.
 */
class AccessLog extends LogController {
  override incomingRequest(): void {}

  override requestCompleted(error: Error | null | undefined, request: FastifyRequest, reply: FastifyReply): void {
    if (this.isLogDisabled(request)) return;
    if (error) reply.log.error({ req: request, res: reply, err: error, responseTime: reply.elapsedTime }, 'request errored');
    else reply.log.info({ req: request, res: reply, responseTime: reply.elapsedTime }, 'request completed');
  }
}

/**
 * Node's inbound limits from the config. Node refuses a headers timeout above the request timeout, and checks
 * both only every connectionsCheckingInterval (30 s by default, which would let a 20-s limit run to 50 s).
 */
export function httpTimeouts(config: Pick<AppDeps['config'], 'HTTP_HEADERS_TIMEOUT_MS' | 'HTTP_REQUEST_TIMEOUT_MS'>) {
  const requestTimeout = config.HTTP_REQUEST_TIMEOUT_MS;
  const headersTimeout = requestTimeout > 0 ? Math.min(config.HTTP_HEADERS_TIMEOUT_MS, requestTimeout) : config.HTTP_HEADERS_TIMEOUT_MS;
  const checkingInterval = Math.max(100, Math.min(5_000, Math.floor(headersTimeout / 4)));
  return { headersTimeout, requestTimeout, checkingInterval };
}

export interface BuildAppOptions {
  logger?: FastifyServerOptions['logger'];
  /** Sees every route as it is registered, schema included (the API fuzzer enumerates routes from it, so a new route is fuzzed without editing the test). */
  onRoute?: (route: RouteOptions) => void;
  /** Checks every JSON response against its OpenAPI schema and reports mismatches (contract tests). */
  onResponseViolation?: (violation: ResponseViolation) => void;
}

const API_VERSION = '0.1.0';

/** Builds the HTTP app from injected dependencies; never listens (tests use inject()). */
export async function buildApp(deps: AppDeps, options: BuildAppOptions = {}): Promise<FastifyInstance> {
  const timeouts = httpTimeouts(deps.config);
  const app = Fastify({
    // Headers within HTTP_HEADERS_TIMEOUT_MS, the whole request within HTTP_REQUEST_TIMEOUT_MS (408 either way).
    http: { headersTimeout: timeouts.headersTimeout, requestTimeout: timeouts.requestTimeout, connectionsCheckingInterval: timeouts.checkingInterval },
    requestTimeout: timeouts.requestTimeout,
    logger: options.logger ?? false,
    logController: new AccessLog(),
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
  // Response schemas document the API (OpenAPI) and are checked by the contract tests; responses are written
  // as JSON as they are, so a field a schema does not name is never dropped and a mismatch never becomes a 500.
  app.setSerializerCompiler(() => (data) => JSON.stringify(data));
  await registerOpenApi(app, { authenticate: deps.authenticate, version: API_VERSION });
  if (options.onResponseViolation) validateResponses(app, options.onResponseViolation);
  registerErrorHandling(app);
  registerBodyIdleTimeout(app, deps.config.HTTP_BODY_IDLE_TIMEOUT_MS);
  // Before validation, authentication and the shell's idempotency hash: nothing downstream sees such input.
  app.addHook('preValidation', async (request) => {
    const problem = inputProblem(request.params, 'path') ?? inputProblem(request.query, 'query') ?? inputProblem(request.body, 'body');
    if (problem) throw new AppError('VALIDATION_FAILED', problem);
  });
  // Samples event-loop utilisation for load shedding (the answers route reads it); no global thresholds.
  // 'interval': the share of the last sample window. The default ('cumulative') is the share since start,
  // which after a busy start-up (module loading, migrations, warm-up) stays above any threshold for minutes
  // and sheds every question of an idle server (npm run bench -- load on Postgres: 4,888 of 4,888 refused).
  await app.register(underPressure, { sampleInterval: 250, eventLoopUtilizationMode: 'interval' });
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
  sourceRoutes(app, deps);
  searchRoutes(app, deps);
  buildRoutes(app, deps);
  canaryRoutes(app, deps);
  const responder = answerRoutes(app, deps);
  conversationRoutes(app, deps, responder);
  textRoutes(app, deps);
  uiRoutes(app, deps);
  mcpRoutes(app, deps.authenticate, API_VERSION);
  await openApiRoutes(app);
  await app.ready();
  return app;
}
