import Fastify, { type FastifyInstance, type FastifyReply, type FastifyServerOptions, type RouteOptions } from 'fastify';
import { serializerCompiler, validatorCompiler } from 'fastify-type-provider-zod';
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
