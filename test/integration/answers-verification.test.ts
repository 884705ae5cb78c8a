import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import {
  answerOf,
  ask,
  chatMessages,
  createCorpus,
  getTrace,
  normalizedText,
  REFUSAL,
  startHarness,
  uploadText,
  type AnswerHarness,
  type AnswerResponse,
} from '../helpers/answers';
import { WARRANTY } from '../helpers/documents';

/**
 * Citation verification and licensed refusal through the HTTP API, with the
 * OpenAI generator (the real SDK) pointed at the fake provider server: bad
 * citations are caught, removed, traced and repaired once; good ones come back
 * verified with offsets into the version's normalized text; unanswerable
 * questions are refused with and without a provider call.
 */

const QUESTION = 'How long is the warranty period?';

function expectRefusedUnsupported(body: AnswerResponse): void {
  expect(body.refused).toBe(true);
  expect(body.refusalReason).toBe('unsupported');
  expect(body.sentences).toEqual([]);
  expect(body.citations).toEqual([]);
}

describe('answers: citation verification', () => {
  let h: AnswerHarness;
  let doc: { documentId: string; versionId: string };
  let question = 0;
  /** A fresh wording each time, so no test sees another's cached answer. */
  const fresh = () => `${QUESTION.slice(0, -1)} ${'please '.repeat(++question)}?`;

  beforeAll(async () => {
    h = await startHarness();
    await createCorpus(h.t, 'kb');
    doc = await uploadText(h.t, 'kb', 'warranty.txt', WARRANTY);
  });
  afterAll(async () => h?.close());
  beforeEach(() => h.fake.reset());

  it('a correct answer comes back verified, its quote exactly the normalized text at [start, end)', async () => {
    h.fake.script('openai.chat', [
      {
        answer: answerOf([
          { text: 'The warranty lasts 24 months from purchase.', source: 1, quote: 'The warranty period is 24 months from the date of purchase' },
          { text: 'Water damage is not covered.', source: 1, quote: 'water damage are not covered by the warranty' },
        ]),
      },
    ]);
    const body = await ask(h.t, 'kb', fresh());
    expect(h.fake.callCount('openai.chat')).toBe(1);
    expect(body.refused).toBe(false);
    expect(body.degraded).toBe(false);
    expect(body.sentences).toEqual([
      { text: 'The warranty lasts 24 months from purchase.', citations: [1], support: expect.any(Number) },
      { text: 'Water damage is not covered.', citations: [2], support: expect.any(Number) },
    ]);
    expect(body.answer).toBe('The warranty lasts 24 months from purchase [1]. Water damage is not covered [2].');
    const normalized = await normalizedText(h.t, doc.versionId);
    expect(body.citations).toHaveLength(2);
    for (const citation of body.citations) {
      expect(citation.verified).toBe(true);
      expect(citation).toMatchObject({ documentId: doc.documentId, versionId: doc.versionId, title: 'warranty.txt' });
      expect(citation.quote).toBe(normalized.slice(citation.start, citation.end));
    }
    expect(body.citations[0]?.quote).toBe('The warranty period is 24 months from the date of purchase');
    // Case and whitespace differ from the source: the quote maps back to the source's own characters.
    expect(body.citations[1]?.quote).toBe('water damage are not covered by the warranty');
    const trace = await getTrace(h.t, body.traceId);
    expect(trace.verification).toEqual({ removed: [], repaired: false });
    expect(trace.citedChunkIds).toEqual(body.citations.map((citation) => citation.chunkId));
  });

  const badCases = [
    {
      name: 'a citation to a source number not in the context',
      answer: answerOf([{ text: 'The warranty lasts 24 months.', source: 7, quote: 'The warranty period is 24 months' }]),
      reason: 'source_not_in_context',
      detail: /source \[7\] is not one of the given sources/,
    },
    {
      name: 'a quote that is not in the chunk',
      answer: answerOf([{ text: 'The warranty lasts 24 months.', source: 1, quote: 'the guarantee runs for 24 months on all parts' }]),
      reason: 'quote_not_found',
      detail: /does not occur in source \[1\]/,
    },
    {
      name: 'a sentence with a number the source lacks',
      // Every word is supported; only the number is not.
      answer: answerOf([{ text: 'The warranty period is 36 months from the date of purchase.', source: 1, quote: 'The warranty period is 24 months from the date of purchase' }]),
      reason: 'unsupported_number',
      detail: /the numbers 36 do not appear/,
    },
  ];

  it.each(badCases)('$name is caught, removed, traced, repaired once; with nothing left the answer is refused', async ({ answer, reason, detail }) => {
    // The model repeats its mistake on the repair call.
    h.fake.script('openai.chat', [{ answer }, { answer }]);
    const body = await ask(h.t, 'kb', fresh());
    expect(h.fake.callCount('openai.chat')).toBe(2);
    expectRefusedUnsupported(body);

    // The repair call tells the model exactly what failed.
    const repair = chatMessages(h.fake.calls[1]!);
    const last = repair.at(-1)!;
    expect(last.role).toBe('user');
    expect(last.content).toContain('<previous_answer>');
    expect(last.content).toMatch(detail);
    expect(repair[0]).toEqual(chatMessages(h.fake.calls[0]!)[0]);

    const trace = await getTrace(h.t, body.traceId);
    expect(trace.refused).toBe(true);
    expect(trace.refusalReason).toBe('unsupported');
    expect(trace.verification.repaired).toBe(true);
    const removed = trace.verification.removed as { text: string; reasons: string[]; details: string[] }[];
    expect(removed.length).toBeGreaterThanOrEqual(1);
    expect(removed[0]).toMatchObject({ text: answer.sentences[0]!.text, reasons: [reason], attempt: 1 });
    expect(removed[1]).toMatchObject({ text: answer.sentences[0]!.text, reasons: [reason], attempt: 2 });
    expect(removed[0]!.details.join(' ')).toMatch(detail);
    expect(trace.citedChunkIds).toEqual([]);
  });

  it('a failed first answer that the repair fixes comes back verified, with the removed sentence in the trace', async () => {
    h.fake.script('openai.chat', [
      { answer: answerOf([{ text: 'The warranty lasts 36 months.', source: 1, quote: 'The warranty period is 24 months' }]) },
      { answer: answerOf([{ text: 'The warranty lasts 24 months.', source: 1, quote: 'The warranty period is 24 months' }]) },
    ]);
    const body = await ask(h.t, 'kb', fresh());
    expect(h.fake.callCount('openai.chat')).toBe(2);
    expect(body.refused).toBe(false);
    expect(body.sentences).toEqual([{ text: 'The warranty lasts 24 months.', citations: [1], support: expect.any(Number) }]);
    expect(body.citations[0]?.verified).toBe(true);
    const trace = await getTrace(h.t, body.traceId);
    expect(trace.verification.repaired).toBe(true);
    expect(trace.verification.removed).toEqual([expect.objectContaining({ text: 'The warranty lasts 36 months.', attempt: 1 })]);
    expect(trace.verification.removed[0].reasons).toContain('unsupported_number');
    // Tokens of both calls are counted.
    expect(trace.tokens.input).toBe(body.usage.inputTokens);
    expect(body.usage.inputTokens).toBeGreaterThan(0);
  });

  it('only the unsupported sentence goes; supported ones stay and are never marked unverified', async () => {
    const mixed = answerOf([
      { text: 'The warranty lasts 24 months.', source: 1, quote: 'The warranty period is 24 months' },
      { text: 'Claims must be filed within 30 days.', source: 1, quote: 'Claims must be filed within 14 days' },
    ]);
    h.fake.script('openai.chat', [{ answer: mixed }, { answer: mixed }]);
    const body = await ask(h.t, 'kb', fresh());
    expect(h.fake.callCount('openai.chat')).toBe(2);
    expect(body.refused).toBe(false);
    expect(body.sentences.map((sentence) => sentence.text)).toEqual(['The warranty lasts 24 months.']);
    expect(body.answer).not.toContain('30');
    expect(body.citations.every((citation) => citation.verified)).toBe(true);
    const trace = await getTrace(h.t, body.traceId);
    expect(trace.verification.removed).toEqual([
      expect.objectContaining({ text: 'Claims must be filed within 30 days.', reasons: ['unsupported_number'], attempt: 1 }),
      expect.objectContaining({ text: 'Claims must be filed within 30 days.', reasons: ['unsupported_number'], attempt: 2 }),
    ]);
  });
});

describe('answers: questions the corpus cannot answer', () => {
  let h: AnswerHarness;
  beforeAll(async () => {
    // With the answerability gate, as deployed.
    h = await startHarness();
    await createCorpus(h.t, 'kb');
    await uploadText(h.t, 'kb', 'warranty.txt', WARRANTY);
  });
  afterAll(async () => h?.close());
  beforeEach(() => h.fake.reset());

  it('empty retrieval: refused without any provider call', async () => {
    const body = await ask(h.t, 'kb', 'Which zeppelin hangar stores the quinoa harvest?');
    // The answerability gate names what the documents never mention (before it: no_relevant_sources).
    expect(body).toMatchObject({ refused: true, refusalReason: 'absent_terms', sentences: [], citations: [], degraded: false });
    expect(h.fake.callCount()).toBe(0);
    const trace = await getTrace(h.t, body.traceId);
    expect(trace).toMatchObject({ refused: true, refusalReason: 'absent_terms', provider: 'none', retrieved: [] });
  });

  it('an empty corpus is refused without a provider call', async () => {
    await createCorpus(h.t, 'empty');
    const body = await ask(h.t, 'empty', QUESTION);
    expect(body).toMatchObject({ refused: true, refusalReason: 'no_relevant_sources' });
    expect(h.fake.callCount()).toBe(0);
  });

  it('sources retrieved but the model refuses: one provider call, the refusal passes through', async () => {
    h.fake.script('openai.chat', [{ answer: REFUSAL }]);
    const body = await ask(h.t, 'kb', 'Who manufactures the control board of the motor?');
    expect(h.fake.callCount('openai.chat')).toBe(1);
    expect(body.refused).toBe(true);
    expect(body.refusalReason).toBe(REFUSAL.refusalReason);
    expect(body.sentences).toEqual([]);
    expect(body.citations).toEqual([]);
    expect(body.answer).toMatch(/documents don't say/);
    const trace = await getTrace(h.t, body.traceId);
    expect(trace.verification).toEqual({ removed: [], repaired: false });
    expect(trace.retrieved.length).toBeGreaterThan(0);
  });
});
