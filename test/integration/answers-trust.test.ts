import { readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { answerOf, ask, getTrace, startHarness, type AnswerHarness, type Loose } from '../helpers/answers';
import { createCorpus, upload, waitForJob } from '../helpers/ingestion';
import type { TestApp } from '../helpers/app';

/**
 * Issue 25's examples, end to end on the embedded default (local extractive answerer, lexical relevance
 * stand-in): questions the documents do not answer are refused before any generator, naming what the
 * documents never mention; questions they answer get the passage that answers, with its numbers, list
 * steps kept together, and never a heading as a sentence.
 */
const FIXTURES = path.resolve(__dirname, '../fixtures/trust');

async function uploadMarkdown(t: TestApp, corpus: string, file: string): Promise<void> {
  const bytes = readFileSync(path.join(FIXTURES, file), 'utf8');
  const answer = await upload(t, corpus, { name: file, bytes, contentType: 'text/markdown' });
  if (answer.jobId) expect((await waitForJob(t, answer.jobId)).state).toBe('completed');
  await t.idle();
}

const HEADINGS = ['Warranty', 'Factory reset', 'Connecting to Wi-Fi', 'Conflicts policy', 'X200 Premium subscription', 'Getting started'];

describe('answers a support agent can trust (embedded default)', () => {
  let h: AnswerHarness;
  beforeAll(async () => {
    h = await startHarness({ GENERATORS: 'local' });
    await createCorpus(h.t, 'stories');
    await uploadMarkdown(h.t, 'stories', 'stories.md');
    await createCorpus(h.t, 'x200');
    await uploadMarkdown(h.t, 'x200', 'x200-manual.md');
    await uploadMarkdown(h.t, 'x200', 'x200-support.md');
  });
  afterAll(async () => h?.close());

  it('refuses "What is the capital of France?" over children\'s stories that mention France, naming what is never mentioned', async () => {
    const body = (await ask(h.t, 'stories', 'What is the capital of France?')) as Loose;
    expect(body.refused).toBe(true);
    expect(body.refusalReason).toBe('absent_terms');
    expect(body.answer).toBe("The documents never mention 'capital'.");
    expect(body.mode).toBe('extractive');
    expect(body.gate).toEqual({ passed: false, reason: 'absent_terms', message: body.answer });
    expect(body.citations).toEqual([]);
    const trace = await getTrace(h.t, body.traceId);
    expect(trace.gate).toMatchObject({ ran: true, answerable: false, reason: 'absent_terms', missingTerms: 1, contentTerms: 2 });
    expect(trace.gate.missingWeightShare).toBeGreaterThanOrEqual(0.5);
    // The trace keeps statistics, not the question's words.
    expect(JSON.stringify(trace)).not.toContain('capital');
  });

  it('refuses "Who ate the porridge?" although the stories are full of eating', async () => {
    const body = (await ask(h.t, 'stories', 'Who ate the porridge?')) as Loose;
    expect(body.refused).toBe(true);
    expect(body.answer).toBe("The documents never mention 'porridge'.");
  });

  it('answers from the stories what they do say, with the passage that answers', async () => {
    const body = (await ask(h.t, 'stories', 'What did Marie eat at the farm?')) as Loose;
    expect(body.refused).toBe(false);
    expect(body.gate.passed).toBe(true);
    expect(body.answer).toContain('Marie ate apples from the orchard');
  });

  it('refuses "What is the refund policy for the X200?" instead of quoting the conflicts policy', async () => {
    const body = (await ask(h.t, 'x200', 'What is the refund policy for the X200?')) as Loose;
    expect(body.refused).toBe(true);
    expect(body.answer).not.toMatch(/conflicts policy/iu);
  });

  it('does not answer "How do I reset my password?" with the Wi-Fi password step', async () => {
    const body = (await ask(h.t, 'x200', 'How do I reset my password?')) as Loose;
    expect(body.answer).not.toMatch(/Wi-Fi password/u);
    expect(body.refused).toBe(true);
  });

  it('answers the EU warranty question with the 3-year sentence', async () => {
    const body = (await ask(h.t, 'x200', 'How long is the warranty in the EU?')) as Loose;
    expect(body.refused).toBe(false);
    expect(body.answer).toContain('In the EU, the warranty period is 3 years from the date of purchase');
    expect(body.citations.every((citation: Loose) => citation.verified)).toBe(true);
  });

  it('keeps the yearly price next to the monthly one', async () => {
    const body = (await ask(h.t, 'x200', 'How much does X200 Premium cost?')) as Loose;
    expect(body.refused).toBe(false);
    expect(body.answer).toContain('$4.99 per month');
    expect(body.answer).toContain('$49 per year');
  });

  it('keeps the steps of a list together with their lead-in', async () => {
    const body = (await ask(h.t, 'x200', 'How do I connect the X200 to my Wi-Fi network?')) as Loose;
    expect(body.refused).toBe(false);
    for (const step of ['Open the Home app and tap Add device.', 'Choose your network from the list.', 'Enter the Wi-Fi password and tap Join.']) {
      expect(body.answer).toContain(step);
    }
  });

  it('never cites a heading as a sentence', async () => {
    for (const question of ['What is the warranty?', 'How do I do a factory reset?', 'What is the X200 Premium subscription?']) {
      const body = (await ask(h.t, 'x200', question)) as Loose;
      for (const sentence of body.sentences) expect(HEADINGS.some((heading) => sentence.text.startsWith(heading)), sentence.text).toBe(false);
      for (const citation of body.citations) expect(HEADINGS).not.toContain(citation.quote.trim());
    }
  });
});

describe('the gate runs ahead of a provider generator', () => {
  let h: AnswerHarness;
  beforeAll(async () => {
    h = await startHarness();
    await createCorpus(h.t, 'stories');
    await uploadMarkdown(h.t, 'stories', 'stories.md');
  });
  afterAll(async () => h?.close());

  it('refuses without a provider call, in generative mode', async () => {
    h.fake.reset();
    const body = (await ask(h.t, 'stories', 'Who ate the porridge?')) as Loose;
    expect(body.refused).toBe(true);
    expect(body.mode).toBe('generative');
    expect(h.fake.callCount()).toBe(0);
  });

  it('lets an answerable question through to the provider', async () => {
    h.fake.reset();
    h.fake.script('openai.chat', [{ answer: answerOf([{ text: 'Marie ate apples from the orchard.', source: 1, quote: 'Marie ate apples from the orchard' }]) }]);
    const body = (await ask(h.t, 'stories', 'What did Marie eat at the farm?')) as Loose;
    expect(body.refused).toBe(false);
    expect(body.mode).toBe('generative');
    expect(h.fake.callCount('openai.chat')).toBe(1);
  });
});
