import { StreamableHTTPServerTransport } from '@modelcontextprotocol/sdk/server/streamableHttp.js';
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { AppError } from '../core/errors';
import type { Authenticator } from '../api/auth';
import { createMcpServer, type ApiCall } from './tools';

const jsonRpcMessage = z.looseObject({ jsonrpc: z.literal('2.0') }).describe('A JSON-RPC 2.0 message of the MCP Streamable HTTP transport');

/**
 * MCP over Streamable HTTP at /mcp, stateless: each POST gets its own server and transport. Tool calls go
 * through this app's own routes (inject) with the caller's Authorization header, so a key sees exactly
 * what it sees over the HTTP API, under the same limits.
 */
export function mcpRoutes(app: FastifyInstance, authenticate: Authenticator, version: string): void {
  app.withTypeProvider<ZodTypeProvider>().post('/mcp', { schema: { body: jsonRpcMessage }, preHandler: authenticate }, async (request, reply) => {
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
    throw new AppError('BAD_REQUEST', 'this MCP endpoint is stateless: send JSON-RPC messages with POST', { status: 405 });
  };
  app.get('/mcp', { preHandler: authenticate }, notAllowed);
  app.delete('/mcp', { preHandler: authenticate }, notAllowed);
}
