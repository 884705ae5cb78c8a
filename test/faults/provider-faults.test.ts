import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { createProviders } from '../../src/core/providers/factory';
import type { Behaviour, FakeCall, FakeProviders } from '../fake-providers/server';
import {
  answerOf,
  askRequest,
  chatMessages,
  createCorpus,
  getTrace,
  normalizedText,
  parseSse,
  sharedStore,
  startHarness,
  uploadText,
  type AnswerHarness,
} from '../helpers/answers';
import { WARRANTY } from '../helpers/documents';

/**
 * Issue 9, provider faults end to end: each fault is injected by the fake
 * provider server (the real SDKs talk HTTP to it), each request goes through the
 * HTTP API, and each test counts the provider calls the server recorded.
 *
 * What other suites already prove is not repeated here:
 * - test/integration/answers-fallback.test.ts: 100 requests into a 429 make exactly
 *   3 calls each (Retry-After capped at 10 ms there), a 5xx falls back to anthropic
 *   and then to local, the circuit opening stops openai calls, a rate-limited
 *   provider alone gives 503 with Retry-After.
 * - test/integration/answers-streaming.test.ts: a stream stalled mid-answer with no
 *   fallback ends in an error event; a stalled first attempt is retried with `reset`.
 * - test/integration/answers-verification.test.ts: a citation to a source number not
 *   in the context, repeated by the repair, gives a refusal 'unsupported' after
 *   exactly two calls, with the removal traced.
 * - test/unit/resilience/*: the retry, breaker, timeout and chain mechanics alone.
 */
/** A second document, so that a model can "cite" real corpus text it was never given for the question. */
const SHIPPING = 'Shipping\n\nOrders ship from the Rotterdam depot within 3 business days. Express delivery costs 19 euros.\n';
const SHIPPING_QUOTE = 'Orders ship from the Rotterdam depot within 3 business days';

const GOOD = answerOf([{ text: 'The warranty lasts 24 months from purchase.', source: 1, quote: 'The warranty period is 24 months from the date of purchase' }]);
const MAX_RETRIES = 2;
const ATTEMPTS = 1 + MAX_RETRIES;
const SSE = { accept: 'text/event-stream' };

/** The parts of the API's answer body these tests read, checked at the boundary. */
const answerSchema = z.object({
  answer: z.string(),
  sentences: z.array(z.object({ text: z.string(), citations: z.array(z.number()) })),
  citations: z.array(
    z.object({ n: z.number(), chunkId: z.string(), versionId: z.string(), quote: z.string(), start: z.number(), end: z.number(), verified: z.boolean() }),
  ),
  refused: z.boolean(),
  refusalReason: z.string().nullable(),
  degraded: z.boolean(),
  cached: z.boolean(),
  traceId: z.string(),
  usage: z.object({ provider: z.string() }),
});
type Answer = z.infer<typeof answerSchema>;
/** The trace fields these tests read (GET /v1/traces/:id). */
const traceSchema = z.object({
  provider: z.string(),
  degraded: z.boolean(),
  fallbackUsed: z.boolean(),
  citedChunkIds: z.array(z.string()),
  contextChunks: z.array(z.string()).optional(),
  verification: z.object({
    repaired: z.boolean(),
    removed: z.array(z.object({ text: z.string(), reasons: z.array(z.string()), attempt: z.number() })),
  }),
});
const errorSchema = z.object({ error: z.object({ code: z.string(), message: z.string() }) });
const errorEventSchema = errorSchema.shape.error;

const shared = await sharedStore();
afterAll(async () => shared.close());

let serial = 0;
/** Words the analyzer drops: a marker spelled in them changes neither retrieval nor the local generator's answer. */
const STOPWORDS = ['a', 'an', 'the', 'of', 'to', 'in', 'on', 'at'];
/**
 * A distinct question (no cache hit, no single-flight) carrying a marker that the
 * fake server's recorded request bodies contain, so calls are counted per request.
 */
function nextQuestion(topic = 'How long is the warranty period'): { text: string; marker: string } {
  let n = ++serial;
  const words: string[] = [];
  for (let digit = 0; digit < 4; digit++) {
    words.push(STOPWORDS[n % STOPWORDS.length]!);
    n = Math.floor(n / STOPWORDS.length);
  }
  const marker = `#${words.join(' ')}#`;
  return { text: `${topic}? ${marker}`, marker };
}

const mentions = (call: FakeCall, marker: string) => JSON.stringify(call.body).includes(marker);
const callsOf = (fake: FakeProviders, marker: string, route?: FakeCall['route']) =>
  fake.calls.filter((call) => mentions(call, marker) && (route === undefined || call.route === route));

/** The request's marker, from a recorded call body (undefined for calls of no test request). */
function markerOf(body: unknown): string | undefined {
  return /#(?:[a-z]+ ){3}[a-z]+#/.exec(JSON.stringify(body))?.[0];
}

/** An app with its own fake provider server and its own corpus (apps on the shared store share tenants). */
interface Rig {
  h: AnswerHarness;
  fake: FakeProviders;
  corpus: string;
  close(): Promise<void>;
}

async function startRig(corpus: string, env: Record<string, string>, overrides: Parameters<typeof createProviders>[1]): Promise<Rig> {
  const h = await startHarness({ PROVIDER_MAX_RETRIES: String(MAX_RETRIES), ...env }, { store: shared.store, providers: (config) => createProviders(config, overrides) });
  await createCorpus(h.t, corpus);
  await uploadText(h.t, corpus, 'warranty.txt', WARRANTY);
  await uploadText(h.t, corpus, 'shipping.txt', SHIPPING);
  return { h, fake: h.fake, corpus, close: () => h.close() };
}

async function readTrace(rig: Rig, traceId: string) {
  return traceSchema.parse(await getTrace(rig.h.t, traceId));
}

async function post(rig: Rig, question: string, stream = false) {
  const started = performance.now();
  const response = await askRequest(rig.h.t, rig.corpus, question, stream ? { headers: SSE } : {});
  return { response, elapsedMs: performance.now() - started };
}

async function answerOk(rig: Rig, question: string): Promise<Answer> {
  const { response } = await post(rig, question);
  expect(response.statusCode, response.body).toBe(200);
  return answerSchema.parse(response.json());
}

/** The circuit state the service exports on GET /metrics: 0 closed, 1 half-open, 2 open. */
async function circuitState(rig: Rig, provider: string): Promise<number> {
  const response = await rig.h.t.app.inject({ method: 'GET', url: '/metrics' });
  expect(response.statusCode).toBe(200);
  const line = response.body.split('\n').find((candidate) => candidate.startsWith(`attest_circuit_state{provider="${provider}"}`));
  if (line === undefined) throw new Error(`no attest_circuit_state for ${provider}`);
  return Number(line.split(' ').at(-1));
}

async function waitFor(condition: () => boolean, timeoutMs: number, what: string): Promise<void> {
  const deadline = performance.now() + timeoutMs;
  while (!condition()) {
    if (performance.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

/** A breaker that never opens: where a test counts the retry policy alone (the breaker has its own test below). */
const NEVER_OPENS = { windowSize: 100_000, minimumCalls: 100_000 };

/** Backoff far below any Retry-After sent here, so that a wait of at least Retry-After can only come from honouring it. */
const TINY_BACKOFF = { initialDelayMs: 1, maxDelayMs: 5 };

describe('provider faults on the chain openai → anthropic → local', () => {
  let rig: Rig;
  beforeAll(async () => {
    // A generous per-call deadline: 50 answers at once keep PGlite (on this thread) busy.
    rig = await startRig('faults-chain', { GENERATORS: 'openai,anthropic,local', PROVIDER_TIMEOUT_MS: '20000' }, { retry: TINY_BACKOFF, breaker: NEVER_OPENS });
  });
  afterAll(async () => rig?.close());
  const reset = () => {
    rig.fake.reset();
    rig.fake.setDefault('openai.chat', { answer: GOOD });
    rig.fake.setDefault('anthropic.messages', { answer: GOOD });
  };

  it('429 storm, 50 concurrent requests: each makes exactly its scripted calls, never above 1 + PROVIDER_MAX_RETRIES, and every retry waits out the Retry-After', async () => {
    reset();
    const RETRY_AFTER_MS = 150;
    // Request i is rate limited on its first (i mod 4) calls; 3 or more exhausts openai's retries. Three of the
    // requests limited once (i = 5, 25, 45) send `Retry-After: 1` (seconds) instead of `retry-after-ms`.
    const plans = new Map<string, { limited: number; waitMs: number; behaviour: Behaviour }>();
    const questions = Array.from({ length: 50 }, (_, index) => {
      const question = nextQuestion();
      const seconds = index % 20 === 5;
      plans.set(question.marker, {
        limited: index % 4,
        waitMs: seconds ? 1_000 : RETRY_AFTER_MS,
        behaviour: seconds ? { status: 429, retryAfter: 1 } : { status: 429, retryAfterMs: RETRY_AFTER_MS },
      });
      return question;
    });
    const served = new Map<string, number>();
    rig.fake.script('openai.chat', ({ body }) => {
      const marker = markerOf(body);
      const plan = marker === undefined ? undefined : plans.get(marker);
      if (marker === undefined || plan === undefined) return { answer: GOOD };
      const n = served.get(marker) ?? 0;
      served.set(marker, n + 1);
      return n < plan.limited ? plan.behaviour : { answer: GOOD };
    });

    const responses = await Promise.all(questions.map(({ text }) => post(rig, text)));

    let expectedOpenai = 0;
    const gaps = new Map<number, number[]>();
    for (const [index, { marker }] of questions.entries()) {
      const plan = plans.get(marker)!;
      const { response } = responses[index]!;
      expect(response.statusCode, response.body).toBe(200);
      const body = answerSchema.parse(response.json());
      const openai = callsOf(rig.fake, marker, 'openai.chat');
      const anthropic = callsOf(rig.fake, marker, 'anthropic.messages');
      const exhausted = plan.limited >= ATTEMPTS;
      expect(openai.length, marker).toBe(exhausted ? ATTEMPTS : plan.limited + 1);
      expect(openai.length).toBeLessThanOrEqual(ATTEMPTS);
      expect(anthropic.length, marker).toBe(exhausted ? 1 : 0);
      expect(body).toMatchObject({ refused: false, degraded: false, usage: { provider: exhausted ? 'anthropic' : 'openai' } });
      expect(body.citations.every((citation) => citation.verified)).toBe(true);
      // Calls are recorded when their body has arrived: a retry starts only after the 429 came back, so the
      // gap between two arrivals is at least the wait the client made.
      for (let call = 1; call < openai.length; call++) {
        const previous = openai[call - 1]!.behaviour;
        expect('status' in previous ? previous.status : 'answered').toBe(429);
        const gap = openai[call]!.receivedAt - openai[call - 1]!.receivedAt;
        expect(gap, `${marker} retry ${call}`).toBeGreaterThanOrEqual(plan.waitMs);
        gaps.set(plan.waitMs, [...(gaps.get(plan.waitMs) ?? []), gap]);
      }
      expectedOpenai += openai.length;
    }
    // Every call belongs to one of the requests: nothing was called outside them.
    expect(rig.fake.callCount('openai.chat')).toBe(expectedOpenai);
    expect(rig.fake.callCount()).toBe(expectedOpenai + rig.fake.callCount('anthropic.messages'));
    const range = (values: number[]) => `${Math.round(Math.min(...values))}–${Math.round(Math.max(...values))} ms`;
    console.log(`429 storm: ${expectedOpenai} openai calls for 50 requests; gaps after Retry-After ${[...gaps].map(([wait, values]) => `${wait} ms: ${range(values)} (${values.length})`).join(', ')}`);
  });

  it('malformed output (invalid JSON) once: one repair call names the failure, and its valid answer is served, not degraded', async () => {
    reset();
    rig.fake.script('openai.chat', [{ malformed: true }, { answer: GOOD }]);
    const question = nextQuestion();
    const body = await answerOk(rig, question.text);
    expect(rig.fake.callCount('openai.chat')).toBe(2);
    expect(rig.fake.callCount('anthropic.messages')).toBe(0);
    expect(body).toMatchObject({ refused: false, degraded: false, usage: { provider: 'openai' } });
    expect(body.citations.map((citation) => citation.verified)).toEqual([true]);
    // The repair is the first request plus one user message saying what was wrong (no document text of its own).
    const first = chatMessages(rig.fake.calls[0]!);
    const repair = chatMessages(rig.fake.calls[1]!);
    expect(repair.slice(0, first.length)).toEqual(first);
    expect(repair).toHaveLength(first.length + 1);
    expect(JSON.stringify(repair.at(-1))).toMatch(/previous reply could not be used: it was not valid JSON/u);
    expect((await readTrace(rig, body.traceId)).fallbackUsed).toBe(false);
  });

  it('malformed output from every provider: one call and one repair to each, then the local generator answers, degraded', async () => {
    reset();
    rig.fake.setDefault('openai.chat', { malformed: true });
    // Anthropic's JSON body cannot carry invalid JSON: its malformed answer is a schema-invalid tool input.
    rig.fake.setDefault('anthropic.messages', { malformed: true });
    const body = await answerOk(rig, nextQuestion().text);
    // Malformed output is not retried blindly up to 1 + PROVIDER_MAX_RETRIES: one repair, then the next provider.
    expect(rig.fake.callCount('openai.chat')).toBe(2);
    expect(rig.fake.callCount('anthropic.messages')).toBe(2);
    expect(body).toMatchObject({ refused: false, degraded: true, usage: { provider: 'local' } });
    expect(body.answer).toContain('24 months');
    expect(body.citations.length).toBeGreaterThan(0);
    expect(body.citations.every((citation) => citation.verified)).toBe(true);
    const trace = await readTrace(rig, body.traceId);
    expect(trace).toMatchObject({ provider: 'local', fallbackUsed: true, degraded: true });
    // No repair after a degraded answer: the local generator is not asked twice, no provider a fourth time.
    expect(trace.verification.repaired).toBe(false);
  });

  it('malformed output streamed over SSE: the broken attempt\'s text is taken back with reset, the retry\'s answer is served', async () => {
    reset();
    rig.fake.script('openai.chat', [{ malformed: true }, { answer: GOOD }]);
    const { response } = await post(rig, nextQuestion().text, true);
    expect(response.statusCode).toBe(200);
    const events = parseSse(response.body);
    const names = events.map((event) => event.event);
    expect(rig.fake.callCount('openai.chat')).toBe(2);
    expect(names.at(-1)).toBe('done');
    expect(names).not.toContain('error');
    const resetAt = names.indexOf('reset');
    // The broken JSON carried readable sentence text before it went wrong: it reached the client, then reset.
    expect(names.slice(0, resetAt)).toContain('delta');
    expect(names.lastIndexOf('reset')).toBe(resetAt);
    const done = answerSchema.parse(events.at(-1)!.data);
    expect(done).toMatchObject({ refused: false, degraded: false, usage: { provider: 'openai' } });
    const after = events.slice(resetAt + 1).filter((event) => event.event === 'delta').map((event) => String(event.data.text)).join('');
    expect(after).toBe(done.sentences.map((sentence) => sentence.text).join(' '));
  });

  /** How many sources the service gave the model, read from the prompt it sent. */
  const sourcesGiven = (body: unknown) => (JSON.stringify(body).match(/<source id=/g) ?? []).length;
  /** The number the prompt gave the warranty document's source. */
  function warrantySource(body: unknown): number {
    const found = /<source id=\\"(\d+)\\" title=\\"warranty\.txt\\"/.exec(JSON.stringify(body));
    if (!found) throw new Error('the warranty document was not among the sources given');
    return Number(found[1]);
  }

  /**
   * A model answer citing, besides any good sentence, a source number one past the sources it was given, with a
   * quote that is real text of the corpus (the shipping document) so only the source check can catch it.
   */
  function citingUngiven(body: unknown, withGood: boolean) {
    const ghost = { text: 'Orders ship from the Rotterdam depot within 3 business days.', source: sourcesGiven(body) + 1, quote: SHIPPING_QUOTE };
    const good = { text: 'The warranty lasts 24 months from purchase.', source: warrantySource(body), quote: 'The warranty period is 24 months from the date of purchase' };
    return { answer: answerOf(withGood ? [good, ghost] : [ghost]) };
  }

  async function expectOnlyVerifiedContextCitations(body: Answer): Promise<Record<string, unknown>> {
    const trace = await readTrace(rig, body.traceId);
    const context = new Set(trace.contextChunks as string[]);
    for (const citation of body.citations) {
      expect(citation.verified).toBe(true);
      expect(context.has(citation.chunkId), `cited chunk ${citation.chunkId} was in the context`).toBe(true);
      expect((await normalizedText(rig.h.t, citation.versionId)).slice(citation.start, citation.end)).toBe(citation.quote);
    }
    return trace;
  }

  it('a provider citing a source it was not given: verification removes it; with nothing left the answer is refused unsupported after one repair', async () => {
    reset();
    // The repair repeats the mistake.
    rig.fake.script('openai.chat', ({ body }) => citingUngiven(body, false));
    const body = await answerOk(rig, nextQuestion('Where do orders ship from and how long is the warranty period').text);
    expect(rig.fake.callCount('openai.chat')).toBe(2);
    expect(rig.fake.callCount('anthropic.messages')).toBe(0);
    expect(body).toMatchObject({ refused: true, refusalReason: 'unsupported', sentences: [], citations: [], degraded: false });
    expect(body.answer).not.toContain('Rotterdam');
    const trace = await readTrace(rig, body.traceId);
    expect(trace.verification.removed.map((entry) => [entry.attempt, entry.reasons])).toEqual([
      [1, ['source_not_in_context']],
      [2, ['source_not_in_context']],
    ]);
    expect(trace.citedChunkIds).toEqual([]);
  });

  it('a provider citing a source it was not given beside a supported sentence: only the supported one stays, verified, citing the context', async () => {
    reset();
    rig.fake.script('openai.chat', ({ body }) => citingUngiven(body, true));
    const body = await answerOk(rig, nextQuestion('Where do orders ship from and how long is the warranty period').text);
    expect(rig.fake.callCount('openai.chat')).toBe(2);
    expect(body).toMatchObject({ refused: false, degraded: false, usage: { provider: 'openai' } });
    expect(body.sentences.map((sentence) => sentence.text)).toEqual(['The warranty lasts 24 months from purchase.']);
    expect(body.answer).not.toContain('Rotterdam');
    expect(body.citations).toHaveLength(1);
    const trace = await expectOnlyVerifiedContextCitations(body);
    expect(trace).toMatchObject({ verification: { repaired: true } });
    // The repair told the model which source number was not given.
    const repair = chatMessages(rig.fake.calls[1]!).at(-1)!;
    expect(repair.content).toContain('<previous_answer>');
    expect(repair.content).toMatch(new RegExp(`source \\[${sourcesGiven(rig.fake.calls[0]!.body) + 1}\\] is not one of the given sources`));
  });

  it('over SSE, a citation of a source not given never comes out as a citation event; the repaired answer is done', async () => {
    reset();
    let first = true;
    rig.fake.script('openai.chat', ({ body }) => {
      const behaviour = first
        ? citingUngiven(body, true)
        : { answer: answerOf([{ text: 'The warranty lasts 24 months from purchase.', source: warrantySource(body), quote: 'The warranty period is 24 months from the date of purchase' }]) };
      first = false;
      return behaviour;
    });
    const { response } = await post(rig, nextQuestion('Where do orders ship from and how long is the warranty period').text, true);
    expect(response.statusCode).toBe(200);
    const events = parseSse(response.body);
    expect(rig.fake.callCount('openai.chat')).toBe(2);
    // The repair is not streamed.
    expect((rig.fake.calls[1]!.body as { stream?: boolean }).stream).not.toBe(true);
    const done = answerSchema.parse(events.at(-1)!.data);
    expect(events.at(-1)!.event).toBe('done');
    expect(done.sentences.map((sentence) => sentence.text)).toEqual(['The warranty lasts 24 months from purchase.']);
    const citationEvents = events.filter((event) => event.event === 'citation').map((event) => answerSchema.shape.citations.element.parse(event.data));
    expect(citationEvents).toEqual(done.citations);
    expect(citationEvents.some((citation) => citation.quote.includes('Rotterdam'))).toBe(false);
    // The unverified sentence was streamed as the model wrote it; the stream takes it back (reset) and sends the
    // verified text, so a client that shows deltas ends with exactly the answer that is done.
    const names = events.map((event) => event.event);
    const firstDelta = names.indexOf('delta');
    const lastReset = names.lastIndexOf('reset');
    expect(firstDelta).toBeGreaterThan(-1);
    expect(lastReset).toBeGreaterThan(firstDelta);
    expect(events[lastReset]!.data).toEqual({ reason: 'unverified' });
    const takenBack = events.slice(0, lastReset).filter((event) => event.event === 'delta').map((event) => String(event.data.text)).join('');
    expect(takenBack).toContain('Rotterdam');
    const shown = events.slice(lastReset + 1).filter((event) => event.event === 'delta').map((event) => String(event.data.text)).join('');
    expect(shown).toBe(done.sentences.map((sentence) => sentence.text).join(' '));
    await expectOnlyVerifiedContextCitations(done);
  });
});

describe('provider fault: a 5xx outage and recovery, on the chain openai → local', () => {
  // The breaker's production settings (circuit-breaker.ts defaults; the container passes none), written out
  // because the expected call counts follow from them. Its clock is the test's, so the 30 s cool-down passes
  // at once: the cool-down is not configurable from the environment.
  const BREAKER = { windowSize: 20, minimumCalls: 10, failureRateThreshold: 0.5, coolDownMs: 30_000 };
  let skewMs = 0;
  let rig: Rig;
  beforeAll(async () => {
    rig = await startRig('faults-outage', { GENERATORS: 'openai,local', PROVIDER_TIMEOUT_MS: '10000' }, {
      retry: TINY_BACKOFF,
      breaker: { ...BREAKER, now: () => Date.now() + skewMs },
    });
  });
  afterAll(async () => rig?.close());

  const openaiCalls = () => rig.fake.callCount('openai.chat');
  async function expectDegraded(question: string): Promise<void> {
    const body = await answerOk(rig, question);
    expect(body).toMatchObject({ refused: false, degraded: true, usage: { provider: 'local' } });
    expect(body.citations.every((citation) => citation.verified)).toBe(true);
  }

  it('the circuit opens after minimumCalls failures, local serves without openai calls, a failed probe reopens it, a successful one closes it', async () => {
    rig.fake.reset();
    rig.fake.setDefault('openai.chat', { status: 500 });

    // 1. Outage: every call fails, so the circuit opens on the minimumCalls-th call, part-way through a request,
    // and that request's remaining retries are not made.
    const perRequest: number[] = [];
    while (openaiCalls() < BREAKER.minimumCalls) {
      const before = openaiCalls();
      await expectDegraded(nextQuestion().text);
      perRequest.push(openaiCalls() - before);
      if (perRequest.length > BREAKER.minimumCalls) throw new Error('no openai calls are being made');
    }
    const expected = Array.from({ length: Math.ceil(BREAKER.minimumCalls / ATTEMPTS) }, (_, index) => Math.min(ATTEMPTS, BREAKER.minimumCalls - index * ATTEMPTS));
    expect(perRequest).toEqual(expected);
    expect(await circuitState(rig, 'openai')).toBe(2);

    // 2. Open: the fallback serves every request and openai is not called at all.
    const whileOpen = openaiCalls();
    await Promise.all(Array.from({ length: 5 }, () => expectDegraded(nextQuestion().text)));
    expect(openaiCalls()).toBe(whileOpen);
    expect(await circuitState(rig, 'openai')).toBe(2);

    // 3. After the cool-down, still down: exactly one probe call (no retries into a failing probe), and the
    // circuit is open again for another cool-down.
    skewMs += BREAKER.coolDownMs;
    expect(await circuitState(rig, 'openai')).toBe(1);
    await expectDegraded(nextQuestion().text);
    expect(openaiCalls()).toBe(whileOpen + 1);
    expect(await circuitState(rig, 'openai')).toBe(2);
    await expectDegraded(nextQuestion().text);
    expect(openaiCalls()).toBe(whileOpen + 1);

    // 4. After the next cool-down the provider is back. The probe is slow, and while it is in flight the
    // circuit lets nothing else through: requests meanwhile are served by the fallback.
    rig.fake.reset();
    // 2.5 s: ample for the requests below to reach the breaker on a loaded machine.
    rig.fake.script('openai.chat', [{ answer: GOOD, latencyMs: 2_500 }]);
    rig.fake.setDefault('openai.chat', { answer: GOOD });
    skewMs += BREAKER.coolDownMs;
    const probe = answerOk(rig, nextQuestion().text);
    await waitFor(() => openaiCalls() === 1, 5_000, 'the probe call');
    await Promise.all(Array.from({ length: 3 }, () => expectDegraded(nextQuestion().text)));
    expect(await circuitState(rig, 'openai')).toBe(1);
    expect(openaiCalls()).toBe(1);
    expect(await probe).toMatchObject({ refused: false, degraded: false, usage: { provider: 'openai' } });
    expect(await circuitState(rig, 'openai')).toBe(0);

    // 5. Closed: answers come from openai again, one call each.
    for (let index = 0; index < 3; index++) {
      const body = await answerOk(rig, nextQuestion().text);
      expect(body).toMatchObject({ refused: false, degraded: false, usage: { provider: 'openai' } });
      expect((await readTrace(rig, body.traceId)).fallbackUsed).toBe(false);
      expect(openaiCalls()).toBe(2 + index);
    }
  });
});

describe('provider fault: stalls, on the chain openai → anthropic', () => {
  // Short per-call deadline; the production retry policy (retry.ts defaults: backoff caps 200 ms, then 400 ms).
  const TIMEOUT_MS = 500;
  const BACKOFF_CAPS_MS = Array.from({ length: MAX_RETRIES }, (_, attempt) => Math.min(5_000, 200 * 2 ** attempt));
  /** Retrieval, the SDKs, the SSE framing and a loaded 2-core machine. */
  const MARGIN_MS = 2_500;
  const STALL_MS = 20_000;
  /**
   * Timers count from libuv's cached loop time, which can lag the request's start by the work done in the
   * same loop turn: the lower bounds allow that much.
   */
  const CLOCK_SLACK_MS = 50;
  /** Longest a request may take when `providers` providers time out on every attempt (before any that answers). */
  const deadlineMs = (providers: number) => providers * (ATTEMPTS * TIMEOUT_MS + BACKOFF_CAPS_MS.reduce((sum, cap) => sum + cap, 0)) + MARGIN_MS;
  const plans = new Map<string, { openai: Behaviour; anthropic: Behaviour }>();
  let rig: Rig;
  beforeAll(async () => {
    // A breaker that never opens, so the four requests below, run at once, do not change each other's call counts.
    rig = await startRig('faults-stall', { GENERATORS: 'openai,anthropic', PROVIDER_TIMEOUT_MS: String(TIMEOUT_MS) }, { breaker: NEVER_OPENS });
    for (const route of ['openai.chat', 'anthropic.messages'] as const) {
      const key = route === 'openai.chat' ? 'openai' : 'anthropic';
      rig.fake.script(route, ({ body }) => plans.get(markerOf(body) ?? '')?.[key] ?? { answer: GOOD });
    }
  });
  afterAll(async () => rig?.close());

  async function run(plan: { openai: Behaviour; anthropic: Behaviour }, stream: boolean) {
    const question = nextQuestion();
    plans.set(question.marker, plan);
    const { response, elapsedMs } = await post(rig, question.text, stream);
    const calls = callsOf(rig.fake, question.marker);
    // Each stalled attempt's connection was closed by the service (the per-call timeout aborting the SDK
    // request), long before the fake would have answered.
    const stalled = calls.filter((call) => 'stallMs' in call.behaviour);
    await waitFor(() => stalled.every((call) => call.closedAt !== undefined), 3_000, 'stalled connections to close');
    for (const call of stalled) {
      expect(call.clientClosed).toBe(true);
      expect(call.closedAt! - call.receivedAt).toBeLessThan(TIMEOUT_MS + MARGIN_MS);
    }
    return {
      response,
      elapsedMs,
      openai: calls.filter((call) => call.route === 'openai.chat').length,
      anthropic: calls.filter((call) => call.route === 'anthropic.messages').length,
    };
  }

  it.concurrent('JSON, openai stalls on every attempt: each times out, anthropic answers within the deadline', async () => {
    const result = await run({ openai: { stallMs: STALL_MS }, anthropic: { answer: GOOD } }, false);
    expect(result.response.statusCode, result.response.body).toBe(200);
    expect(answerSchema.parse(result.response.json())).toMatchObject({ refused: false, degraded: false, usage: { provider: 'anthropic' } });
    expect(result).toMatchObject({ openai: ATTEMPTS, anthropic: 1 });
    expect(result.elapsedMs).toBeGreaterThanOrEqual(ATTEMPTS * TIMEOUT_MS - CLOCK_SLACK_MS);
    expect(result.elapsedMs).toBeLessThan(deadlineMs(1));
    console.log(`stall → fallback (JSON): ${Math.round(result.elapsedMs)} ms, deadline ${deadlineMs(1)} ms`);
  });

  it.concurrent('JSON, every provider stalls: a 504 PROVIDER_TIMEOUT within the deadline', async () => {
    const result = await run({ openai: { stallMs: STALL_MS }, anthropic: { stallMs: STALL_MS } }, false);
    expect(result.response.statusCode, result.response.body).toBe(504);
    expect(errorSchema.parse(result.response.json()).error.code).toBe('PROVIDER_TIMEOUT');
    expect(result).toMatchObject({ openai: ATTEMPTS, anthropic: ATTEMPTS });
    expect(result.elapsedMs).toBeGreaterThanOrEqual(2 * ATTEMPTS * TIMEOUT_MS - CLOCK_SLACK_MS);
    expect(result.elapsedMs).toBeLessThan(deadlineMs(2));
    console.log(`stall → 504 (JSON): ${Math.round(result.elapsedMs)} ms, deadline ${deadlineMs(2)} ms`);
  });

  it.concurrent('SSE, openai stalls mid-stream on every attempt: its text is reset, anthropic\'s answer is done within the deadline', async () => {
    const result = await run({ openai: { stallMs: STALL_MS, midStream: true }, anthropic: { answer: GOOD } }, true);
    expect(result.response.statusCode).toBe(200);
    expect(result).toMatchObject({ openai: ATTEMPTS, anthropic: 1 });
    const events = parseSse(result.response.body);
    const names = events.map((event) => event.event);
    expect(names[0]).toBe('retrieval');
    expect(names.at(-1)).toBe('done');
    expect(names).not.toContain('error');
    // Every attempt streamed text before stalling; each retry or fallback took it back first.
    expect(names.filter((name) => name === 'reset')).toHaveLength(ATTEMPTS);
    const lastReset = names.lastIndexOf('reset');
    const done = answerSchema.parse(events.at(-1)!.data);
    expect(done).toMatchObject({ refused: false, degraded: false, usage: { provider: 'anthropic' } });
    const after = events.slice(lastReset + 1).filter((event) => event.event === 'delta').map((event) => String(event.data.text)).join('');
    expect(after).toBe(done.sentences.map((sentence) => sentence.text).join(' '));
    expect(result.elapsedMs).toBeGreaterThanOrEqual(ATTEMPTS * TIMEOUT_MS - CLOCK_SLACK_MS);
    expect(result.elapsedMs).toBeLessThan(deadlineMs(1));
    console.log(`stall mid-stream → fallback (SSE): ${Math.round(result.elapsedMs)} ms, deadline ${deadlineMs(1)} ms`);
  });

  it.concurrent('SSE, every provider stalls: an error event PROVIDER_TIMEOUT within the deadline, never a dropped stream', async () => {
    const result = await run({ openai: { stallMs: STALL_MS }, anthropic: { stallMs: STALL_MS } }, true);
    expect(result.response.statusCode).toBe(200);
    expect(result).toMatchObject({ openai: ATTEMPTS, anthropic: ATTEMPTS });
    const events = parseSse(result.response.body);
    expect(events.map((event) => event.event)).toEqual(['retrieval', 'error']);
    expect(errorEventSchema.parse(events[1]!.data).code).toBe('PROVIDER_TIMEOUT');
    expect(result.elapsedMs).toBeGreaterThanOrEqual(2 * ATTEMPTS * TIMEOUT_MS - CLOCK_SLACK_MS);
    expect(result.elapsedMs).toBeLessThan(deadlineMs(2));
    console.log(`stall → error event (SSE): ${Math.round(result.elapsedMs)} ms, deadline ${deadlineMs(2)} ms`);
  });
});

describe('provider fault: stalls past the whole-answer deadline (ANSWER_DEADLINE_MS)', () => {
  // Per-call timeouts alone let retries and fallbacks add up (here 2 providers × 3 attempts × 1 s); the deadline
  // ends the request first, and every provider connection still open is closed.
  const DEADLINE_MS = 1_500;
  let rig: Rig;
  beforeAll(async () => {
    rig = await startRig('faults-deadline', { GENERATORS: 'openai,anthropic', PROVIDER_TIMEOUT_MS: '1000', ANSWER_DEADLINE_MS: String(DEADLINE_MS) }, { breaker: NEVER_OPENS });
    rig.fake.setDefault('openai.chat', { stallMs: 20_000 });
    rig.fake.setDefault('anthropic.messages', { stallMs: 20_000 });
  });
  afterAll(async () => rig?.close());

  it.concurrent.each([false, true])('stream %s: 504 PROVIDER_TIMEOUT (or its error event) at the deadline, not after every attempt', async (stream) => {
    const question = nextQuestion();
    const { response, elapsedMs } = await post(rig, question.text, stream);
    if (stream) {
      const events = parseSse(response.body);
      expect(events.map((event) => event.event)).toEqual(['retrieval', 'error']);
      expect(errorEventSchema.parse(events[1]!.data).code).toBe('PROVIDER_TIMEOUT');
    } else {
      expect(response.statusCode, response.body).toBe(504);
      const body = errorSchema.parse(response.json());
      expect(body.error.code).toBe('PROVIDER_TIMEOUT');
      expect(body.error.message).toContain(`${DEADLINE_MS} ms deadline`);
    }
    expect(elapsedMs).toBeGreaterThanOrEqual(DEADLINE_MS - 50);
    // Without the deadline this request would take 6 s (every attempt of both providers timing out).
    expect(elapsedMs).toBeLessThan(DEADLINE_MS + 1_500);
    const calls = callsOf(rig.fake, question.marker);
    await waitFor(() => calls.every((call) => call.closedAt !== undefined), 3_000, 'provider connections to close');
    expect(calls.every((call) => call.clientClosed)).toBe(true);
    expect(callsOf(rig.fake, question.marker, 'anthropic.messages')).toHaveLength(0);
  });
});
