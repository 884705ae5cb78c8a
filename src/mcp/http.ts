import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { AppError } from '../core/errors';
import type { Authenticator } from '../api/auth';
import type { ApiCall } from './tools';

/**
 * The MCP SDK and the tools are imported at the first /mcp request, not when the app is built: they took about
 * 0.4 s of every start (and of every test file that builds the app) for an endpoint most deployments never call.
 */
let mcpModules: Promise<[typeof import('@modelcontextprotocol/sdk/server/streamableHttp.js'), typeof import('./tools')]> | undefined;
function loadMcp() {
  mcpModules ??= Promise.all([import('@modelcontextprotocol/sdk/server/streamableHttp.js'), import('./tools')]);
  return mcpModules;
}

/**
 * What a client sends a stateless MCP server: a JSON-RPC 2.0 request (with id) or notification. Checked here so
 * that malformed input gets the API's own error shape and code, as on every route; the SDK answers the rest.
 */
const jsonRpcMessage = z
  .looseObject({
    jsonrpc: z.literal('2.0'),
    method: z.string().min(1).max(200),
    id: z.union([z.string().max(200), z.number().int()]).optional(),
    params: z.record(z.string(), z.unknown()).optional(),
  })
  .describe('A JSON-RPC 2.0 request or notification of the MCP Streamable HTTP transport');

/** The transport requires clients to take both answers it may give: JSON and an event stream. */
function acceptsBoth(accept: string | undefined): boolean {
  return typeof accept === 'string' && accept.includes('application/json') && accept.includes('text/event-stream');
}

/**
 * MCP over Streamable HTTP at /mcp, stateless: each POST gets its own server and transport. Tool calls go
 * through this app's own routes (inject) with the caller's Authorization header, so a key sees exactly
 * what it sees over the HTTP API, under the same limits.
 */
export function mcpRoutes(app: FastifyInstance, authenticate: Authenticator, version: string): void {
  app.withTypeProvider<ZodTypeProvider>().post('/mcp', { schema: { body: jsonRpcMessage }, preHandler: authenticate }, async (request, reply) => {
    if (!acceptsBoth(request.headers.accept)) {
      throw new AppError('NOT_ACCEPTABLE', 'an MCP client must send "Accept: application/json, text/event-stream"');
    }
    const authorization = String(request.headers.authorization ?? '');
    const call: ApiCall = async (method, path, body) => {
      const response = await app.inject({
        method,
        url: path,
        headers: { authorization, 'x-request-id': String(request.id), ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
        ...(body === undefined ? {} : { payload: JSON.stringify(body) }),
      });
      let parsed: unknown;
      try {
        parsed = response.json();
      } catch {
        parsed = undefined;
      }
      return { status: response.statusCode, body: parsed };
    };
    const [{ StreamableHTTPServerTransport }, { createMcpServer }] = await loadMcp();
    const server = createMcpServer(call, version);
    const transport = new StreamableHTTPServerTransport({ sessionIdGenerator: undefined, enableJsonResponse: true });
    reply.hijack();
    reply.raw.on('close', () => {
      void transport.close();
      void server.close();
    });
    await server.connect(transport);
    await transport.handleRequest(request.raw, reply.raw, request.body);
  });
  // Stateless: no server-initiated stream and no session to end.
  const notAllowed = async () => {
    throw new AppError('METHOD_NOT_ALLOWED', 'this MCP endpoint is stateless: send JSON-RPC messages with POST');
  };
  app.get('/mcp', { preHandler: authenticate }, notAllowed);
  app.delete('/mcp', { preHandler: authenticate }, notAllowed);
}
