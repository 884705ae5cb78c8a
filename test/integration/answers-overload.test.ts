import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { answerOf, askRequest, createCorpus, startHarness, uploadText, type AnswerHarness } from '../helpers/answers';

/**
 * MAX_INFLIGHT_ANSWERS: a process answering as many questions as it may turns
 * the next one away at once (503 OVERLOADED, Retry-After) instead of queueing
 * it behind the others, and every way an answer ends gives its place back.
 */
const WARRANTY = 'Warranty terms\n\nThe warranty period is 24 months from the date of purchase.\n';
const GOOD = answerOf([{ text: 'The warranty lasts 24 months from purchase.', source: 1, quote: 'The warranty period is 24 months from the date of purchase' }]);

describe('answers: the process-wide in-flight cap', () => {
  let h: AnswerHarness;
  // The first harness's store for another harness, which must not close it.
  const borrowed = () => ({ ...h.t.container.store, close: async () => undefined });
  beforeAll(async () => {
    h = await startHarness({ MAX_INFLIGHT_ANSWERS: '2', ANSWER_CACHE_MEMORY_ENTRIES: '0', PROVIDER_MAX_RETRIES: '0' });
    await createCorpus(h.t, 'kb');
    await uploadText(h.t, 'kb', 'warranty.txt', WARRANTY);
  });
  afterAll(async () => h?.close());

  it('the third concurrent question gets 503 OVERLOADED at once, JSON or SSE; finished answers free their places', async () => {
    h.fake.setDefault('openai.chat', { answer: GOOD, latencyMs: 800 });
    const chats = () => h.fake.callCount('openai.chat');
    const slow = [askRequest(h.t, 'kb', 'How long is the warranty?'), askRequest(h.t, 'kb', 'How long is the warranty period?', { headers: { accept: 'text/event-stream' } })];
    // Both admitted and waiting on the provider before the next one arrives.
    const deadline = Date.now() + 5_000;
    while (chats() < 2 && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 10));
    expect(chats()).toBe(2);
    for (const headers of [{}, { accept: 'text/event-stream' }] as Record<string, string>[]) {
      const started = performance.now();
      const turnedAway = await askRequest(h.t, 'kb', 'How many months is the warranty?', { headers });
      expect(performance.now() - started).toBeLessThan(500);
      expect(turnedAway.statusCode, turnedAway.body).toBe(503);
      expect(turnedAway.json().error.code).toBe('OVERLOADED');
      expect(turnedAway.headers['retry-after']).toBe('1');
    }
    const finished = await Promise.all(slow);
    expect(finished.map((response) => response.statusCode)).toEqual([200, 200]);
    expect(chats()).toBe(2);

    // A failed answer gives its place back too.
    h.fake.setDefault('openai.chat', { status: 500 });
    const failed = await Promise.all([askRequest(h.t, 'kb', 'warranty from purchase?'), askRequest(h.t, 'kb', 'warranty period from purchase?')]);
    expect(failed.map((response) => response.statusCode)).toEqual([502, 502]);
    h.fake.setDefault('openai.chat', { answer: GOOD });
    const after = await Promise.all([askRequest(h.t, 'kb', 'What is the warranty period?'), askRequest(h.t, 'kb', 'When does the warranty period start?')]);
    expect(after.map((response) => response.statusCode)).toEqual([200, 200]);
  });

  it('with ANSWER_SHED_EVENT_LOOP_UTILIZATION, a question that arrives while the event loop is saturated gets 503 OVERLOADED; once it is idle, an answer', async () => {
    const busy = await startHarness({ ANSWER_SHED_EVENT_LOOP_UTILIZATION: '0.5', ANSWER_CACHE_MEMORY_ENTRIES: '0' }, { store: borrowed() });
    try {
      busy.fake.setDefault('openai.chat', { answer: GOOD });
      // Several sampling windows (250 ms) of synchronous work: the loop is 100% utilised.
      const until = performance.now() + 2_000;
      while (performance.now() < until) Math.sqrt(Math.random());
      await new Promise((resolve) => setTimeout(resolve, 0));
      const shed = await askRequest(busy.t, 'kb', 'How long is the warranty? (busy)');
      expect(shed.statusCode, shed.body).toBe(503);
      expect(shed.json().error).toMatchObject({ code: 'OVERLOADED', message: expect.stringContaining('event loop') });
      expect(busy.fake.callCount('openai.chat')).toBe(0);
      // The measure is the last 250-ms window, not the share since start: a few idle windows after a busy
      // spell read idle again (the share since start of this young process would stay above 0.5).
      const idleBy = Date.now() + 1_500;
      do await new Promise((resolve) => setTimeout(resolve, 300));
      while (busy.t.app.memoryUsage().eventLoopUtilized > 0.4 && Date.now() < idleBy);
      expect(busy.t.app.memoryUsage().eventLoopUtilized).toBeLessThanOrEqual(0.4);
      const answered = await askRequest(busy.t, 'kb', 'How long is the warranty? (idle)');
      expect(answered.statusCode, answered.body).toBe(200);
    } finally {
      await busy.close();
    }
  });

  it('with ANSWER_OVERHEAD_TARGET_MS, answers slower than the target in this process lower the limit, and the next burst is partly turned away', async () => {
    const adaptive = await startHarness(
      { MAX_INFLIGHT_ANSWERS: '8', ANSWER_INFLIGHT_MIN: '2', ANSWER_OVERHEAD_TARGET_MS: '1', ANSWER_CACHE_MEMORY_ENTRIES: '0' },
      { store: borrowed() },
    );
    const admission = async () => {
      const text = (await adaptive.t.app.inject({ method: 'GET', url: '/metrics' })).body;
      const value = (state: string) => Number(new RegExp(`attest_answer_admission\\{state="${state}"\\} (\\d+)`).exec(text)?.[1]);
      return { limit: value('limit'), cuts: value('cuts') };
    };
    try {
      adaptive.fake.setDefault('openai.chat', { answer: GOOD });
      expect(await admission()).toEqual({ limit: 8, cuts: 0 });
      // Every answer takes this process more than 1 ms besides the provider: each full window (250 ms, 5 answers) is over target.
      const until = Date.now() + 10_000;
      for (let i = 0; (await admission()).cuts < 2 && Date.now() < until; i++) {
        const answered = await askRequest(adaptive.t, 'kb', `How long is the warranty? (slow ${i})`);
        expect(answered.statusCode, answered.body).toBe(200);
      }
      const lowered = await admission();
      expect(lowered.cuts).toBeGreaterThanOrEqual(2);
      expect(lowered.limit).toBeLessThanOrEqual(4);
      adaptive.fake.setDefault('openai.chat', { answer: GOOD, latencyMs: 500 });
      const burst = await Promise.all(Array.from({ length: 8 }, (_, i) => askRequest(adaptive.t, 'kb', `How long is the warranty? (burst ${i})`)));
      const statuses = burst.map((response) => response.statusCode);
      expect(statuses.filter((status) => status === 200).length).toBeGreaterThanOrEqual(1);
      expect(statuses.filter((status) => status === 200).length).toBeLessThanOrEqual(lowered.limit);
      expect(statuses.filter((status) => status === 503).length).toBeGreaterThanOrEqual(8 - lowered.limit);
      for (const response of burst.filter((each) => each.statusCode === 503)) expect(response.json().error.code).toBe('OVERLOADED');
    } finally {
      await adaptive.close();
    }
  });
});
