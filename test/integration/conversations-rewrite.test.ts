import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bearer } from '../helpers/app';
import { createCorpus, getTrace, sharedStore, startHarness, uploadText, type AnswerHarness, type Loose } from '../helpers/answers';
import { isRewriteRequest, type FakeCall } from '../fake-providers/server';

/**
 * The follow-up rewrite with a provider: one small strict-schema call per follow-up (OpenAI json_schema
 * strict, Anthropic a forced tool), priced, cached by (conversation, turn), and the local rewrite in its
 * place when the call fails, times out or answers outside the schema, the trace saying which ran and why.
 * Generation is the local extractive answerer, so every provider call the fake sees is a rewrite.
 */
const ROUTER =
  'Zephyr X200 router reset\n\nTo reset the Zephyr X200 router, hold the recessed reset button for ten seconds until the status light blinks amber. The Zephyr X200 router needs its Ethernet cable plugged into port 1 during the reset, or the factory settings are not restored.\n';
const SPEAKER = 'Nimbus speaker charging\n\nThe Nimbus speaker charges over a USB-C cable. You need a cable to charge it: a cable is in the box, and any USB-C cable works.\n';
const FIRST = 'How do I reset the Zephyr X200 router?';
const FOLLOW_UP = 'does it need a cable?';
const MODEL_REWRITE = 'Does the Zephyr X200 router need an Ethernet cable during the reset?';
/** What the deterministic rewrite makes of FOLLOW_UP after FIRST (test/unit/conversations/rewrite.test.ts). */
const LOCAL_REWRITE = 'Does the Zephyr X200 router need a cable?';

const shared = await sharedStore();
afterAll(async () => shared.close());

async function post(h: AnswerHarness, url: string, payload: Record<string, unknown>) {
  return h.t.app.inject({ method: 'POST', url, headers: bearer(h.t.adminKey), payload });
}

/** A conversation with its first turn answered (no rewrite on a first turn). */
async function started(h: AnswerHarness, corpus: string): Promise<string> {
  const id = (await post(h, '/v1/conversations', { corpus })).json().id as string;
  const first = await post(h, `/v1/conversations/${id}/messages`, { question: FIRST });
  expect(first.statusCode, first.body).toBe(200);
  return id;
}

const rewriteCalls = (h: AnswerHarness): FakeCall[] => h.fake.calls.filter((call) => isRewriteRequest(call.body));

describe('follow-up rewrite through OpenAI', () => {
  let h: AnswerHarness;
  beforeAll(async () => {
    // A timeout the first (cold) SDK call makes on a loaded machine, still well short of the stalled call's 10 s.
    h = await startHarness({ GENERATORS: 'local', REWRITER: 'openai', REWRITE_TIMEOUT_MS: '1500' }, { store: shared.store });
    await createCorpus(h.t, 'rewrite-openai');
    await uploadText(h.t, 'rewrite-openai', 'router.txt', ROUTER);
    await uploadText(h.t, 'rewrite-openai', 'speaker.txt', SPEAKER);
  });
  afterAll(async () => h?.close());

  it('rewrites with one small strict-schema call, priced, and the first turn makes none', async () => {
    h.fake.reset();
    h.fake.setDefault('openai.chat', { output: { standaloneQuestion: MODEL_REWRITE } });
    const id = await started(h, 'rewrite-openai');
    expect(h.fake.callCount()).toBe(0);
    const turn = await post(h, `/v1/conversations/${id}/messages`, { question: FOLLOW_UP });
    expect(turn.statusCode, turn.body).toBe(200);
    const body = turn.json() as Loose;
    expect(body.standaloneQuestion, JSON.stringify(body.rewriter)).toBe(MODEL_REWRITE);
    expect(body.citations[0].quote).toMatch(/Ethernet cable/);
    expect(body.rewriter).toMatchObject({ by: 'openai', model: 'gpt-4.1-nano-2025-04-14' });
    expect(body.rewriter.usage.costUsd).toBeGreaterThan(0);

    const [call] = rewriteCalls(h);
    expect(h.fake.callCount()).toBe(1);
    expect(call?.rejected).toBeUndefined();
    const request = call?.body as Loose;
    expect(request.model).toBe('gpt-4.1-nano');
    expect(request.max_completion_tokens).toBe(100);
    expect(request.response_format).toMatchObject({ type: 'json_schema', json_schema: { name: 'standalone_question', strict: true } });
    // The earlier turn and the follow-up, as escaped data.
    expect(request.messages[1].content).toContain(FIRST);
    expect(request.messages[1].content).toContain(`<message>${FOLLOW_UP}</message>`);

    const trace = await getTrace(h.t, body.traceId);
    expect(trace.conversation).toMatchObject({ rewrite: 'model', rewriter: { by: 'openai', model: 'gpt-4.1-nano-2025-04-14' } });
    expect(trace.conversation.rewriter.usage.inputTokens).toBeGreaterThan(0);
  });

  it.each([
    ['fails', { status: 500 }, 'PROVIDER_ERROR'],
    ['times out', { stallMs: 10_000 }, 'PROVIDER_TIMEOUT'],
    ['returns invalid JSON', { malformed: true }, 'PROVIDER_BAD_OUTPUT'],
    ['returns JSON outside the schema', { output: { question: MODEL_REWRITE } }, 'PROVIDER_BAD_OUTPUT'],
  ] as const)('falls back to the local rewrite when the call %s', async (_name, behaviour, reason) => {
    h.fake.reset();
    const id = await started(h, 'rewrite-openai');
    h.fake.script('openai.chat', [behaviour]);
    const startedAt = performance.now();
    const turn = await post(h, `/v1/conversations/${id}/messages`, { question: FOLLOW_UP });
    expect(turn.statusCode, turn.body).toBe(200);
    const body = turn.json() as Loose;
    expect(body.standaloneQuestion).toBe(LOCAL_REWRITE);
    expect(body.citations[0].documentId).toBeDefined();
    expect(body.rewriter).toMatchObject({ by: 'local', fallbackFrom: 'openai:gpt-4.1-nano', fallbackReason: reason });
    expect(rewriteCalls(h)).toHaveLength(1);
    const trace = await getTrace(h.t, body.traceId);
    expect(trace.conversation.rewriter).toMatchObject({ by: 'local', fallbackReason: reason });
    if (reason === 'PROVIDER_TIMEOUT') {
      // Bounded by REWRITE_TIMEOUT_MS, not the provider: the call was cut, long before its 10 s.
      expect(performance.now() - startedAt).toBeLessThan(5_000);
      await expect.poll(() => rewriteCalls(h)[0]?.clientClosed).toBe(true);
    }
  });

  it('rewrites a turn once: Regenerate and a retried turn reuse it', async () => {
    h.fake.reset();
    h.fake.setDefault('openai.chat', { output: { standaloneQuestion: MODEL_REWRITE } });
    const id = await started(h, 'rewrite-openai');
    const turn = (await post(h, `/v1/conversations/${id}/messages`, { question: FOLLOW_UP })).json() as Loose;
    expect(turn.rewriter.by).toBe('openai');

    // Regenerate: the same turn answered again and replaced, its stored rewrite reused.
    const again = await post(h, `/v1/conversations/${id}/messages`, { question: FOLLOW_UP, regenerate: true });
    expect(again.statusCode, again.body).toBe(200);
    const regenerated = again.json() as Loose;
    expect(regenerated).toMatchObject({ turn: 2, standaloneQuestion: MODEL_REWRITE, rewriter: { by: 'cached' }, cached: false });
    expect(regenerated.traceId).not.toBe(turn.traceId);
    expect(rewriteCalls(h)).toHaveLength(1);
    expect((await getTrace(h.t, regenerated.traceId)).conversation).toMatchObject({ turn: 2, rewrite: 'cached', regenerated: true });
    const thread = (await h.t.app.inject({ method: 'GET', url: `/v1/conversations/${id}`, headers: bearer(h.t.adminKey) })).json() as Loose;
    expect(thread.turns).toBe(2);
    expect(thread.messages.map((message: Loose) => message.turn)).toEqual([1, 2]);
    expect(thread.messages[1].answer.traceId).toBe(regenerated.traceId);

    // A turn asked again after it failed (no row was stored) reuses the rewrite made the first time.
    const other = await started(h, 'rewrite-openai');
    const failing = h.t.container.services.answers;
    const original = failing.answer.bind(failing);
    let fail = true;
    failing.answer = async (...args) => {
      if (fail) {
        fail = false;
        throw new Error('generation failed');
      }
      return original(...args);
    };
    try {
      expect((await post(h, `/v1/conversations/${other}/messages`, { question: FOLLOW_UP })).statusCode).toBe(500);
      const retried = (await post(h, `/v1/conversations/${other}/messages`, { question: FOLLOW_UP })).json() as Loose;
      expect(retried).toMatchObject({ turn: 2, standaloneQuestion: MODEL_REWRITE, rewriter: { by: 'cached' } });
    } finally {
      failing.answer = original;
    }
    expect(rewriteCalls(h)).toHaveLength(2);
    // Another question as that turn is rewritten anew.
    const edited = (await post(h, `/v1/conversations/${other}/messages`, { question: 'and how long does it take?', regenerate: true })).json() as Loose;
    expect(edited.rewriter.by).toBe('openai');
    expect(rewriteCalls(h)).toHaveLength(3);
  });
});

describe('follow-up rewrite through Anthropic', () => {
  it('forces the standalone_question tool and uses its input', async () => {
    const h = await startHarness({ GENERATORS: 'local', REWRITER: 'anthropic' }, { store: shared.store });
    try {
      await createCorpus(h.t, 'rewrite-anthropic');
      await uploadText(h.t, 'rewrite-anthropic', 'router.txt', ROUTER);
      h.fake.script('anthropic.messages', [{ output: { standaloneQuestion: MODEL_REWRITE } }, { output: { standaloneQuestion: '' } }]);
      const id = await started(h, 'rewrite-anthropic');
      const turn = (await post(h, `/v1/conversations/${id}/messages`, { question: FOLLOW_UP })).json() as Loose;
      expect(turn).toMatchObject({ standaloneQuestion: MODEL_REWRITE, rewriter: { by: 'anthropic', model: 'claude-haiku-4-5' } });
      const request = rewriteCalls(h)[0]?.body as Loose;
      expect(request).toMatchObject({ model: 'claude-haiku-4-5', max_tokens: 100, tool_choice: { type: 'tool', name: 'standalone_question' } });
      expect(request.tools[0].input_schema).toMatchObject({ additionalProperties: false, required: ['standaloneQuestion'] });
      // An empty rewrite is no rewrite: the local one stands in.
      const third = (await post(h, `/v1/conversations/${id}/messages`, { question: 'how long do I hold it?' })).json() as Loose;
      expect(third.rewriter).toMatchObject({ by: 'local', fallbackReason: 'PROVIDER_BAD_OUTPUT' });
    } finally {
      await h.close();
    }
  });
});
