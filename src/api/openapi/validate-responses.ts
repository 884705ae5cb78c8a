import type { FastifyInstance } from 'fastify';
import { operationKey } from './register';
import type { z } from 'zod';
import { isDocumented } from './responses';

export interface ResponseViolation {
  operation: string;
  status: number;
  problem: string;
}

/**
 * Checks every JSON response against the schema the OpenAPI document gives for its operation and status (an
 * error's code must be one the operation lists for that status).
 * Responses are not serialized through these schemas in production (a field the schema missed would turn
 * an answer into a 500); the contract tests turn this on, so a drift between document and behaviour fails
 * there instead.
 */
export function validateResponses(app: FastifyInstance, report: (violation: ResponseViolation) => void): void {
  app.addHook('onSend', async (request, reply, payload) => {
    const url = request.routeOptions.url;
    if (!url || !isDocumented(request.method, url)) return payload;
    const operation = operationKey(request.method, url);
    const status = reply.statusCode;
    const contentType = String(reply.getHeader('content-type') ?? '');
    if (status === 204) {
      if (payload !== undefined && payload !== null && payload !== '') report({ operation, status, problem: '204 with a body' });
      return payload;
    }
    // The route's responses as registerOpenApi completed them: RESPONSES' successes and each error status with its codes.
    const responses = request.routeOptions.schema?.response as Record<string, z.ZodType | undefined> | undefined;
    const schema = responses?.[String(status)];
    if (!schema) {
      report({ operation, status, problem: 'status not documented' });
      return payload;
    }
    if (!contentType.includes('json')) return payload;
    let body: unknown;
    try {
      body = JSON.parse(typeof payload === 'string' ? payload : Buffer.isBuffer(payload) ? payload.toString('utf8') : String(payload));
    } catch {
      report({ operation, status, problem: 'body is not JSON' });
      return payload;
    }
    const result = schema.safeParse(body);
    if (!result.success) report({ operation, status, problem: result.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`).join('; ') });
    return payload;
  });
}
