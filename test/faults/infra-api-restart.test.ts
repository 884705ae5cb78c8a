import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { bearer } from '../helpers/app';
import { fakeProviderEnv, type AnswerResponse, type Loose } from '../helpers/answers';
import { multipartBody } from '../helpers/ingestion';
import { isRunning, killAll, killGroup, startServer, type ChildEnv, type ChildHandle } from '../helpers/processes';
import { freePort } from '../helpers/redis-server';
import { seedDataDir } from '../helpers/stores';
import { startFakeProviders, type FakeProviders } from '../fake-providers/server';

/**
 * The API process restarted while it streams an answer (issue 9). The server
 * runs as its own process (`node --import tsx src/server.ts`, PGlite in a temp
 * DATA_DIR) and generates through the fake provider, which streams half an
 * answer and then stalls, so the client is mid-answer when the process goes:
 * - SIGTERM: the graceful shutdown aborts the generation; the client gets an
 *   `error` event SHUTTING_DOWN, never a `done` (a JSON answer in flight: 503
 *   SHUTTING_DOWN with Retry-After), and the process exits at once instead of
 *   draining for the provider's timeout or the keep-alive timeout.
 * - SIGKILL: the stream just ends, without `done`. A client must treat a stream
 *   that ends without `done` as a failed answer (src/ui/app/sse.ts does).
 * A server started again on the same DATA_DIR answers the same question in full.
 */
const WARRANTY = 'Warranty terms\n\nThe warranty period is two years from the date of purchase. It covers the motor.\n';
const QUESTION = 'How long is the warranty period?';
/** The fake provider holds the second half of each answer this long: far beyond any test's wait. */
const STALL_MS = 60_000;

const sseEvent = z.object({ event: z.string(), data: z.unknown() });
type SseEvent = z.infer<typeof sseEvent>;

interface OpenStream {
  events: SseEvent[];
  /** Resolves when the stream ends: cleanly, or with the connection's error. */
  ended: Promise<{ clean: boolean; error?: string }>;
}

/** POSTs a streamed answer and parses events as they arrive (a real HTTP client, not inject()). */
async function openAnswerStream(base: string, key: string, question: string): Promise<OpenStream> {
  const response = await fetch(`${base}/v1/corpora/kb/answers`, {
    method: 'POST',
    headers: { ...bearer(key), 'content-type': 'application/json', accept: 'text/event-stream' },
    body: JSON.stringify({ question }),
  });
  expect(response.status).toBe(200);
  expect(response.headers.get('content-type')).toMatch(/^text\/event-stream/u);
  const events: SseEvent[] = [];
  const reader = response.body!.getReader();
  const decoder = new TextDecoder();
  let buffer = '';
  const ended = (async () => {
    try {
      for (;;) {
        const { value, done } = await reader.read();
        if (done) return { clean: true };
        buffer += decoder.decode(value, { stream: true });
        let boundary = buffer.indexOf('\n\n');
        while (boundary >= 0) {
          const block = buffer.slice(0, boundary);
          buffer = buffer.slice(boundary + 2);
          const name = /^event: (.*)$/mu.exec(block)?.[1] ?? 'message';
          const data = /^data: (.*)$/mu.exec(block)?.[1];
          events.push(sseEvent.parse({ event: name, data: data === undefined ? undefined : JSON.parse(data) }));
          boundary = buffer.indexOf('\n\n');
        }
      }
    } catch (error) {
      return { clean: false, error: error instanceof Error ? error.message : String(error) };
    }
  })();
  return { events, ended };
}

async function waitFor(condition: () => boolean, what: string, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolveSleep) => setTimeout(resolveSleep, 10));
  }
}

function within<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  return Promise.race([promise, new Promise<never>((_resolve, reject) => setTimeout(() => reject(new Error(`${what} took over ${ms} ms`)), ms))]);
}

describe('API process restarted during an SSE answer', () => {
  let fake: FakeProviders;
  let dataDir: string;
  let base: string;
  let env: ChildEnv;
  const key = `attest-test-${randomBytes(12).toString('hex')}`;
  const servers: ChildHandle[] = [];

  async function start(): Promise<ChildHandle> {
    const started = performance.now();
    const server = await startServer(env, base);
    servers.push(server);
    console.info(`server ${servers.length} answered /healthz ${Math.round(performance.now() - started)} ms after spawn`);
    return server;
  }

  beforeAll(async () => {
    fake = await startFakeProviders();
    dataDir = await mkdtemp(join(tmpdir(), 'attest-api-restart-'));
    // What the first start would make (an initdb and the migrations), copied in instead: restarts are under test, not that.
    await seedDataDir(dataDir);
    const port = await freePort();
    base = `http://127.0.0.1:${port}`;
    env = {
      ...fakeProviderEnv(fake, { PROVIDER_TIMEOUT_MS: '30000', PROVIDER_MAX_RETRIES: '0' }),
      PORT: String(port),
      HOST: '127.0.0.1',
      DATA_DIR: dataDir,
      BOOTSTRAP_API_KEY: key,
      LOG_LEVEL: 'warn',
      // The embedded default: PGlite and in-process jobs, whatever the test process has.
      DATABASE_URL: undefined,
      REDIS_URL: undefined,
      NODE_ENV: 'test',
    };
    await start();
    const created = await fetch(`${base}/v1/corpora`, { method: 'POST', headers: { ...bearer(key), 'content-type': 'application/json' }, body: JSON.stringify({ name: 'kb' }) });
    expect(created.status).toBe(201);
    const body = multipartBody({ title: 'warranty.txt' }, { name: 'warranty.txt', bytes: WARRANTY, contentType: 'text/plain' });
    const uploaded = await fetch(`${base}/v1/corpora/kb/documents`, { method: 'POST', headers: { ...bearer(key), ...body.headers }, body: new Uint8Array(body.payload) });
    expect(uploaded.status).toBe(202);
    const { jobId } = z.object({ jobId: z.string() }).parse(await uploaded.json());
    let state = 'queued';
    async function poll(): Promise<void> {
      for (;;) {
        const job = z.object({ state: z.string() }).parse(await (await fetch(`${base}/v1/jobs/${jobId}`, { headers: bearer(key) })).json());
        state = job.state;
        if (state === 'completed' || state === 'failed') return;
        await new Promise((resolveSleep) => setTimeout(resolveSleep, 50));
      }
    }
    await within(poll(), 30_000, 'ingestion');
    expect(state).toBe('completed');
  }, 90_000);

  afterAll(async () => {
    await killAll(servers);
    await fake?.close();
    if (dataDir) await rm(dataDir, { recursive: true, force: true });
  }, 30_000);

  beforeEach(() => fake.reset());

  it('SIGKILL mid-stream: the stream ends without done; a restarted server answers the same question in full', async () => {
    const server = servers.at(-1)!;
    fake.setDefault('openai.chat', { stallMs: STALL_MS, midStream: true });
    const stream = await openAnswerStream(base, key, QUESTION);
    await waitFor(() => stream.events.some((event) => event.event === 'delta'), 'a delta event');
    killGroup(server, 'SIGKILL');
    const end = await within(stream.ended, 10_000, 'the stream end after SIGKILL');
    await server.exited;
    const names = stream.events.map((event) => event.event);
    expect(names).toContain('delta');
    // No done and no error event: only the missing `done` tells the client the answer is incomplete.
    expect(names).not.toContain('done');
    expect(names).not.toContain('error');
    console.info(`SIGKILL mid-stream: the client saw ${end.clean ? 'a clean end' : `a connection error (${end.error})`} after ${names.length} events`);

    fake.reset();
    fake.setDefault('openai.chat', { default: true });
    await start();
    const again = await openAnswerStream(base, key, QUESTION);
    const endAgain = await within(again.ended, 20_000, 'the answer after the restart');
    expect(endAgain.clean).toBe(true);
    const againNames = again.events.map((event) => event.event);
    expect(againNames.at(-1), JSON.stringify(again.events.at(-1))).toBe('done');
    expect(againNames).not.toContain('error');
    const done = again.events.at(-1)!.data as AnswerResponse;
    expect(done).toMatchObject({ refused: false, degraded: false, cached: false });
    expect(done.sentences.length).toBeGreaterThan(0);
    expect(done.citations.length).toBeGreaterThan(0);
    // The streamed text is the whole verified answer.
    const streamed = again.events.filter((event) => event.event === 'delta').map((event) => (event.data as Loose).text as string).join('');
    expect(streamed).toBe(done.sentences.map((sentence) => sentence.text).join(' '));
    expect(fake.callCount('openai.chat')).toBe(1);
  }, 90_000);

  it('SIGTERM mid-answer: a stream gets an error event SHUTTING_DOWN (no done), a JSON answer 503 SHUTTING_DOWN, and the server exits promptly', async () => {
    // The server the SIGKILL test started again (or a fresh one when that test did not get that far).
    if (!isRunning(servers.at(-1))) await start();
    const server = servers.at(-1)!;
    fake.setDefault('openai.chat', { stallMs: STALL_MS, midStream: true });
    // Not QUESTION: the restarted server has that answer cached now.
    const stream = await openAnswerStream(base, key, 'What does the warranty cover?');
    // And a JSON answer waiting on the same stalled provider.
    const json = fetch(`${base}/v1/corpora/kb/answers`, {
      method: 'POST',
      headers: { ...bearer(key), 'content-type': 'application/json' },
      body: JSON.stringify({ question: 'Is the motor covered?' }),
    });
    await waitFor(() => stream.events.some((event) => event.event === 'delta'), 'a delta event');
    await waitFor(() => fake.callCount('openai.chat') === 2, 'both provider calls');

    const signalledAt = performance.now();
    killGroup(server, 'SIGTERM');
    const end = await within(stream.ended, 10_000, 'the stream end after SIGTERM');
    const exitCode = await within(server.exited, 10_000, 'the server exit after SIGTERM');
    const exitMs = performance.now() - signalledAt;
    console.info(`SIGTERM mid-answer: server exited (${exitCode}) ${Math.round(exitMs)} ms after the signal`);

    const names = stream.events.map((event) => event.event);
    expect(end.clean, end.error).toBe(true);
    expect(names[0]).toBe('retrieval');
    expect(names).toContain('delta');
    expect(names).not.toContain('done');
    expect(names.at(-1)).toBe('error');
    expect((stream.events.at(-1)!.data as Loose).code).toBe('SHUTTING_DOWN');
    expect(exitCode).toBe(0);
    const jsonResponse = await json;
    expect(jsonResponse.status).toBe(503);
    expect(jsonResponse.headers.get('retry-after')).toBe('1');
    expect(z.object({ error: z.object({ code: z.string() }) }).parse(await jsonResponse.json()).error.code).toBe('SHUTTING_DOWN');
    // Far below the provider's 30 s timeout and the 60 s stall: the drain did not wait on the generation.
    expect(exitMs).toBeLessThan(5_000);
    // The provider call was cancelled, not left running.
    await waitFor(() => fake.calls.every((call) => call.closedAt !== undefined), 'the provider connection to close', 2_000).catch(() => undefined);
    expect(fake.calls.length).toBeGreaterThan(0);
    expect(fake.calls.every((call) => call.clientClosed === true)).toBe(true);
  }, 60_000);
});
