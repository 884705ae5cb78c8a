import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { main } from '../../src/cli/main';
import { memoryStore } from '../helpers/stores';
import { createTestApp, type TestApp } from '../helpers/app';
import { WARRANTY } from '../helpers/documents';

const BIN = resolve(process.cwd(), 'bin/attest.mjs');

function capture() {
  let out = '';
  let err = '';
  return { io: { out: (text: string) => void (out += text), err: (text: string) => void (err += text) }, out: () => out, err: () => err };
}

/** Runs the attest command as a user would, in its own process. */
function runBin(args: string[], env: Record<string, string>): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((done) => {
    const child = spawn(process.execPath, [BIN, ...args], { env: { ...process.env, ...env } });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('close', (code) => done({ code, stdout, stderr }));
  });
}

describe('attest CLI and MCP server against a running server', () => {
  let t: TestApp;
  let url: string;
  let dir: string;
  let env: Record<string, string>;

  beforeAll(async () => {
    const store = await memoryStore();
    t = await createTestApp({ store });
    await t.app.listen({ port: 0, host: '127.0.0.1' });
    url = `http://127.0.0.1:${(t.app.server.address() as AddressInfo).port}`;
    env = { ATTEST_URL: url, ATTEST_API_KEY: t.adminKey };
    dir = await mkdtemp(join(tmpdir(), 'attest-cli-'));
    const created = await fetch(`${url}/v1/corpora`, { method: 'POST', headers: { authorization: `Bearer ${t.adminKey}`, 'content-type': 'application/json' }, body: JSON.stringify({ name: 'help' }) });
    expect(created.status).toBe(201);
  });
  afterAll(async () => {
    await t?.close();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('ingests a directory, uploads nothing the second time, and resumes an interrupted run', async () => {
    const docs = join(dir, 'docs');
    const { mkdir } = await import('node:fs/promises');
    await mkdir(join(docs, 'nested'), { recursive: true });
    await writeFile(join(docs, 'warranty.txt'), WARRANTY);
    await writeFile(join(docs, 'nested', 'returns.md'), '# Returns\n\nItems can be returned within 30 days of delivery for a full refund.\n');
    await writeFile(join(docs, '.hidden.txt'), 'never uploaded');
    for (let i = 0; i < 12; i++) await writeFile(join(docs, `note-${String(i).padStart(2, '0')}.txt`), `Support note ${i}: the grommet model G${i} ships with a ${i + 2} metre cable.\n`);
    const state = join(dir, 'state.json');

    // Interrupted: killed once a few files are in; the state file holds what was uploaded.
    const child = spawn(process.execPath, [BIN, 'ingest', docs, '--corpus', 'help', '--concurrency', '1', '--state', state], { env: { ...process.env, ...env } });
    for (let i = 0; i < 600; i++) {
      const text = existsSync(state) ? await readFile(state, 'utf8').catch(() => '') : '';
      if (text && Object.keys((JSON.parse(text) as { files: object }).files).length >= 3) break;
      await new Promise((done) => setTimeout(done, 50));
    }
    child.kill('SIGKILL');
    await new Promise((done) => child.on('close', done));
    const before = Object.keys((JSON.parse(await readFile(state, 'utf8')) as { files: object }).files).length;
    expect(before).toBeGreaterThanOrEqual(3);
    expect(before).toBeLessThan(14);

    // Resumed as a function (the command's process wiring is the killed run's, above): same code, no second start-up.
    const resumedRun = capture();
    expect(await main(['ingest', docs, '--corpus', 'help', '--state', state, '--url', url, '--api-key', t.adminKey], resumedRun.io)).toBe(0);
    const resumed = { stdout: resumedRun.out(), stderr: resumedRun.err() };
    expect(resumed.stderr).toBe('');
    // What the first run recorded is skipped; the rest is uploaded (a file the killed run had sent but not yet
    // recorded is found already stored by the server's dedup), and nothing fails.
    const counts = /14 files: (\d+) uploaded, (\d+) already stored, (\d+) unchanged, 0 failed/.exec(resumed.stdout);
    expect(counts, resumed.stdout).not.toBeNull();
    expect(Number(counts?.[3])).toBe(before);
    expect(Number(counts?.[1]) + Number(counts?.[2])).toBe(14 - before);
    expect(Number(counts?.[2])).toBeLessThanOrEqual(1);

    const again = capture();
    expect(await main(['ingest', docs, '--corpus', 'help', '--state', state, '--url', url, '--api-key', t.adminKey], again.io)).toBe(0);
    expect(again.out()).toContain('14 files: 0 uploaded, 0 already stored, 14 unchanged, 0 failed');

    const listed = (await (await fetch(`${url}/v1/corpora/help/documents?limit=100`, { headers: { authorization: `Bearer ${t.adminKey}` } })).json()) as { documents: unknown[] };
    expect(listed.documents).toHaveLength(14);
  });

  it('asks with citations, and exits 3 on a refusal', async () => {
    const answered = capture();
    expect(await main(['ask', 'How long is the warranty period?', '--corpus', 'help', '--url', url, '--api-key', t.adminKey], answered.io)).toBe(0);
    expect(answered.out()).toMatch(/24 months/);
    expect(answered.out()).toMatch(/\[1\] .+\n {4}".*24 months.*"/);

    const refused = await runBin(['ask', 'What is the airspeed velocity of an unladen swallow?', '--corpus', 'help'], env);
    expect(refused.stdout).toContain('Refused:');
    expect(refused.code).toBe(3);

    const usage = capture();
    expect(await main(['ask', '--corpus', 'help'], usage.io)).toBe(2);
    expect(usage.err()).toContain('give the question');
    const unknown = capture();
    expect(await main(['ask', 'anything', '--corpus', 'nope', '--url', url, '--api-key', t.adminKey], unknown.io)).toBe(1);
    expect(unknown.err()).toContain('CORPUS_NOT_FOUND');
  });

  it('lists and runs canaries', async () => {
    const docs = (await (await fetch(`${url}/v1/corpora/help/documents?limit=100`, { headers: { authorization: `Bearer ${t.adminKey}` } })).json()) as { documents: { id: string; title: string | null }[] };
    const warranty = docs.documents.find((doc) => doc.title?.toLowerCase().includes('warranty'));
    expect(warranty).toBeDefined();
    await fetch(`${url}/v1/corpora/help/canaries`, { method: 'POST', headers: { authorization: `Bearer ${t.adminKey}`, 'content-type': 'application/json' }, body: JSON.stringify({ query: 'warranty period months', expect: { documentId: warranty?.id }, k: 5 }) });
    const list = capture();
    expect(await main(['canaries', 'list', '--corpus', 'help', '--url', url, '--api-key', t.adminKey], list.io)).toBe(0);
    expect(list.out()).toContain('1 canaries');
    const run = capture();
    expect(await main(['canaries', 'run', '--corpus', 'help', '--url', url, '--api-key', t.adminKey], run.io)).toBe(0);
    expect(run.out()).toContain('recall@k 1');
  });

  it('names failed files in the summary (exit 1), and evaluates a file of questions', async () => {
    const { mkdir } = await import('node:fs/promises');
    const mixed = join(dir, 'mixed');
    await mkdir(mixed);
    await writeFile(join(mixed, 'shipping.txt'), 'Orders ship from the Leeds warehouse within two working days.\n');
    await writeFile(join(mixed, 'empty.txt'), '');
    const run = capture();
    expect(await main(['ingest', mixed, '--corpus', 'help', '--state', join(dir, 'mixed.json'), '--url', url, '--api-key', t.adminKey], run.io)).toBe(1);
    expect(run.out()).toContain('2 files: 1 uploaded, 0 already stored, 0 unchanged, 1 failed');
    expect(run.out()).toMatch(/FAILED .*empty\.txt: EMPTY_FILE/);

    const questions = join(dir, 'questions.jsonl');
    await writeFile(questions, `${JSON.stringify({ question: 'How long is the warranty period?', answers: ['24 months'] })}\n${JSON.stringify({ question: 'What is the airspeed velocity of an unladen swallow?', unanswerable: true })}\n`);
    const evaluated = capture();
    expect(await main(['eval', '--corpus', 'help', '--questions', questions, '--url', url, '--api-key', t.adminKey], evaluated.io)).toBe(0);
    expect(evaluated.out()).toContain('answerable 1: answered 1.000, contains an expected answer 1.000  unanswerable 1: refused 1.000  errors 0');
  });

  it('serves the MCP tools over Streamable HTTP, scoped by the caller key', async () => {
    const connect = async (key: string) => {
      const client = new Client({ name: 'test', version: '1.0.0' });
      await client.connect(new StreamableHTTPClientTransport(new URL(`${url}/mcp`), { requestInit: { headers: { authorization: `Bearer ${key}` } } }));
      return client;
    };
    const client = await connect(t.adminKey);
    try {
      const tools = (await client.listTools()).tools.map((tool) => tool.name).sort();
      expect(tools).toEqual(['answer_with_citations', 'list_corpora', 'search_documents']);
      const corpora = await client.callTool({ name: 'list_corpora', arguments: {} });
      expect(JSON.stringify(corpora.structuredContent)).toContain('"name":"help"');
      const search = await client.callTool({ name: 'search_documents', arguments: { corpus: 'help', query: 'warranty period', k: 3 } });
      expect(JSON.stringify(search.structuredContent)).toContain('24 months');
      const answer = (await client.callTool({ name: 'answer_with_citations', arguments: { corpus: 'help', question: 'How long is the warranty period?' } })).structuredContent as { refused: boolean; citations: { quote: string; verified: boolean; start: number; end: number }[] };
      expect(answer.refused).toBe(false);
      expect(answer.citations[0]?.verified).toBe(true);
      expect(answer.citations[0]?.quote).toContain('24 months');
      expect(answer.citations[0]?.end).toBeGreaterThan(answer.citations[0]?.start ?? Infinity);
      const refusal = (await client.callTool({ name: 'answer_with_citations', arguments: { corpus: 'help', question: 'What is the airspeed velocity of an unladen swallow?' } })).structuredContent as { refused: boolean; reason: string };
      expect(refusal.refused).toBe(true);
      expect(refusal.reason).toBeTruthy();
    } finally {
      await client.close();
    }

    // Another tenant's key sees none of this tenant's corpora.
    const other = await connect(await t.keyFor('other-tenant', ['query']));
    try {
      const corpora = await other.callTool({ name: 'list_corpora', arguments: {} });
      expect(JSON.stringify(corpora.structuredContent)).not.toContain('"name":"help"');
      const denied = await other.callTool({ name: 'answer_with_citations', arguments: { corpus: 'help', question: 'How long is the warranty period?' } });
      expect(denied.isError).toBe(true);
      expect(JSON.stringify(denied.content)).toContain('CORPUS_NOT_FOUND');
    } finally {
      await other.close();
    }

    // No key, no MCP.
    const anonymous = await fetch(`${url}/mcp`, { method: 'POST', headers: { 'content-type': 'application/json', accept: 'application/json, text/event-stream' }, body: JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'tools/list' }) });
    expect(anonymous.status).toBe(401);
  });

  it('serves the same tools over stdio (attest mcp)', async () => {
    const client = new Client({ name: 'test', version: '1.0.0' });
    await client.connect(new StdioClientTransport({ command: process.execPath, args: [BIN, 'mcp'], env: { ...(process.env as Record<string, string>), ...env } }));
    try {
      const search = await client.callTool({ name: 'search_documents', arguments: { corpus: 'help', query: 'returned within 30 days', k: 3 } });
      expect(JSON.stringify(search.structuredContent)).toContain('30 days');
      const other = await client.callTool({ name: 'search_documents', arguments: { corpus: 'no-such-corpus', query: 'x' } });
      expect(other.isError).toBe(true);
    } finally {
      await client.close();
    }
  });
});
