import Fastify, { type FastifyInstance, type FastifyServerOptions } from 'fastify';
import { serializerCompiler, validatorCompiler } from 'fastify-type-provider-zod';
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
}

/** Builds the HTTP app from injected dependencies; never listens (tests use inject()). */
export async function buildApp(deps: AppDeps, options: BuildAppOptions = {}): Promise<FastifyInstance> {
  const app = Fastify({
    logger: options.logger ?? false,
    bodyLimit: 1024 * 1024,
    requestIdHeader: 'x-request-id',
    genReqId: () => crypto.randomUUID(),
    return503OnClosing: true,
  });
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
