import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import { ensureTenant } from '../../src/core/tenancy';
import { loadPrompt } from '../../src/query/prompts';
import { bearer } from '../helpers/app';
import { answerOf, ask, askRequest, createCorpus, getTrace, startHarness, uploadText, type AnswerHarness } from '../helpers/answers';

/**
 * The canonical trace at GET /v1/traces/:id, tenant isolation of traces and
 * feedback, and the per-request input budget (413 BUDGET_EXCEEDED).
 */
const WARRANTY = 'Warranty terms\n\nThe warranty period is 24 months from the date of purchase. It covers manufacturing defects in the motor.\n';

describe('answers: trace, feedback, budget', () => {
  let h: AnswerHarness;
  let otherKey: string;
  beforeAll(async () => {
    // A small input budget (the prompt with its tenant line is about 2,350 tokens), so that a long question is over
    // it; output budget small enough to leave room for sources.
    h = await startHarness({ MAX_INPUT_TOKENS: '2800', MAX_OUTPUT_TOKENS: '200' });
    await createCorpus(h.t, 'kb');
    await uploadText(h.t, 'kb', 'warranty.txt', WARRANTY);
    otherKey = await h.t.keyFor('other-tenant', ['query', 'ingest', 'admin']);
  });
  afterAll(async () => h?.close());
  beforeEach(() => h.fake.reset());

  it('GET /v1/traces/:id holds the canonical trace of the answer', async () => {
    h.fake.script('openai.chat', [{ answer: answerOf([{ text: 'The warranty lasts 24 months.', source: 1, quote: 'The warranty period is 24 months' }]), cachedTokens: 64 }]);
    const body = await ask(h.t, 'kb', 'How long is the warranty period?');
    expect(body.refused).toBe(false);
    const trace = await getTrace(h.t, body.traceId);
    const prompt = loadPrompt();
    expect(trace).toMatchObject({
      id: body.traceId,
      prompt: { id: prompt.id, version: prompt.version, hash: prompt.hash },
      provider: 'openai',
      // The API answers with the dated snapshot; the price is found through it (not 0).
      model: 'gpt-4o-mini-2024-07-18',
      refused: false,
      refusalReason: null,
      degraded: false,
      cached: false,
      cache: 'miss',
      fallbackUsed: false,
      verification: { removed: [], repaired: false },
    });
    expect(trace.prompt.hash).toMatch(/^[0-9a-f]{16}$/);
    expect(trace.questionHash).toMatch(/^[0-9a-f]{64}$/);
    expect(typeof trace.requestId).toBe('string');
    expect(trace.tokens).toEqual({ input: body.usage.inputTokens, output: body.usage.outputTokens, cached: 64, cacheWrite: 0, cachedShare: body.usage.cachedShare });
    expect(body.usage.cachedShare).toBeCloseTo(64 / body.usage.inputTokens, 3);
    expect(trace.tokens.input).toBeGreaterThan(0);
    expect(trace.tokens.output).toBeGreaterThan(0);
    expect(trace.costUsd).toBe(body.usage.costUsd);
    expect(trace.costUsd).toBeGreaterThan(0);
    for (const stage of ['retrieveMs', 'rerankMs', 'assembleMs', 'generateMs', 'verifyMs', 'totalMs']) expect(trace.timings[stage]).toEqual(expect.any(Number));
    expect(trace.timings.totalMs).toBeGreaterThanOrEqual(trace.timings.generateMs);
    expect(trace.retrieved.length).toBeGreaterThan(0);
    expect(trace.citedChunkIds).toEqual([body.citations[0]!.chunkId]);
    expect(trace.retrieved).toContain(body.citations[0]!.chunkId);
    expect(trace.contextChunks).toContain(body.citations[0]!.chunkId);
    // No question text and no document text in the trace.
    const serialized = JSON.stringify(trace);
    expect(serialized).not.toContain('How long');
    expect(serialized).not.toContain('manufacturing defects');
  });

  it("another tenant's key gets 404 for the trace; feedback works for the owner and 404s for the other tenant", async () => {
    const body = await ask(h.t, 'kb', 'What does the warranty cover?');
    const foreign = await h.t.app.inject({ method: 'GET', url: `/v1/traces/${body.traceId}`, headers: bearer(otherKey) });
    expect(foreign.statusCode).toBe(404);
    expect(foreign.json().error.code).toBe('TRACE_NOT_FOUND');

    const feedback = (key: string, payload: Record<string, unknown>) => h.t.app.inject({ method: 'POST', url: '/v1/feedback', headers: bearer(key), payload });
    const theirs = await feedback(otherKey, { traceId: body.traceId, rating: 'down' });
    expect(theirs.statusCode).toBe(404);
    expect(theirs.json().error.code).toBe('TRACE_NOT_FOUND');

    const mine = await feedback(h.t.adminKey, { traceId: body.traceId, rating: 'up', comment: 'exactly right' });
    expect(mine.statusCode, mine.body).toBe(201);
    expect(mine.json()).toMatchObject({ traceId: body.traceId, rating: 'up', id: expect.any(String) });
    const rows = await h.t.container.store.query<{ rating: string; comment: string }>(sql`select rating, comment from feedback where trace_id = ${body.traceId}`);
    expect(rows).toEqual([{ rating: 'up', comment: 'exactly right' }]);

    const unknown = await feedback(h.t.adminKey, { traceId: '00000000-0000-4000-8000-000000000000', rating: 'up' });
    expect(unknown.statusCode).toBe(404);
    const invalid = await feedback(h.t.adminKey, { traceId: body.traceId, rating: 'meh' });
    expect(invalid.statusCode).toBe(400);
  });

  it('a question over MAX_INPUT_TOKENS is 413 BUDGET_EXCEEDED with the numbers, and calls no provider', async () => {
    const words = ['warranty', 'motor', 'purchase', 'defect', 'board', 'claim', 'months', 'period'];
    const question = Array.from({ length: 420 }, (_, index) => `${words[index % words.length]}${index}`).join(' ').slice(0, 3990) + '?';
    const response = await askRequest(h.t, 'kb', question);
    expect(response.statusCode, response.body).toBe(413);
    const error = response.json().error;
    expect(error.code).toBe('BUDGET_EXCEEDED');
    expect(error.details).toMatchObject({ maxInputTokens: 2800, questionTokens: expect.any(Number), requiredTokens: expect.any(Number) });
    expect(error.details.requiredTokens).toBeGreaterThan(2800);
    expect(error.details.requiredTokens).toBeGreaterThan(error.details.questionTokens);
    expect(error.message).toContain(String(error.details.requiredTokens));
    expect(h.fake.callCount()).toBe(0);
    // Asked for a stream, the answer is the same plain 413, before any stream starts.
    const streamed = await askRequest(h.t, 'kb', question, { headers: { accept: 'text/event-stream' } });
    expect(streamed.statusCode).toBe(413);
    expect(streamed.json().error).toEqual(error);
    // The budget is per request: the next, normal question goes through.
    const ok = await askRequest(h.t, 'kb', 'How long is the warranty period, in months?');
    expect(ok.statusCode, ok.body).toBe(200);
  });
  it('a question that fits the input budget but leaves no room for a source is 413 BUDGET_EXCEEDED, with no provider call', async () => {
    const words = ['warranty', 'motor', 'purchase', 'defects', 'covers', 'date', 'months', 'period'];
    // Under MAX_INPUT_TOKENS with the prompt, over what is left once MAX_OUTPUT_TOKENS is reserved and a source added;
    // plain words of the warranty text, so that retrieval finds it and the answerability gate lets it through.
    let question = '';
    const tenant = await ensureTenant(h.t.container.store.db, 'default');
    for (let count = 10; ; count += 10) {
      const candidate = Array.from({ length: count }, (_, index) => words[index % words.length]).join(' ') + '?';
      if (candidate.length > 4000) break;
      try {
        h.t.container.services.answers.checkBudget(candidate, tenant.id);
      } catch {
        break;
      }
      question = candidate;
    }
    const response = await askRequest(h.t, 'kb', question);
    expect(response.statusCode, response.body).toBe(413);
    const error = response.json().error;
    expect(error.code).toBe('BUDGET_EXCEEDED');
    expect(error.details).toMatchObject({ maxInputTokens: 2800, requiredTokens: expect.any(Number), questionAndPromptTokens: expect.any(Number) });
    expect(error.details.requiredTokens).toBeGreaterThan(2800 - error.details.reservedOutputTokens);
    expect(h.fake.callCount()).toBe(0);
  });
});

describe('answers: special-token text is ordinary text', () => {
  let h: AnswerHarness;
  beforeAll(async () => {
    h = await startHarness({ GENERATORS: 'openai,local' });
    await createCorpus(h.t, 'kb');
    await uploadText(h.t, 'kb', 'tokens.txt', 'Tokenizer notes\n\nThe marker <|endoftext|> ends a training document in the warranty dataset.\n');
  });
  afterAll(async () => h?.close());

  it('a question and a document containing "<|endoftext|>" get an answer, not a 500', async () => {
    h.fake.setDefault('openai.chat', { answer: answerOf([{ text: 'The marker ends a training document.', source: 1, quote: 'The marker <|endoftext|> ends a training document' }]) });
    const response = await askRequest(h.t, 'kb', 'What does the <|endoftext|> marker end in the warranty dataset?');
    expect(response.statusCode, response.body).toBe(200);
    const body = response.json();
    expect(body.refused).toBe(false);
    expect(body.citations[0].quote).toBe('The marker <|endoftext|> ends a training document');
    expect(h.fake.callCount('openai.chat')).toBe(1);
  });
});
