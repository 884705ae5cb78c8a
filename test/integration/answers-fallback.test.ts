import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createProviders } from '../../src/core/providers/factory';
import {
  answerOf,
  ask,
  askRequest,
  createCorpus,
  getTrace,
  sharedStore,
  startHarness,
  uploadText,
  type AnswerHarness,
  type AnswerResponse,
} from '../helpers/answers';

/**
 * Resilience through the HTTP API, providers built from config by the real
 * factory (GENERATORS=openai,anthropic,local) and pointed at the fake server:
 * fallback to the next provider, to the local extractive generator (degraded),
 * the circuit breaker stopping calls, and retries that never multiply.
 */
const WARRANTY =
  'Warranty terms\n\nThe warranty period is 24 months from the date of purchase. It covers manufacturing defects in the motor and the control board.\n';
const GOOD = answerOf([{ text: 'The warranty lasts 24 months.', source: 1, quote: 'The warranty period is 24 months' }]);

const shared = await sharedStore();
afterAll(async () => shared.close());

/** Fast retries for tests: tiny backoff, and any Retry-After capped at 10 ms. */
const FAST_RETRY = { initialDelayMs: 1, maxDelayMs: 5, maxRetryAfterMs: 10 };

let questions = 0;
const STOPWORDS = ['a', 'an', 'the', 'of', 'to', 'in', 'on', 'at'];
/**
 * Distinct questions (no cache hit, no single-flight) with the same content
 * terms: the number is spelled in stopwords, so retrieval and the local
 * generator see the same question every time.
 */
function nextQuestion(): string {
  let n = ++questions;
  const words: string[] = [];
  while (n > 0) {
    words.push(STOPWORDS[n % STOPWORDS.length]!);
    n = Math.floor(n / STOPWORDS.length);
  }
  return `How long is the warranty period ${words.join(' ')}?`;
}

describe('answers: fallback chain openai → anthropic → local', () => {
  let h: AnswerHarness;
  beforeAll(async () => {
    h = await startHarness({ GENERATORS: 'openai,anthropic,local' }, { store: shared.store, providers: (config) => createProviders(config, { retry: FAST_RETRY }) });
    await createCorpus(h.t, 'chain');
    await uploadText(h.t, 'chain', 'warranty.txt', WARRANTY);
  });
  afterAll(async () => h?.close());
  beforeEach(() => {
    h.fake.reset();
    h.fake.setDefault('anthropic.messages', { answer: GOOD });
    h.fake.setDefault('openai.chat', { answer: GOOD });
  });

  it.each([
    { failure: '500', behaviour: { status: 500 } },
    { failure: '429 with Retry-After', behaviour: { status: 429, retryAfter: 1 } },
  ])('openai answering $failure: retried twice, then anthropic answers', async ({ behaviour }) => {
    h.fake.setDefault('openai.chat', behaviour);
    const body = await ask(h.t, 'chain', nextQuestion());
    expect(h.fake.callCount('openai.chat')).toBe(3);
    expect(h.fake.callCount('anthropic.messages')).toBe(1);
    expect(body).toMatchObject({ refused: false, degraded: false, usage: { provider: 'anthropic' } });
    expect(body.citations[0]?.verified).toBe(true);
    const trace = await getTrace(h.t, body.traceId);
    expect(trace).toMatchObject({ provider: 'anthropic', fallbackUsed: true, degraded: false });
  });

  it('both providers down: the local extractive generator answers, degraded, and the answer is not cached', async () => {
    h.fake.setDefault('openai.chat', { status: 503 });
    h.fake.setDefault('anthropic.messages', { status: 529 });
    const question = nextQuestion();
    const body = await ask(h.t, 'chain', question);
    expect(h.fake.callCount('openai.chat')).toBe(3);
    expect(h.fake.callCount('anthropic.messages')).toBe(3);
    expect(body).toMatchObject({ refused: false, degraded: true, usage: { provider: 'local', costUsd: 0 } });
    expect(body.answer).toContain('24 months');
    expect(body.citations.every((citation) => citation.verified)).toBe(true);
    expect((await getTrace(h.t, body.traceId)).fallbackUsed).toBe(true);
    // A degraded answer is not kept: once the providers are back, the same question gets a provider answer.
    h.fake.reset();
    h.fake.setDefault('openai.chat', { answer: GOOD });
    const again = await ask(h.t, 'chain', question);
    expect(again).toMatchObject({ cached: false, degraded: false, usage: { provider: 'openai' } });
  });
});

describe('answers: circuit breakers stop calling a failing provider', () => {
  let h: AnswerHarness;
  beforeAll(async () => {
    h = await startHarness({ GENERATORS: 'openai,anthropic,local' }, { store: shared.store, providers: (config) => createProviders(config, { retry: FAST_RETRY }) });
    await createCorpus(h.t, 'breaker');
    await uploadText(h.t, 'breaker', 'warranty.txt', WARRANTY);
  });
  afterAll(async () => h?.close());

  const breaker = (name: string) => h.t.container.providers.breakers.find((candidate) => candidate.name === name)!;

  it('after the openai circuit opens, later answers make no openai calls; with both open, local answers without any call', async () => {
    h.fake.reset();
    h.fake.setDefault('openai.chat', { status: 500 });
    h.fake.setDefault('anthropic.messages', { answer: GOOD });
    // Failures until the openai circuit opens (default breaker: ≥ 10 calls in the window, > 50 % failing).
    let requests = 0;
    while (breaker('openai').state !== 'open') {
      const body = await ask(h.t, 'breaker', nextQuestion());
      expect(body.usage.provider).toBe('anthropic');
      if (++requests > 10) throw new Error('the openai circuit never opened');
    }
    expect(h.fake.callCount('openai.chat')).toBeGreaterThanOrEqual(10);
    expect(h.fake.callCount('openai.chat')).toBeLessThanOrEqual(requests * 3);

    const openaiCalls = h.fake.callCount('openai.chat');
    for (let index = 0; index < 10; index++) {
      const body = await ask(h.t, 'breaker', nextQuestion());
      expect(body).toMatchObject({ degraded: false, usage: { provider: 'anthropic' } });
      expect((await getTrace(h.t, body.traceId)).fallbackUsed).toBe(true);
    }
    expect(h.fake.callCount('openai.chat')).toBe(openaiCalls);
    expect(h.fake.callCount('anthropic.messages')).toBeGreaterThanOrEqual(10);

    // Anthropic fails too until its circuit opens; then local answers and no provider is called at all.
    h.fake.setDefault('anthropic.messages', { status: 500 });
    requests = 0;
    while (breaker('anthropic').state !== 'open') {
      expect((await ask(h.t, 'breaker', nextQuestion())).degraded).toBe(true);
      if (++requests > 10) throw new Error('the anthropic circuit never opened');
    }
    const before = h.fake.callCount();
    const bodies: AnswerResponse[] = [];
    for (let index = 0; index < 5; index++) bodies.push(await ask(h.t, 'breaker', nextQuestion()));
    expect(h.fake.callCount()).toBe(before);
    for (const body of bodies) expect(body).toMatchObject({ refused: false, degraded: true, usage: { provider: 'local' } });
  });
});

describe('answers: 100 requests into a provider answering 429 with Retry-After', () => {
  it('without a breaker opening, retries never multiply: exactly 1 + 2 calls per request', async () => {
    const h = await startHarness(
      // A generous deadline: 100 answers at once keep PGlite (on this thread) busy for seconds.
      { GENERATORS: 'openai,local', PROVIDER_TIMEOUT_MS: '60000' },
      // A breaker that never opens here, to count the retry policy alone.
      { store: shared.store, providers: (config) => createProviders(config, { retry: FAST_RETRY, breaker: { windowSize: 1000, minimumCalls: 1000 } }) },
    );
    try {
      await createCorpus(h.t, 'flood-1');
      await uploadText(h.t, 'flood-1', 'warranty.txt', WARRANTY);
      h.fake.reset();
      h.fake.setDefault('openai.chat', { status: 429, retryAfter: 1 });
      const responses = await Promise.all(Array.from({ length: 100 }, () => askRequest(h.t, 'flood-1', nextQuestion())));
      for (const response of responses) expect(response.statusCode, response.body).toBe(200);
      expect(responses.every((response) => (response.json() as AnswerResponse).degraded)).toBe(true);
      expect(h.fake.callCount('openai.chat')).toBe(300);
    } finally {
      await h.close();
    }
  });

  it('with the default breaker, far fewer calls: once it opens, none', async () => {
    const h = await startHarness({ GENERATORS: 'openai,local', PROVIDER_TIMEOUT_MS: '60000' }, { store: shared.store, providers: (config) => createProviders(config, { retry: FAST_RETRY }) });
    try {
      await createCorpus(h.t, 'flood-2');
      await uploadText(h.t, 'flood-2', 'warranty.txt', WARRANTY);
      h.fake.reset();
      h.fake.setDefault('openai.chat', { status: 429, retryAfter: 1 });
      const openai = h.t.container.providers.breakers.find((candidate) => candidate.name === 'openai')!;
      let callsWhenOpened: number | undefined;
      const statuses: number[] = [];
      // 10 waves of 10 concurrent requests.
      for (let wave = 0; wave < 10; wave++) {
        const responses = await Promise.all(Array.from({ length: 10 }, () => askRequest(h.t, 'flood-2', nextQuestion())));
        statuses.push(...responses.map((response) => response.statusCode));
        if (callsWhenOpened === undefined && openai.state === 'open') callsWhenOpened = h.fake.callCount('openai.chat');
      }
      expect(statuses.filter((status) => status === 200)).toHaveLength(100);
      const total = h.fake.callCount('openai.chat');
      expect(total).toBeLessThanOrEqual(300);
      expect(total).toBeLessThanOrEqual(30);
      expect(callsWhenOpened).toBeDefined();
      // Once open, the next 90 requests made no call at all.
      expect(total).toBe(callsWhenOpened);
      console.log(`100 requests into 429: ${total} openai calls (breaker opened after ${callsWhenOpened})`);
    } finally {
      await h.close();
    }
  });

  it('openai alone and rate limited: 503 PROVIDER_RATE_LIMITED with a Retry-After header, never a 500', async () => {
    const h = await startHarness({ GENERATORS: 'openai' }, { store: shared.store, providers: (config) => createProviders(config, { retry: FAST_RETRY }) });
    try {
      await createCorpus(h.t, 'alone');
      await uploadText(h.t, 'alone', 'warranty.txt', WARRANTY);
      h.fake.reset();
      h.fake.setDefault('openai.chat', { status: 429, retryAfter: 7 });
      const response = await askRequest(h.t, 'alone', nextQuestion());
      expect(response.statusCode).toBe(503);
      expect(response.json().error.code).toBe('PROVIDER_RATE_LIMITED');
      expect(response.headers['retry-after']).toBe('7');
      expect(h.fake.callCount('openai.chat')).toBe(3);
    } finally {
      await h.close();
    }
  });
});
