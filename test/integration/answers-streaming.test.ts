import { sql } from 'drizzle-orm';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { bearer } from '../helpers/app';
import {
  answerOf,
  ask,
  askRequest,
  createCorpus,
  parseSse,
  sharedStore,
  startHarness,
  uploadText,
  type AnswerHarness,
  type AnswerResponse,
} from '../helpers/answers';

/**
 * SSE answers: the same final answer as JSON, an `error` event (never a dropped
 * stream) when generation fails, and a client disconnect cancelling the
 * provider call (seen from the fake provider's side of the connection).
 */
const WARRANTY =
  'Warranty terms\n\nThe warranty period is 24 months from the date of purchase. It covers manufacturing defects in the motor and the control board.\n\nAccidental damage and water damage are not covered by the warranty.\n';
const GOOD = answerOf([
  { text: 'The warranty lasts 24 months from purchase.', source: 1, quote: 'The warranty period is 24 months from the date of purchase' },
  { text: 'It covers defects in the motor.', source: 1, quote: 'It covers manufacturing defects in the motor' },
]);
const SSE = { accept: 'text/event-stream' };

const shared = await sharedStore();
afterAll(async () => shared.close());

/** The answer body without what legitimately differs between two requests. */
/**
 * The answer without what differs between two computations of it: ids, timings, and the provider's prompt
 * cache (the second call reads the prefix the first one left, so its cached tokens and cost differ).
 */
function comparable(body: AnswerResponse) {
  const { traceId: _traceId, timings: _timings, cached: _cached, usage, ...rest } = body;
  const { cachedTokens: _cachedTokens, cachedShare: _cachedShare, costUsd: _costUsd, ...calls } = usage;
  return { ...rest, usage: calls };
}

async function waitFor(condition: () => boolean, timeoutMs = 5_000, what = 'condition'): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

describe('answers over SSE', () => {
  let h: AnswerHarness;
  beforeAll(async () => {
    // No in-process answer cache: a test empties the shared one to recompute an answer.
    h = await startHarness({ PROVIDER_TIMEOUT_MS: '3000', ANSWER_CACHE_MEMORY_ENTRIES: '0' }, { store: shared.store });
    await createCorpus(h.t, 'kb');
    await uploadText(h.t, 'kb', 'warranty.txt', WARRANTY);
  });
  afterAll(async () => h?.close());
  beforeEach(() => h.fake.reset());

  it('streams retrieval, deltas, citations and done; done equals the JSON answer', async () => {
    const question = 'How long is the warranty period and what does it cover?';
    h.fake.setDefault('openai.chat', { answer: GOOD });
    const json = await ask(h.t, 'kb', question);
    expect(json.refused).toBe(false);
    expect(json.cached).toBe(false);

    // Empty the answer cache, so that the streamed answer is computed afresh on the same corpus.
    await h.t.container.store.query(sql`delete from answer_cache`);
    const response = await askRequest(h.t, 'kb', question, { headers: SSE });
    expect(response.statusCode).toBe(200);
    expect(response.headers['content-type']).toMatch(/^text\/event-stream/);
    expect(h.fake.callCount('openai.chat')).toBe(2);
    // The provider was asked to stream.
    expect((h.fake.calls[1]!.body as { stream?: boolean }).stream).toBe(true);

    const events = parseSse(response.body);
    const names = events.map((event) => event.event);
    expect(names[0]).toBe('retrieval');
    expect(names.at(-1)).toBe('done');
    expect(names.filter((name) => name === 'done')).toHaveLength(1);
    expect(names).not.toContain('error');
    const firstCitation = names.indexOf('citation');
    expect(names.lastIndexOf('delta')).toBeLessThan(firstCitation);
    expect(names.filter((name) => name === 'delta').length).toBeGreaterThan(1);

    const done = events.at(-1)!.data as AnswerResponse;
    expect(done.cached).toBe(false);
    expect(done.traceId).not.toBe(json.traceId);
    expect(comparable(done)).toEqual(comparable(json));
    expect(events[0]!.data).toEqual({ sources: done.sources });
    expect(events.filter((event) => event.event === 'citation').map((event) => event.data)).toEqual(done.citations);
    const streamed = events.filter((event) => event.event === 'delta').map((event) => event.data.text as string).join('');
    expect(streamed).toBe(done.sentences.map((sentence) => sentence.text).join(' '));
  });

  it('a cached answer streams the same events and the same answer', async () => {
    const question = 'What does the warranty cover?';
    h.fake.setDefault('openai.chat', { answer: GOOD });
    const json = await ask(h.t, 'kb', question);
    const response = await askRequest(h.t, 'kb', question, { headers: SSE });
    expect(h.fake.callCount('openai.chat')).toBe(1);
    const events = parseSse(response.body);
    expect(events.map((event) => event.event)).toEqual(['retrieval', 'delta', 'citation', 'citation', 'done']);
    const done = events.at(-1)!.data as AnswerResponse;
    expect(done.cached).toBe(true);
    expect(comparable({ ...done, usage: json.usage })).toEqual(comparable(json));
    // Nothing was spent on the hit.
    expect(done.usage).toMatchObject({ provider: 'openai', inputTokens: 0, outputTokens: 0, costUsd: 0 });
  });

  it('the provider failing with no fallback gives an error event, not a dropped stream', async () => {
    h.fake.setDefault('openai.chat', { status: 500, message: 'upstream exploded' });
    const response = await askRequest(h.t, 'kb', 'Is water damage covered by the warranty?', { headers: SSE });
    expect(response.statusCode).toBe(200);
    // 1 + PROVIDER_MAX_RETRIES (2) attempts, then the error.
    expect(h.fake.callCount('openai.chat')).toBe(3);
    const events = parseSse(response.body);
    expect(events.map((event) => event.event)).toEqual(['retrieval', 'error']);
    expect(events[1]!.data).toMatchObject({ code: 'PROVIDER_ERROR', message: expect.stringContaining('openai') });

    // The same failure as JSON: a 502 with the same code.
    const json = await askRequest(h.t, 'kb', 'Is accidental damage covered by the warranty?');
    expect(json.statusCode).toBe(502);
    expect(json.json().error.code).toBe('PROVIDER_ERROR');
  });

  it('a stream that stalls mid-answer ends with an error event after the deltas already sent', async () => {
    // Each attempt sends half of the streamed answer, then stalls past PROVIDER_TIMEOUT_MS (3 s; generous so a loaded CI machine does not time out the healthy streams).
    h.fake.setDefault('openai.chat', { stallMs: 20_000, midStream: true });
    const response = await askRequest(h.t, 'kb', 'Does the warranty cover the control board?', { headers: SSE });
    expect(response.statusCode).toBe(200);
    const events = parseSse(response.body);
    const names = events.map((event) => event.event);
    expect(names[0]).toBe('retrieval');
    expect(names.at(-1)).toBe('error');
    expect(names).not.toContain('done');
    expect(events.at(-1)!.data.code).toBe('PROVIDER_TIMEOUT');
    // Text streamed before the stall reached the client; the error event closes the stream.
    expect(names).toContain('delta');
    // 1 + 2 retries (on a very busy machine a retry can time out before it reaches the server).
    expect(h.fake.callCount('openai.chat')).toBeGreaterThanOrEqual(1);
    expect(h.fake.callCount('openai.chat')).toBeLessThanOrEqual(3);
    // Each attempt's connection was closed by the service when its deadline passed.
    await waitFor(() => h.fake.calls.every((call) => call.closedAt !== undefined), 2_000, 'closed provider connections');
    expect(h.fake.calls.every((call) => call.clientClosed)).toBe(true);
  });
});

describe('answers over SSE: a retried stream', () => {
  let h: AnswerHarness;
  beforeAll(async () => {
    // Its own harness: a fresh circuit breaker, not one the failure tests above have opened.
    h = await startHarness({ PROVIDER_TIMEOUT_MS: '3000' }, { store: shared.store });
    await createCorpus(h.t, 'retry');
    await uploadText(h.t, 'retry', 'warranty.txt', WARRANTY);
  });
  afterAll(async () => h?.close());

  it('a retry after a stalled stream sends reset: the deltas after it are exactly the final answer', async () => {
    // The first attempt streams half its answer and stalls past PROVIDER_TIMEOUT_MS; the retry answers.
    h.fake.script('openai.chat', [{ stallMs: 20_000, midStream: true }, { answer: GOOD }]);
    const response = await askRequest(h.t, 'retry', 'Is the control board covered by the warranty?', { headers: SSE });
    expect(response.statusCode).toBe(200);
    const events = parseSse(response.body);
    const names = events.map((event) => event.event);
    expect(names.at(-1)).toBe('done');
    const reset = names.indexOf('reset');
    expect(reset).toBeGreaterThan(0);
    // Text of the failed attempt went out before the reset; the retry's text after it.
    expect(names.slice(0, reset)).toContain('delta');
    expect(names.lastIndexOf('reset')).toBe(reset);
    const done = events.at(-1)!.data as AnswerResponse;
    const after = events.slice(reset + 1).filter((event) => event.event === 'delta').map((event) => event.data.text as string).join('');
    expect(after).toBe(done.sentences.map((sentence) => sentence.text).join(' '));
    expect(h.fake.callCount('openai.chat')).toBe(2);
  });
});

describe('answers: client disconnect', () => {
  let h: AnswerHarness;
  let base: string;
  beforeAll(async () => {
    h = await startHarness({}, { store: shared.store });
    await createCorpus(h.t, 'live');
    await uploadText(h.t, 'live', 'warranty.txt', WARRANTY);
    await h.t.app.listen({ port: 0, host: '127.0.0.1' });
    base = `http://127.0.0.1:${(h.t.app.server.address() as AddressInfo).port}`;
  });
  afterAll(async () => h?.close());
  beforeEach(() => h.fake.reset());

  function post(question: string, signal: AbortSignal, stream: boolean): Promise<Response> {
    return fetch(`${base}/v1/corpora/live/answers`, {
      method: 'POST',
      headers: { ...bearer(h.t.adminKey), 'content-type': 'application/json', ...(stream ? SSE : {}) },
      body: JSON.stringify({ question }),
      signal,
    });
  }

  it.each([
    { mode: 'SSE', stream: true },
    { mode: 'JSON', stream: false },
  ])('$mode: aborting the request closes the provider connection, and nothing is retried', async ({ stream }) => {
    // The provider would take 10 s to answer.
    h.fake.setDefault('openai.chat', { answer: GOOD, latencyMs: 10_000 });
    const client = new AbortController();
    const pending = post(stream ? 'What does the warranty cover?' : 'Which defects does the warranty cover?', client.signal, stream);
    pending.catch(() => undefined);
    if (stream) {
      const response = await pending;
      expect(response.status).toBe(200);
      // Read until the retrieval event has arrived: the answer is under way.
      const reader = response.body!.getReader();
      const first = await reader.read();
      expect(new TextDecoder().decode(first.value)).toContain('event: retrieval');
    }
    await waitFor(() => h.fake.callCount('openai.chat') === 1, 5_000, 'the provider call');
    const started = performance.now();
    client.abort();
    await expect(pending.then(async (response) => response.body?.getReader().read())).rejects.toThrow();
    // The service saw the disconnect and aborted its SDK request: the fake provider's connection closes early.
    await waitFor(() => h.fake.calls[0]!.closedAt !== undefined, 3_000, 'the provider connection to close');
    expect(h.fake.calls[0]!.clientClosed).toBe(true);
    expect(h.fake.calls[0]!.closedAt! - started).toBeLessThan(2_000);
    // No retry, no fallback after a client abort.
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(h.fake.callCount()).toBe(1);
  });

  it('with identical questions in flight, one client leaving does not cancel the answer the other waits for', async () => {
    h.fake.setDefault('openai.chat', { answer: GOOD, latencyMs: 600 });
    const question = 'How long does the warranty last for the motor?';
    const leaving = new AbortController();
    const staying = new AbortController();
    const first = post(question, leaving.signal, true);
    first.catch(() => undefined);
    await waitFor(() => h.fake.callCount('openai.chat') === 1, 5_000, 'the provider call');
    const second = post(question, staying.signal, false);
    await new Promise((resolve) => setTimeout(resolve, 100));
    leaving.abort();
    const response = await second;
    expect(response.status).toBe(200);
    const body = (await response.json()) as AnswerResponse;
    expect(body.refused).toBe(false);
    expect(body.sentences).toHaveLength(2);
    expect(h.fake.callCount('openai.chat')).toBe(1);
    expect(h.fake.calls[0]!.clientClosed).toBe(false);
  });

  it('with identical questions in flight, the provider call is cancelled once every client has left', async () => {
    h.fake.setDefault('openai.chat', { answer: GOOD, latencyMs: 10_000 });
    const question = 'Which parts does the warranty cover?';
    const clients = [new AbortController(), new AbortController()];
    const requests = clients.map((client) => post(question, client.signal, false));
    for (const request of requests) request.catch(() => undefined);
    await waitFor(() => h.fake.callCount('openai.chat') === 1, 5_000, 'the provider call');
    await new Promise((resolve) => setTimeout(resolve, 100));
    clients[0]!.abort();
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(h.fake.calls[0]!.closedAt).toBeUndefined();
    clients[1]!.abort();
    await waitFor(() => h.fake.calls[0]!.closedAt !== undefined, 3_000, 'the provider connection to close');
    expect(h.fake.calls[0]!.clientClosed).toBe(true);
    expect(h.fake.callCount()).toBe(1);
  });
});
