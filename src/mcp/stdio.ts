import { StdioServerTransport } from '@modelcontextprotocol/sdk/server/stdio.js';
import type { CliConfig } from '../cli/config';
import { createMcpServer, type ApiCall } from './tools';

/** `attest mcp`: the tools over stdio for a local assistant, calling the server at ATTEST_URL with ATTEST_API_KEY. */
export async function serveStdio(config: CliConfig): Promise<void> {
  const call: ApiCall = async (method, path, body) => {
    const response = await fetch(`${config.url}${path}`, {
      method,
      headers: { authorization: `Bearer ${config.apiKey}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    return { status: response.status, body: (await response.json().catch(() => undefined)) as unknown };
  };
  const server = createMcpServer(call, '0.1.0');
  await server.connect(new StdioServerTransport());
  // Serve until the client closes stdin.
  await new Promise<void>((resolve) => process.stdin.once('close', resolve));
}
