import { describe, expect, it } from 'vitest';
import { assembleContext } from '../../../src/query/assemble';
import { REFUSAL_TEXT, toAnswerBody, withMarkers } from '../../../src/query/answer-body';
import { loadPrompt } from '../../../src/query/prompts';
import { verifyAnswer } from '../../../src/query/verify';
import { chunkOf, makeDocument } from './fixtures';

const prompt = loadPrompt('answer-v1');

describe('withMarkers', () => {
  it('puts [n] markers before the final punctuation', () => {
    expect(withMarkers('The valve is torqued to 42 Nm.', [1])).toBe('The valve is torqued to 42 Nm [1].');
    expect(withMarkers('Is it safe?', [1, 2])).toBe('Is it safe [1][2]?');
    expect(withMarkers('He said "stop."', [3])).toBe('He said "stop [3]."');
    expect(withMarkers('No punctuation here ', [2])).toBe('No punctuation here [2]');
    expect(withMarkers('Version 2.3.1 ships.', [1])).toBe('Version 2.3.1 ships [1].');
  });
});

describe('toAnswerBody', () => {
  const document = makeDocument('manual', 'Section one covers setup. The valve is torqued to 42 Nm. Replace the seal every 1,000 hours.', 'Pump manual');
  const first = chunkOf(document, 0, 0, 40, { page: 2 });
  const second = chunkOf(document, 1, 30, document.text.length, { page: 3 });
  const sources = assembleContext([first, second], { question: 'q', maxInputTokens: 8000, prompt }).sources;

  it('builds answer text with markers, sentences and citations with chunk and page of the quote', () => {
    const verified = verifyAnswer(
      {
        refused: false,
        sentences: [
          { text: 'The valve is torqued to 42 Nm.', citations: [{ source: 1, quote: 'torqued to 42 Nm' }] },
          { text: 'The seal is replaced every 1,000 hours.', citations: [{ source: 1, quote: 'Replace the seal every 1,000 hours' }] },
        ],
      },
      sources,
    );
    const body = toAnswerBody(verified);
    expect(body.answer).toBe('The valve is torqued to 42 Nm [1]. The seal is replaced every 1,000 hours [2].');
    expect(body.sentences).toEqual([
      { text: 'The valve is torqued to 42 Nm.', citations: [1] },
      { text: 'The seal is replaced every 1,000 hours.', citations: [2] },
    ]);
    expect(body.citations).toEqual([
      { n: 1, documentId: 'manual', versionId: 'manual-v1', chunkId: 'manual-v1-c0', title: 'Pump manual', page: 2, pageEnd: 3, headingPath: [], quote: 'torqued to 42 Nm', start: 39, end: 55, verified: true },
      { n: 2, documentId: 'manual', versionId: 'manual-v1', chunkId: 'manual-v1-c1', title: 'Pump manual', page: 3, pageEnd: 3, headingPath: [], quote: 'Replace the seal every 1,000 hours', start: 57, end: 91, verified: true },
    ]);
    for (const citation of body.citations) expect(document.text.slice(citation.start, citation.end)).toBe(citation.quote);
    expect(body.refused).toBe(false);
    expect(body.refusalReason).toBeNull();
  });

  it('renders a refusal explicitly', () => {
    const body = toAnswerBody(verifyAnswer({ refused: true, refusalReason: 'not covered', sentences: [] }, sources));
    expect(body).toEqual({ answer: REFUSAL_TEXT, sentences: [], citations: [], refused: true, refusalReason: 'not covered' });
    const unsupported = toAnswerBody(verifyAnswer({ refused: false, sentences: [{ text: 'Made up.', citations: [] }] }, sources));
    expect(unsupported.refusalReason).toBe('unsupported');
  });

  it("does not say the documents are silent when the provider withheld the answer", () => {
    for (const reason of ['provider_refusal', 'content_filter']) {
      const body = toAnswerBody(verifyAnswer({ refused: true, refusalReason: reason, sentences: [] }, sources));
      expect(body).toMatchObject({ refused: true, refusalReason: reason });
      expect(body.answer).not.toBe(REFUSAL_TEXT);
      expect(body.answer).not.toMatch(/documents/i);
    }
  });
});
