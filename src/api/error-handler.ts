import type { FastifyError, FastifyInstance } from 'fastify';
import { AppError, DELIBERATE_CODES, isAppError, toAppError, type ErrorCode } from '../core/errors';
import { isStoreUnavailable } from '../core/db/store-errors';
import { loggableError } from '../core/loggable-error';
import { isRedisUnavailable } from './limits/redis-fail-open';

/** Maps fastify's own error codes to ours, so every error body has the same shape. */
const FASTIFY_CODES: Record<string, ErrorCode> = {
  FST_ERR_CTP_INVALID_MEDIA_TYPE: 'UNSUPPORTED_MEDIA_TYPE',
  FST_ERR_CTP_EMPTY_JSON_BODY: 'BAD_REQUEST',
  FST_ERR_CTP_INVALID_JSON_BODY: 'INVALID_JSON',
  FST_ERR_CTP_BODY_TOO_LARGE: 'PAYLOAD_TOO_LARGE',
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: 'BAD_REQUEST',
  FST_REQ_FILE_TOO_LARGE: 'PAYLOAD_TOO_LARGE',
  FST_PARTS_LIMIT: 'PAYLOAD_TOO_LARGE',
  FST_FILES_LIMIT: 'PAYLOAD_TOO_LARGE',
  FST_FIELDS_LIMIT: 'PAYLOAD_TOO_LARGE',
  FST_INVALID_MULTIPART_CONTENT_TYPE: 'UNSUPPORTED_MEDIA_TYPE',
  FST_ERR_VALIDATION: 'VALIDATION_FAILED',
};

export function toHttpError(error: unknown): AppError {
  if (isAppError(error)) return error;
  const fastifyError = error as Partial<FastifyError> & { validation?: unknown[]; validationContext?: string };
  if (fastifyError.validation) {
    return new AppError('VALIDATION_FAILED', fastifyError.message ?? 'request is invalid', {
      details: { context: fastifyError.validationContext, issues: fastifyError.validation },
    });
  }
  if (error instanceof SyntaxError && typeof fastifyError.statusCode === 'number' && fastifyError.statusCode === 400) {
    return new AppError('INVALID_JSON', `request body is not valid JSON: ${error.message}`);
  }
  const mapped = fastifyError.code ? FASTIFY_CODES[fastifyError.code] : undefined;
  if (mapped) return new AppError(mapped, fastifyError.message ?? mapped);
  const status = fastifyError.statusCode;
  if (typeof status === 'number' && status >= 400 && status < 500) {
    const code: ErrorCode = status === 413 ? 'PAYLOAD_TOO_LARGE' : status === 415 ? 'UNSUPPORTED_MEDIA_TYPE' : status === 404 ? 'NOT_FOUND' : 'BAD_REQUEST';
    return new AppError(code, fastifyError.message ?? 'bad request');
  }
  if (isStoreUnavailable(error)) return toAppError(error);
  // Redis unreachable in a path that does not fail open (the limiters do): an outage of a dependency, not a
  // bug, so 503 with Retry-After, never 500. QUEUE_UNAVAILABLE because that is what this Redis is to clients:
  // uploads and /readyz already report a Redis outage with it, and callers retry it (OVERLOADED would tell
  // them to shed load, which is not the problem). (A bare socket code, ambiguous between pg and Redis, is
  // taken as the store's above: 503 either way.)
  if (isRedisUnavailable(error)) {
    return new AppError('QUEUE_UNAVAILABLE', 'Redis (job queue, shared limits and caches) is unreachable; retry shortly', { cause: error, retryAfterMs: 1_000 });
  }
  return new AppError('INTERNAL', 'internal error', { cause: error });
}

export function registerErrorHandling(app: FastifyInstance): void {
  app.setErrorHandler((error, request, reply) => {
    const appError = toHttpError(error);
    if (appError.status >= 500 && !DELIBERATE_CODES.has(appError.code)) request.log.error({ error: loggableError(error), code: appError.code }, 'request failed');
    if (appError.retryAfterMs !== undefined) reply.header('retry-after', Math.max(1, Math.ceil(appError.retryAfterMs / 1000)));
    return reply.status(appError.status).send(appError.toBody());
  });
  app.setNotFoundHandler((request, reply) => {
    const error = new AppError('ROUTE_NOT_FOUND', `no route ${request.method} ${request.url.split('?')[0]}`);
    return reply.status(404).send(error.toBody());
  });
}
