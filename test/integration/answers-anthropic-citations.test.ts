/**
 * ANTHROPIC_CITATIONS=true through the API: the service's citations become the
 * answer's citations, and each cited_text is still verified against the stored text
 * (a citation whose text is not in the document is removed like any model's quote).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ask, createCorpus, startHarness, uploadText, type AnswerHarness } from '../helpers/answers';

const WARRANTY = 'Warranty terms\n\nThe warranty period is 24 months from the date of purchase. It covers manufacturing defects in the motor.\n';

describe('answers with Anthropic native citations', () => {
  let h: AnswerHarness;
  beforeAll(async () => {
    h = await startHarness({ GENERATORS: 'anthropic', ANTHROPIC_CITATIONS: 'true', ANTHROPIC_MODEL: 'claude-sonnet-4-6' });
    await createCorpus(h.t, 'kb');
    await uploadText(h.t, 'kb', 'warranty.txt', WARRANTY);
  });
  afterAll(async () => h?.close());

  it('maps the cited text to verified citations with document offsets', async () => {
    h.fake.reset();
    h.fake.setDefault('anthropic.messages', {
      answer: { refused: false, sentences: [{ text: 'The warranty lasts 24 months.', citations: [{ source: 1, quote: 'warranty period is 24 months' }] }] },
    });
    const body = await ask(h.t, 'kb', 'How long is the warranty period?');
    expect(body.refused).toBe(false);
    expect(body.citations).toHaveLength(1);
    expect(body.citations[0]).toMatchObject({ verified: true, quote: 'The warranty period is 24 months from the date of purchase' });
    expect((h.fake.calls[0]?.body as Record<string, unknown>)['tools']).toBeUndefined();
  });

  it('a cited text that is not in the stored document is removed by verification', async () => {
    h.fake.reset();
    h.fake.setDefault('anthropic.messages', {
      answer: { refused: false, sentences: [{ text: 'The warranty lasts 36 months.', citations: [{ source: 1, quote: 'The warranty period is 36 months' }] }] },
    });
    const body = await ask(h.t, 'kb', 'How long is the warranty, in months?');
    expect(body).toMatchObject({ refused: true, refusalReason: 'unsupported', citations: [] });
  });
});
