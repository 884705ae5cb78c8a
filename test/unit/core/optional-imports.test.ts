/**
 * The embedded default loads no adapter of an optional service: the provider SDKs, BullMQ and ioredis, Qdrant's
 * client, the OpenTelemetry SDK and the MCP SDK are imported only once the config names them (or, for MCP, at the
 * first /mcp request). They were about 1.5 s of every start and of every test file that builds a container.
 * A child process loads the container and the app, builds the providers its environment configures, and records
 * every URL the module loader resolves; with the three provider keys set, the same run must show their SDKs, so
 * the recorder is seen to work.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';

const run = promisify(execFile);
const dir = mkdtempSync(join(tmpdir(), 'attest-imports-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const OPTIONAL = ['cohere-ai', '@anthropic-ai/sdk', 'openai', 'bullmq', 'ioredis', '@qdrant/js-client-rest', '@opentelemetry/sdk-trace', '@modelcontextprotocol/sdk'];

/** The packages (under node_modules) whose modules the loader resolved while the fixture ran with `env`. */
async function packagesLoaded(name: string, env: Record<string, string>): Promise<Set<string>> {
  const out = join(dir, `${name}.txt`);
  // A clean environment: a key or REDIS_URL set where the suite runs must not decide what loads.
  await run(process.execPath, ['--import', 'tsx', '--import', './test/fixtures/imports/record-resolved.mjs', 'test/fixtures/imports/load-container.ts'], {
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', RECORD_RESOLVED_TO: out, LOG_LEVEL: 'silent', LOCAL_MODELS: 'off', ...env },
    timeout: 60_000,
  });
  const packages = new Set<string>();
  for (const url of readFileSync(out, 'utf8').split('\n')) {
    const match = /node_modules\/((?:@[^/]+\/)?[^/]+)\//.exec(url);
    if (match?.[1]) packages.add(match[1]);
  }
  return packages;
}

describe('optional services are imported only when configured', () => {
  it('the embedded default loads none of their adapters; with the provider keys set, their SDKs load', async () => {
    const [embedded, withKeys] = await Promise.all([
      packagesLoaded('embedded', {}),
      packagesLoaded('keys', { OPENAI_API_KEY: 'sk-test', COHERE_API_KEY: 'co-test', ANTHROPIC_API_KEY: 'sk-ant-test' }),
    ]);
    expect(embedded.has('fastify'), 'the recorder saw the app load').toBe(true);
    expect(OPTIONAL.filter((name) => embedded.has(name))).toEqual([]);
    expect(['openai', 'cohere-ai', '@anthropic-ai/sdk'].filter((name) => !withKeys.has(name))).toEqual([]);
  }, 90_000);
});
