import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { bearer } from '../helpers/app';
import { answerOf, ask, createCorpus, getTrace, startHarness, uploadText, type AnswerHarness } from '../helpers/answers';

/**
 * The exact answer cache through the HTTP API: a hit makes no provider call,
 * any upload or delete in the corpus makes the next identical question miss,
 * and concurrent identical questions make one provider call (single-flight).
 */
const WARRANTY =
  'Warranty terms\n\nThe warranty period is 24 months from the date of purchase. It covers manufacturing defects in the motor and the control board.\n';
const RETURNS = 'Returns policy\n\nItems can be returned within 30 days of delivery with the receipt.\n';
const GOOD = answerOf([{ text: 'The warranty lasts 24 months.', source: 1, quote: 'The warranty period is 24 months' }]);
const QUESTION = 'How long is the warranty period?';

describe('answers: cache', () => {
  let h: AnswerHarness;
  beforeAll(async () => {
    h = await startHarness();
    await createCorpus(h.t, 'kb');
    await uploadText(h.t, 'kb', 'warranty.txt', WARRANTY);
  });
  afterAll(async () => h?.close());
  beforeEach(() => {
    h.fake.reset();
    h.fake.setDefault('openai.chat', { answer: GOOD });
  });

  it('a second identical question is a hit with zero provider calls; an upload, then a delete, make it miss', async () => {
    const first = await ask(h.t, 'kb', QUESTION);
    expect(first.cached).toBe(false);
    expect(h.fake.callCount()).toBe(1);

    // Case, spacing and the question mark do not make another question.
    const second = await ask(h.t, 'kb', '  how long is the   WARRANTY period ');
    expect(second.cached).toBe(true);
    expect(h.fake.callCount()).toBe(1);
    expect(second.answer).toBe(first.answer);
    expect(second.citations).toEqual(first.citations);
    expect(second.traceId).not.toBe(first.traceId);
    expect(second.usage).toMatchObject({ inputTokens: 0, outputTokens: 0, costUsd: 0 });
    const hitTrace = await getTrace(h.t, second.traceId);
    expect(hitTrace).toMatchObject({ cache: 'hit', cached: true, sourceTraceId: first.traceId, tokens: { input: 0, output: 0 } });

    // A new document in the corpus: the next identical question misses.
    const returns = await uploadText(h.t, 'kb', 'returns.txt', RETURNS);
    const afterUpload = await ask(h.t, 'kb', QUESTION);
    expect(afterUpload.cached).toBe(false);
    expect(h.fake.callCount()).toBe(2);
    expect((await ask(h.t, 'kb', QUESTION)).cached).toBe(true);
    expect(h.fake.callCount()).toBe(2);

    // A delete: miss again.
    const deleted = await h.t.app.inject({ method: 'DELETE', url: `/v1/documents/${returns.documentId}`, headers: bearer(h.t.adminKey) });
    expect(deleted.statusCode).toBe(204);
    const afterDelete = await ask(h.t, 'kb', QUESTION);
    expect(afterDelete.cached).toBe(false);
    expect(h.fake.callCount()).toBe(3);
  });

  it('5 concurrent identical questions make exactly one provider call', async () => {
    h.fake.setDefault('openai.chat', { answer: GOOD, latencyMs: 300 });
    const question = 'What does the warranty period cover?';
    const bodies = await Promise.all(Array.from({ length: 5 }, () => ask(h.t, 'kb', question)));
    expect(h.fake.callCount()).toBe(1);
    expect(bodies.filter((body) => !body.cached)).toHaveLength(1);
    for (const body of bodies) {
      expect(body.refused).toBe(false);
      expect(body.answer).toBe(bodies[0]!.answer);
    }
    // Each request has its own trace.
    expect(new Set(bodies.map((body) => body.traceId)).size).toBe(5);
    // And afterwards the answer is in the cache.
    expect((await ask(h.t, 'kb', question)).cached).toBe(true);
    expect(h.fake.callCount()).toBe(1);
  });

  it('concurrent questions that differ are not collapsed; failures are not cached', async () => {
    h.fake.setDefault('openai.chat', { answer: GOOD, latencyMs: 100 });
    await Promise.all([ask(h.t, 'kb', 'Does the warranty cover the motor?'), ask(h.t, 'kb', 'Does the warranty cover the control board?')]);
    expect(h.fake.callCount()).toBe(2);

    h.fake.reset();
    h.fake.setDefault('openai.chat', { status: 400, message: 'bad request' });
    const failed = await h.t.app.inject({ method: 'POST', url: '/v1/corpora/kb/answers', headers: bearer(h.t.adminKey), payload: { question: 'Is the motor covered by the warranty period?' } });
    expect(failed.statusCode).toBe(502);
    h.fake.setDefault('openai.chat', { answer: GOOD });
    const retried = await ask(h.t, 'kb', 'Is the motor covered by the warranty period?');
    expect(retried.cached).toBe(false);
    expect(h.fake.callCount()).toBe(2);
  });

  it('another tenant asking the same question of its own corpus does not get this tenant’s answer', async () => {
    const other = await h.t.keyFor('cache-other', ['query', 'ingest', 'admin']);
    await createCorpus(h.t, 'kb', other);
    await uploadText(h.t, 'kb', 'warranty.txt', WARRANTY, other);
    await ask(h.t, 'kb', QUESTION);
    const calls = h.fake.callCount();
    const theirs = await ask(h.t, 'kb', QUESTION, other);
    expect(theirs.cached).toBe(false);
    expect(h.fake.callCount()).toBe(calls + 1);
  });
});
